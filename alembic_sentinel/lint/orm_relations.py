"""The relationships between the ORM classes a revision defines: which class an attribute of an
instance leads to (round 15).

A revision that folds one table into another often copies through the ORM: it loads the
parents and reads each one's children through a relationship or its backref (`for a in
session.query(Alert): a.kind = a.checks[0].kind`, `for child in parent.children: ...`) before
dropping the children's table. Those reads are reads of the related class's table: its rows
were copied first (L304), as a loop over the table's own rows would be. Only what the file
declares is followed: `relationship("Other", backref="items")` or `backref=backref("items",
...)` on a class attribute or a `@declared_attr` method, the target named by its class name
(also a dotted path, its last part) or the class itself.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from alembic_sentinel.lint.literals import string_value

_RELATIONSHIP = ("relationship", "relation")


def class_relations(classes: Iterable[ast.ClassDef]) -> dict[tuple[str, str], str]:
    """(class, attribute) -> the class its instances' attribute leads to, both ways: the
    relationship's own attribute, and the backref it declares on the other class."""
    relations: dict[tuple[str, str], str] = {}
    for node in classes:
        for attribute, call in _relationships(node):
            target = _target(call)
            if target is None:
                continue
            relations[(node.name, attribute)] = target
            backref = _backref_name(call)
            if backref is not None:
                relations[(target, backref)] = node.name
    return relations


def _relationships(node: ast.ClassDef) -> Iterable[tuple[str, ast.Call]]:
    """(attribute, relationship call) of each relationship the class declares."""
    for statement in node.body:
        value: ast.expr | None = None
        name: str | None = None
        if type(statement) is ast.Assign and len(statement.targets) == 1:
            target = statement.targets[0]
            name = target.id if type(target) is ast.Name else None
            value = statement.value
        elif type(statement) is ast.AnnAssign and type(statement.target) is ast.Name:
            name, value = statement.target.id, statement.value
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # `@declared_attr def parent(cls): return relationship(...)`
            returned = [s.value for s in statement.body if type(s) is ast.Return]
            name, value = statement.name, returned[0] if len(returned) == 1 else None
        if name is not None and type(value) is ast.Call and _is_relationship(value):
            yield name, value


def _is_relationship(call: ast.Call) -> bool:
    func = call.func
    callee = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
    return callee in _RELATIONSHIP


def _target(call: ast.Call) -> str | None:
    first = call.args[0] if call.args else None
    first = next((kw.value for kw in call.keywords if kw.arg == "argument"), first)
    if first is None:
        return None
    if type(first) is ast.Name:
        return first.id
    named = string_value(first)
    return named.rsplit(".", 1)[-1] if named else None


def _backref_name(call: ast.Call) -> str | None:
    given = next((kw.value for kw in call.keywords if kw.arg == "backref"), None)
    if given is None:
        return None
    if type(given) is ast.Call and given.args:
        return string_value(given.args[0])  # backref("items", cascade=...)
    return string_value(given)


def association_tables(
    tree: ast.Module, table_of: Callable[[str], str | None]
) -> dict[str, frozenset[str]]:
    """Relationship attribute -> the association tables reading it reads (round 22).

    A many-to-many relationship (`relationship("Role", secondary="user_role")`, or
    `secondary=user_role_table` a Table the file defines) loads its rows through the association
    table: a loop that reads `user.roles` for each user reads that table's rows, the way a
    migration folding the association into a column copies them before dropping it. Both the
    relationship's attribute and its backref count; the relationship may sit in a class body or
    be set on a class at run time (`Token.roles = relationship(...)` inside upgrade())."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if type(node) is ast.Assign and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif type(node) is ast.AnnAssign and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if type(value) is not ast.Call or not _is_relationship(value):
            continue
        given = next((kw.value for kw in value.keywords if kw.arg == "secondary"), None)
        table = _table_named(given, table_of) if given is not None else None
        if table is None:
            continue
        attributes = [target.id if type(target) is ast.Name else getattr(target, "attr", None)]
        attributes.append(_backref_name(value))
        for attribute in attributes:
            if attribute:
                found.setdefault(attribute, set()).add(table.lower())
    return {attribute: frozenset(tables) for attribute, tables in found.items()}


def _table_named(node: ast.expr, table_of: Callable[[str], str | None]) -> str | None:
    """The table `secondary=` names: a string ("schema.t" read as t), a Table the file binds
    to a name, or `Table("t", ...)` written in place."""
    if type(node) is ast.Name:
        return table_of(node.id)
    if type(node) is ast.Call and node.args:
        node = node.args[0]
    named = string_value(node)
    return named.rsplit(".", 1)[-1] if named else None
