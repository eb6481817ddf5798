"""Tables a revision makes through a function of its own: `office = make_table("office")`.

A revision that converts the same columns of several tables often writes the table definition
once, as a module-level function returning `sa.table(name, sa.column(...), ...)`, and calls it
with each table's literal name (`make_table("orders")`, `make_table("quotes", nullable=True)`).
Read as the call, the variable names no table: a helper given it (`convert(orders)`) then
updates and drops columns of a table lint cannot name. Read as what the function returns for
these arguments, it is the table `sa.table("orders", ...)` is.

Only a function whose body ends in one `return` of a call, and only a call whose arguments are
all literals, is read: anything computed at run time may change which table comes back.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import cast

from alembic_sentinel.lint.expressions import is_docstring


class _Substitution(ast.NodeTransformer):
    def __init__(self, bound: Mapping[str, ast.expr]) -> None:
        self.bound = bound

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self.bound.get(node.id, node)


def substituted(body: ast.expr, bound: Mapping[str, ast.expr]) -> ast.expr:
    """A copy of a factory's returned expression with its parameters replaced by arguments."""
    import copy  # here: rarely needed, and its import costs every lint process

    copied = _Substitution(bound).visit(copy.deepcopy(body))
    return cast(ast.expr, copied)


def bound_arguments(arguments: ast.arguments, call: ast.Call) -> dict[str, ast.expr]:
    """The function's parameters bound to the call's arguments, its defaults first."""
    parameters = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    bound: dict[str, ast.expr] = dict(zip(parameters[::-1], arguments.defaults[::-1]))
    bound.update(zip(parameters, call.args))
    bound.update({kw.arg: kw.value for kw in call.keywords if kw.arg is not None})
    return bound


def factory_made(
    call: ast.Call, definitions: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef]
) -> ast.Call | None:
    """The call a same-file function returns for this call of it, its parameters replaced
    by the call's literal arguments (`make_table("orders")` -> `sa.table("orders", ...)`);
    None for another call, a function that is not one `return` of a call at the end of its
    body (after local assignments), or an argument that is not a literal."""
    if type(call.func) is not ast.Name or call.func.id not in definitions:
        return None
    given = [*call.args, *(kw.value for kw in call.keywords)]
    if any(kw.arg is None for kw in call.keywords) or not all(
        type(value) is ast.Constant for value in given
    ):
        return None
    definition = definitions[call.func.id]
    body = [s for s in definition.body if not is_docstring(s)]
    if not body or type(body[-1]) is not ast.Return:
        return None
    if any(type(s) is not ast.Assign for s in body[:-1]):
        return None  # a branch or a loop may return something else
    returned = cast(ast.Return, body[-1]).value
    if type(returned) is not ast.Call:
        return None
    made = substituted(returned, bound_arguments(definition.args, call))
    return ast.copy_location(made, call) if type(made) is ast.Call else None
