"""Which value a module-level name holds once Python has run the module, read from syntax alone.

Alembic reads a revision's identifiers as attributes of the executed module: what counts is the
last value bound when the module finishes running. A static reader knows that value only when the
last binding is a plain top-level assignment (`name = value`, `name: T = value`) that nothing can
rebind later. Python binds module-level names in many other ways: augmented assignment, `:=`,
unpacking, assignments under if/try/for/while/with/match, loop and `with ... as` targets, imports
(`*` included), `del`, def and class, a `global` declaration in a function, a module
`__getattr__`, and code that writes the namespace itself (exec, eval, globals(), frame globals).
Each of those is returned as a binding whose value is unknown, with its line and how it binds, so
the reader reports it instead of guessing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator
from typing import Callable, NamedTuple

# the words through which code reaches a module's namespace (defined with the record, so the
# header-only reader knows them without importing this module and `ast`)
from alembic_sentinel.graph.revision_file import (
    FRAME_NAMESPACE,
    MODULE_GETATTR,
    MODULE_LEVEL_NAMESPACE,
    NAMESPACE_WRITERS,
    WATCHED_WORDS,
)

# whether a star import's module is an installed library's (not the project's own code)
LibraryTest = Callable[[ast.ImportFrom], bool]


def whole_words(words: Collection[str], *patterns: bytes) -> re.Pattern[bytes]:
    """A search for any of `words` as a whole word, or for any of the `patterns` (regular
    expressions that start with a letter) from the start of a word.

    The lookahead on their first letters lets the engine pass over most positions at once (a
    third faster than the bare alternation on revision files).
    """
    encoded = sorted({word.encode() for word in words})
    starts = re.escape(b"".join(sorted({chunk[:1] for chunk in (*encoded, *patterns)})))
    choices = b"|".join([b"(?:" + b"|".join(encoded) + b")\\b", *patterns])
    return re.compile(b"(?=[" + starts + b"])\\b(?:" + choices + b")")


_NAMESPACE_WORDS = whole_words({"global", *WATCHED_WORDS} - {MODULE_GETATTR})

# the compound statements whose blocks may run once, never, or many times
_BLOCKS: dict[type, str] = {
    getattr(ast, node): keyword
    for node, keyword in (
        ("If", "if"),
        ("For", "for"),
        ("AsyncFor", "async for"),
        ("While", "while"),
        ("Try", "try"),
        ("TryStar", "try"),  # Python 3.11+
        ("With", "with"),
        ("AsyncWith", "async with"),
        ("Match", "match"),  # Python 3.10+
    )
    if hasattr(ast, node)
}


class Binding(NamedTuple):
    """The binding that decides a name's value: `value` when it is a plain assignment, else
    None and `how` says what binds it (e.g. "bound by an augmented assignment (+=)")."""

    line: int
    value: ast.expr | None
    how: str = ""


def final_bindings(
    tree: ast.Module,
    names: Collection[str],
    text: bytes | None = None,
    *,
    optional: Collection[str] = (),
    is_library: LibraryTest | None = None,
) -> dict[str, Binding]:
    """For each of `names` the module binds (or may bind): the binding that decides its value.

    `text` is the module's source as Python reads identifiers (NFKC-normalized), or None when
    unknown: searches it shows cannot find anything (no `:=`, no namespace writer) are skipped,
    as walking a tree in Python costs more than parsing it. A star import from a module
    `is_library` accepts is taken as not binding the `optional` names (a library does not
    export Alembic's `branch_labels`); it may still bind the others, unless assigned after it.
    """
    wanted = frozenset(names) | {MODULE_GETATTR}
    walrus = text is None or b":=" in text
    final: dict[str, Binding] = {}
    for statement in tree.body:
        plain = None if walrus else _plain_assignment(statement)
        if plain is not None:  # what revision files are made of: the quick way
            targets, value = plain
            for name in targets:
                if name in wanted:
                    final[name] = Binding(statement.lineno, value)
            continue
        for name, binding in _statement_bindings(
            statement, wanted, None, walrus, frozenset(optional), is_library
        ):
            final[name] = binding
    writes = text is None or _NAMESPACE_WORDS.search(text) is not None
    for line, how, bound in _namespace_writes(tree, wanted) if writes else ():
        for name in bound:
            if name not in final or final[name].value is not None:
                final[name] = Binding(line, None, how)
    module_getattr = final.pop(MODULE_GETATTR, None)
    if module_getattr is not None:
        for name in names:  # consulted for every attribute the module does not have
            final.setdefault(
                name, Binding(module_getattr.line, None, "given by the module's __getattr__")
            )
    return final


def _plain_assignment(statement: ast.stmt) -> tuple[list[str], ast.expr] | None:
    """The names and the value of `a = b = value` or `a: T = value` (names only as targets)."""
    if type(statement) is ast.Assign:
        names = [target.id for target in statement.targets if type(target) is ast.Name]
        if len(names) == len(statement.targets):
            return names, statement.value
    elif type(statement) is ast.AnnAssign:
        if statement.value is not None and type(statement.target) is ast.Name:
            return [statement.target.id], statement.value
    return None


def _statement_bindings(
    statement: ast.stmt,
    wanted: frozenset[str],
    block: str | None,
    walrus: bool = True,
    optional: frozenset[str] = frozenset(),
    is_library: LibraryTest | None = None,
) -> Iterator[tuple[str, Binding]]:
    """The bindings one statement (and the statements inside it) makes, in execution order.

    `block` names the compound statement this one runs inside (None at top level): whether a
    binding in there runs at all, or runs more than once, depends on the program. `walrus`:
    whether the module may contain `:=` at all.
    """
    if walrus and block is None:  # once per top-level statement: it covers the nested ones
        for node in _module_scope_nodes(statement):
            if isinstance(node, ast.NamedExpr) and node.target.id in wanted:
                yield (
                    node.target.id,
                    _unknown(node, "bound by an assignment expression (:=)", block),
                )
    for name, node, how, value in _own_bindings(statement):
        if name == "*":  # public names only: never a module __getattr__
            library = (
                is_library is not None and isinstance(node, ast.ImportFrom) and is_library(node)
            )
            for each in wanted - {MODULE_GETATTR} - (optional if library else frozenset()):
                yield each, _unknown(node, how, block)
        elif name in wanted:
            if value is not None and block is None:
                yield name, Binding(statement.lineno, value)
            else:
                yield name, _unknown(node, how, block)
    inner = _BLOCKS.get(type(statement))
    if inner is None:
        return  # a simple statement, or a def or class: nothing nested runs in module scope
    for name, node, how in _clause_bindings(statement):
        if name in wanted:
            yield name, _unknown(node, how, inner)
    for child in _nested_statements(statement):
        yield from _statement_bindings(child, wanted, inner, True, optional, is_library)


def _unknown(node: ast.AST, how: str, block: str | None) -> Binding:
    line = getattr(node, "lineno", 1)
    return Binding(line, None, f"{how} inside `{block}`" if block else how)


def _own_bindings(
    statement: ast.stmt,
) -> Iterator[tuple[str, ast.AST, str, ast.expr | None]]:
    """(name, node, how, value) for each name the statement itself binds; value only for plain
    assignments to a name; name "*" for a star import (it may bind any name)."""
    if isinstance(statement, ast.Expr):
        return  # a docstring or a call binds nothing (but `:=`, found separately)
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            if isinstance(target, ast.Name):
                yield target.id, statement, "assigned", statement.value
            else:
                for name in _stored_names(target):
                    yield name, statement, "bound by unpacking", None
    elif isinstance(statement, ast.AnnAssign):
        if statement.value is not None and isinstance(statement.target, ast.Name):
            yield statement.target.id, statement, "assigned", statement.value
    elif isinstance(statement, ast.AugAssign):
        operator = _OPERATORS.get(type(statement.op), "")
        for name in _stored_names(statement.target):
            yield name, statement, f"bound by an augmented assignment ({operator}=)", None
    elif isinstance(statement, (ast.For, ast.AsyncFor)):
        for name in _stored_names(statement.target):
            yield name, statement, "bound by a for-loop target", None
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        for item in statement.items:
            if item.optional_vars is not None:
                for name in _stored_names(item.optional_vars):
                    yield name, statement, "bound by `with ... as`", None
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        yield from _import_bindings(statement)
    elif isinstance(statement, ast.Delete):
        for target in statement.targets:
            for name in _stored_names(target):
                yield name, statement, "deleted by `del`", None
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield statement.name, statement, "bound by a def", None
    elif isinstance(statement, ast.ClassDef):
        yield statement.name, statement, "bound by a class", None
    elif type(statement).__name__ == "TypeAlias":  # Python 3.12+
        for name in _stored_names(getattr(statement, "name", statement)):
            yield name, statement, "bound by a type alias", None


def _clause_bindings(statement: ast.stmt) -> Iterator[tuple[str, ast.AST, str]]:
    """What `except ... as` and match patterns bind: only when that clause runs."""
    for handler in getattr(statement, "handlers", ()):
        if handler.name:
            yield handler.name, handler, "bound by `except ... as`"
    for case in getattr(statement, "cases", ()):
        for node in ast.walk(case.pattern):
            for captured in (getattr(node, "name", None), getattr(node, "rest", None)):
                if isinstance(captured, str):
                    yield captured, case.pattern, "bound by a match pattern"


def _import_bindings(
    statement: ast.Import | ast.ImportFrom,
) -> Iterator[tuple[str, ast.AST, str, ast.expr | None]]:
    for alias in statement.names:
        if alias.name == "*":
            module = getattr(statement, "module", None) or "."
            yield "*", statement, f"possibly bound by `from {module} import *`", None
        else:
            yield alias.asname or alias.name.split(".")[0], statement, "bound by an import", None


def _stored_names(target: ast.AST) -> Iterator[str]:
    for node in ast.walk(target):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            yield node.id


def _nested_statements(statement: ast.stmt) -> Iterator[ast.stmt]:
    """The statements of a compound statement's blocks (if, for, while, try, with, match)."""
    for field in ("body", "orelse", "finalbody"):
        yield from getattr(statement, field, ())
    for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
        yield from part.body


def _module_scope_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """`node` and every node inside it that runs in module scope: not the bodies of def, lambda
    and class (a def's decorators and defaults do run in module scope)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        children: list[ast.AST]
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            children = [*current.decorator_list, current.args]
            if current.returns is not None:
                children.append(current.returns)
        elif isinstance(current, ast.Lambda):
            children = [current.args]
        elif isinstance(current, ast.ClassDef):
            children = [*current.decorator_list, *current.bases, *current.keywords]
        else:
            children = list(ast.iter_child_nodes(current))
        stack.extend(reversed(children))


def _namespace_writes(
    tree: ast.Module, wanted: frozenset[str]
) -> Iterator[tuple[int, str, Collection[str]]]:
    """(line, how, names) for what may rebind names whatever the order: a `global` declaration
    in a function or class, and the ways code reaches the module namespace (exec, globals())."""
    everything = wanted - {MODULE_GETATTR}
    shadowed = _locally_shadowed(tree)
    for node in ast.walk(tree):
        if id(node) in shadowed:
            continue  # a function's own variable named like `globals`: not the builtin
        if isinstance(node, ast.Global):
            declared = [name for name in node.names if name in wanted]
            if declared:
                yield node.lineno, "declared `global` in a function or class", declared
        elif isinstance(node, ast.Name) and node.id in NAMESPACE_WRITERS:
            yield node.lineno, f"possibly rebound through {node.id}", everything
        elif isinstance(node, ast.Attribute) and node.attr in FRAME_NAMESPACE:
            yield node.lineno, f"possibly rebound through a frame's {node.attr}", everything
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None)
            for alias in node.names:
                if alias.name in NAMESPACE_WRITERS or module == "builtins":
                    yield node.lineno, f"possibly rebound through {alias.name}", everything
    for statement in tree.body:
        for node in _module_scope_nodes(statement):
            if isinstance(node, ast.Name) and node.id in MODULE_LEVEL_NAMESPACE:
                yield node.lineno, f"possibly rebound through {node.id}()", everything


def _locally_shadowed(tree: ast.Module) -> set[int]:
    """The ids of the `Name` nodes of NAMESPACE_WRITERS that are a function's own local
    variable (assigned or a parameter there, not declared global): in Python's scoping such a
    name is local in the whole function, and in the functions nested in it, never the builtin."""
    shadowed: set[int] = set()

    def visit(function: ast.AST, inherited: frozenset[str]) -> None:
        args = getattr(function, "args", None)
        local = set(inherited)
        declared_global: set[str] = set()
        body_nodes = list(_function_scope_nodes(function))
        for node in body_nodes:
            if isinstance(node, ast.Global):
                declared_global.update(node.names)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                local.add(node.id)
        if args is not None:
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
                if arg is not None:
                    local.add(arg.arg)
        local = (local - declared_global) & NAMESPACE_WRITERS
        for node in body_nodes:
            if isinstance(node, ast.Name) and node.id in local:
                shadowed.add(id(node))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(node, frozenset(local))

    for statement in tree.body:
        for node in _module_scope_nodes(statement):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(node, frozenset())
            elif isinstance(node, ast.ClassDef):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        visit(inner, frozenset())
    return shadowed


def _function_scope_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's own scope: its body, not the bodies of functions inside it
    (those are yielded themselves, for the caller to visit with what they inherit)."""
    stack: list[ast.AST] = list(getattr(function, "body", []))
    if isinstance(function, ast.Lambda):
        stack = [function.body]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(current))


_OPERATORS: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.MatMult: "@",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}
