"""Calls that pick a function of the same file by a name built at run time.

Alembic's multi-database template (`alembic init -t multidb`) writes `upgrade(engine_name)` as
one line, `globals()["upgrade_%s" % engine_name]()`, and the work in `upgrade_engine1()`,
`upgrade_engine2()`, ...; projects vary the spelling (an f-string, `+`, `.format`). Which engine
runs is known only at run time and each engine's function runs once, on its own database, so
a reader of such a revision reads every function the name can pick: each function of the file
whose name starts with the literal prefix of the key, the prefix itself included
(Flask-Migrate's multi-database template names its default bind "": `upgrade_()`).

Recognised keys: `f"upgrade_{name}"`, `"upgrade_%s" % name`, `"upgrade_" + name`,
`"upgrade_{}".format(name)`, looked up in `globals()[...]` or `globals().get(...)`. A key
without a literal prefix, or a prefix no function of the file starts with, picks nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Collection

from alembic_sentinel.lint.expressions import is_docstring


def dispatch_prefix(call: ast.Call) -> str | None:
    """The literal prefix of the name a `globals()[key]()` call looks up, else None."""
    func = call.func
    if type(func) is ast.Subscript and _is_globals(func.value):
        return _key_prefix(func.slice)
    if (
        type(func) is ast.Call
        and type(func.func) is ast.Attribute
        and func.func.attr == "get"
        and _is_globals(func.func.value)
        and func.args
    ):
        return _key_prefix(func.args[0])
    return None


def dispatched(call: ast.Call, functions: Collection[str]) -> list[str]:
    """The names of `functions` a dispatching call can pick, sorted; [] for any other call."""
    prefix = dispatch_prefix(call)
    if not prefix:
        return []
    # the name may be the prefix itself: Flask-Migrate's multi-database template names the
    # default bind "" (`upgrade_()`), beside `upgrade_<bind>()` for the others
    return sorted(name for name in functions if name.startswith(prefix))


def dispatch_only(
    definition: ast.FunctionDef | ast.AsyncFunctionDef, functions: Collection[str]
) -> list[str]:
    """The functions a function's body dispatches to when that body is nothing but such a
    call (its docstring aside); [] otherwise."""
    body = definition.body
    if body and is_docstring(body[0]):
        body = body[1:]
    if len(body) != 1:
        return []
    statement = body[0]
    if not isinstance(statement, (ast.Expr, ast.Return)):
        return []
    value = statement.value
    return dispatched(value, functions) if type(value) is ast.Call else []


def _is_globals(node: ast.expr) -> bool:
    return (
        type(node) is ast.Call
        and type(node.func) is ast.Name
        and node.func.id == "globals"
        and not node.args
    )


def _key_prefix(key: ast.expr) -> str | None:
    """The literal text a run-time name starts with: the constant head of an f-string, of a
    `%` or `.format` template, or the left part of a `+`."""
    if type(key) is ast.JoinedStr and key.values:
        head = key.values[0]
        if type(head) is ast.Constant and type(head.value) is str:
            return head.value
        return None
    if type(key) is ast.BinOp and type(key.left) is ast.Constant and type(key.left.value) is str:
        if type(key.op) is ast.Mod:
            return key.left.value.split("%", 1)[0]
        if type(key.op) is ast.Add:
            return key.left.value
        return None
    if (
        type(key) is ast.Call
        and type(key.func) is ast.Attribute
        and key.func.attr == "format"
        and type(key.func.value) is ast.Constant
        and type(key.func.value.value) is str
    ):
        return key.func.value.value.split("{", 1)[0]
    return None
