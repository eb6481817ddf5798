"""Rows read through `session.query(<table>)` before the table goes (issue 20, round 19's held-out
set): the query's result, kept in a local name, decides what a write to another table does, so the
dropped table's rows were read into their new place first (L304's exemption). Our own snippets:
must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

TABLES = """
legacy = sa.Table(
    "legacy_flag",
    sa.MetaData(),
    sa.Column("owner_id", sa.String(36)),
    sa.Column("name", sa.String(40)),
    sa.Column("value", sa.String(40)),
)
owner = sa.Table(
    "owner",
    sa.MetaData(),
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("archived", sa.Boolean()),
)
"""

READ_FIRST = {
    "filtered, then a comprehension": """
        session = sa.orm.Session(bind=op.get_bind())
        flagged = session.query(legacy).filter_by(name="ARCHIVED", value="1").all()
        session.execute(
            owner.update().values(archived=True).where(owner.c.id.in_([r[0] for r in flagged]))
        )
        op.drop_table("legacy_flag")
    """,
    "the query in the write itself": """
        session = sa.orm.Session(bind=op.get_bind())
        session.execute(
            owner.update()
            .values(archived=True)
            .where(owner.c.id.in_([r.owner_id for r in session.query(legacy).all()]))
        )
        op.drop_table("legacy_flag")
    """,
    "inside a transaction block": """
        session = sa.orm.Session(bind=op.get_bind())
        with session.begin():
            rows = session.query(legacy).filter(legacy.c.name == "ARCHIVED").all()
            ids = [row.owner_id for row in rows]
            session.execute(owner.update().values(archived=True).where(owner.c.id.in_(ids)))
            op.drop_table("legacy_flag")
    """,
}

NOT_READ = {
    "another table queried": """
        session = sa.orm.Session(bind=op.get_bind())
        kept = session.query(owner).all()
        session.execute(owner.update().values(archived=False).where(owner.c.id.in_(kept)))
        op.drop_table("legacy_flag")
    """,
    "queried but never written anywhere": """
        session = sa.orm.Session(bind=op.get_bind())
        flagged = session.query(legacy).all()
        op.drop_table("legacy_flag")
    """,
    "the write after the drop": """
        session = sa.orm.Session(bind=op.get_bind())
        flagged = session.query(legacy).all()
        op.drop_table("legacy_flag")
        session.execute(owner.update().values(archived=True).where(owner.c.id.in_(flagged)))
    """,
}


def l304(upgrade: str) -> int:
    findings = lint(revision(upgrade, header=TABLES))
    return sum(1 for f in findings if f.code == "L304")


@pytest.mark.parametrize("upgrade", READ_FIRST.values(), ids=list(READ_FIRST))
def test_rows_queried_into_a_write_before_the_drop_are_read(upgrade: str) -> None:
    assert l304(upgrade) == 0


@pytest.mark.parametrize("upgrade", NOT_READ.values(), ids=list(NOT_READ))
def test_a_drop_whose_rows_no_write_uses_is_reported(upgrade: str) -> None:
    assert l304(upgrade) == 1
