"""A loop over a dict of names (issue 20, round 14): `for table, columns in COLUMNS.items():
for column in columns: op.drop_column(table, column)` is unrolled like a loop over pairs, so
L319 sees each column undone. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source

UPGRADE = """
op.add_column("span", sa.Column("cost", sa.Float(), nullable=True))
op.add_column("span", sa.Column("model", sa.String(64), nullable=True))
op.add_column("trace", sa.Column("tokens", sa.Integer(), nullable=True))
"""
LOOP = """
for table_name, columns in COLUMNS.items():
    for column in columns:
        op.drop_column(table_name, column)
"""


def l319(downgrade: str, header: str = "") -> list[str]:
    source = revision(UPGRADE, downgrade, header=header)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [f.message for f in report.findings if f.code == "L319"]


@pytest.mark.parametrize(
    ("header", "downgrade"),
    [
        # a module constant
        ('COLUMNS = {"span": ["model", "cost"], "trace": ("tokens",)}', LOOP),
        # the function's own dict
        ("", 'COLUMNS = {"span": ["model", "cost"], "trace": ["tokens"]}\n' + LOOP),
        # batch form, a single name as a value
        (
            'COLUMNS = {"span": ["model", "cost"], "trace": "tokens"}',
            """
            for table_name, columns in COLUMNS.items():
                with op.batch_alter_table(table_name) as batch_op:
                    if isinstance(columns, str):
                        batch_op.drop_column(columns)
                    else:
                        for column in columns:
                            batch_op.drop_column(column)
            """,
        ),
    ],
)
def test_a_loop_over_a_dict_of_names_undoes_each(header: str, downgrade: str) -> None:
    assert l319(downgrade, header) == []


@pytest.mark.parametrize(
    ("header", "downgrade", "expected"),
    [
        # one column left out
        ('COLUMNS = {"span": ["model", "cost"]}', LOOP, ["trace.tokens"]),
        # names read at run time, on a table lint knows: only that table's may be undone
        (
            "",
            'for column in span_columns():\n    op.drop_column("trace", column)',
            ["span.cost", "span.model"],
        ),
    ],
)
def test_a_dict_that_does_not_name_every_column_is_reported(
    header: str, downgrade: str, expected: list[str]
) -> None:
    found = l319(downgrade, header)
    assert len(found) == len(expected)
    assert all(any(column in message for message in found) for column in expected)


def test_a_dict_lint_cannot_read_may_name_every_column() -> None:
    # its values are not names lint can read, so nothing is unrolled: each drop_column of a
    # table and column named at run time may undo any add_column (lint/opaque_steps.py)
    assert l319(LOOP, 'COLUMNS = {"span": span_columns(), "trace": ["tokens"]}') == []
