"""SQL built first and executed later (issue 20, round 14): `stmt = t.update().values(...)`
or `query = sa.text("...")`, then `bind.execute(stmt)`. What the statement reads is read where
it runs, so L305 knows the dropped column's values were copied first. Our own snippets."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source

HEADER = """
legacy = sa.table("legacy", sa.column("id"), sa.column("code"), sa.column("code_id"))
codes = sa.table("codes", sa.column("id"), sa.column("code"))
"""
DROP = 'op.drop_column("legacy", "code")'


def l305(fill: str) -> int:
    body = f"bind = op.get_bind()\n{textwrap.dedent(fill).strip()}\n{DROP}"
    source = revision(body, DROP, header=HEADER)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return sum(1 for f in report.findings if f.code == "L305")


@pytest.mark.parametrize(
    "fill",
    [
        # a Core UPDATE with a scalar subquery reading the column, held in a variable
        """
        statement = legacy.update().values(
            code_id=sa.select(codes.c.id).where(codes.c.code == legacy.c.code).scalar_subquery()
        )
        bind.execute(statement)
        """,
        # sa.update(t) spelt as a function, executed by op.execute
        """
        stmt = sa.update(legacy).values(code_id=legacy.c.code)
        op.execute(stmt)
        """,
        # raw SQL in text(), held in a variable
        """
        query = sa.text(
            "UPDATE legacy SET code_id = (SELECT id FROM codes WHERE codes.code = legacy.code)"
        )
        bind.execute(query)
        """,
    ],
)
def test_a_held_statement_reading_the_column_copies_it_first(fill: str) -> None:
    assert l305(fill) == 0


@pytest.mark.parametrize(
    "fill",
    [
        # held raw SQL that reads another table's column of that name
        """
        query = sa.text("UPDATE legacy SET code_id = (SELECT id FROM codes WHERE codes.code = 'x')")
        bind.execute(query)
        """,
        # another table's column read
        """
        statement = codes.update().values(code=codes.c.code + "-")
        bind.execute(statement)
        """,
        # a held statement that does not read the column
        """
        query = sa.text("UPDATE legacy SET code_id = 0")
        bind.execute(query)
        """,
    ],
)
def test_a_held_statement_that_does_not_read_it_is_still_reported(fill: str) -> None:
    assert l305(fill) == 1
