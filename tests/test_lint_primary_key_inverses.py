"""L319 with a primary key restored under another name (issue 20, round 15).

A table has one primary key; MySQL and MariaDB always call it PRIMARY and Alembic drops it by
DROP PRIMARY KEY, so a portable revision names it as it likes ("pk_t" for SQLite's batch
mode, "PRIMARY" for MySQL) and its downgrade may restore it under another name. Fixtures are
our own snippets."""

from __future__ import annotations

import pytest
from test_lint_inverses import l319
from test_lint_rules import revision


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            """
            op.drop_constraint("PRIMARY", "membership", type_="primary")
            op.create_primary_key("pk_membership", "membership", ["group_id", "user_id", "role"])
            """,
            """
            op.drop_constraint("pk_membership", "membership", type_="primary")
            op.create_primary_key("pk_membership", "membership", ["group_id", "user_id"])
            """,
        ),
        (
            """
            with op.batch_alter_table("membership") as batch_op:
                batch_op.drop_constraint("membership_pkey", type_="primary")
                batch_op.create_primary_key("pk_membership", ["group_id", "user_id", "role"])
            """,
            """
            with op.batch_alter_table("membership") as batch_op:
                batch_op.drop_constraint("pk_membership", type_="primary")
                batch_op.create_primary_key("PRIMARY", ["group_id", "user_id"])
            """,
        ),
        (
            """
            name = "PRIMARY"
            op.drop_constraint(constraint_name=name, table_name="membership", type_="primary")
            """,
            """
            op.create_primary_key(
                constraint_name="pk_membership",
                table_name="membership",
                columns=["group_id", "user_id"],
            )
            """,
        ),
    ],
    ids=["plain", "batch", "by-keyword"],
)
def test_a_primary_key_restored_under_another_name_is_undone(upgrade: str, downgrade: str) -> None:
    assert l319(revision(upgrade, downgrade)) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # the downgrade restores a primary key on another table
        (
            'op.drop_constraint("PRIMARY", "membership", type_="primary")',
            'op.create_primary_key("pk_member", "member", ["group_id", "user_id"])',
        ),
        # a unique key is not the primary key the upgrade dropped
        (
            'op.drop_constraint("PRIMARY", "membership", type_="primary")',
            'op.create_unique_constraint("uq_membership", "membership", ["group_id", "user_id"])',
        ),
        # the upgrade's new primary key is left in place
        (
            'op.create_primary_key("pk_membership", "membership", ["group_id", "user_id"])',
            'op.drop_constraint("uq_membership", "membership", type_="unique")',
        ),
    ],
    ids=["another-table", "a-unique-key", "not-dropped"],
)
def test_a_primary_key_not_restored_is_still_reported(upgrade: str, downgrade: str) -> None:
    assert len(l319(revision(upgrade, downgrade))) == 1
