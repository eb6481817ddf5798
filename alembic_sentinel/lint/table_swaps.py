"""A table rebuilt by copy and swap: the upgrade creates a new table, copies the rows, drops the
old one and renames the new one into its name (`__tmp_xcom` -> `xcom`).

The rename is no rename of the application's table: the name it takes away was made by this
upgrade, so no running code reads it (L328), and undoing it means giving the table back its old
shape under the same name, which a downgrade does by rebuilding it again, not by renaming the
new table back; the upgrade's drop of the old table is undone by the same rebuild (L319).

The mirror image is a rebuild through a legacy copy: the table is renamed aside (`t` ->
`t_legacy`), created again under its name, the old rows copied in, and the renamed copy
dropped. The name is taken away only for the moment of the rebuild (L328), and a downgrade
that rebuilds the same way (`t` -> `t_new`, create `t`, drop `t_new`) drops the table the
upgrade created, under the name it moved it to (L319).
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


def renamed_aside(operations: Sequence[Operation], rename: Operation) -> bool:
    """Whether `rename` (a rename_table among `operations`) moves a table aside for a rebuild:
    later in the same function a table is created under the old name and the renamed one is
    dropped. Nothing of the rename is left when the function is done."""
    old, new = (rename.table or "").lower(), (rename.string("new_table_name") or "").lower()
    if rename.name != "rename_table" or not old or not new:
        return False
    later = [other for other in operations if other.seq > rename.seq]
    created = any(o.name == "create_table" and (o.table or "").lower() == old for o in later)
    dropped = any(o.name == "drop_table" and (o.table or "").lower() == new for o in later)
    return created and dropped


def dropped_after_renaming_aside(operations: Sequence[Operation], table: str | None) -> bool:
    """Whether `operations` (a downgrade) rename `table` aside for a rebuild and drop it under
    its new name: the table as it was is gone, as a drop_table of it would leave it."""
    wanted = (table or "").lower()
    return bool(wanted) and any(
        op.name == "rename_table"
        and (op.table or "").lower() == wanted
        and renamed_aside(operations, op)
        for op in operations
    )


def name_taken_back(facts: Facts, rename: Operation) -> bool:
    """Whether a `rename_table(t, t_old)` of the upgrade only moves `t` out of the way of its
    replacement: later in the upgrade a table this upgrade created (`t_new`, its columns
    perhaps renamed in a batch block first) is renamed into the old name, and the renamed
    table is dropped under its new one (a kept `t_old` leaves the rename behind, as
    renamed_aside requires). Running code finds a table under the old name once the upgrade
    is done; renamed_aside covers the same with a create_table of the old name."""
    old, new = (rename.table or "").lower(), (rename.string("new_table_name") or "").lower()
    if rename.name != "rename_table" or not old or not new:
        return False
    later = [other for other in facts.upgrade_ops if other.seq > rename.seq]
    swapped = any(
        other.name == "rename_table"
        and (other.string("new_table_name") or "").lower() == old
        and renames_a_new_table(facts, other)
        for other in later
    )
    dropped = any(o.name == "drop_table" and (o.table or "").lower() == new for o in later)
    return swapped and dropped
