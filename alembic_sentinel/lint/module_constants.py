"""Module-level names a revision's functions read as known values: member lists computed from
literals (`NEW = sorted(OLD + ("void",))`) and column types (`new_enum = mysql.ENUM(*NEW)`).

A revision that changes an Enum often keeps both member lists and both types at module level
and gives the alter_column only the type's name (`type_=new_enum`, the downgrade
`type_=old_enum`). Lint reads each name by the last value the module binds it to: a list
computed from literals and earlier constants (constant_values.py), a type call with its
`*members` spread, or, when a later statement changes the list in place (`NEW.remove("x")`,
`NEW += ("y",)`) in a way lint does not follow, nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, MutableMapping

from alembic_sentinel.lint.constant_values import (
    UNKNOWN,
    constant_value,
    literal_node,
    sequence_node,
    spread_type_arguments,
)
from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.literals import Names

# list methods that change the list in place (and set ones, for a name lint does not follow)
_FOLLOWED = frozenset({"append", "remove", "extend", "insert", "sort", "reverse"})
_MUTATING = _FOLLOWED | frozenset({"pop", "clear", "add", "discard", "update"})
# the attribute a module-level type's call carries its name in, for messages
_TYPE_NAME = "sentinel_bound_name"


def computed_sequence(
    value: ast.expr, constants: MutableMapping[str, ast.expr], builtin: Callable[[str], bool]
) -> ast.Tuple | ast.List | None:
    """The literal tuple or list a module-level expression computes (`sorted(OLD + ("x",))`,
    `tuple([v for v in OLD if v != GONE])`), else None. Literals themselves are left to the
    reader's own test."""
    if type(value) not in (ast.BinOp, ast.Call, ast.ListComp, ast.GeneratorExp, ast.Subscript):
        if not isinstance(value, (ast.Tuple, ast.List)):
            return None
        if not any(type(element) in (ast.Starred, ast.Name) for element in value.elts):
            return None
    return sequence_node(value, constants.get, builtin)


def module_type(
    name: str, value: ast.Call, constants: MutableMapping[str, ast.expr], names: Names
) -> ast.Call | None:
    """The SQLAlchemy column type a module-level call makes (`mysql.ENUM(*NEW)`), its
    `*members` spread into literals where lint computes them; None for any other call."""
    qualified = names.qualified(value.func)
    if qualified is None or not qualified.startswith("sqlalchemy"):
        return None  # (not asking the project's TypeDecorators: this runs for every call)
    typed = spread_type_arguments(value, constants.get)
    if type_spec(typed, names) is None:
        return None
    if typed is value:
        typed = ast.copy_location(ast.Call(value.func, value.args, value.keywords), value)
    setattr(typed, _TYPE_NAME, name)  # (ast.unparse and ast.dump leave other attributes be)
    return typed


def type_name(node: ast.expr) -> str | None:
    """The module-level name a type an operation was given by name was bound to, if any."""
    name = getattr(node, _TYPE_NAME, None)
    return name if isinstance(name, str) else None


def follow_mutations(
    statement: ast.stmt,
    constants: MutableMapping[str, ast.expr],
    types: MutableMapping[str, ast.expr],
    builtin: Callable[[str], bool],
) -> None:
    """A module-level statement other than a plain assignment: `NEW.remove("x")` /
    `NEW.append("y")` / `NEW += ("y",)` on a known list gives its new value; any other change
    of a known name (a method that changes it, an assignment inside a block, `del`) leaves
    it unknown."""
    if not constants and not types:
        return  # no known name to follow or forget (most revisions: the walk below is skipped)
    if type(statement) is ast.Expr and type(statement.value) is ast.Call:
        call = statement.value
        func = call.func
        if type(func) is ast.Attribute and type(func.value) is ast.Name and func.attr in _FOLLOWED:
            name = func.value.id
            if name in constants:
                changed = _applied(constants[name], func.attr, call, constants, builtin)
                if changed is not None:
                    constants[name] = changed
                    return
    if type(statement) is ast.AugAssign and type(statement.target) is ast.Name:
        name = statement.target.id
        if name in constants:
            combined = ast.BinOp(ast.Name(name, ast.Load()), statement.op, statement.value)
            changed = literal_node(
                constant_value(combined, constants.get, builtin), statement.value
            )
            if changed is not None:
                constants[name] = changed
                return
    for node in ast.walk(statement):
        for name in _changed_names(node):
            constants.pop(name, None)
            types.pop(name, None)


def _changed_names(node: ast.AST) -> list[str]:
    if type(node) is ast.Call:
        func = node.func
        if type(func) is ast.Attribute and type(func.value) is ast.Name and func.attr in _MUTATING:
            return [func.value.id]
        return []
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete, ast.For)):
        targets: list[ast.expr] = (
            list(node.targets) if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        )
        return [n.id for target in targets for n in ast.walk(target) if type(n) is ast.Name]
    return []


def _applied(
    held: ast.expr,
    method: str,
    call: ast.Call,
    constants: MutableMapping[str, ast.expr],
    builtin: Callable[[str], bool],
) -> ast.expr | None:
    """The list `held` after `held.method(*args)`, as a literal; None when not known."""
    current = constant_value(held, constants.get, builtin)
    if type(current) is not list or call.keywords:
        return None  # a tuple has no such method: the module would fail; not followed
    args = [constant_value(arg, constants.get, builtin) for arg in call.args]
    if any(arg is UNKNOWN for arg in args):
        return None
    changed = list(current)
    try:
        if method == "append" and len(args) == 1:
            changed.append(args[0])
        elif method == "remove" and len(args) == 1:
            changed.remove(args[0])
        elif method == "extend" and len(args) == 1 and isinstance(args[0], (tuple, list)):
            changed.extend(args[0])
        elif method == "insert" and len(args) == 2 and type(args[0]) is int:
            changed.insert(args[0], args[1])
        elif method == "sort" and not args:
            changed.sort()
        elif method == "reverse" and not args:
            changed.reverse()
        else:
            return None
    except (ValueError, TypeError):
        return None
    return literal_node(changed, held)
