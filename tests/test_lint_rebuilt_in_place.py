"""L319 and a table rebuilt under its own name (issue 20, round r28a): an upgrade that drops a
table and creates it again (new columns) leaves the table in place; a downgrade changing that
table back in place (altering it, rebuilding it) undoes the pair, so neither the drop nor the
create is reported. A downgrade leaving the table alone or only dropping it, or a drop without
a create of the same table, still is. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

REBUILDS_GRANT = """
op.drop_table("grant_code")
op.create_table(
    "grant_code",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("session_id", sa.Integer(), nullable=False),
)
"""


def l319(upgrade: str, downgrade: str) -> list[str]:
    return [f.message for f in lint(revision(upgrade, downgrade)) if f.code == "L319"]


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            REBUILDS_GRANT,
            """
            with op.batch_alter_table("grant_code") as batch_op:
                batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
                batch_op.drop_column("session_id")
            """,
        ),
        (REBUILDS_GRANT, 'op.drop_column("grant_code", "session_id")'),
        (
            REBUILDS_GRANT,
            """
            op.drop_table("grant_code")
            op.create_table("grant_code", sa.Column("id", sa.Integer(), primary_key=True))
            """,
        ),
    ],
)
def test_a_table_rebuilt_under_its_own_name_and_changed_back_is_undone(
    upgrade: str, downgrade: str
) -> None:
    assert l319(upgrade, downgrade) == []


def test_a_rebuilt_table_the_downgrade_leaves_alone_is_still_reported() -> None:
    found = l319(REBUILDS_GRANT, 'op.drop_column("other", "x")')
    assert len(found) == 2 and all("grant_code" in m for m in found)


def test_a_rebuilt_table_the_downgrade_only_drops_is_not_restored() -> None:
    # before the upgrade the table existed; after this downgrade it does not
    found = l319(REBUILDS_GRANT, 'op.drop_table("grant_code")')
    assert any("drop_table grant_code" in m for m in found)
    found = l319(
        REBUILDS_GRANT,
        'op.drop_index("ix_grant_code_session_id", table_name="grant_code")\n'
        'op.drop_table("grant_code")',
    )
    assert any("drop_table grant_code" in m for m in found)


def test_a_dropped_table_created_under_another_name_is_still_reported() -> None:
    upgrade = """
    op.drop_table("grant_code")
    op.create_table("grant_token", sa.Column("id", sa.Integer(), primary_key=True))
    """
    found = l319(upgrade, 'op.drop_table("grant_token")')
    assert any("drop_table grant_code" in m for m in found)
