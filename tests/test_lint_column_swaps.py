"""L319 and a column's type swapped by a rename aside (issue 20, round 32): the upgrade renames
`tags` to `tags_old`, adds a new `tags`, copies the values and drops `tags_old`; the downgrade
does the same back. Followed through each function's renames, the downgrade's drop of
`tags_old` drops the `tags` the upgrade added, and its add of `tags` gives back the column the
upgrade dropped: both undone. A downgrade that leaves the renamed column behind, drops
another column's aside copy, or renames nothing stays reported. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

UPGRADE = """
op.alter_column("document", "tags", new_column_name="tags_old", existing_type=sa.LargeBinary())
op.add_column("document", sa.Column("tags", sa.String(400), nullable=True))
op.execute("UPDATE document SET tags = CAST(tags_old AS CHAR)")
op.drop_column("document", "tags_old")
"""
DOWNGRADE = """
op.alter_column("document", "tags", new_column_name="tags_old", existing_type=sa.String(400))
op.add_column("document", sa.Column("tags", sa.LargeBinary(), nullable=True))
op.execute("UPDATE document SET tags = CAST(tags_old AS BINARY)")
op.drop_column("document", "tags_old")
"""
RAW_DOWNGRADE = """
op.execute("ALTER TABLE document RENAME COLUMN tags TO tags_old")
op.execute("ALTER TABLE document ADD COLUMN tags BLOB NULL")
op.execute("UPDATE document SET tags = CAST(tags_old AS BINARY)")
op.execute("ALTER TABLE document DROP COLUMN tags_old")
"""
BATCH_DOWNGRADE = """
with op.batch_alter_table("document") as batch:
    batch.alter_column("tags", new_column_name="tags_old", existing_type=sa.String(400))
    batch.add_column(sa.Column("tags", sa.LargeBinary(), nullable=True))
op.execute("UPDATE document SET tags = CAST(tags_old AS BINARY)")
with op.batch_alter_table("document") as batch:
    batch.drop_column("tags_old")
"""


def l319(upgrade: str, downgrade: str) -> list[str]:
    found = lint(revision(upgrade, downgrade))
    return [f.message for f in found if f.code == "L319"]


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (UPGRADE, DOWNGRADE),
        (UPGRADE, RAW_DOWNGRADE),
        (UPGRADE, BATCH_DOWNGRADE),
        # the aside name differs between the two functions
        (UPGRADE, DOWNGRADE.replace("tags_old", "tags_pickled")),
    ],
)
def test_a_type_swap_undone_by_the_mirror_swap_is_not_reported(
    upgrade: str, downgrade: str
) -> None:
    assert l319(upgrade, downgrade) == []


@pytest.mark.parametrize(
    ("downgrade", "left"),
    [
        # the renamed column kept: the upgrade's new tags is still there, as tags_old
        (DOWNGRADE.replace('op.drop_column("document", "tags_old")\n', ""), ["add_column"]),
        # another column renamed aside and dropped: the upgrade's tags stays
        (
            DOWNGRADE.replace(
                'alter_column("document", "tags", new_column_name="tags_old"',
                'alter_column("document", "labels", new_column_name="tags_old"',
            ),
            ["add_column"],
        ),
        # the old column not given back: only the new one dropped
        (
            'op.alter_column("document", "tags", new_column_name="tags_old", '
            "existing_type=sa.String(400))\n"
            'op.drop_column("document", "tags_old")\n',
            ["drop_column"],
        ),
        # nothing renamed or dropped: neither undone (nor the rename aside before the drop)
        (
            'op.execute("UPDATE document SET tags = NULL")\n',
            ["alter_column", "add_column", "drop_column"],
        ),
    ],
)
def test_a_downgrade_that_leaves_part_of_the_swap_is_reported(
    downgrade: str, left: list[str]
) -> None:
    found = l319(UPGRADE, downgrade)
    assert [m.split(" does not undo ")[1].split(" ")[0] for m in found] == left
