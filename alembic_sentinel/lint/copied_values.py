"""The columns a revision's upgrade copies into another place: the expand step of an
expand/contract split, whose contract step, a later revision, drops the column (L305 reads this
through history). Every copy form the revision reader knows counts (round 28): raw SQL (`INSERT
INTO t_private (...) SELECT secret, ... FROM t`), an ORM loop (`account.identifier =
account.number` for each account), a Core statement (`t.update().values(identifier=t.c.number)`,
`Model(col=row.other)`).

Only a column among the values a statement writes counts: the select list of an INSERT ...
SELECT (or of a subquery), the SET clause of an UPDATE, the value assigned to an attribute or
given to `.values()`. A column only tested in a WHERE (or a filter) is no value copied, except
the key a join matches another table's rows by when the statement writes what it found there
(round 32: `UPDATE t JOIN lookup USING (name) SET t.lookup_id = lookup.id`, joined_links.py;
the Core `t.update().values(ref_id=o.c.id).where(o.c.name == t.c.ref)`). Pure: the fills and
assignments lint already read, and regular expressions.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

from alembic_sentinel.lint.core_reads import COLUMN_COLLECTIONS
from alembic_sentinel.lint.joined_links import carried_columns
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import (
    Assignment,
    ColumnRef,
    FunctionBody,
    RevisionModule,
    TableModel,
)
from alembic_sentinel.lint.row_fills import matched_per_row

# where a statement's values come from: the select list of an INSERT ... SELECT (or of a
# subquery), the SET clause of an UPDATE; a column only tested in a WHERE is no value copied
# the fills of `obj.attribute = value` (revision_reader.assign): their reads are the value's
ATTRIBUTE_ASSIGNMENT = "attribute assignment"
_VALUE_PARTS = LazyPattern(
    r"\bSELECT\b(.*?)\bFROM\b|\bSET\b(.*?)(?:\bWHERE\b|\bFROM\b|$)", re.IGNORECASE | re.DOTALL
)


def copied_columns(module: RevisionModule) -> set[tuple[str, str]]:
    """(table, column), lowercase, whose values the module's upgrade copies elsewhere: raw SQL
    that writes rows and names the column among the values it writes (`INSERT INTO t_private
    (...) SELECT secret, ... FROM t`, `UPDATE other SET x = (SELECT c FROM t ...)`), into
    somewhere other than that column."""
    found: set[tuple[str, str]] = set()
    upgrade = module.upgrade
    if upgrade is None:
        return found
    swapped = _renamed_into(upgrade)
    for fill in upgrade.fills:
        if fill.kind.startswith(ATTRIBUTE_ASSIGNMENT):
            # `obj.new = obj.old` (an ORM instance's attribute): what it reads is its value
            # (an execute's reads also hold its WHERE's columns: only its SQL's values count)
            found.update(
                (table, column)
                for table, column in fill.reads
                if table and column != "*" and (table, column) not in fill.writes
            )
        if not fill.writes or not fill.sql:
            continue
        values = " ".join(a or b for a, b in _VALUE_PARTS.findall(fill.sql)).lower()
        words = set(re.findall(r"\w+", values))
        # a copy into a table renamed to the source afterwards (a rebuilt table) moves the
        # column back under the same name: its later drop still loses the values
        targets = {t for t, _ in fill.writes if t}
        for table, column in fill.reads:
            if not table or column not in words or (table, column) in fill.writes:
                continue
            if targets and all(swapped.get(t) == table for t in targets):
                continue
            found.add((table, column))
        # the key a join matches another table's rows by, the link written down (`UPDATE t
        # JOIN lookup USING (name) SET t.lookup_id = lookup.id`; joined_links.py, round 32)
        found.update(carried_columns(fill.sql))
    found.update(_bound_copies(upgrade))
    # the keys a per-row loop over another table's rows matches by (row_fills, round 35)
    found.update(matched_per_row(module))
    for assignment in upgrade.assignments:
        # `.values(new=t.c.old)`, `Model(new=other.old)`: the columns the value names
        target = (assignment.table or "").lower(), assignment.column.lower()
        read = _value_columns(assignment.value, module.tables)
        found.update(c for c in read if c != target)
        found.update(_matched_by(assignment, read, module.tables))
        found.update(_bare_copies(assignment, upgrade))
    return found


def _bare_copies(assignment: Assignment, upgrade: FunctionBody) -> set[tuple[str, str]]:
    """The columns a Core UPDATE's value names as bare `sa.column("flag")` (no table: the
    written table's own), the value written there or held in a variable the statement runs
    with (`.values(kinds=sa.case((sa.column("flag") == True, ...), ...))`, the value built
    from several of the row's columns, round 34); not those only its WHERE tests."""
    table, column = (assignment.table or "").lower(), assignment.column.lower()
    if not table or assignment.new_row:
        return set()
    named = _bare_names(assignment.value)
    if type(assignment.value) is ast.Name:
        named.update(
            name
            for fill in upgrade.fills
            if fill.line <= assignment.line <= fill.end_line
            for held, name in fill.reads
            if held is None and name != "*"
        )
    for clause in assignment.where:
        named -= _bare_names(clause)
    return {(table, name) for name in named if name != column}


def _bare_names(value: ast.expr) -> set[str]:
    """The names of the bare columns (`sa.column("x")`, `column("x")`) an expression holds."""
    return {
        name.lower()
        for node in ast.walk(value)
        if type(node) is ast.Call
        and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) == "column"
        and len(node.args) >= 1
        for name in (string_value(node.args[0]),)
        if name
    }


