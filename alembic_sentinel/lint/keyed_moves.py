"""Core UPDATEs run once per row of parameters, and the rows those parameters come from.

A revision that moves rows off an Enum value before removing it may do so row by row:

    update = events.update().where(events.c.id == sa.bindparam("_id"))
    rows = bind.execute(sa.select([events]).where(events.c.action == "IMPORT")).fetchall()
    ids = [{"_id": _id} for _id, _, _ in rows]
    bind.execute(update.values(action="BULK"), ids)

The statement writes `action` in the rows whose `id` the parameters give, and the parameters
give the `id` of every row the query chose by `action == "IMPORT"`: every row holding IMPORT
holds BULK after it (L308). That is read only when each link is plain: one `key ==
bindparam(name)` as the UPDATE's whole WHERE, a literal value written, the parameters a list
comprehension over the query's rows (no `if`) giving `name` the row's key (`row.id`,
`row["id"]`, `row[0]`, or the name a tuple unpacks at the key's place in the select list), and
the query choosing rows of the same table by the written column alone (`c == "V"`, `c.in_([...])`,
or raw `SELECT ... FROM t WHERE c = 'V'`). Names are followed to the latest binding before
their use in the same function. Anything else is no such move: the rows it covers are unknown.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import NamedTuple

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import Names, string_value
from alembic_sentinel.lint.revision_model import KeyedMove, TableModel

_FOLLOW_LIMIT = 8  # names followed through bindings, at most
# the calls that turn an executed query into its rows
_ROW_CALLS = frozenset({"fetchall", "all"})
_RAW_SELECT = LazyPattern(
    r"^\s*SELECT\s+(?P<columns>[\w\s,.`\"]+?)\s+FROM\s+[`\"]?(?P<table>\w+)[`\"]?\s+WHERE\s+"
    r"[`\"]?(?P<column>\w+)[`\"]?\s*(?:=\s*'(?P<value>[^']*)'|IN\s*\((?P<values>[^)]*)\))"
    r"\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)


class _Update(NamedTuple):
    table: str
    key: str
    parameter: str
    written: dict[str, ast.expr]


def keyed_moves(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    tables: Mapping[str, TableModel],
    names: Names,
) -> tuple[KeyedMove, ...]:
    """Every keyed move the function's own statements make (module docstring)."""
    bindings: dict[str, list[tuple[int, ast.expr]]] = {}
    calls: list[ast.Call] = []
    for node in ast.walk(function):
        if type(node) is ast.Assign and len(node.targets) == 1:
            target = node.targets[0]
            if type(target) is ast.Name:
                bindings.setdefault(target.id, []).append((node.lineno, node.value))
        elif type(node) is ast.Call and len(node.args) >= 2:
            func = node.func
            if type(func) is ast.Attribute and func.attr == "execute":
                calls.append(node)
    reader = _Reader(bindings, tables, names)
    found = []
    for call in calls:
        move = reader.move(call)
        if move is not None:
            found.append(move)
    return tuple(found)


