"""Raw SQL a loop builds for each row from that row's values (L309; issue 20).

A revision fills a new column row by row, formatting each UPDATE from the row it holds:

    for r in conn.execute("select user_name, id from FamiPortOperator").fetchall():
        op.execute("update FamiPortOperator set email='{0}@example.com' where id={1};"
                   .format(r[0], r[1]))

The template's values are the row's (sql_templates reads them as bound parameters, never as
one constant). The WHERE finds one row by a single-column unique key of the table (`id`), given
the value the loop holds, and the SET writes into it one value with constants around it (bare,
quoted as `'{0}@example.com'`, or in CONCAT / CAST / a hash, lint.injective_images) that is:

- the WHERE's value itself (`'u-{}'.format(row.id) ... where id = {}'.format(row.id)`): the
  row's own key;
- a value made per pass by a unique-id generator (`uuid4()`, as lint.fresh_values counts), or
  the pass's own number (`for i, r in enumerate(rows)`, `n += 1`; lint.row_counters);
- the loop row's value of a column that is a unique key of the table on its own (`r[0]` is
  `user_name` by the position in the loop's literal `SELECT` of that table, `r.user_name`,
  `r["user_name"]`, a name the loop's target unpacks), the WHERE's value being the same row's
  key: the row gets its own unique value back.

Each row is then written once with a value no other row gets, so a unique key over the column
meets no duplicate among them: as `SET email = CONCAT(user_name, '@example.com')` or `SET c =
CONCAT('u-', id)` would in one statement. A value made once before the loop, a column of the
row that may repeat, a WHERE over a column that may repeat, or a row read from another table
is no such value: the key is still reported.

Pure: the file's syntax, read again (once, shared with fresh_values) only when L309 asks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterator
from typing import Union

from alembic_sentinel.lint.distinct_fills import PER_ROW_PYTHON
from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.fresh_values import executes, made_per_pass, source_tree
from alembic_sentinel.lint.injective_images import image_of, split_top_level
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.row_counters import counted_per_pass, kept_argument
from alembic_sentinel.lint.sql_templates import concatenated_sql, templated_sql

_UPDATE = LazyPattern(
    r"^\s*UPDATE\s+[`\"]?(\w+)[`\"]?\s+SET\s+(.*?)\s+WHERE\s+(.*?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_SELECT = LazyPattern(
    r"^\s*SELECT\s+(.*?)\s+FROM\s+[`\"]?(\w+)[`\"]?(?:\s.*)?;?\s*$", re.IGNORECASE | re.DOTALL
)
# a marked value of the template (see _Marks) and a column written or compared
_MARK = LazyPattern(r":__v(\d+)$")
_NAME = LazyPattern(r"^[`\"]?(\w+)[`\"]?$")
_TEXT_CALLS = frozenset({"text"})
# a loop's rows fetched from a result: `res.fetchall()`, `.all()`, `.mappings()`
_FETCHES = frozenset({"fetchall", "all", "mappings", "fetchmany"})
# calls that keep a value's identity (`str(row.id)`)
_KEEPING = frozenset({"str", "int", "unicode"})

Loop = Union[ast.For, ast.AsyncFor]  # Union: a runtime alias, and Python 3.9 has no `type | type`


def distinct_by_template(
    facts: Facts,
    table: str,
    column: str,
    before: int,
    keys: Collection[str],
    every_row: Callable[[], bool] | None = None,
) -> bool:
    """Whether, before step `before`, a loop writes `table.column` (lowercase) by raw SQL it
    formats per row with a value distinct per row (see above); `keys` are the table's columns
    that are unique keys on their own. The pass's number counts only when `every_row` says no
    row left out may repeat it (row_counters)."""
    wanted = {(table, column), (None, column), (table, "*")}
    lines = [
        fill.line
        for fill in facts.fills
        if fill.seq < before and fill.sql is not None and not wanted.isdisjoint(fill.writes)
    ]
    if not lines:
        return False
    tree = source_tree(facts)
    constants = _module_strings(tree)
    for function, loop in _loops(tree):
        rows = _selected(loop, function, constants.get)
        made = made_per_pass(loop)
        for call in executes(loop):
            end = call.end_lineno or call.lineno
            if not any(call.lineno <= line <= end for line in lines):
                continue
            if _writes_distinct(
                call, loop, tree, rows, made, constants.get, table, column, keys, every_row
            ):
                return True
    return False


def _writes_distinct(
    call: ast.Call,
    loop: Loop,
    tree: ast.Module,
    rows: tuple[str | None, list[str | None]] | None,
    made: dict[str, ast.expr],
    lookup: Callable[[str], ast.expr | None],
    table: str,
    column: str,
    keys: Collection[str],
    every_row: Callable[[], bool] | None,
) -> bool:
    statement = _statement(call.args[0], made)
    marks = _Marks()
    if type(statement) is ast.BinOp and type(statement.op) is ast.Add:
        text = concatenated_sql(statement, lookup, marks.stand_in)
    else:
        text = templated_sql(statement, lookup, placeholders=False, stand_in=marks.stand_in)
    match = _UPDATE.match(text) if text is not None else None
    if match is None or match.group(1).lower() != table:
        return False
    where = match.group(3).split("=")
    key = _NAME.match(where[0].strip()) if len(where) == 2 else None
    found = _MARK.match(where[1].strip()) if key is not None else None
    if key is None or found is None or key.group(1).lower() not in keys:
        return False
    by = marks.values[int(found.group(1))]
    if type(by) is ast.Name and by.id in made:
        by = made[by.id]
    for part in split_top_level(match.group(2)):
        target, equals, value = part.partition("=")
        written = _NAME.match(target.strip())
        if not equals or written is None or written.group(1).lower() != column:
            continue
        image = image_of(re.sub(r":__v(\d+)", r"__v\1", value))
        if image is None or not re.fullmatch(r"__v\d+", image):
            return False
        given = marks.values[int(image[3:])]
        if type(given) is ast.Name and given.id in made:
            given = made[given.id]
        if every_row is not None and counted_per_pass(given, loop, tree) and every_row():
            return True  # the pass's number: `for i, row in enumerate(rows)`, `n += 1`
        return _distinct(given, by, key.group(1).lower(), loop, rows, table, keys)
    return False


def _distinct(
    given: ast.expr,
    by: ast.expr,
    key: str,
    loop: Loop,
    rows: tuple[str | None, list[str | None]] | None,
    table: str,
    keys: Collection[str],
) -> bool:
    """Whether `given` is distinct per row: the WHERE's value `by` itself, a fresh id, or the
    same row's value of another unique column."""
    if ast.dump(_kept(given)) == ast.dump(_kept(by)):
        return True  # the row's own key, written back into it
    if PER_ROW_PYTHON.search(ast.unparse(given)):
        return True  # uuid4() per pass
    if rows is None or rows[0] != table:
        return False  # which table's rows the loop holds is not known
    source = _row_column(_kept(given), loop, rows[1])
    return (
        source is not None
        and source in keys
        and _row_column(_kept(by), loop, rows[1]) == key
        and _same_row(_kept(given), _kept(by))
    )


