"""L319 and a table renamed aside for a rebuild (issue 20, round 17): `rename_table("t",
"t_old")`, `create_table("t", ...)`, rows copied, `drop_table("t_old")`. The rename leaves
nothing behind; the rebuilt table's create_table still needs its inverse. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

REBUILD = """
op.rename_table("ticket", "ticket_old")
op.create_table(
    "ticket", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("title", sa.String(80))
)
op.execute("INSERT INTO ticket (id, title) SELECT id, title FROM ticket_old")
op.drop_table("ticket_old")
"""


# a downgrade that does something else (an empty one is L318's)
UNRELATED = 'op.execute("UPDATE setting SET value = 1")'


def l319(upgrade: str, downgrade: str) -> list[str]:
    return [f.message for f in lint(revision(upgrade, downgrade)) if f.code == "L319"]


@pytest.mark.parametrize(
    "downgrade",
    [
        # the downgrade rebuilds the old shape the same way
        """
        op.rename_table("ticket", "ticket_new")
        op.create_table("ticket", sa.Column("id", sa.Integer(), primary_key=True))
        op.execute("INSERT INTO ticket (id) SELECT id FROM ticket_new")
        op.drop_table("ticket_new")
        """,
        # or simply drops the rebuilt table and recreates the old one
        """
        op.drop_table("ticket")
        op.create_table("ticket", sa.Column("id", sa.Integer(), primary_key=True))
        """,
    ],
)
def test_a_table_renamed_aside_for_a_rebuild_needs_no_rename_back(downgrade: str) -> None:
    assert not any("rename_table" in m for m in l319(REBUILD, downgrade))


@pytest.mark.parametrize(
    "upgrade",
    [
        # renamed and kept: the downgrade must rename it back
        'op.rename_table("ticket", "issue")',
        # renamed aside, a new table created, but the old one is kept
        'op.rename_table("ticket", "ticket_old")\n'
        'op.create_table("ticket", sa.Column("id", sa.Integer(), primary_key=True))',
        # renamed, then dropped, but no table made under the old name
        'op.rename_table("ticket", "ticket_old")\nop.drop_table("ticket_old")',
    ],
)
def test_a_rename_left_behind_is_still_reported(upgrade: str) -> None:
    assert any("rename_table" in m for m in l319(upgrade, UNRELATED))


def test_the_rebuilt_table_still_needs_its_inverse() -> None:
    messages = l319(REBUILD, UNRELATED)
    assert messages and not any("rename_table" in m for m in messages), messages
