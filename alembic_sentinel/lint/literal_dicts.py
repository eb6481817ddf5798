"""Dicts of names a revision loops over: `for table, columns in COLUMNS.items():`.

A revision that undoes many columns at once often keeps them in a dict of table -> column
names and walks it: `for table_name, columns in columns_by_table.items(): for column in
columns: op.drop_column(table_name, column)`. The reader unrolls loops over literal names; this
module says which dicts are literal (string keys, each value a name or a list / tuple of names)
and gives their `.items()` as the (key, value) pairs such a loop binds. A dict written as a
call, `dict(footer_uri="list:footer", header_uri="list:header")`, is the same literal dict.

A loop may also walk a list of such dicts, each the keywords of one call (`for key in
_foreign_keys(): op.create_foreign_key(**key)`, the list returned by a function of the
revision): returned_literal gives the list, spread_keywords the call's keywords.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import cast

from alembic_sentinel.lint.literals import string_list, string_value


def is_literal_dict(node: ast.expr) -> bool:
    """`{"t": ["a", "b"], "u": "c"}`: string keys (no `**` spread), each value a string or a
    list / tuple of strings."""
    if type(node) is not ast.Dict or not node.keys:
        return False
    for key, value in zip(node.keys, node.values):
        if key is None or string_value(key) is None:
            return False
        if string_value(value) is None and not (
            isinstance(value, (ast.List, ast.Tuple)) and string_list(value) is not None
        ):
            return False
    return True


def keyword_dict(node: ast.expr) -> ast.Dict | None:
    """`dict(a="x", b=["y"])` as the literal `{"a": "x", "b": ["y"]}` it builds: keywords
    only (no positional argument, no `**` spread); None for any other expression, or when the
    dict built is not literal."""
    if type(node) is not ast.Call or type(node.func) is not ast.Name or node.func.id != "dict":
        return None
    if node.args or not node.keywords or any(k.arg is None for k in node.keywords):
        return None
    keys: list[ast.expr | None] = [ast.Constant(k.arg) for k in node.keywords]
    built = ast.Dict(keys=keys, values=[k.value for k in node.keywords])
    return built if is_literal_dict(built) else None


# what walks a dict's (key, value) pairs: `D.items()`, and Python 2's spellings that a
# revision kept (`D.iteritems()`, `six.iteritems(D)`, `future.utils.viewitems(D)`)
_ITEMS = frozenset({"items", "iteritems", "viewitems"})


def dict_items(node: ast.expr, constants: Mapping[str, ast.expr]) -> list[ast.expr] | None:
    """The (key, value) pairs `D.items()` (or `six.iteritems(D)`) walks when D is a literal
    dict (written there or a constant naming one), as tuples; None for any other expression."""
    owner = _items_owner(node)
    if owner is None:
        return None
    if type(owner) is ast.Name:
        owner = constants.get(owner.id, owner)
    if not is_literal_dict(owner) or type(owner) is not ast.Dict:
        return None
    return [
        ast.Tuple([key, value], ast.Load())
        for key, value in zip(owner.keys, owner.values)
        if key is not None
    ]


def _items_owner(node: ast.expr) -> ast.expr | None:
    """The dict `D.items()`, `D.iteritems()` or `six.iteritems(D)` walks; None for another
    expression."""
    if type(node) is not ast.Call or node.keywords:
        return None
    func = node.func
    called = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
    if called not in _ITEMS:
        return None
    if type(func) is ast.Attribute and not node.args:
        return func.value  # D.items()
    if called != "items" and len(node.args) == 1:
        return node.args[0]  # six.iteritems(D), iteritems(D)
    return None


def returned_literal(definition: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The list or tuple a function without parameters returns when it is written out: its
    one `return [...]`, or `return name` of a name it assigns the literal to once; None for
    anything else."""
    arguments = definition.args
    if arguments.args or arguments.posonlyargs or arguments.vararg or arguments.kwonlyargs:
        return None
    returns = [s for s in definition.body if type(s) is ast.Return]
    if len(returns) != 1 or returns[0].value is None:
        return None
    value = returns[0].value
    if type(value) is ast.Name:
        assigned = [
            s.value
            for s in definition.body
            if type(s) is ast.Assign
            and any(type(t) is ast.Name and t.id == value.id for t in s.targets)
        ]
        if len(assigned) != 1:
            return None
        value = assigned[0]
    return value if isinstance(value, (ast.List, ast.Tuple)) else None


def spread_keywords(
    keywords: list[ast.keyword], constants: Mapping[str, ast.expr]
) -> list[ast.keyword]:
    """The keywords with each `**name` of a name bound to a literal dict (a loop's pass over
    a list of dicts) written out as the dict's keywords."""
    spread: list[ast.keyword] = []
    for keyword in keywords:
        found = (
            constants.get(keyword.value.id)
            if keyword.arg is None and type(keyword.value) is ast.Name
            else None
        )
        if found is not None and is_literal_dict(found):
            for key, value in zip(cast("ast.Dict", found).keys, cast("ast.Dict", found).values):
                spread.append(ast.keyword(string_value(key) if key else None, value))
        else:
            spread.append(keyword)
    return spread
