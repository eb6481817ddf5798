"""A table rebuilt by copy and swap (issue 20, round 14; lint/table_swaps.py).

The upgrade creates `job_new`, copies the rows, drops `job` and renames `job_new` to `job`; the
downgrade rebuilds `job` the same way. The rename takes away a name no running code reads (no
L328), and the downgrade's own rebuild undoes it (no L319). A rename of the application's table,
or a swap the downgrade does not rebuild, is still reported. Our own fixtures."""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import revision

NEW_JOB = (
    'op.create_table("{new}", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("state", sa.String(20)))'
)
COPY = 'op.execute("INSERT INTO {new} (id, state) SELECT id, state FROM job")'


def _swap(new: str = "job_new", rename: str = 'op.rename_table("{new}", "job")') -> str:
    return "\n".join(
        [
            NEW_JOB.format(new=new),
            COPY.format(new=new),
            'op.drop_table("job")',
            rename.format(new=new),
        ]
    )


SWAPS = [
    _swap(),
    _swap("__tmp_job"),
    _swap(rename='op.rename_table(old_table_name="{new}", new_table_name="job")'),
    # the copy through a query kept in a name
    _swap("job_v2").replace(
        'op.execute("INSERT INTO job_v2 (id, state) SELECT id, state FROM job")',
        'query = "SELECT id, state FROM job"\nop.execute(f"INSERT INTO job_v2 {query}")',
    ),
]
DOWNGRADE_REBUILDS = [
    # the same swap back
    _swap("job_old"),
    # dropped and created again in its old shape
    'op.drop_table("job")\nop.create_table("job", sa.Column("id", sa.Integer(), primary_key=True))',
]


@pytest.mark.parametrize("upgrade", SWAPS)
@pytest.mark.parametrize("downgrade", DOWNGRADE_REBUILDS)
def test_a_copy_and_swap_is_no_rename_to_undo_or_to_fear(upgrade: str, downgrade: str) -> None:
    found = codes(revision(upgrade, downgrade))
    assert "L319" not in found
    assert "L328" not in found


def test_a_rename_of_the_applications_table_is_still_reported() -> None:
    # `job` existed before: running code reads it
    source = revision('op.rename_table("job", "task")', 'op.rename_table("task", "job")')
    assert "L328" in codes(source)
    # a table renamed without this upgrade creating it, though another was dropped
    source = revision('op.drop_table("task")\nop.rename_table("job", "task")', "pass")
    assert "L328" in codes(source)


def test_a_swap_the_downgrade_does_not_rebuild_is_reported() -> None:
    # the downgrade only drops an unrelated table: the swapped table keeps its new shape
    found = codes(revision(_swap(), 'op.drop_table("audit")'))
    assert "L319" in found
    # a new table renamed into a name nothing dropped is a plain rename for L319
    found = codes(
        revision(
            NEW_JOB.format(new="job_new") + '\nop.rename_table("job_new", "job_archive")',
            'op.drop_table("job_new")',
        )
    )
    assert "L319" in found
