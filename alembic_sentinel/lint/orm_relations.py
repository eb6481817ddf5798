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
import re
from collections.abc import Callable, Iterable, Mapping

from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.sql_reader import ColumnRef
from alembic_sentinel.lint.table_models import class_assignments

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


def relationship_keys(
    classes: Iterable[ast.ClassDef], class_tables: Mapping[str, str]
) -> dict[ColumnRef, frozenset[ColumnRef]]:
    """(table, attribute) -> the foreign-key columns, as (table, column), that a relationship
    or its backref is built on (round 28): reading the relationship (`customer.contact.email`,
    `for c in group.members`) loads the related rows by those columns, so their values are
    read as much as `customer.contact_id` would be. The columns are the ones `foreign_keys=`
    names (`[contact_id]`, `"[Customer.contact_id]"`, `Customer.contact_id`), else every column
    of either class whose ForeignKey points at the other's table (a one-to-many from the
    parent's side reads the children's key). `class_tables`: ORM class -> its table, lowercase.
    """
    nodes = {node.name: node for node in classes}
    keys: dict[ColumnRef, frozenset[ColumnRef]] = {}
    pointing: dict[str, list[tuple[str, str]]] = {}  # class -> its (column, referred table)
    for name, node in nodes.items():
        if name in class_tables:
            pointing[name] = list(_foreign_key_columns(node, class_tables))
    for name, node in nodes.items():
        own = class_tables.get(name)
        if own is None:
            continue
        for attribute, call in _relationships(node):
            target = _target(call)
            other = class_tables.get(target) if target is not None else None
            if target is None or other is None:
                continue
            given = next((kw.value for kw in call.keywords if kw.arg == "foreign_keys"), None)
            columns: set[ColumnRef]
            if given is not None:
                columns = _named_columns(given, name, nodes, class_tables)
            else:
                columns = {(own, c) for c, to in pointing.get(name, ()) if to == other}
                columns |= {(other, c) for c, to in pointing.get(target, ()) if to == own}
            if not columns:
                continue
            keys[(own, attribute.lower())] = frozenset(columns)
            backref = _backref_name(call)
            if backref is not None:
                keys[(other, backref.lower())] = frozenset(columns)
    return keys


def _column_assignments(node: ast.ClassDef) -> Iterable[tuple[str, ast.Call]]:
    """(attribute, call) of each `attr = Column(...)` / `mapped_column(...)` of a class body."""
    for target, value in class_assignments(node):
        if type(value) is ast.Call:
            func = value.func
            callee = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
            if callee in ("Column", "mapped_column"):
                yield target.id, value


def _column_name(attribute: str, call: ast.Call) -> str:
    """The column an attribute maps: `Column("name", ...)` / `name="..."`, else the attribute."""
    first = string_value(call.args[0]) if call.args else None
    named = next((string_value(kw.value) for kw in call.keywords if kw.arg == "name"), None)
    return (named or first or attribute).lower()


def _foreign_key_columns(
    node: ast.ClassDef, class_tables: Mapping[str, str]
) -> Iterable[tuple[str, str]]:
    """(column, referred table) of each column of the class with a ForeignKey: to
    `"table.column"` ("schema.table.column" read as table) or to `Other.column`."""
    for attribute, call in _column_assignments(node):
        for argument in call.args:
            if type(argument) is not ast.Call or not argument.args:
                continue
            func = argument.func
            callee = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
            if callee != "ForeignKey":
                continue
            referred = argument.args[0]
            text = string_value(referred)
            if text is not None and "." in text:
                table: str | None = text.rsplit(".", 2)[-2].lower()
            elif type(referred) is ast.Attribute and type(referred.value) is ast.Name:
                table = class_tables.get(referred.value.id)
            else:
                table = None
            if table is not None:
                yield _column_name(attribute, call), table


def _named_columns(
    given: ast.expr,
    owner: str,
    nodes: Mapping[str, ast.ClassDef],
    class_tables: Mapping[str, str],
) -> set[ColumnRef]:
    """The columns `foreign_keys=` names: attributes of the declaring class (`[contact_id]`),
    `Class.attribute`, or the same in a string SQLAlchemy evaluates (`"[Class.attribute]"`)."""
    found: set[ColumnRef] = set()
    parts = list(given.elts) if isinstance(given, (ast.List, ast.Tuple)) else [given]
    for part in parts:
        text = string_value(part)
        pairs: list[tuple[str, str]]
        if text is not None:
            pairs = re.findall(r"(\w+)\.(\w+)", text)
            pairs = pairs or [(owner, name) for name in re.findall(r"\w+", text)]
        elif type(part) is ast.Attribute and type(part.value) is ast.Name:
            pairs = [(part.value.id, part.attr)]
        elif type(part) is ast.Name:
            pairs = [(owner, part.id)]
        else:
            continue
        for cls, attribute in pairs:
            table, node = class_tables.get(cls), nodes.get(cls)
            if table is None or node is None:
                continue
            mapped = dict(_column_assignments(node))
            call = mapped.get(attribute)
            found.add((table, _column_name(attribute, call) if call else attribute.lower()))
    return found