def _kept(node: ast.expr) -> ast.expr:
    """The one value a Python expression keeps apart: `str(row.id)`, `row.login + "@x"`,
    `f"{row.login}@x"` as `row.login` (constants joined to one value, one to one)."""
    while True:
        kept = kept_argument(node, _KEEPING)
        if kept is not None:
            node = kept
        elif type(node) is ast.BinOp and type(node.op) is ast.Add and _text(node.left):
            node = node.right
        elif type(node) is ast.BinOp and type(node.op) is ast.Add and _text(node.right):
            node = node.left
        elif type(node) is ast.JoinedStr:
            values = [v for v in node.values if type(v) is ast.FormattedValue]
            if len(values) != 1:
                return node  # two values may run together ('a' + 'bc', 'ab' + 'c')
            only = values[0]
            if only.format_spec is not None or only.conversion not in (-1, 115):
                return node
            node = only.value
        else:
            return node


def _text(node: ast.expr) -> bool:
    return type(node) is ast.Constant and type(node.value) is str


def _row_column(node: ast.expr, loop: Loop, selected: list[str | None]) -> str | None:
    """The column (lowercase) of the loop's row that `node` reads: `r[0]` by the SELECT's
    list, `r.name`, `r["name"]`, or a name the loop's target unpacks at a position."""
    target = loop.target
    if type(node) is ast.Name and type(target) is ast.Tuple:
        for position, element in enumerate(target.elts):
            if type(element) is ast.Name and element.id == node.id:
                return selected[position] if position < len(selected) else None
        return None
    if type(target) is not ast.Name:
        return None
    if type(node) is ast.Attribute and type(node.value) is ast.Name:
        return node.attr.lower() if node.value.id == target.id else None
    if type(node) is ast.Subscript and type(node.value) is ast.Name:
        if node.value.id != target.id or type(node.slice) is not ast.Constant:
            return None
        index = node.slice.value
        if type(index) is str:
            return index.lower()
        if type(index) is int and 0 <= index < len(selected):
            return selected[index]
    return None


