"""A unique key over a column a function of the project's own modules fills per row with a
uuid (issue 20, round 15): the values the helper writes count as the revision's (L309). Projects
of our own writing in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_projects import lint_in_project
from test_lint_rules import revision

FILLERS = '''
import uuid


def in_batches(query, size=100):
    yield from query.yield_per(size)


def stamp_keys(model, session):
    """Give every row its own key."""
    for row in in_batches(session.query(model)):
        row.public_key = uuid.uuid4()


def stamp_constant(model, session):
    for row in session.query(model):
        row.public_key = "pending"


def stamp_any(session, objects):
    for thing in objects:
        thing.public_key = uuid.uuid4().hex
'''

HEADER = """
from sqlalchemy.orm import Session, declarative_base
from gizmo.migrations.fillers import {name}

Base = declarative_base()


class Gadget(Base):
    __tablename__ = "gadget"
    id = sa.Column(sa.Integer, primary_key=True)
    public_key = sa.Column(sa.String(36))
"""

ADD = 'op.add_column("gadget", sa.Column("public_key", sa.String(36), nullable=True))'
KEY = 'op.create_unique_constraint("uq_gadget_public_key", "gadget", ["public_key"])'


def _l309(tmp_path: Path, name: str, fill: str) -> list[str]:
    body = "\n".join([ADD, "session = Session(bind=op.get_bind())", fill, KEY])
    findings = lint_in_project(
        tmp_path / "proj",
        {
            "gizmo/__init__.py": "",
            "gizmo/migrations/__init__.py": "",
            "gizmo/migrations/fillers.py": FILLERS,
        },
        "gizmo/migrations/versions/1234abcd5678_keys.py",
        revision(body, header=HEADER.format(name=name)),
    )
    return [f.message for f in findings if f.code == "L309" and f.severity == "warning"]


@pytest.mark.parametrize(
    ("name", "fill"),
    [
        # the model handed over, its query walked in batches
        ("stamp_keys", "stamp_keys(Gadget, session)"),
        # objects of a class lint does not see
        ("stamp_any", "stamp_any(session, session.query(Gadget).all())"),
    ],
)
def test_a_uuid_a_project_helper_writes_per_row_is_distinct(
    tmp_path: Path, name: str, fill: str
) -> None:
    assert _l309(tmp_path, name, fill) == []


def test_a_constant_a_project_helper_writes_is_still_reported(tmp_path: Path) -> None:
    # one value in every row: the key fails on a table with two rows
    assert len(_l309(tmp_path, "stamp_constant", "stamp_constant(Gadget, session)")) == 1
