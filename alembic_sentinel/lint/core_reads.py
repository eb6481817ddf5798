"""What a Core statement built over several lines reads (L305, L306: values read before a drop).

A data fill is often assembled from local names before it runs, in a helper the revision calls
with the table it fills:

    def _copy(target, column, join_columns):
        condition = and_(*[getattr(run.c, x) == getattr(target.c, x) for x in join_columns])
        return target.update().where(condition).values({column: run.c[column.name]})

The statement reads what `condition` reads, and `getattr(target.c, x)` reads each literal name
`x` takes. Only names the function bound (and constants) are followed, a few levels deep; a
name bound more than once (in two branches, or built in steps) counts with every value it took.
Pure: ast only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence

from alembic_sentinel.lint.literals import string_value

# how many bound names one expression is followed through (a condition built in steps)
_MAX_NAMES = 8
# a Table's column collection: `t.c.x` and its long name `t.columns.x` (also `t.columns["x"]`)
COLUMN_COLLECTIONS = frozenset({"c", "columns"})


def with_bound_names(node: ast.AST, bound: Mapping[str, Sequence[ast.expr]]) -> Iterator[ast.AST]:
    """Every node of `node`, then of the expressions the local names it uses were bound to
    (each name once, with every value it took: `condition` built in two branches)."""
    seen: set[str] = set()
    pending: list[ast.AST] = [node]
    while pending:
        current = pending.pop()
        for child in ast.walk(current):
            yield child
            if (
                type(child) is ast.Name
                and type(child.ctx) is ast.Load
                and child.id in bound
                and child.id not in seen
                and len(seen) < _MAX_NAMES
            ):
                seen.add(child.id)
                pending.extend(bound[child.id])


def _literal_strings(node: ast.expr | None, constants: Mapping[str, ast.expr]) -> list[str]:
    """The strings a literal list / tuple (or a constant naming one) holds."""
    if type(node) is ast.Name and node.id in constants:
        node = constants[node.id]
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [string_value(element) for element in node.elts]
        return [value for value in values if value is not None]
    return []


def getattr_columns(
    call: ast.Call,
    constants: Mapping[str, ast.expr],
    loops: Mapping[str, list[str]] | None = None,
) -> list[tuple[ast.expr, str]]:
    """(table expression, column) for `getattr(t.c, "col")`, `getattr(t.c, name)` with `name`
    a string constant, or a comprehension's variable over literal strings (`loops`)."""
    if not (
        type(call.func) is ast.Name
        and call.func.id == "getattr"
        and len(call.args) >= 2
        and type(call.args[0]) is ast.Attribute
        and call.args[0].attr in COLUMN_COLLECTIONS
    ):
        return []
    table_node = call.args[0].value
    key = call.args[1]
    literal = string_value(key)
    if literal is not None:
        return [(table_node, literal)]
    if type(key) is not ast.Name:
        return []
    if loops and key.id in loops:
        return [(table_node, column) for column in loops[key.id]]
    constant = constants.get(key.id)
    named = string_value(constant) if constant is not None else None
    return [(table_node, named)] if named is not None else []


def comprehension_strings(
    nodes: list[ast.AST], constants: Mapping[str, ast.expr]
) -> dict[str, list[str]]:
    """Comprehension variables among `nodes` over literal strings:
    `[... for x in ["dag_id", "run_id"]]`, or over a constant or parameter bound to a list."""
    found: dict[str, list[str]] = {}
    for child in nodes:
        if type(child) is ast.comprehension and type(child.target) is ast.Name:
            strings = _literal_strings(child.iter, constants)
            if strings:
                found[child.target.id] = strings
    return found
