"""A table rebuilt by copy and swap: the upgrade creates a new table, copies the rows, drops the
old one and renames the new one into its name (`__tmp_xcom` -> `xcom`).

The rename is no rename of the application's table: the name it takes away was made by this
upgrade, so no running code reads it (L328). What undoes a rebuild (L319) is one rule for
the table rebuilt in place, aside or by a swap: lint/table_rebuilds.py.

The mirror image is a rebuild through a legacy copy: the table is renamed aside (`t` ->
`t_legacy`), created again under its name, the old rows copied in, and the renamed copy
dropped. The name is taken away only for the moment of the rebuild (L328).
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
