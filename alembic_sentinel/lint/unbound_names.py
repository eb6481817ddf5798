"""The names a module reads that nothing of its own binds: what a `from X import *` supplies.

`from app.models import *` binds no name lint can see; it is used when the module reads a name
that neither its own code (definitions, assignments, parameters, loop and `with` targets,
explicit imports) nor the builtins bind, in the scope it is read or the scopes around it. A
name a function binds is its own: a `ConfigEntry` assigned in downgrade() leaves the one
upgrade() reads unbound. Comprehension and lambda variables count for the scope they are
written in (their reads there are not what a star import supplies either way).

Pure: ast only.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable, Iterator

# what every module has bound without importing it
_MODULE_NAMES = frozenset(
    {"__file__", "__name__", "__doc__", "__package__", "__spec__", "__loader__", "__builtins__"}
)
_ALWAYS_BOUND = frozenset(dir(builtins)) | _MODULE_NAMES

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# a `case` pattern's capture names (Python 3.10's match; absent from 3.9's ast)
_CAPTURES = tuple(
    getattr(ast, n) for n in ("MatchAs", "MatchStar", "MatchMapping") if hasattr(ast, n)
)


def unbound_names(tree: ast.Module) -> frozenset[str]:
    """The names `tree` reads that no binding of its own, in scope, nor a builtin gives."""
    return frozenset(_unbound(tree.body, _ALWAYS_BOUND))


def _unbound(
    body: Iterable[ast.AST], outer: frozenset[str], is_class: bool = False
) -> Iterator[str]:
    """The unbound reads of one scope's statements, which see `outer` and their own names, and
    of the functions and classes in it (a class's own names are not seen from its methods)."""
    statements = list(body)
    visible = outer | _bound_in(statements)
    around = outer if is_class else visible
    for node in _own_nodes(statements):
        if type(node) is ast.Name and type(node.ctx) is not ast.Store and node.id not in visible:
            yield node.id
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parameters = frozenset(a.arg for a in _arguments(node.args))
            yield from _unbound(node.body, around | parameters)
        elif type(node) is ast.ClassDef:
            yield from _unbound(node.body, around, is_class=True)


def _own_nodes(statements: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node of a scope's statements, a nested function or class given (for its name,
    decorators, defaults and bases, which its scope evaluates) but not entered."""
    pending = list(statements)
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, _SCOPES):
            pending.extend(node.decorator_list)
            if isinstance(node, ast.ClassDef):
                pending.extend(node.bases)
                pending.extend(k.value for k in node.keywords)
            else:
                pending.extend(node.args.defaults)
                pending.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        pending.extend(ast.iter_child_nodes(node))


def _bound_in(statements: Iterable[ast.AST]) -> frozenset[str]:
    """The names a scope's own statements bind (a nested function or class: its name only)."""
    bound: set[str] = set()
    for node in _own_nodes(statements):
        if isinstance(node, _SCOPES):
            bound.add(node.name)
        elif type(node) is ast.Name and type(node.ctx) is not ast.Load:
            bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    bound.add(alias.asname or alias.name.split(".", 1)[0])
        elif type(node) is ast.ExceptHandler and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif type(node) is ast.Lambda:
            bound.update(a.arg for a in _arguments(node.args))
        elif isinstance(node, _CAPTURES):
            name = getattr(node, "name", None) or getattr(node, "rest", None)
            if isinstance(name, str):
                bound.add(name)
    return frozenset(bound)


def _arguments(arguments: ast.arguments) -> list[ast.arg]:
    found = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    found += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return found
