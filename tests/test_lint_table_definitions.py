"""Tables SQLAlchemy's own DDL creates and drops from the revision's definitions (issue 20,
round 15; lint/table_definitions.py): `metadata.create_all(bind, tables=[...])`,
`t.create(bind, checkfirst=True)` and their drop forms. A creation is the table's
create_table: its columns hold no earlier data (L305), and the downgrade's drop of it undoes
every change to it (L319). Our own fixtures."""

from __future__ import annotations

import pytest
from test_lint_histories import lint
from test_lint_rules import revision

HEADER = """
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Shelf(Base):
    __tablename__ = "shelf"
    id = sa.Column(sa.Integer, primary_key=True)
    legacy_ref = sa.Column(sa.Integer, nullable=True)


bin_table = sa.Table(
    "bin",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("scratch", sa.Integer),
)
NEW_TABLES = [Shelf.__table__, bin_table]
"""

DROPS = """
op.execute("UPDATE shelf SET legacy_ref = NULL")
with op.batch_alter_table("shelf") as batch:
    batch.drop_column("legacy_ref")
op.drop_column("bin", "scratch")
"""

CREATIONS = [
    "Base.metadata.create_all(bind=op.get_bind(), tables=NEW_TABLES)",
    "Base.metadata.create_all(op.get_bind(), [Shelf.__table__, bin_table])",
    "bind = op.get_bind()\nShelf.__table__.create(bind)\nbin_table.create(bind, checkfirst=True)",
    "bin_table.create(bind=op.get_bind())\nShelf.__table__.create(op.get_bind(), checkfirst=True)",
]
DOWNGRADES = [
    "Base.metadata.drop_all(bind=op.get_bind(), tables=NEW_TABLES)",
    "bin_table.drop(op.get_bind())\nShelf.__table__.drop(op.get_bind())",
    'op.drop_table("bin")\nop.drop_table("shelf")',
]


def _codes(upgrade: str, downgrade: str, code: str) -> list[str]:
    source = revision(upgrade, downgrade, header=HEADER)
    return [f.message for f in lint(source) if f.code == code]


@pytest.mark.parametrize("creation", CREATIONS)
@pytest.mark.parametrize("downgrade", DOWNGRADES)
def test_columns_of_tables_sqlalchemy_created_are_new(creation: str, downgrade: str) -> None:
    upgrade = creation + "\n" + DROPS
    assert _codes(upgrade, downgrade, "L305") == []
    assert _codes(upgrade, downgrade, "L319") == []


@pytest.mark.parametrize(
    ("creation", "kept"),
    [
        # only one of the tables is created: the other's column is existing data
        ("bin_table.create(op.get_bind())", "shelf.legacy_ref"),
        ("Base.metadata.create_all(op.get_bind(), tables=[bin_table])", "shelf.legacy_ref"),
        # every table of the MetaData, which lint does not list: nothing is taken as new
        ("Base.metadata.create_all(op.get_bind())", "bin.scratch"),
        # a method called without the connection is no Table DDL
        ("bin_table.create()", "bin.scratch"),
    ],
)
def test_drops_from_tables_not_created_here_are_reported(creation: str, kept: str) -> None:
    upgrade = creation + "\n" + DROPS
    assert any(kept in m for m in _codes(upgrade, "pass", "L305"))


def test_a_downgrade_dropping_other_tables_still_leaves_the_change() -> None:
    upgrade = "Base.metadata.create_all(op.get_bind(), tables=[bin_table])\n" + DROPS
    found = _codes(upgrade, "bin_table.drop(op.get_bind())", "L319")
    # bin's change is undone by dropping bin; shelf's drop_column is not
    assert any("shelf.legacy_ref" in m for m in found)
    assert not any("bin.scratch" in m for m in found)
