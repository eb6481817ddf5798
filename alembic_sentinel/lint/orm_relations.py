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
from collections.abc import Iterable

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
