"""A column's type changed by dropping it and adding it again under the same name (L319, round
32): `drop_column("doc", "kind")` then `add_column("doc", sa.Column("kind", NewType))`. The
column exists before and after the upgrade; only its definition changed (its values are lost:
L305's to say). A downgrade that turns the column back, `alter_column("doc", "kind",
type_=OldType)`, undoes the pair: there is a `kind` column on both sides with its old type, and
neither the drop's inverse (an add_column) nor the add's (a drop_column) is missing.

Read one step at a time, the pair has no inverse by name: the downgrade neither adds nor drops
`kind`. Only an alter_column that gives a type counts (one that only changes NULL or a default
leaves the new type in place), made while the column is there: not after the downgrade drops
it, and not renaming it away. A column the upgrade renames or drops again after adding it is
no swap. Pure: reads operations.
"""

from __future__ import annotations

from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.literals import is_none
from alembic_sentinel.lint.revision_model import FunctionBody, Operation


def type_swaps_undone(facts: Facts, downgrade: FunctionBody) -> set[int]:
    """The steps of the upgrade's drop_column + add_column pairs of one column (a type swap)
    that the downgrade's alter_column(type_=...) of the column turns back."""
    paired: set[int] = set()
    upgrade = facts.upgrade_ops
    for drop in upgrade:
        column = drop.string("column_name") if drop.name == "drop_column" else None
        if not column or not drop.table:
            continue
        table, column = drop.table.lower(), column.lower()
        add = next((op for op in upgrade if op.seq > drop.seq and _adds(op, table, column)), None)
        if add is None or _changed_after(upgrade, add.seq, table, column):
            continue
        if _turned_back(downgrade.operations, table, column):
            paired |= {drop.seq, add.seq}
    return paired


def _adds(op: Operation, table: str, column: str) -> bool:
    return (
        op.name == "add_column"
        and (op.table or "").lower() == table
        and len(op.columns) == 1
        and (op.columns[0].name or "").lower() == column
    )


def _on(op: Operation, table: str, column: str) -> bool:
    """Whether `op` is a column operation on table.column."""
    return (op.table or "").lower() == table and (op.string("column_name") or "").lower() == column


def _changed_after(upgrade: tuple[Operation, ...], after: int, table: str, column: str) -> bool:
    """Whether the upgrade drops the added column again, or renames it, after step `after`."""
    for op in upgrade:
        if op.seq <= after or not _on(op, table, column):
            continue
        if op.name == "drop_column" or (op.name == "alter_column" and _renames(op, column)):
            return True
    return False


def _renames(op: Operation, column: str) -> bool:
    new = op.param("new_column_name")
    if new is None or is_none(new):
        return False
    return (op.string("new_column_name") or "").lower() != column


def _turned_back(downgrade: tuple[Operation, ...], table: str, column: str) -> bool:
    """Whether the downgrade changes the column's type by alter_column(type_=...) while the
    column is there (before any drop of it) and under its name."""
    for op in downgrade:
        if not _on(op, table, column):
            continue
        if op.name == "drop_column":
            return False  # dropped first: the alter after it (if any) is another column's
        if op.name != "alter_column" or _renames(op, column):
            continue
        given = op.param("type_")
        if given is not None and not is_none(given):
            return True
    return False
