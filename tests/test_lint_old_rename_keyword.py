"""Alembic before 0.7 renamed a column with `alter_column(..., name="new")`, the keyword that
became `new_column_name=` (issue 20, round 38's class: an old history pinning alembic 0.6).
Lint reads it as the rename it is, so a downgrade renaming back undoes it (no L319), while an
index or constraint operation's `name=` keeps its own meaning. Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import revision

from alembic_sentinel.lint.revision_reader import read_revision_module


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            'op.alter_column("invoice", "total", name="amount", existing_type=sa.Integer())',
            'op.alter_column("invoice", "amount", name="total", existing_type=sa.Integer())',
        ),
        (
            'op.alter_column("invoice", "total", existing_type=sa.Integer(), name="amount")',
            'op.alter_column("invoice", "amount", existing_type=sa.Integer(),'
            ' new_column_name="total")',
        ),
    ],
)
def test_a_rename_by_name_undone_by_the_downgrade_owes_nothing(
    upgrade: str, downgrade: str
) -> None:
    assert "L319" not in codes(revision(upgrade, downgrade))


def test_a_rename_by_name_is_reported_as_a_rename() -> None:
    """L328 (the notice every column rename gets: the application must follow) sees it."""
    upgrade = 'op.alter_column("invoice", "total", name="amount", existing_type=sa.Integer())'
    assert "L328" in codes(revision(upgrade, "pass"))
    # the same as its modern spelling, whatever the rules make of it
    modern = upgrade.replace("name=", "new_column_name=")
    assert codes(revision(upgrade, "pass")) == codes(revision(modern, "pass"))


def test_name_is_read_as_the_new_column_name_of_alter_column_only() -> None:
    source = revision(
        """
        op.alter_column("invoice", "total", name="amount", existing_type=sa.Integer())
        op.create_index(name="ix_invoice_amount", table_name="invoice", columns=["amount"])
        """
    )
    module = read_revision_module(source, "versions/1234abcd5678_test.py")
    alter, index = module.functions["upgrade"].operations[:2]
    assert alter.string("new_column_name") == "amount"
    assert index.string("index_name") == "ix_invoice_amount"
    assert index.string("new_column_name") is None
