"""L319 on a key the downgrade drops under a name found at run time and then creates again
under the upgrade's name (issue 20, round 14): the creation proves the drop took the upgrade's
key, so the upgrade's `create_*` is undone. Our own snippets: quiet when such a drop comes
first, reported when it does not."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source

HEADER = "from app.utils import find_fk_name"
UPGRADE = """
insp = sa.inspect(op.get_bind())
op.drop_constraint(find_fk_name("task", "owner", insp), "task", type_="foreignkey")
op.create_foreign_key(
    "fk_task_owner", "task", "owner", ["owner_id"], ["id"], ondelete="CASCADE"
)
"""


def l319(downgrade: str) -> list[str]:
    source = revision(UPGRADE, downgrade, header=HEADER)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [f.message for f in report.findings if f.code == "L319"]


@pytest.mark.parametrize(
    "downgrade",
    [
        # a project function finds the name, as in the upgrade
        """
        insp = sa.inspect(op.get_bind())
        op.drop_constraint(find_fk_name("task", "owner", insp), "task", type_="foreignkey")
        op.create_foreign_key("fk_task_owner", "task", "owner", ["owner_id"], ["id"])
        """,
        # the name held in a variable, the drop under an `if`
        """
        name = find_fk_name("task", "owner", sa.inspect(op.get_bind()))
        if name:
            op.drop_constraint(name, "task", type_="foreignkey")
        op.create_foreign_key("fk_task_owner", "task", "owner", ["owner_id"], ["id"])
        """,
        # batch_op forms; the drop without type_
        """
        with op.batch_alter_table("task") as batch_op:
            batch_op.drop_constraint(find_fk_name("task", "owner", None))
            batch_op.create_foreign_key("fk_task_owner", "owner", ["owner_id"], ["id"])
        """,
    ],
)
def test_a_key_dropped_by_a_found_name_and_defined_again_is_undone(downgrade: str) -> None:
    assert l319(downgrade) == []


@pytest.mark.parametrize(
    "downgrade",
    [
        # created again with no drop before it (fails: the name is taken)
        'op.create_foreign_key("fk_task_owner", "task", "owner", ["owner_id"], ["id"])',
        # the found name dropped on another table
        """
        op.drop_constraint(find_fk_name("note", "owner", None), "note", type_="foreignkey")
        op.create_foreign_key("fk_task_owner", "task", "owner", ["owner_id"], ["id"])
        """,
        # an index dropped by a found name: another kind
        """
        op.drop_index(find_fk_name("task", "owner", None), table_name="task")
        op.create_foreign_key("fk_task_owner", "task", "owner", ["owner_id"], ["id"])
        """,
        # the drop comes after the creation
        """
        op.create_foreign_key("fk_task_owner", "task", "owner", ["owner_id"], ["id"])
        op.drop_constraint(find_fk_name("task", "owner", None), "task", type_="foreignkey")
        """,
    ],
)
def test_a_key_not_proved_dropped_is_still_reported(downgrade: str) -> None:
    found = l319(downgrade)
    assert len(found) == 1 and "create_foreign_key fk_task_owner on task" in found[0]


def test_a_foreign_key_dropped_under_a_found_name_may_be_the_upgrades() -> None:
    # the name is found at run time, on the table and of the kind the upgrade made: that drop
    # may remove fk_task_owner (lint/opaque_steps.py), whatever the downgrade creates after it
    downgrade = """
    op.drop_constraint(find_fk_name("task", "owner", None), "task", type_="foreignkey")
    op.create_foreign_key("task_ibfk_1", "task", "owner", ["owner_id"], ["id"])
    """
    assert l319(downgrade) == []
