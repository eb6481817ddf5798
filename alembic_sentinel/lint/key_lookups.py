"""A column filled by looking up another table's key for each row: a one-to-one stand-in.

A revision that turns a name reference into an id reference adds the id column, fills it by
a correlated scalar subquery (`t.update().values(other_id=sa.select([other.c.id]).where(
other.c.name == t.c.other_name).scalar_subquery())`), drops the name and makes the key over
the id. When the selected column is a key of the other table (each id is one row, and a row
has one name), two rows with different names can never get the same id: the new column is a
one-to-one function of the old one (NULL where nothing matched, and NULLs never collide). A
unique key over the new column then holds wherever the same key over the old column held,
which carried_keys asks. On its own (no key known over the old column) such a lookup is a
foreign key, whose values repeat: L309 still reports a key made of it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

# calls that turn a select into a value of each row
_SCALAR_CALLS = frozenset({"scalar_subquery", "as_scalar"})


def _column(node: ast.expr) -> tuple[str, str] | None:
    """`v.c.col` or `v.c["col"]`: the table variable and the column (lowercase)."""
    if type(node) is ast.Attribute and type(node.value) is ast.Attribute:
        base = node.value
        if base.attr == "c" and type(base.value) is ast.Name:
            return base.value.id, node.attr.lower()
    if type(node) is ast.Subscript and type(node.value) is ast.Attribute:
        base, key = node.value, node.slice
        if (
            base.attr == "c"
            and type(base.value) is ast.Name
            and type(key) is ast.Constant
            and type(key.value) is str
        ):
            return base.value.id, key.value.lower()
    return None


def _selected(node: ast.expr) -> tuple[str, str] | None:
    """The one column of `sa.select([v.c.k])` / `sa.select(v.c.k)`."""
    if type(node) is not ast.Call or node.keywords:
        return None
    func = node.func
    if not (
        (type(func) is ast.Attribute and func.attr == "select")
        or (type(func) is ast.Name and func.id == "select")
    ):
        return None
    args = list(node.args)
    if len(args) == 1 and isinstance(args[0], (ast.List, ast.Tuple)):
        args = list(args[0].elts)
    return _column(args[0]) if len(args) == 1 else None


def looked_up_from(value: ast.expr, unique_in: Callable[[str, str], bool]) -> str | None:
    """The column of the written row that `value` maps one-to-one: `select(o.c.k).where(o.c.x
    == t.c.y).scalar_subquery()` with `k` a key of o's table (`unique_in(variable, column)`)
    and one equality between a column of o and a column of another table variable gives y;
    None for any other shape (more filters, more columns, no subquery)."""
    if not (
        type(value) is ast.Call
        and not value.args
        and type(value.func) is ast.Attribute
        and value.func.attr in _SCALAR_CALLS
    ):
        return None
    where = value.func.value
    if not (
        type(where) is ast.Call
        and type(where.func) is ast.Attribute
        and where.func.attr == "where"
        and len(where.args) == 1
        and not where.keywords
    ):
        return None
    selected = _selected(where.func.value)
    condition = where.args[0]
    if selected is None or not (
        type(condition) is ast.Compare
        and len(condition.ops) == 1
        and type(condition.ops[0]) is ast.Eq
    ):
        return None
    source, key = selected
    sides = [_column(condition.left), _column(condition.comparators[0])]
    if None in sides:
        return None
    own = [side for side in sides if side is not None and side[0] == source]
    outer = [side for side in sides if side is not None and side[0] != source]
    if len(own) != 1 or len(outer) != 1 or not unique_in(source, key):
        return None
    return outer[0][1]
