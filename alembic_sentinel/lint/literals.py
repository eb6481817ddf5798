"""Literals and names in a revision file's syntax: `"x"`, `None`, `("a", "b")`, `sa` -> sqlalchemy.

Names are resolved through the file's imports and aliases (`import sqlalchemy as db`,
`db = sa`, `from sqlalchemy import Column`, `from sqlalchemy.dialects import mysql`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from types import MappingProxyType

# when the file never binds these names, they mean what Alembic's template imports
_IMPLICIT: Mapping[str, str] = MappingProxyType({"op": "alembic.op", "sa": "sqlalchemy"})


def dotted_parts(node: ast.expr) -> list[str] | None:
    """The names of a dotted reference, first to last (`mu.consts.POSTGRES` -> ["mu",
    "consts", "POSTGRES"]); None when it does not start from a plain name (`f().x`)."""
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def single_assignment(statement: ast.stmt) -> tuple[ast.expr, ast.expr] | None:
    """(target, value) of `x = v` or `x: T = v`; None for any other statement (a tuple of
    targets, `a = b = v`, a bare annotation)."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        return statement.targets[0], statement.value
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return statement.target, statement.value
    return None


class Names:
    """What each name in the module refers to: `sa` -> `sqlalchemy`, `Column` -> its class."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}
        # what `expressions` read of a node under the current bindings, by (what, id(node),
        # detail): (node, result); the reader and several rules ask for the same column and
        # type. A new binding may change any answer, so it empties the memo.
        self.memo: dict[tuple[str, int, str | None], tuple[ast.AST, object]] = {}
        # the type a project TypeDecorator class stands for (project_types.DecoratedTypes),
        # asked for a type expression SQLAlchemy's names do not cover; None: not looked up.
        # Its TypeSpec is typed `object` here: revision_model, which defines it, imports this
        self.decorated_types: Callable[[ast.expr], object] | None = None

    def bind(self, name: str, qualified: str) -> None:
        self._aliases[name] = qualified
        self.memo.clear()

    def imports_from(self, module: str) -> bool:
        """Whether some name of the file refers into `module` (a cheap gate for rules that
        look for its names)."""
        return any(
            value == module or value.startswith(module + ".") for value in self._aliases.values()
        )

    def resolve(self, name: str) -> str | None:
        return self._aliases.get(name) or _IMPLICIT.get(name)

    def qualified(self, node: ast.expr) -> str | None:
        """`db.Column` -> "sqlalchemy.Column" when `db = sa` and `import sqlalchemy as sa`."""
        parts = dotted_parts(node)
        base = self.resolve(parts[0]) if parts is not None else None
        if parts is None or base is None:
            return None
        return ".".join([base, *parts[1:]])

    def sqlalchemy_name(self, node: ast.expr) -> str | None:
        """The SQLAlchemy name a callee means (`db.String` -> "String"), else None.

        A name whose origin the file does not show (a star import, Flask-SQLAlchemy's
        `db.Column`) is taken at its word; one imported from elsewhere is not SQLAlchemy's.
        """
        if type(node) is ast.Attribute:
            last = node.attr
        elif type(node) is ast.Name:
            last = node.id
        else:
            return None
        root: ast.expr = node
        while type(root) is ast.Attribute:
            root = root.value
        if type(root) is not ast.Name:
            return last  # e.g. `make_table().c`: no origin to judge by
        # only the root's origin decides (a dotted name never starts with a longer prefix)
        origin = self.resolve(root.id)
        if origin is None or origin.startswith(("sqlalchemy", "flask_sqlalchemy")):
            return last
        return None

    def is_op(self, node: ast.expr) -> bool:
        """`op`, however imported (`from alembic import op`, `import alembic` + `alembic.op`)."""
        if type(node) is ast.Name:
            return self.resolve(node.id) == "alembic.op"
        return type(node) is ast.Attribute and self.qualified(node) == "alembic.op"


def string_value(node: ast.expr) -> str | None:
    """A literal string, also through `op.f("x")` / `conv("x")`; else None."""
    if type(node) is ast.Constant:
        return node.value if type(node.value) is str else None
    if type(node) is ast.Call and len(node.args) == 1 and type(node.args[0]) is ast.Constant:
        func = node.func
        callee = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
        value = node.args[0].value
        if callee in ("f", "conv") and type(value) is str:
            return value
    return None


def final_name(node: ast.expr | None) -> bool:
    """Whether a name is given through `op.f("x")` / `conv("x")`: used as written, never
    expanded by the MetaData's naming_convention."""
    return type(node) is ast.Call and string_value(node) is not None


def is_none(node: ast.expr | None) -> bool:
    return type(node) is ast.Constant and node.value is None


def stated_default(server_default: ast.expr | None, existing: ast.expr | None) -> bool | None:
    """Whether an alter_column leaves the column with a server default: server_default=None
    removes it, another value sets it; else existing_server_default= says what it has; None
    when neither is given (round r28a, L330)."""
    for value in (server_default, existing):
        if value is not None:
            return not is_none(value)
    return None


def literal_bool(node: ast.expr | None) -> bool | None:
    if type(node) is ast.Constant and type(node.value) is bool:
        return node.value
    return None


def literal_int(node: ast.expr | None) -> int | None:
    if type(node) is ast.Constant and type(node.value) is int:
        return node.value
    return None


def string_list(node: ast.expr | None) -> tuple[str, ...] | None:
    """["a", "b"] / ("a",) / "a" / list(("a",)) as strings; None when any item is not a
    literal."""
    if node is None:
        return None
    if type(node) is ast.Constant and type(node.value) is str:
        return (node.value,)
    if (
        type(node) is ast.Call
        and type(node.func) is ast.Name
        and node.func.id in ("list", "tuple")
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], (ast.List, ast.Tuple))
    ):
        node = node.args[0]  # `list(("a", "b"))`: a constant's tuple made a list (round 38)
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [string_value(item) for item in node.elts]
        strings = tuple(item for item in items if item is not None)
        if len(strings) == len(items):
            return strings
    return None
