"""L304 with a table read through a reflected MetaData by name (issue 20, round 15).

A data migration reflects the table it moves (`meta.reflect(only=("identity",), ...)`), reads
its rows as `meta.tables["identity"]`, writes them into their new place, then drops the old
table: the rows were carried over. Fixtures are our own snippets."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_rules import lint, revision

_NEW_TABLE = """
op.create_table(
    "settings",
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(80), nullable=False),
)
meta = sa.MetaData()
meta.reflect(only=("identity", "settings"), bind=op.get_bind())
"""


def l304(body: str) -> list[str]:
    source = revision(_NEW_TABLE + textwrap.dedent(body), 'op.drop_table("settings")')
    return [f.message for f in lint(source) if f.code == "L304"]


@pytest.mark.parametrize(
    "body",
    [
        """
        found = op.get_bind().execute(sa.select(meta.tables["identity"].c.id).limit(1))
        op.bulk_insert(meta.tables["settings"], [{"id": found.scalar_one(), "name": "main"}])
        op.drop_table("identity")
        """,
        """
        identity = meta.tables['identity']
        rows = op.get_bind().execute(sa.select(identity.c.id, identity.c.label)).fetchall()
        op.bulk_insert(meta.tables["settings"], [{"id": r.id, "name": r.label} for r in rows])
        op.drop_table("identity")
        """,
        """
        conn = op.get_bind()
        for row in conn.execute(sa.select(meta.tables["identity"].c["id"])):
            conn.execute(sa.insert(meta.tables["settings"]).values(id=row.id, name="main"))
        op.drop_table("identity")
        """,
    ],
    ids=["select-by-name", "name-bound", "column-by-key"],
)
def test_rows_read_through_a_reflected_table_are_carried_over(body: str) -> None:
    assert l304(body) == []


@pytest.mark.parametrize(
    "body",
    [
        # another reflected table is read, not the one dropped
        """
        op.get_bind().execute(sa.select(meta.tables["settings"].c.id).limit(1))
        op.drop_table("identity")
        """,
        # the table is only written to before the drop
        """
        op.get_bind().execute(sa.delete(meta.tables["identity"]))
        op.drop_table("identity")
        """,
        # a key held in a variable names no table
        """
        name = pick()
        op.get_bind().execute(sa.select(meta.tables[name].c.id))
        op.drop_table("identity")
        """,
    ],
    ids=["other-table", "only-deleted", "computed-key"],
)
def test_a_drop_without_its_rows_read_is_still_reported(body: str) -> None:
    assert len(l304(body)) == 1
