"""Inverses written through a function of the project's own modules (issue 20, round 14): a
downgrade that recreates a dropped table by calling the project's wrapper around
op.create_table with the table's name and its whole definition (its primary key included)
restores it. Fixtures are our own snippets: quiet where the table is restored, reported where
the call cannot be the table created again."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source


def l319(source: str) -> list[str]:
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [finding.message for finding in report.findings if finding.code == "L319"]


@pytest.mark.parametrize(
    ("header", "upgrade", "downgrade"),
    [
        (
            "from app.migrations.shared import create_table",
            'op.drop_table("audit_entry")',
            """
            create_table(
                "audit_entry",
                sa.Column("id", sa.Integer(), nullable=False),
                sa.Column("body", sa.Text(), nullable=True),
                sa.PrimaryKeyConstraint("id"),
            )
            """,
        ),
        (
            # the primary key on the column, the table's name in a module constant
            "from app.migrations.shared import create_table\nTABLE = 'audit_entry'",
            "op.drop_table(TABLE)",
            'create_table(TABLE, sa.Column("id", sa.Integer(), primary_key=True))',
        ),
        (
            # reached as a module's attribute, and under another name
            "from app.migrations import shared as helpers",
            'op.drop_table("audit_entry")',
            'helpers.ensure_table("audit_entry", sa.Column("id", sa.Integer(), primary_key=True))',
        ),
        (
            # several tables dropped, each restored
            "from app.migrations.shared import create_table",
            'op.drop_table("audit_entry")\nop.drop_table("audit_tag")',
            """
            create_table("audit_tag", sa.Column("id", sa.Integer(), primary_key=True))
            create_table(
                "audit_entry",
                sa.Column("id", sa.BigInteger()),
                sa.PrimaryKeyConstraint("id", name="pk_audit_entry"),
            )
            """,
        ),
    ],
)
def test_a_table_recreated_by_a_project_helper_is_restored(
    header: str, upgrade: str, downgrade: str
) -> None:
    assert l319(revision(upgrade, downgrade, header=header)) == []


@pytest.mark.parametrize(
    ("header", "downgrade"),
    [
        # another table's definition
        (
            "from app.migrations.shared import create_table",
            'create_table("audit_tag", sa.Column("id", sa.Integer(), primary_key=True))',
        ),
        # columns added to a table, no primary key given: not the table created again
        (
            "from app.migrations.shared import add_columns",
            'add_columns("audit_entry", sa.Column("body", sa.Text(), nullable=True))',
        ),
        # SQLAlchemy's own Table is a description, not the table created
        (
            "",
            'sa.Table("audit_entry", sa.MetaData(), sa.Column("id", sa.Integer(), '
            "primary_key=True))",
        ),
    ],
)
def test_a_call_that_is_not_the_table_recreated_is_still_reported(
    header: str, downgrade: str
) -> None:
    found = l319(revision('op.drop_table("audit_entry")', downgrade, header=header))
    assert len(found) == 1 and "drop_table audit_entry" in found[0]


def test_a_table_created_under_a_name_lint_cannot_read_may_be_the_one_dropped() -> None:
    # a call lint does not follow, named for creating a table, given a name computed at run
    # time: it may recreate audit_entry (lint/opaque_steps.py)
    downgrade = 'create_table(name_of("audit"), sa.Column("id", sa.Integer(), primary_key=True))'
    header = "from app.migrations.shared import create_table"
    assert l319(revision('op.drop_table("audit_entry")', downgrade, header=header)) == []
