"""L305 with the dropped column's values read through an ORM class mapped onto a reflected table
(issue 20, round 22c): `class Shelf_(Base): __table__ = Base.metadata.tables["shelf"]`, then
`session.query(Shelf_.id, Shelf_.label)` before `op.drop_column("shelf", "label")` reads the
values first, as the same query of a class with `__tablename__` does. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

HEADER = """
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import Session

Base = declarative_base()
"""

BOXES = 'boxes = sa.table("box", sa.column("id"), sa.column("label"))\n'


def l305(body: str) -> int:
    source = revision(body.strip() + '\nop.drop_column("shelf", "label")', header=HEADER)
    return sum(1 for f in lint(source) if f.code == "L305")


@pytest.mark.parametrize(
    "lookup",
    ['Base.metadata.tables["shelf"]', "meta.tables['shelf']", 'Base.metadata.tables[("shelf")]'],
)
def test_a_query_of_a_reflected_class_reads_the_values_first(lookup: str) -> None:
    body = f"""
meta = Base.metadata
class Shelf_(Base):
    __table__ = {lookup}
session = Session(bind=op.get_bind())
rows = session.query(Shelf_.id, Shelf_.label).all()
{BOXES}for row in rows:
    op.execute(boxes.insert().values(id=row[0], label=row[1]))
"""
    assert l305(body) == 0


@pytest.mark.parametrize(
    "body",
    [
        # the reflected class maps another table
        f"""
class Crate_(Base):
    __table__ = Base.metadata.tables["crate"]
session = Session(bind=op.get_bind())
rows = session.query(Crate_.id, Crate_.label).all()
{BOXES}for row in rows:
    op.execute(boxes.insert().values(id=row[0], label=row[1]))
""",
        # the class over the dropped table reads another column
        f"""
class Shelf_(Base):
    __table__ = Base.metadata.tables["shelf"]
session = Session(bind=op.get_bind())
rows = session.query(Shelf_.id, Shelf_.width).all()
{BOXES}for row in rows:
    op.execute(boxes.insert().values(id=row.id, label=row.width))
""",
        # a lookup by a name lint cannot read names no table
        f"""
name = pick()
class Shelf_(Base):
    __table__ = Base.metadata.tables[name]
session = Session(bind=op.get_bind())
rows = session.query(Shelf_.id, Shelf_.label).all()
{BOXES}for row in rows:
    op.execute(boxes.insert().values(id=row[0], label=row[1]))
""",
    ],
)
def test_other_reads_leave_the_drop_reported(body: str) -> None:
    assert l305(body) == 1
