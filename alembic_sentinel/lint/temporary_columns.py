"""A column the same function drops again a few steps later: a temporary one (issue 20,
round 39, L330).

A column renamed aside (`key` -> `key2`) so that a new column can take its place, its values
copied over and the old one dropped, is scratch: what a restatement (a MySQL CHANGE / MODIFY)
drops of it, its NOT NULL or its default, is gone with it a few lines later and leaves no
drift. The same holds for any column the function drops (by op or raw SQL), or whose table it
drops, after the restatement.

Only a drop that always runs counts: not under an `if` lint cannot decide, nor in a `try`
whose handler may swallow its failure. The column is followed under each name later renames
give it.
"""

from __future__ import annotations

from alembic_sentinel.lint.revision_model import FunctionBody, Operation
from alembic_sentinel.lint.sql_reader import DROP_TABLE


def dropped_later(body: FunctionBody | None, op: Operation) -> bool:
    """Whether the column `op` (an alter_column) leaves is dropped, or its table, by a later
    step of `body` that always runs."""
    if body is None or not op.table or op.spread:
        return False
    table = op.table.lower()
    column = (op.string("new_column_name") or op.string("column_name") or "").lower()
    if not column or (op.param("new_column_name") is not None and not op.string("new_column_name")):
        return False
    uncertain = body.conditional | body.caught
    for later in body.operations:
        if later.seq <= op.seq or (later.table or "").lower() != table:
            continue
        if later.spread:
            return False  # a step lint cannot read on the table: stop following
        if later.name == "alter_column" and (later.string("column_name") or "").lower() == column:
            renamed = later.string("new_column_name")
            if later.param("new_column_name") is not None:
                if not renamed or later.seq in uncertain:
                    return False
                column = renamed.lower()
            continue
        dropped = later.name == "drop_table" or (
            later.name == "drop_column" and (later.string("column_name") or "").lower() == column
        )
        if dropped:
            return later.seq not in uncertain
        if later.name in ("rename_table", "add_column") and _names(later, column):
            return False  # the table moves, or a column takes the name back: stop following
    return _dropped_by_sql(body, table, column, op.seq)


def _names(op: Operation, column: str) -> bool:
    return op.name == "rename_table" or any(
        (spec.name or "").lower() == column for spec in op.columns
    )


def _dropped_by_sql(body: FunctionBody, table: str, column: str, after: int) -> bool:
    """Whether raw SQL after step `after` drops the column (`ALTER TABLE t DROP c`) or the
    table, and always runs."""
    uncertain = body.conditional | body.caught
    for fill in body.fills:
        if fill.seq <= after or fill.seq in uncertain:
            continue
        for statement in fill.statements:
            if (statement.table or "").lower() != table:
                continue
            if statement.kind == DROP_TABLE:
                return True
            if any(
                action.kind == "drop_column" and (action.name or "").lower() == column
                for action in statement.actions
            ):
                return True
    return False
