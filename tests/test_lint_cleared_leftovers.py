"""L319 and a drop under an `if` lint cannot decide, followed by a create of the same object
(issue 20, round r28a): `if "t" in inspector.get_table_names(): op.drop_table("t")` then
`op.create_table("t", ...)` clears a leftover the database may or may not hold; the pair is one
creation, which the downgrade's drop undoes. The create still needs its inverse; a guarded
change with no later create, an unconditional drop and create (a rebuild), and a guarded
create the downgrade leaves are still reported. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

CREATE_LEDGER = """
op.create_table(
    "ledger",
    sa.Column("entry_key", sa.String(200), nullable=False),
    sa.PrimaryKeyConstraint("entry_key"),
)
"""


def l319(upgrade: str, downgrade: str) -> list[str]:
    return [f.message for f in lint(revision(upgrade, downgrade)) if f.code == "L319"]


@pytest.mark.parametrize(
    "guard",
    [
        """
        inspector = sa.inspect(op.get_bind())
        if "ledger" in inspector.get_table_names():
            op.drop_table("ledger")
        """,
        """
        if sa.inspect(op.get_bind()).has_table("ledger"):
            op.drop_table("ledger")
        """,
        """
        if table_exists("ledger"):
            op.drop_table("ledger")
        """,
        """
        if not settings_fresh_install():
            op.execute("SELECT 1")
            op.drop_table("ledger")
        """,
    ],
)
def test_a_guarded_drop_then_create_is_one_creation(guard: str) -> None:
    assert l319(guard + CREATE_LEDGER, 'op.drop_table("ledger")') == []


def test_the_guarded_pair_still_needs_the_create_undone() -> None:
    guard = """
    if table_exists("ledger"):
        op.drop_table("ledger")
    """
    found = l319(guard + CREATE_LEDGER, 'op.drop_column("other", "x")')
    assert len(found) == 1 and "create_table ledger" in found[0]


def test_an_unguarded_drop_then_create_is_still_a_rebuild() -> None:
    found = l319('op.drop_table("ledger")' + CREATE_LEDGER, 'op.drop_table("ledger")')
    assert any("drop_table ledger" in m for m in found)


def test_a_guarded_drop_of_another_table_is_still_reported() -> None:
    guard = """
    if table_exists("journal"):
        op.drop_table("journal")
    """
    found = l319(guard + CREATE_LEDGER, 'op.drop_table("ledger")')
    assert any("drop_table journal" in m for m in found)


def test_a_guarded_drop_created_before_not_after_is_still_reported() -> None:
    upgrade = (
        CREATE_LEDGER
        + """
if table_exists("ledger_old"):
    op.drop_table("ledger_old")
"""
    )
    found = l319(upgrade, 'op.drop_table("ledger")')
    assert any("drop_table ledger_old" in m for m in found)


def test_a_guarded_create_the_downgrade_leaves_is_still_reported() -> None:
    upgrade = """
    indexes = [i["name"] for i in sa.inspect(op.get_bind()).get_indexes("ledger")]
    if "ix_ledger_entry" not in indexes:
        op.create_index("ix_ledger_entry", "ledger", ["entry_key"])
    """
    found = l319(upgrade, 'op.drop_column("other", "x")')
    assert any("create_index" in m for m in found)


def test_a_guarded_index_drop_then_create_is_one_creation() -> None:
    upgrade = """
    if index_exists("ix_ledger_entry"):
        op.drop_index("ix_ledger_entry", table_name="ledger")
    op.create_index("ix_ledger_entry", "ledger", ["entry_key"])
    """
    assert l319(upgrade, 'op.drop_index("ix_ledger_entry", table_name="ledger")') == []