class _Reader:
    def __init__(
        self,
        bindings: Mapping[str, list[tuple[int, ast.expr]]],
        tables: Mapping[str, TableModel],
        names: Names,
    ) -> None:
        self.bindings = bindings
        self.tables = tables
        self.names = names

    def resolved(self, node: ast.expr, line: int) -> ast.expr:
        """`node`, a name followed to the value it was last bound to before `line`."""
        for _ in range(_FOLLOW_LIMIT):
            if type(node) is not ast.Name:
                return node
            earlier = [(at, value) for at, value in self.bindings.get(node.id, ()) if at < line]
            if not earlier:
                return node
            line, node = max(earlier, key=lambda pair: pair[0])
        return node

    def table_of(self, node: ast.expr) -> str | None:
        if type(node) is not ast.Name:
            return None
        model = self.tables.get(node.id)
        return model.table.lower() if model is not None and model.table else None

    def column_of(self, node: ast.expr) -> tuple[str, str] | None:
        """`t.c.col` / `t.c["col"]` as (table, column)."""
        if type(node) is ast.Attribute and type(node.value) is ast.Attribute:
            if node.value.attr == "c":
                table = self.table_of(node.value.value)
                return (table, node.attr.lower()) if table else None
        if type(node) is ast.Subscript and type(node.value) is ast.Attribute:
            key = string_value(node.slice) if isinstance(node.slice, ast.expr) else None
            if node.value.attr == "c" and key is not None:
                table = self.table_of(node.value.value)
                return (table, key.lower()) if table else None
        return None

    def move(self, call: ast.Call) -> KeyedMove | None:
        update = self.update(call.args[0], call.lineno)
        if update is None or len(update.written) != 1:
            return None
        [(column, value)] = update.written.items()
        chosen = self.parameter_rows(call.args[1], call.lineno, update)
        if chosen is None or chosen[0] != update.table or chosen[1] != column:
            return None
        literal = string_value(value)
        return KeyedMove(update.table, column, literal, chosen[2], call.lineno)

    def update(self, node: ast.expr, line: int) -> _Update | None:
        """`t.update().where(t.c.k == bindparam("p")).values(c=v)`, through held names."""
        written: dict[str, ast.expr] = {}
        wheres: list[ast.expr] = []
        table: str | None = None
        current = self.resolved(node, line)
        for _ in range(_FOLLOW_LIMIT * 2):
            if type(current) is ast.Name:
                current = self.resolved(current, line)
                if type(current) is ast.Name:
                    return None
                continue
            if type(current) is not ast.Call:
                return None
            func = current.func
            if type(func) is ast.Attribute and func.attr == "values":
                if current.args:
                    return None  # a dict of values: not read here
                written.update((kw.arg.lower(), kw.value) for kw in current.keywords if kw.arg)
                current = func.value
            elif type(func) is ast.Attribute and func.attr == "where":
                wheres.extend(current.args)
                current = func.value
            elif type(func) is ast.Attribute and func.attr == "update" and not current.args:
                table = self.table_of(func.value)
                break
            elif self.names.sqlalchemy_name(func) == "update" and current.args:
                table = self.table_of(current.args[0])
                break
            else:
                return None
        else:
            return None
        if table is None or len(wheres) != 1:
            return None
        keyed = self.keyed(wheres[0], table)
        return _Update(table, keyed[0], keyed[1], written) if keyed is not None else None

    def keyed(self, clause: ast.expr, table: str) -> tuple[str, str] | None:
        """(key column, parameter name) of `t.c.k == bindparam("p")`, either way round."""
        if type(clause) is not ast.Compare or [type(o) for o in clause.ops] != [ast.Eq]:
            return None
        for column_side, other in (
            (clause.left, clause.comparators[0]),
            (clause.comparators[0], clause.left),
        ):
            column = self.column_of(column_side)
            if column is None or column[0] != table or type(other) is not ast.Call:
                continue
            callee = other.func
            name = callee.attr if type(callee) is ast.Attribute else getattr(callee, "id", None)
            parameter = string_value(other.args[0]) if other.args else None
            if name == "bindparam" and parameter is not None:
                return column[1], parameter
        return None

    def parameter_rows(
        self, node: ast.expr, line: int, update: _Update
    ) -> tuple[str, str, frozenset[str]] | None:
        """(table, column, values) a query chose the parameter rows by, when each row gives
        the UPDATE's parameter the row's key."""
        rows = self.resolved(node, line)
        if type(rows) is not ast.ListComp or len(rows.generators) != 1:
            return None
        generator = rows.generators[0]
        if generator.ifs or type(rows.elt) is not ast.Dict:
            return None
        given = next(
            (
                value
                for key, value in zip(rows.elt.keys, rows.elt.values, strict=True)
                if key is not None and string_value(key) == update.parameter
            ),
            None,
        )
        query = self.query(generator.iter, line)
        if given is None or query is None:
            return None
        table, columns, chosen = query
        if not self.gives_key(generator.target, given, columns, update.key):
            return None
        return table, chosen[0], chosen[1]

    def query(
        self, node: ast.expr, line: int
    ) -> tuple[str, list[str] | None, tuple[str, frozenset[str]]] | None:
        """(table, its selected columns in order (None: not known), (column, values) it
        chose the rows by) of an executed query's rows."""
        current = self.resolved(node, line)
        while (
            type(current) is ast.Call
            and type(current.func) is ast.Attribute
            and current.func.attr in _ROW_CALLS
            and not current.args
        ):
            current = self.resolved(current.func.value, line)
        if (
            type(current) is not ast.Call
            or type(current.func) is not ast.Attribute
            or current.func.attr != "execute"
            or len(current.args) != 1
        ):
            return None
        statement = self.resolved(current.args[0], line)
        text = self.sql_text(statement)
        if text is not None:
            return _raw_query(text)
        return self.core_query(statement, line)

    def sql_text(self, node: ast.expr) -> str | None:
        if type(node) is ast.Call and node.args and self.names.sqlalchemy_name(node.func) == "text":
            node = node.args[0]
        return string_value(node)

    def core_query(
        self, node: ast.expr, line: int
    ) -> tuple[str, list[str] | None, tuple[str, frozenset[str]]] | None:
        wheres: list[ast.expr] = []
        current = node
        while type(current) is ast.Call and type(current.func) is ast.Attribute:
            if current.func.attr != "where":
                break
            wheres.extend(current.args)
            current = self.resolved(current.func.value, line)
        if type(current) is not ast.Call or self.names.sqlalchemy_name(current.func) != "select":
            return None
        if len(wheres) != 1:
            return None
        chosen = self.chosen(wheres[0])
        if chosen is None:
            return None
        table, column, values = chosen
        return table, self.selected(current, table), (column, values)

    def chosen(self, clause: ast.expr) -> tuple[str, str, frozenset[str]] | None:
        """`t.c.col == "V"` or `t.c.col.in_(["V", ...])`: (table, col, values)."""
        if type(clause) is ast.Compare and [type(o) for o in clause.ops] == [ast.Eq]:
            for side, other in (
                (clause.left, clause.comparators[0]),
                (clause.comparators[0], clause.left),
            ):
                column, value = self.column_of(side), string_value(other)
                if column is not None and value is not None:
                    return column[0], column[1], frozenset({value})
        if (
            type(clause) is ast.Call
            and type(clause.func) is ast.Attribute
            and clause.func.attr == "in_"
            and len(clause.args) == 1
            and isinstance(clause.args[0], (ast.List, ast.Tuple, ast.Set))
        ):
            column = self.column_of(clause.func.value)
            values = [string_value(e) for e in clause.args[0].elts]
            if column is not None and values and all(v is not None for v in values):
                return column[0], column[1], frozenset(v for v in values if v is not None)
        return None

    def selected(self, select: ast.Call, table: str) -> list[str] | None:
        """The columns `select([t])` / `select(t.c.a, t.c.b)` gives each row, in order."""
        arguments: list[ast.expr] = list(select.args)
        if len(arguments) == 1 and isinstance(arguments[0], (ast.List, ast.Tuple)):
            arguments = list(arguments[0].elts)
        columns: list[str] = []
        for argument in arguments:
            if self.table_of(argument) == table:
                model = self.tables[argument.id] if type(argument) is ast.Name else None
                if model is None:
                    return None
                columns.extend(
                    dict.fromkeys(spec.name.lower() for spec in model.columns.values() if spec.name)
                )
                continue
            column = self.column_of(argument)
            if column is None or column[0] != table:
                return None
            columns.append(column[1])
        return columns

    def gives_key(
        self, target: ast.expr, given: ast.expr, columns: list[str] | None, key: str
    ) -> bool:
        """Whether `given` is the row's `key` column, the row bound to `target`."""
        if type(target) is ast.Tuple:
            if columns is None or len(target.elts) != len(columns) or type(given) is not ast.Name:
                return False
            return any(
                type(e) is ast.Name and e.id == given.id and columns[i] == key
                for i, e in enumerate(target.elts)
            )
        if type(target) is not ast.Name:
            return False
        if type(given) is ast.Attribute and type(given.value) is ast.Name:
            return given.value.id == target.id and given.attr.lower() == key
        if type(given) is ast.Subscript and type(given.value) is ast.Name:
            if given.value.id != target.id or not isinstance(given.slice, ast.expr):
                return False
            name = string_value(given.slice)
            if name is not None:
                return name.lower() == key
            index = given.slice
            if type(index) is ast.Constant and type(index.value) is int and columns is not None:
                return 0 <= index.value < len(columns) and columns[index.value] == key
        return False


def _raw_query(text: str) -> tuple[str, list[str] | None, tuple[str, frozenset[str]]] | None:
    """`SELECT id, ... FROM t WHERE c = 'V'` (or `c IN ('V', ...)`), read as a Core query."""
    match = _RAW_SELECT.match(text)
    if match is None:
        return None
    columns = [
        part.strip().strip('`"').split(".")[-1].strip('`"').lower()
        for part in match.group("columns").split(",")
    ]
    if not all(re.fullmatch(r"\w+", c) for c in columns):
        return None
    if match.group("value") is not None:
        values = frozenset({match.group("value")})
    else:
        parts = match.group("values").split(",")
        listed = [re.fullmatch(r"\s*'([^']*)'\s*", part) for part in parts]
        if not all(listed):
            return None
        values = frozenset(m.group(1) for m in listed if m is not None)
    return match.group("table").lower(), columns, (match.group("column").lower(), values)
