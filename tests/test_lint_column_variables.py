"""A Column held in a variable (issue 20, round 14): `column = sa.Column("x", ...)` then
`op.add_column("t", column)` adds column x, for L319's inverse and for every rule reading the
added column. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source


def findings(upgrade: str, downgrade: str) -> list[tuple[str, str]]:
    source = revision(upgrade, downgrade)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [(f.code, f.message) for f in report.findings]


DROP = 'op.drop_column("span", "attributes")'


@pytest.mark.parametrize(
    "downgrade",
    [
        'column = sa.Column("attributes", sa.Text(), nullable=True)\nop.add_column("span", column)',
        # keyword form, batch form
        'col = sa.Column("attributes", sa.Text())\nop.add_column("span", column=col)',
        """
        restored = sa.Column("attributes", sa.Text(), nullable=True)
        with op.batch_alter_table("span") as batch_op:
            batch_op.add_column(restored)
        """,
    ],
)
def test_a_column_added_through_a_variable_undoes_the_drop(downgrade: str) -> None:
    assert not [code for code, _ in findings(DROP, downgrade) if code == "L319"]


@pytest.mark.parametrize(
    "downgrade",
    [
        # another column's name
        'column = sa.Column("attrs", sa.Text())\nop.add_column("span", column)',
        # another table
        'column = sa.Column("attributes", sa.Text())\nop.add_column("trace", column)',
    ],
)
def test_a_variable_that_is_not_the_column_is_still_reported(downgrade: str) -> None:
    found = [m for code, m in findings(DROP, downgrade) if code == "L319"]
    assert len(found) == 1 and "span.attributes" in found[0]


def test_a_column_lint_cannot_read_on_the_table_may_be_the_inverse() -> None:
    # bound again to what lint cannot read: the column added may be the one dropped
    # (lint/opaque_steps.py); on another table it cannot be
    downgrade = 'column = sa.Column("attributes", sa.Text())\ncolumn = make()\n'
    found = findings(DROP, downgrade + 'op.add_column("span", column)')
    assert not [code for code, _ in found if code == "L319"]
    found = findings(DROP, downgrade + 'op.add_column("trace", column)')
    assert [code for code, _ in found if code == "L319"] == ["L319"]


def test_the_column_in_a_variable_is_reviewed_like_one_written_in_place() -> None:
    upgrade = 'flag = sa.Column("flag", sa.Boolean(), nullable=False)\nop.add_column("task", flag)'
    codes = [code for code, _ in findings(upgrade, 'op.drop_column("task", "flag")')]
    assert "L301" in codes  # NOT NULL without a default, on a table with rows
