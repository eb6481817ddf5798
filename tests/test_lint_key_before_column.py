"""L327 on a foreign key dropped under a name found at run time right before a column of its
table (issue 20, round 14): MySQL refuses to drop a column a key uses, so the key goes for the
column and its loss is the column's (L305). Our own snippets: quiet when the next change to
the table drops a column, reported otherwise."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source

HEADER = "from app.utils import find_fk_name"


def l327(upgrade: str) -> int:
    source = revision(textwrap.dedent(upgrade), header=HEADER)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return sum(1 for f in report.findings if f.code == "L327")


@pytest.mark.parametrize(
    "upgrade",
    [
        """
        insp = sa.inspect(op.get_bind())
        op.drop_constraint(find_fk_name("task", "owner", insp), "task", type_="foreignkey")
        op.drop_column("task", "owner_id")
        """,
        # a variable, batch form, two keys then their columns
        """
        first = find_fk_name("task", "owner", None)
        second = find_fk_name("task", "team", None)
        with op.batch_alter_table("task") as batch_op:
            if first:
                batch_op.drop_constraint(first, type_="foreignkey")
            if second:
                batch_op.drop_constraint(second, type_="foreignkey")
            batch_op.drop_column("owner_id")
            batch_op.drop_column("team_id")
        """,
        # every key reflection reports, then the columns
        """
        insp = sa.inspect(op.get_bind())
        with op.batch_alter_table("task") as batch_op:
            for fk in insp.get_foreign_keys("task"):
                batch_op.drop_constraint(fk["name"], type_="foreignkey")
            batch_op.drop_column("owner_id")
        """,
    ],
)
def test_a_found_key_dropped_for_its_column_is_quiet(upgrade: str) -> None:
    assert l327(upgrade) == 0


@pytest.mark.parametrize(
    "upgrade",
    [
        # nothing of the table dropped after it
        'op.drop_constraint(find_fk_name("task", "owner", None), "task", type_="foreignkey")',
        # another change to the table comes first
        """
        op.drop_constraint(find_fk_name("task", "owner", None), "task", type_="foreignkey")
        op.alter_column("task", "title", existing_type=sa.String(80), nullable=True)
        op.drop_column("task", "owner_id")
        """,
        # a column of another table dropped next
        """
        op.drop_constraint(find_fk_name("task", "owner", None), "task", type_="foreignkey")
        op.drop_column("note", "owner_id")
        """,
        # a literal name that names no dropped column
        """
        op.drop_constraint("task_ibfk_1", "task", type_="foreignkey")
        op.drop_column("task", "owner_id")
        """,
    ],
)
def test_a_key_not_dropped_for_a_column_is_still_a_notice(upgrade: str) -> None:
    assert l327(upgrade) == 1
