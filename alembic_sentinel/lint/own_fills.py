"""A new column the upgrade fills itself (L306): a fill after the add that writes the column
without reading the column a drop loses is a new design, not that column renamed. Split from
data_rules (round r28a), which asks it."""

from __future__ import annotations

import ast
import re

from alembic_sentinel.lint.facts import Facts, sql_text
from alembic_sentinel.lint.revision_model import Operation


def own_fill(facts: Facts, table: str, column: str, after: int, dropped: list[str]) -> bool:
    """Whether a fill after the add writes `column` without reading any of the `dropped`
    columns, those the upgrade drops unread (a fill that reads one copies it: that case is a
    rename done by hand, not lost values). A fill from a dropped column it read first copies
    that one, not the lost one (round 23)."""
    lowered, name = table.lower(), column.lower()
    wanted = {(lowered, name), (None, name)}
    gone = {c.lower() for c in dropped}
    executed = {op.seq: op for op in facts.upgrade_ops if op.name == "execute"}
    for fill in facts.fills:
        if fill.seq > after and not fill.opaque and not wanted.isdisjoint(fill.writes):
            # a read of the lost column: of this table, or of one lint cannot name (the
            # subquery's `user.id` is another table's column of the same name; round r28a)
            if any(
                read in gone and (owner is None or owner.lower() == lowered)
                for owner, read in fill.reads
            ):
                continue
            if not _sets_null(executed.get(fill.seq), name):
                return True
    return any(
        a.seq >= after
        and a.column.lower() == name
        and (a.table is None or a.table.lower() == lowered)
        and not _reads_any(a.value, gone, _other_tables(facts, lowered))
        for a in facts.assignments
    )


def _other_tables(facts: Facts, table: str) -> frozenset[str]:
    """The variables of the file's Core tables described as another table than `table`: their
    `.c.x` is that table's column, whatever its name."""
    return frozenset(
        variable
        for variable, model in facts.module.tables.items()
        if not model.orm and model.table and model.table.lower() != table
    )


def _sets_null(op: Operation | None, column: str) -> bool:
    """Whether an op.execute's SQL sets the column to NULL (no value of its own)."""
    text = sql_text(op) if op is not None else None
    if text is None:
        return False
    return re.search(rf"\b{re.escape(column)}`?\s*=\s*NULL\b", text, re.IGNORECASE) is not None


def _reads_any(value: ast.expr, columns: set[str], others: frozenset[str] = frozenset()) -> bool:
    """Whether an assigned value names one of the columns (`row.old`, `t.c.old`, `r["old"]`);
    `o.c.old` of a Core table `o` of another table (`others`) is not that column (round
    r28a: `sa.select(user.c.id)` filling role_user.user_id reads no role_user.id)."""
    for node in ast.walk(value):
        if type(node) is ast.Attribute and node.attr.lower() in columns:
            owner = node.value
            if (
                type(owner) is ast.Attribute
                and owner.attr == "c"
                and type(owner.value) is ast.Name
                and owner.value.id in others
            ):
                continue
            return True
        if type(node) is ast.Constant and type(node.value) is str and node.value.lower() in columns:
            return True
    return False
