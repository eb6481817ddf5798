"""Values a helper's own code builds from literals: its `*args` / `**kwargs` as a call fills
them, and lists it builds one element at a time.

A project helper often takes its names as varargs (`def drop_columns(table, *columns)`) and
gathers the ones to act on in a list (`todo = []`, then `todo.append(column)` in a loop over
them, or `todo = [c for c in columns]`) before walking that list with `batch_op.drop_column`.
Read with the call's literal arguments bound, every step is literal, so lint can name what the
helper drops (round 15). A list is known only while everything added to it is a literal
string: one unknown element and lint no longer claims to know it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from alembic_sentinel.lint.literals import string_value


def spread_arguments(
    call: ast.Call, literal: Callable[[ast.expr], ast.expr | None]
) -> list[ast.expr] | None:
    """The call's positional arguments with each `*NAMES` spread into the literal names it
    holds; None when a spread value is not known."""
    arguments: list[ast.expr] = []
    for argument in call.args:
        if type(argument) is not ast.Starred:
            arguments.append(argument)
            continue
        known = literal(argument.value)
        if not isinstance(known, (ast.List, ast.Tuple)):
            return None
        arguments.extend(known.elts)
    return arguments


def extra_arguments(
    definition: ast.FunctionDef | ast.AsyncFunctionDef,
    arguments: list[ast.expr] | None,
    keywords: list[ast.keyword],
) -> dict[str, ast.expr]:
    """The call's arguments past the named parameters, under the varargs' names: a tuple for
    `*args`, a dict of the unmatched keywords for `**kwargs`. Nothing for `*args` when the
    positional arguments are not known (`arguments` None: a spread lint cannot read), nothing
    for `**kwargs` when the call spreads a dict of its own."""
    bound: dict[str, ast.expr] = {}
    signature = definition.args
    named = len(signature.posonlyargs) + len(signature.args)
    if signature.vararg is not None and arguments is not None:
        bound[signature.vararg.arg] = ast.Tuple(list(arguments[named:]), ast.Load())
    if signature.kwarg is not None and all(kw.arg is not None for kw in keywords):
        names = {a.arg for a in (*signature.posonlyargs, *signature.args, *signature.kwonlyargs)}
        extra = [kw for kw in keywords if kw.arg not in names]
        bound[signature.kwarg.arg] = ast.Dict(
            [ast.Constant(kw.arg) for kw in extra], [kw.value for kw in extra]
        )
    return bound


class BuiltLists:
    """List variables a function builds from literal strings, element by element. A name maps
    to its elements so far, or to None once something lint cannot read was added."""

    def __init__(self) -> None:
        self.lists: dict[str, list[ast.expr] | None] = {}

    def start(
        self, name: str, value: ast.expr, items: Callable[[ast.expr], list[ast.expr] | None]
    ) -> None:
        """`name = []` starts a list; `name = [c for c in LITERALS]` is one already built;
        any other value makes `name` no list lint builds."""
        if type(value) is ast.List and not value.elts:
            self.lists[name] = []
        elif type(value) is ast.ListComp:
            self.lists[name] = comprehension_elements(value, items)
        else:
            self.lists.pop(name, None)

    def add(
        self,
        name: str,
        method: str,
        argument: ast.expr | None,
        items: Callable[[ast.expr], list[ast.expr] | None],
    ) -> None:
        """`name.append(x)` / `name.extend(xs)`: literal strings are kept, anything else
        makes the list unknown."""
        if name not in self.lists:
            return
        elements = self.lists[name]
        if elements is None:
            return
        if argument is None:
            self.lists[name] = None
        elif method == "append":
            if string_value(argument) is None:
                self.lists[name] = None
            else:
                elements.append(argument)
        elif method == "extend":
            more = items(argument)
            if more is None or any(string_value(e) is None for e in more):
                self.lists[name] = None
            else:
                elements.extend(more)

    def value(self, name: str) -> ast.expr | None:
        """The list `name` holds as a literal, when every element is known and there is one."""
        elements = self.lists.get(name)
        return ast.List(list(elements), ast.Load()) if elements else None


def comprehension_elements(
    node: ast.ListComp, items: Callable[[ast.expr], list[ast.expr] | None]
) -> list[ast.expr] | None:
    """`[c for c in LITERALS]` (no condition, the element its own loop name): the literals;
    None for any other comprehension."""
    if len(node.generators) != 1:
        return None
    generator = node.generators[0]
    if generator.ifs or type(generator.target) is not ast.Name or type(node.elt) is not ast.Name:
        return None
    if node.elt.id != generator.target.id:
        return None
    found = items(generator.iter)
    if found is None or any(string_value(e) is None for e in found):
        return None
    return list(found)