def _matched_by(
    assignment: Assignment,
    read: set[tuple[str, str]],
    tables: Mapping[str, TableModel],
) -> set[tuple[str, str]]:
    """The columns of the written table a Core UPDATE matches another table's rows by,
    writing a value of those rows: `t.update().values(ref_id=o.c.id).where(o.c.name ==
    t.c.ref)` carries `t.ref` (the Core form of `UPDATE t ... FROM o WHERE o.name = t.ref`)."""
    table = (assignment.table or "").lower()
    sources = {t for t, _ in read} - {table}
    found: set[tuple[str, str]] = set()
    if not table or not sources or assignment.new_row:
        return found
    for clause in assignment.where:
        for part in _conjuncts(clause):
            if type(part) is not ast.Compare or [type(o) for o in part.ops] != [ast.Eq]:
                continue
            sides = [_value_columns(side, tables) for side in (part.left, part.comparators[0])]
            if len(sides[0]) != 1 or len(sides[1]) != 1:
                continue
            for (key,), (other,) in (sides, sides[::-1]):
                if key[0] == table and key[1] != assignment.column.lower() and other[0] in sources:
                    found.add(key)
    return found


def _conjuncts(clause: ast.expr) -> list[ast.expr]:
    """The parts of `and_(a, b)` / `a & b` (nested), else the clause itself."""
    if type(clause) is ast.Call:
        func = clause.func
        if (getattr(func, "attr", None) or getattr(func, "id", None)) == "and_":
            return [part for arg in clause.args for part in _conjuncts(arg)]
    if type(clause) is ast.BinOp and type(clause.op) is ast.BitAnd:
        return [*_conjuncts(clause.left), *_conjuncts(clause.right)]
    return [clause]


# a named bind parameter of raw SQL: `VALUES (:spec_url)`
_BIND = LazyPattern(r"(?<![:\w]):(\w+)")


def _bound_copies(upgrade: FunctionBody) -> set[tuple[str, str]]:
    """Columns a raw SELECT reads whose values a later raw UPDATE of the same table takes as a
    bind parameter of the column's name, writing another column of it (`SELECT id, hue FROM
    lamp`, then for each row `UPDATE lamp SET palette_id = (SELECT id FROM palette WHERE name =
    :hue) WHERE id = :id`): each row keeps its value, converted. An INSERT into another table
    (`INSERT INTO palette (name) VALUES (:hue)`) is no such copy: a key there may turn rows
    away (a skipped IntegrityError), losing the values of the rest."""
    found: set[tuple[str, str]] = set()
    selected: dict[str, set[str]] = {}  # column -> the tables a SELECT before read it from
    lists: dict[str, list[set[str]]] = {}  # table -> the select lists of one-table SELECTs
    for fill in upgrade.fills:
        if fill.sql and fill.writes:
            for name in _BIND.findall(fill.sql):
                column = name.lower()
                for table in selected.get(column, ()):
                    if any(t == table and c != column for t, c in fill.writes):
                        found.add((table, column))
            found.update(_keyed_rewrites(fill.sql, fill.reads, fill.writes, lists))
        elif fill.sql:
            for read_table, column in fill.reads:
                if read_table and column != "*":
                    selected.setdefault(column, set()).add(read_table)
            tables = {t for t, _ in fill.reads if t}
            chosen = _SELECT_LIST.match(fill.sql)
            if len(tables) == 1 and chosen and not _JOIN.search(fill.sql):
                names = {c.strip().lower() for c in chosen.group(1).split(",")}
                if all(re.fullmatch(r"\w+", name) for name in names):
                    lists.setdefault(tables.pop(), []).append(names)
    return found


