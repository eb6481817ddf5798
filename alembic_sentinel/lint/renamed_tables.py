"""The names a table had earlier in the upgrade, so that what the upgrade did to it under an
old name counts under the new one.

A table rebuilt by copy and swap is read under its own name (`INSERT INTO t_new SELECT ...
FROM t`, a loop over its rows, an ORM query of its class), then renamed aside (`t` ->
`t_old`, by `op.rename_table`, MySQL's `RENAME TABLE t TO t_old, t_new TO t` or `ALTER TABLE
t RENAME TO t_old`) and dropped under the new name. The rows read before the rename are the
rows of the renamed table: the drop loses none of them (L304), nor a column's values read so
(L305, L306; rows_read is L304's and L306's question "were the rows read?"). So too a table
created or emptied by the upgrade before its rename: its rows are
the upgrade's own, or none.

A read under the old name counts only before the rename: after it, the name may belong to
another table (the new one swapped in), whose rows are not the renamed table's.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from alembic_sentinel.lint.facts import Facts, raw_sql, sql_text
from alembic_sentinel.lint.revision_model import Fill, reads_table
from alembic_sentinel.lint.sql_reader import ALTER_TABLE, CREATE_TABLE, RENAME_TABLE, SqlStatement


class TableRename(NamedTuple):
    seq: int  # the upgrade step (an operation, or the fill of raw SQL)
    place: int  # the statement's place within its fill (0 for an operation)
    old: str  # lowercase
    new: str  # lowercase


def table_renames(facts: Facts) -> tuple[TableRename, ...]:
    """Every table rename of the upgrade whose names lint can read, in the order they run."""
    memo = facts.memo.get("table_renames")
    if isinstance(memo, tuple):
        return memo
    found: list[TableRename] = []
    for op in facts.upgrade_ops:
        new = op.string("new_table_name")
        if op.name == "rename_table" and op.table and new:
            found.append(TableRename(op.seq, 0, op.table.lower(), new.lower()))
    places: dict[int, int] = {}
    for fill, statement in raw_sql(facts):
        place = places[fill.seq] = places.get(fill.seq, 0) + 1
        if statement.kind == RENAME_TABLE:
            for old, new in statement.renames:
                found.append(TableRename(fill.seq, place, old, new))
        elif statement.kind == ALTER_TABLE and statement.table:
            for action in statement.actions:
                if action.kind == "rename_table" and action.name:
                    found.append(TableRename(fill.seq, place, statement.table, action.name))
    renames = tuple(sorted(found, key=lambda r: (r.seq, r.place)))
    facts.memo["table_renames"] = renames
    return renames


def former_names(facts: Facts, table: str | None, seq: int) -> list[tuple[str, int]]:
    """The names the table called `table` at upgrade step `seq` had before, latest first, each
    with the step of the rename that took it away: the table was called `name` before `step`."""
    if not table:
        return []
    current, bound = table.lower(), (seq, 0)
    found: list[tuple[str, int]] = []
    for rename in reversed(table_renames(facts)):
        if (rename.seq, rename.place) < bound and rename.new == current:
            found.append((rename.old, rename.seq))
            current, bound = rename.old, (rename.seq, rename.place)
    return found


def read_under_any_name(facts: Facts, table: str | None, column: str | None, seq: int) -> bool:
    """Whether a fill before `seq` reads the column, under the table's name or, before the
    rename that took it away, under a name it had; and so for each name the column had before
    a rename of it in the upgrade (`priority` read, renamed aside to `priority_int`, dropped)."""
    for name, before in ((column, seq), *former_column_names(facts, table, column, seq)):
        if facts.read_before(table, name, before) is not None:
            return True
        if any(
            facts.read_before(old, name, until) is not None
            for old, until in former_names(facts, table, before)
        ):
            return True
    return False


def former_column_names(
    facts: Facts, table: str | None, column: str | None, seq: int
) -> list[tuple[str, int]]:
    """The names the column `column` of `table` had before upgrade step `seq`, latest first,
    each with the step of the rename that took it away (op.alter_column(new_column_name=...),
    raw `RENAME COLUMN` / `CHANGE`). A read under the old name counts only before its rename:
    after it, the name may belong to another column renamed into it."""
    if not table or not column:
        return []
    renames = column_renames(facts).get(table.lower())
    if not renames:
        return []
    current, bound = column.lower(), seq
    found: list[tuple[str, int]] = []
    for step, old, new in reversed(renames):
        if step < bound and new == current and old != new:
            found.append((old, step))
            current, bound = old, step
    return found


def column_renames(facts: Facts) -> dict[str, list[tuple[int, str, str]]]:
    """table -> (step, old, new) of each column rename of the upgrade, in order, lowercase."""
    memo = facts.memo.get("column_renames")
    if isinstance(memo, dict):
        return memo
    found: dict[str, list[tuple[int, str, str]]] = {}
    for op in facts.upgrade_ops:
        old, new = op.string("column_name"), op.string("new_column_name")
        if op.name == "alter_column" and op.table and old and new:
            found.setdefault(op.table.lower(), []).append((op.seq, old.lower(), new.lower()))
    for fill, statement in raw_sql(facts):
        for action in statement.actions:
            if (
                statement.table
                and action.kind in ("rename_column", "change_column")
                and action.name
                and action.new_name
            ):
                renamed = (fill.seq, action.name.lower(), action.new_name.lower())
                found.setdefault(statement.table, []).append(renamed)
    for renames in found.values():
        renames.sort(key=lambda r: r[0])
    facts.memo["column_renames"] = found
    return found


def emptied_under_any_name(facts: Facts, table: str | None, seq: int) -> bool:
    """Whether every row of the table was deleted before `seq`, under any name it had."""
    if facts.emptied_before(table, seq):
        return True
    return any(facts.emptied_before(name, until) for name, until in former_names(facts, table, seq))


def created_under_any_name(facts: Facts, table: str | None, seq: int) -> bool:
    """Whether the upgrade created the table before `seq`, under any name it had."""
    if facts.created_before(table, seq):
        return True
    return any(
        facts.created_before(name, until) or _created_by_sql(facts, name, until)
        for name, until in former_names(facts, table, seq)
    )


def new_before_statement(facts: Facts, fill: Fill, statement: SqlStatement) -> bool:
    """Whether the table a raw statement names is one this upgrade made before it: by a step
    before its fill, or by a CREATE TABLE earlier in the same fill. A DROP TABLE then CREATE
    TABLE of one name (round 42) drops the old table, rows and all."""
    table = statement.table
    if table is None:
        return False
    if facts.new_at(table, fill.seq - 1):
        return True
    lowered = table.lower()
    for earlier_fill, earlier in raw_sql(facts):
        if earlier_fill is fill and earlier is statement:
            return False
        if earlier.kind == CREATE_TABLE and (earlier.table or "").lower() == lowered:
            return True
    return False


def _created_by_sql(facts: Facts, table: str, before: int) -> bool:
    return any(
        fill.seq < before and statement.kind == CREATE_TABLE and statement.table == table
        for fill, statement in raw_sql(facts)
    )


def rows_read_under_any_name(facts: Facts, table: str, seq: int) -> bool:
    """Whether the table's rows were read before `seq`, under its name or, before the rename
    that took it away, under a name it had."""
    return rows_read(facts, table, seq) or any(
        rows_read(facts, name, until) for name, until in former_names(facts, table, seq)
    )


def rows_read(facts: Facts, table: str, seq: int) -> bool:
    """Whether a fill before `seq` reads the table's rows (an INSERT ... SELECT from it, an
    UPDATE ... FROM / JOIN it or a subquery over it, a loop over its rows)."""
    lowered = table.lower()
    if any(
        fill.seq < seq and any(reads_table(ref_table, lowered) for ref_table, _ in fill.reads)
        for fill in facts.fills
    ):
        return True
    source = rf"\b(?:FROM|JOIN)\s+[`\"]?{re.escape(lowered)}[`\"]?(?:\s|$|\)|,)"
    for op in facts.upgrade_ops:
        text = sql_text(op) if op.seq < seq and op.name == "execute" else None
        if text and re.match(r"\s*(?:UPDATE|INSERT)\b", text, re.IGNORECASE):
            if re.search(source, text, re.IGNORECASE):
                return True
    return False
