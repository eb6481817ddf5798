"""Round r40's false class of L302: an earlier revision's Core loop fill (issue 20;
lint/revision_reader.py, lint/row_fills.py).

An earlier revision that selects every row of the table (no WHERE, LIMIT or join), walks
them in a loop and, in each pass, under no `if` and with no pass left early, runs
`t.update().where(t.c.id == <the row's key>).values(c=<value>)` fills the column in every
row, as its raw `UPDATE t SET c = v` would: the later NOT NULL is no L302. A filtered select,
a write under an `if`, a loop that may `continue`, a constant condition or a value of None
keep the finding. Our own revisions in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_round37_history import found, history
from test_lint_rules import revision

_STAMPS = revision(
    """
    op.create_table("stamp", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("kind", sa.String(20)))
    """
)
_TABLE = """
from sqlalchemy.sql import table, column
stamp = table("stamp", column("id", sa.Integer), column("code", sa.Integer))
"""


def _filling(loop: str) -> str:
    body = 'op.add_column("stamp", sa.Column("code", sa.Integer(), nullable=True))\n'
    body += "conn = op.get_bind()\n" + textwrap.dedent(loop)
    return revision(body, header=_TABLE)


_NOT_NULL = revision('op.alter_column("stamp", "code", existing_type=sa.Integer(), nullable=False)')


@pytest.mark.parametrize(
    "loop",
    [
        """
        rows = conn.execute("select s.id, s.kind from stamp s").fetchall()
        for r in rows:
            op.execute(stamp.update().where(stamp.c.id == r[0]).values(code=len(r[1])))
        """,
        """
        for row in conn.execute(sa.text("SELECT id, kind FROM stamp")):
            key = row.id
            if row.kind == "x":
                code = 1
            else:
                code = 2
            conn.execute(stamp.update().where(stamp.c.id == key).values(code=code))
        """,
        """
        for row in conn.execute(sa.text("SELECT id FROM stamp")).fetchall():
            conn.execute(stamp.update().values(code=row.id * 2).where(row.id == stamp.c.id))
        """,
    ],
)
def test_an_earlier_core_loop_over_every_row_fills_the_column(tmp_path: Path, loop: str) -> None:
    findings = history(tmp_path, _STAMPS, _filling(loop), _NOT_NULL)
    assert found(findings, "L302") == []


@pytest.mark.parametrize(
    "loop",
    [
        # a filtered select: the other rows keep NULL
        """
        for row in conn.execute(sa.text("SELECT id FROM stamp WHERE kind = 'a'")):
            conn.execute(stamp.update().where(stamp.c.id == row.id).values(code=1))
        """,
        # the write under an `if` of the loop's body
        """
        for row in conn.execute(sa.text("SELECT id, kind FROM stamp")):
            if row.kind == "a":
                conn.execute(stamp.update().where(stamp.c.id == row.id).values(code=1))
        """,
        # a pass may stop before the write
        """
        for row in conn.execute(sa.text("SELECT id, kind FROM stamp")):
            if not row.kind:
                continue
            conn.execute(stamp.update().where(stamp.c.id == row.id).values(code=1))
        """,
        # a constant condition: one row, not the row in hand
        """
        for row in conn.execute(sa.text("SELECT id FROM stamp")):
            conn.execute(stamp.update().where(stamp.c.id == 1).values(code=row.id))
        """,
        # None written
        """
        for row in conn.execute(sa.text("SELECT id FROM stamp")):
            conn.execute(stamp.update().where(stamp.c.id == row.id).values(code=None))
        """,
        # no loop: one row updated
        """
        key = conn.execute(sa.text("SELECT id FROM stamp")).scalar()
        conn.execute(stamp.update().where(stamp.c.id == key).values(code=1))
        """,
    ],
)
def test_a_core_write_that_misses_rows_is_no_fill(tmp_path: Path, loop: str) -> None:
    findings = history(tmp_path, _STAMPS, _filling(loop), _NOT_NULL)
    assert found(findings, "L302") == ["r2.py"]