# a SELECT's list of plain columns; an UPDATE whose SET gives only bind parameters, by key
_SELECT_LIST = LazyPattern(r"\s*SELECT\s+(.*?)\s+FROM\s", re.IGNORECASE | re.DOTALL)
_JOIN = LazyPattern(r"\bJOIN\b|\bFROM\b[^;]*?,", re.IGNORECASE)
_BOUND_SET = LazyPattern(
    r"\s*UPDATE\s+\W?\w+\W?\s+SET\s+(?:\w+\s*=\s*:\w+\s*,\s*)*\w+\s*=\s*:\w+\s+WHERE\s",
    re.IGNORECASE,
)


def _keyed_rewrites(
    sql: str,
    reads: frozenset[ColumnRef],
    writes: frozenset[ColumnRef],
    lists: Mapping[str, list[set[str]]],
) -> set[tuple[str, str]]:
    """The column a raw SELECT read beside the key alone (`SELECT id, photo_ids FROM album`)
    when a later raw UPDATE of the same table writes each row, found by that key, from bind
    parameters only (`UPDATE album SET cover_id=:cid WHERE id=:aid`, in the loop over those
    rows): the value written into the row can only come from the one value read of it (a
    Python conversion between), so the column is copied (round 34)."""
    found: set[tuple[str, str]] = set()
    if not _BOUND_SET.match(sql):
        return found
    for table in {t for t, _ in writes if t}:
        keys = {c for t, c in reads if t == table}
        written = {c for t, c in writes if t == table}
        for names in lists.get(table, ()):
            rest = names - keys
            if keys and keys <= names and len(rest) == 1 and not rest & written:
                found.add((table, rest.pop()))
    return found


def _value_columns(value: ast.expr, tables: Mapping[str, TableModel]) -> set[tuple[str, str]]:
    """(table, column), lowercase, each column of a table of the revision an expression names:
    `t.c.col`, `t.c["col"]`, `Model.col` (an ORM class of the file)."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(value):
        holder: ast.expr | None = None
        column: str | None = None
        if type(node) is ast.Attribute:
            inner = node.value
            if type(inner) is ast.Attribute and inner.attr in COLUMN_COLLECTIONS:
                holder, column = inner.value, node.attr
            elif type(inner) is ast.Name:
                model = tables.get(inner.id)
                if model is not None and model.orm:
                    holder, column = inner, node.attr
        elif type(node) is ast.Subscript and type(node.value) is ast.Attribute:
            if node.value.attr in COLUMN_COLLECTIONS and isinstance(node.slice, ast.expr):
                holder, column = node.value.value, string_value(node.slice)
        if type(holder) is not ast.Name or column is None:
            continue
        model = tables.get(holder.id)
        if model is not None and model.table:
            found.add((model.table.lower(), column.lower()))
    return found


def _renamed_into(upgrade: FunctionBody) -> dict[str, str]:
    """table -> the name the upgrade renames it to (op.rename_table, raw RENAME), lowercase."""
    renamed: dict[str, str] = {}
    for op in upgrade.operations:
        old, new = op.string("old_table_name"), op.string("new_table_name")
        if op.name == "rename_table" and old and new:
            renamed[old.lower()] = new.lower()
    for fill in upgrade.fills:
        for statement in fill.statements:
            if statement.table and statement.new_table:
                renamed[statement.table] = statement.new_table.lower()
            for action in statement.actions:
                if statement.table and action.kind == "rename_table" and action.name:
                    renamed[statement.table] = action.name.lower()
    return renamed
