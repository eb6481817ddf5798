"""Inverses a downgrade writes in other words than the upgrade's operations (issue 20, round
13): keys dropped under the names reflection reports, an index restored as the unique
constraint it is on MySQL. Fixtures are our own snippets; each class has revisions that must
stay quiet and revisions that must still be reported."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source


def l319(source: str) -> list[str]:
    """The L319 messages lint gives the revision alone."""
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [finding.message for finding in report.findings if finding.code == "L319"]


# --- L319: keys dropped through reflected names ------------------------------------------------

REFLECTION_HELPERS = """
from sqlalchemy.engine.reflection import Inspector


def _drop_foreign_keys(table, column):
    inspector = sa.inspect(op.get_bind())
    for key in inspector.get_foreign_keys(table):
        if key["constrained_columns"] == [column]:
            op.drop_constraint(key["name"], table, type_="foreignkey")


def _drop_unchecked(table, column):
    inspector = sa.inspect(op.get_bind())
    for key in inspector.get_foreign_keys(table):
        if column in key["constrained_columns"] and key["name"].startswith(PREFIX):
            op.drop_constraint(key["name"], table, type_="foreignkey")
"""
LEDGER_FOREIGN_KEY = (
    'op.create_foreign_key("fk_ledger_account", "ledger", "account", ["account_id"], ["id"])'
)
LEDGER_INDEX = 'op.create_index("ix_ledger_booked", "ledger", ["booked_on"])'
LEDGER_UNIQUE = 'op.create_unique_constraint("uq_ledger_ref", "ledger", ["reference"])'


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "ledger", type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            found = Inspector.from_engine(op.get_bind()).get_foreign_keys("ledger")
            for fk in found:
                if fk.get("name"):
                    op.drop_constraint(fk.get("name"), "ledger", type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            ledger = sa.Table("ledger", sa.MetaData(), autoload_with=op.get_bind())
            for constraint in ledger.foreign_key_constraints:
                op.drop_constraint(constraint.name, "ledger", type_="foreignkey")
            """,
        ),
        (LEDGER_FOREIGN_KEY, '_drop_foreign_keys("ledger", "account_id")'),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            with op.batch_alter_table("ledger") as batch_op:
                for fk in inspector.get_foreign_keys("ledger"):
                    if fk["referred_table"] == "account":
                        batch_op.drop_constraint(fk["name"], type_="foreignkey")
            """,
        ),
        (
            LEDGER_INDEX,
            """
            inspector = sa.inspect(op.get_bind())
            for table in ("ledger",):
                for index in inspector.get_indexes(table):
                    op.drop_index(index["name"], table_name=table)
            """,
        ),
        (
            LEDGER_INDEX,
            """
            ledger = sa.Table("ledger", sa.MetaData(), autoload_with=op.get_bind())
            with op.batch_alter_table("ledger") as batch_op:
                for index in ledger.indexes:
                    batch_op.drop_index(index.name)
            """,
        ),
        (
            LEDGER_UNIQUE,
            """
            inspector = sa.inspect(op.get_bind())
            for key in inspector.get_unique_constraints("ledger"):
                op.drop_constraint(key["name"], "ledger", type_="unique")
            """,
        ),
    ],
    ids=[
        "inspect",
        "from_engine-variable-get",
        "reflected-table",
        "helper-filtered-by-column",
        "batch-filtered-by-referred-table",
        "indexes-in-a-table-loop",
        "reflected-table-indexes-batch",
        "unique-constraints",
    ],
)
def test_keys_dropped_through_reflected_names_undo_the_upgrade(
    upgrade: str, downgrade: str
) -> None:
    assert l319(revision(upgrade, downgrade, header=REFLECTION_HELPERS)) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("journal"):
                op.drop_constraint(fk["name"], "journal", type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "journal", type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for index in inspector.get_indexes("ledger"):
                op.drop_index(index["name"], table_name="ledger")
            """,
        ),
        (
            LEDGER_INDEX,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "ledger", type_="foreignkey")
            """,
        ),
        (
            LEDGER_UNIQUE,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "ledger")
            """,
        ),
        (LEDGER_FOREIGN_KEY, '_drop_foreign_keys("ledger", "payee_id")'),
        (LEDGER_FOREIGN_KEY, '_drop_unchecked("ledger", "account_id")'),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "ledger", type_="unique")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            names = [fk["name"] for fk in inspector.get_foreign_keys("ledger")]
            op.drop_constraint(names[0], "ledger", type_="foreignkey")
            """,
        ),
    ],
    ids=[
        "another-table",
        "dropped-on-another-table",
        "indexes-for-a-foreign-key",
        "foreign-keys-for-an-index",
        "foreign-keys-for-a-unique-key",
        "filtered-to-another-column",
        "filter-lint-cannot-read",
        "type-of-another-kind",
        "not-a-loop",
    ],
)
def test_a_reflection_loop_over_other_keys_is_still_reported(upgrade: str, downgrade: str) -> None:
    messages = l319(revision(upgrade, downgrade, header=REFLECTION_HELPERS))
    assert len(messages) == 1
    assert "ledger" in messages[0]
