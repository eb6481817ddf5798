"""Functions that find one key of a table by what reflection reports of it: the name of the
foreign key, index or unique key on the columns they are given (`find_fk(table, columns)`,
looping over `sa.inspect(bind).get_foreign_keys(table)` and returning the `name` of the one whose
`constrained_columns` equal `columns`). A project keeps them in its own migration helpers and
drops what they find (`op.drop_constraint(find_fk(t, ["user_id"]), t, type_="foreignkey")`):
the drop removes the key of that kind on that table over those columns, which undoes the
upgrade's create_foreign_key / create_index / create_unique_constraint of it (L319) though no
name is written.

Three spellings of the search are read: a loop that returns the matching key's name, a loop
that keeps the matching key in a variable whose name is returned after it, and `next(...)` (or
`[...][0]`) over a comprehension with an `if`. A function whose search has no test on the key
(the first foreign key of the table, whichever it is) finds nothing lint can tie to a key.
Pure: ast only; what the call gives the function's parameters is the reader's to say.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import NamedTuple, Union

from alembic_sentinel.lint.reflected_keys import (
    ReflectedKeys,
    Reflection,
    reflected_name,
    reflection,
    test_words,
)

# Union, not `|`: a module-level alias is evaluated, and Python 3.9 has no `type | type`
FunctionDefinition = Union[ast.FunctionDef, ast.AsyncFunctionDef]


class KeyFinder(NamedTuple):
    """What a finder function searches: the keys `walked` reports (on a table named by a
    parameter, usually), through `variable`, keeping the one `tests` let through."""

    walked: Reflection
    variable: str
    tests: tuple[ast.expr, ...]
    parameters: tuple[str, ...]


@lru_cache(maxsize=256)
def key_finder(definition: FunctionDefinition) -> KeyFinder | None:
    """The search `definition` makes when it returns the name of a reflected key it picks by a
    test, else None."""
    parameters = tuple(
        a.arg
        for a in (*definition.args.posonlyargs, *definition.args.args, *definition.args.kwonlyargs)
    )
    held: dict[str, Reflection] = {}  # `fks = insp.get_foreign_keys(table)`
    returned = [
        value
        for n in ast.walk(definition)
        if type(n) is ast.Return and n.value is not None
        for value in _outcomes(n.value)
    ]
    for node in ast.walk(definition):
        if (
            type(node) is ast.Assign
            and len(node.targets) == 1
            and type(node.targets[0]) is ast.Name
        ):
            walked = _reflection(node.value, held)
            if walked is not None:
                held[node.targets[0].id] = walked
    for node in ast.walk(definition):
        found = None
        if isinstance(node, (ast.For, ast.AsyncFor)):
            found = _loop_search(node, held, returned)
        elif type(node) is ast.Return and node.value is not None:
            found = _comprehension_search(node.value, held)
        if found is not None:
            return found._replace(parameters=parameters)
    return None


def _outcomes(value: ast.expr) -> Iterator[ast.expr]:
    """What a returned expression may be: each side of `a if test else b`."""
    if type(value) is ast.IfExp:
        yield from _outcomes(value.body)
        yield from _outcomes(value.orelse)
    else:
        yield value


def _reflection(node: ast.expr, held: Mapping[str, Reflection]) -> Reflection | None:
    if type(node) is ast.Name:
        return held.get(node.id)
    return reflection(node, _literal, {})


def _literal(node: ast.expr) -> ast.expr | None:
    return node if type(node) is ast.Constant and type(node.value) is str else None


def _loop_search(
    loop: ast.For | ast.AsyncFor, held: Mapping[str, Reflection], returned: list[ast.expr]
) -> KeyFinder | None:
    """`for fk in <reflection>: if <test>: return fk["name"]`, or `...: found = fk; break` and
    `return found["name"]` after the loop."""
    walked = _reflection(loop.iter, held)
    if walked is None or type(loop.target) is not ast.Name:
        return None
    variable = loop.target.id
    inside = [n for statement in loop.body for n in ast.walk(statement)]
    keeps = {variable}
    keeps.update(
        n.targets[0].id
        for n in inside
        if type(n) is ast.Assign
        and len(n.targets) == 1
        and type(n.targets[0]) is ast.Name
        and type(n.value) is ast.Name
        and n.value.id == variable
    )
    if not any(reflected_name(value, keeps) is not None for value in returned):
        return None
    tests = tuple(
        n.test
        for n in inside
        if isinstance(n, (ast.If, ast.IfExp, ast.While)) and _mentions(n.test, variable)
    )
    return KeyFinder(walked, variable, tests, ())


def _comprehension_search(value: ast.expr, held: Mapping[str, Reflection]) -> KeyFinder | None:
    """`next(fk["name"] for fk in <reflection> if <test>)` (a default may follow) or
    `[fk["name"] for fk in <reflection> if <test>][0]`."""
    if type(value) is ast.Call and type(value.func) is ast.Name and value.func.id == "next":
        searched = value.args[0] if value.args else None
    elif type(value) is ast.Subscript and type(value.value) is ast.ListComp:
        searched = value.value
    else:
        return None
    if not isinstance(searched, (ast.GeneratorExp, ast.ListComp)):
        return None
    if len(searched.generators) != 1:
        return None
    generator = searched.generators[0]
    walked = _reflection(generator.iter, held)
    if walked is None or type(generator.target) is not ast.Name:
        return None
    variable = generator.target.id
    if reflected_name(searched.elt, {variable}) is None:
        return None
    return KeyFinder(walked, variable, tuple(generator.ifs), ())


def _mentions(test: ast.expr, variable: str) -> bool:
    return any(type(n) is ast.Name and n.id == variable for n in ast.walk(test))


def bound_arguments(
    finder: KeyFinder, call: ast.Call, literal: Callable[[ast.expr], ast.expr | None]
) -> dict[str, ast.expr]:
    """The finder's parameters the call gives a literal (a table's name, a list of columns),
    read through `literal` (the caller's constants)."""
    bound: dict[str, ast.expr] = {}
    for parameter, argument in zip(finder.parameters, call.args):
        value = literal(argument)
        if value is not None:
            bound[parameter] = value
    for keyword in call.keywords:
        value = literal(keyword.value) if keyword.arg in finder.parameters else None
        if keyword.arg is not None and value is not None:
            bound[keyword.arg] = value
    return bound


def picked_key(
    finder: KeyFinder, call: ast.Call, literal: Callable[[ast.expr], ast.expr | None]
) -> ReflectedKeys | None:
    """The key a call of the finder picks: of the finder's kind, on the table it is given,
    with the words its tests compare the key with (the columns it is given); None when the
    table is not a literal or nothing filters."""
    bound = bound_arguments(finder, call, literal)
    table = finder.walked.table
    node = finder.walked.table_node
    if table is None and type(node) is ast.Name and node.id in bound:
        given = bound[node.id]
        if type(given) is ast.Constant and type(given.value) is str:
            table = given.value.lower()
    if table is None:
        return None

    def argument(name: ast.expr) -> ast.expr | None:
        return bound.get(name.id) if type(name) is ast.Name else None

    words = frozenset(_words(finder, argument))
    if not words:
        return None
    return ReflectedKeys(finder.walked.kind, table, words, found_one=True)


def _words(finder: KeyFinder, literal: Callable[[ast.expr], ast.expr | None]) -> Iterator[str]:
    for test in finder.tests:
        yield from test_words(test, finder.variable, literal)
