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
from collections.abc import Callable, Sequence
from typing import NamedTuple

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


class Lookup(NamedTuple):
    """`select(o.c.key).where(o.c.matched == t.c.own)`: the row of o whose `matched` equals
    the written row's `own` gives its `key` (variables as written, columns lowercase)."""

    source: str  # o's variable
    key: str
    matched: str
    own: str


def lookup_of(value: ast.expr, where: Sequence[ast.expr] = ()) -> Lookup | None:
    """The lookup a Core value makes for each written row: a correlated scalar subquery
    (`select(o.c.k).where(o.c.x == t.c.y)[.limit(1)].scalar_subquery()`; LIMIT 1 keeps the
    one row a key finds), or a column of another table the statement's own one `.where(o.c.x
    == t.c.y)` matches (`t.update().values(c=o.c.k).where(...)`: UPDATE ... FROM, rows
    nothing matched keep their value). None for any other shape (more filters, more columns)."""
    if type(value) is not ast.Call:
        column = _column(value)
        if column is None or len(where) != 1:
            return None
        return _matched(column, where[0])
    if value.args or type(value.func) is not ast.Attribute or value.func.attr not in _SCALAR_CALLS:
        return None
    inner = value.func.value
    if (
        type(inner) is ast.Call
        and type(inner.func) is ast.Attribute
        and inner.func.attr == "limit"
        and len(inner.args) == 1
        and type(inner.args[0]) is ast.Constant
        and inner.args[0].value == 1
    ):
        inner = inner.func.value  # `.limit(1)`: a key finds one row anyway
    if not (
        type(inner) is ast.Call
        and type(inner.func) is ast.Attribute
        and inner.func.attr == "where"
        and len(inner.args) == 1
        and not inner.keywords
    ):
        return None
    selected = _selected(inner.func.value)
    return _matched(selected, inner.args[0]) if selected is not None else None


def _matched(selected: tuple[str, str], condition: ast.expr) -> Lookup | None:
    """The lookup of `selected` (a variable's column) by one equality between a column of the
    same variable and a column of another."""
    if not (
        type(condition) is ast.Compare
        and len(condition.ops) == 1
        and type(condition.ops[0]) is ast.Eq
    ):
        return None
    source, key = selected
    sides = [_column(condition.left), _column(condition.comparators[0])]
    own = [side for side in sides if side is not None and side[0] == source]
    outer = [side for side in sides if side is not None and side[0] != source]
    if len(own) != 1 or len(outer) != 1:
        return None
    return Lookup(source, key, own[0][1], outer[0][1])


def looked_up_from(
    value: ast.expr, unique_in: Callable[[str, str], bool], where: Sequence[ast.expr] = ()
) -> str | None:
    """The column of the written row that `value` maps one-to-one (lookup_of) when the
    looked-up column is a key of its table on its own (`unique_in(variable, column)`): two rows
    whose columns differ find different rows, so get different keys."""
    found = lookup_of(value, where)
    if found is None or not unique_in(found.source, found.key):
        return None
    return found.own
