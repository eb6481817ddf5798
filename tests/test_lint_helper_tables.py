"""A revision that hands its rows to a function of the project's own modules before dropping
the table (issue 20, round 25): the function reads the old table through a Core table its
module defines at module level (`session.query(Old).all()`) and writes the rows into the new
one. Those reads are the revision's (L304, L306). Projects of our own writing in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_projects import lint_in_project
from test_lint_rules import revision

MOVERS = """
import sqlalchemy as sa

SHELF = "shelf"

Shelf = sa.Table(
    SHELF, sa.MetaData(),
    sa.Column("id", sa.Integer()),
    sa.Column("label", sa.String(40)),
)
ShelfV2 = sa.table("shelf_v2", sa.column("id"), sa.column("label"))
Crate = sa.Table("crate", sa.MetaData(), sa.Column("id", sa.Integer()))


def move_shelves(session):
    kept = []
    for row in session.query(Shelf).all():
        kept.append({"id": row.id, "label": row.label})
    for values in kept:
        session.execute(ShelfV2.insert().values(values))


def move_crates(session):
    for row in session.query(Crate).all():
        session.execute(ShelfV2.insert().values(id=row.id, label="crate"))


def seed_shelves(session):
    session.execute(ShelfV2.insert().values(id=1, label="default"))
"""

HEADER = """
from sqlalchemy.orm import Session
{imports}
"""

CREATE = (
    'op.create_table("shelf_v2", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("label", sa.String(40)))'
)
DROP = 'op.drop_table("shelf")'


def _codes(tmp_path: Path, imports: str, call: str) -> list[str]:
    body = "\n".join([CREATE, "session = Session(bind=op.get_bind())", call, DROP])
    found = lint_in_project(
        tmp_path / "proj",
        {
            "depot/__init__.py": "",
            "depot/migrations/__init__.py": "",
            "depot/migrations/movers.py": MOVERS,
        },
        "depot/migrations/versions/5678abcd1234_shelves.py",
        revision(body, header=HEADER.format(imports=imports)),
    )
    return [f.code for f in found]


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from depot.migrations import movers", "movers.move_shelves(session)"),
        ("from depot.migrations.movers import move_shelves", "move_shelves(session)"),
    ],
)
def test_rows_a_project_function_reads_through_its_module_table_are_kept(
    tmp_path: Path, imports: str, call: str
) -> None:
    codes = _codes(tmp_path, imports, call)
    assert "L304" not in codes
    assert "L306" not in codes


@pytest.mark.parametrize(
    "call",
    [
        "movers.move_crates(session)",  # it reads another table's rows
        "movers.seed_shelves(session)",  # it writes the new table without reading the old
    ],
)
def test_a_project_function_that_does_not_read_the_dropped_table_keeps_l304(
    tmp_path: Path, call: str
) -> None:
    codes = _codes(tmp_path, "from depot.migrations import movers", call)
    assert "L304" in codes
    assert "L306" in codes
