"""A table rebuilt by copy and swap: the upgrade creates a new table, copies the rows, drops the
old one and renames the new one into its name (`__tmp_xcom` -> `xcom`).

The rename is no rename of the application's table: the name it takes away was made by this
upgrade, so no running code reads it (L328), and undoing it means giving the table back its old
shape under the same name, which a downgrade does by rebuilding it again, not by renaming the
new table back; the upgrade's drop of the old table is undone by the same rebuild (L319).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.revision_model import Operation


def renames_a_new_table(facts: Facts, rename: Operation) -> bool:
    """Whether `rename` renames a table this upgrade created (before it)."""
    source = (rename.table or "").lower()
    return bool(source) and any(
        op.name == "create_table" and (op.table or "").lower() == source and op.seq < rename.seq
        for op in facts.upgrade_ops
    )


def swapped_in(facts: Facts, rename: Operation) -> str | None:
    """The table a `rename_table(new, old)` of this upgrade replaces: `old`, when the upgrade
    created `new` and dropped `old` before the rename; None otherwise."""
    target = (rename.string("new_table_name") or "").lower()
    if not target or not renames_a_new_table(facts, rename):
        return None
    dropped = any(
        op.name == "drop_table" and (op.table or "").lower() == target and op.seq < rename.seq
        for op in facts.upgrade_ops
    )
    return target if dropped else None


def swaps_into(facts: Facts, table: str | None) -> bool:
    """Whether this upgrade swaps a table it created into `table`'s name (after dropping it)."""
    wanted = (table or "").lower()
    return bool(wanted) and any(
        op.name == "rename_table" and swapped_in(facts, op) == wanted for op in facts.upgrade_ops
    )


def rebuilt_by(downgrade: Sequence[Operation], table: str | None) -> bool:
    """Whether the downgrade gives `table` a shape of its own again: creates it, renames another
    table into its name, or drops it (to rebuild it)."""
    table = (table or "").lower()
    if not table:
        return False
    for op in downgrade:
        if op.name in ("create_table", "drop_table") and (op.table or "").lower() == table:
            return True
        if op.name == "rename_table" and (op.string("new_table_name") or "").lower() == table:
            return True
    return False