def _same_row(first: ast.expr, second: ast.expr) -> bool:
    """Both values read from the one row the loop holds (the same target name, or names its
    target unpacks)."""
    return _holder(first) == _holder(second)


def _holder(node: ast.expr) -> str | None:
    if type(node) in (ast.Attribute, ast.Subscript):
        value = node.value  # type: ignore[attr-defined]
        return value.id if type(value) is ast.Name else None
    return "" if type(node) is ast.Name else None


def _statement(node: ast.expr, made: dict[str, ast.expr]) -> ast.expr:
    """The SQL an execute is given: inside `sa.text(...)`, through a name the loop binds."""
    if type(node) is ast.Name and node.id in made:
        node = made[node.id]
    if type(node) is ast.Call and node.args:
        func = node.func
        name = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
        if name in _TEXT_CALLS:
            node = node.args[0]
    if type(node) is ast.Name and node.id in made:
        node = made[node.id]
    return node


class _Marks:
    """Each run-time value of a template, as the stand-in `:__v<n>` that names it."""

    def __init__(self) -> None:
        self.values: list[ast.expr] = []

    def stand_in(self, node: ast.expr) -> str:
        self.values.append(node)
        return f":__v{len(self.values) - 1}"


def _loops(tree: ast.Module) -> Iterator[tuple[ast.AST, Loop]]:
    """Each `for` loop of the file with the function (or module) it stands in."""
    scopes: list[ast.AST] = [tree]
    scopes += [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for scope in scopes:
        for node in _own_nodes(scope):
            if isinstance(node, (ast.For, ast.AsyncFor)):
                yield scope, node


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a scope's body, not those of the functions defined in it."""
    pending = list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


def _selected(
    loop: Loop, scope: ast.AST, lookup: Callable[[str], ast.expr | None]
) -> tuple[str | None, list[str | None]] | None:
    """The table and column list (lowercase; None for an item that is no plain column) of the
    literal SELECT whose rows the loop walks: executed in the loop's head, or through names
    the scope bound before the loop (`res = conn.execute(...)`, `rows = res.fetchall()`)."""
    bound = _bound_before(scope, loop.lineno)
    node: ast.expr | None = loop.iter
    for _ in range(6):
        if node is None:
            return None
        if type(node) is ast.Name:
            node = bound.get(node.id)
            continue
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            return None
        func = node.func
        if func.attr in _FETCHES:
            node = func.value
            continue
        if func.attr not in ("execute", "exec_driver_sql") or not node.args:
            return None
        sql = node.args[0]
        if type(sql) is ast.Call and sql.args:
            sql = sql.args[0]  # sa.text("SELECT ...")
        if type(sql) is ast.Name:
            sql = bound.get(sql.id) or lookup(sql.id) or sql
        text = string_value(sql)
        match = _SELECT.match(text) if text is not None else None
        if match is None:
            return None
        columns: list[str | None] = []
        for item in split_top_level(match.group(1)):
            name = _NAME.match(item.split(".")[-1].strip())
            columns.append(name.group(1).lower() if name else None)
        return match.group(2).lower(), columns
    return None


def _bound_before(scope: ast.AST, line: int) -> dict[str, ast.expr]:
    """name -> the value the scope last bound it to before `line` (single-name assignments)."""
    bound: dict[str, tuple[int, ast.expr]] = {}
    for node in _own_nodes(scope):
        if type(node) is ast.Assign and len(node.targets) == 1 and node.lineno < line:
            target = node.targets[0]
            if type(target) is ast.Name:
                known = bound.get(target.id)
                if known is None or known[0] < node.lineno:
                    bound[target.id] = (node.lineno, node.value)
    return {name: value for name, (_, value) in bound.items()}


def _module_strings(tree: ast.Module) -> dict[str, ast.expr]:
    """The module's names bound to a literal string (`TABLE = "famiport_operator"`)."""
    return {
        node.targets[0].id: node.value
        for node in tree.body
        if type(node) is ast.Assign
        and len(node.targets) == 1
        and type(node.targets[0]) is ast.Name
        and type(node.value) is ast.Constant
        and type(node.value.value) is str
    }
