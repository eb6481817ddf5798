"""Inline tables of a revision file read statically: `sa.table()` / `sa.Table()` calls, the
table `op.create_table()` returns, and ORM classes with `__tablename__` or `__table__`, each as
a TableModel of its columns. Split from lint.expressions, which reads the single expressions
(types, columns, constraints) these are made of."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import cast

from alembic_sentinel.lint.expressions import (
    TABLE_CALLS,
    column_spec,
    computed_name_pattern,
    constraint_spec,
)
from alembic_sentinel.lint.literals import Names, string_value
from alembic_sentinel.lint.revision_model import ColumnSpec, ConstraintSpec, TableModel


def table_model(
    variable: str,
    call: ast.Call,
    names: Names,
    constants: Mapping[str, ast.expr] = MappingProxyType({}),
) -> TableModel | None:
    """`t = sa.table("t", sa.column("c", sa.Integer))`, `sa.Table("t", metadata, ...)` or the
    table `op.create_table("t", ...)` returns; the name may be a constant of the module (`TABLE
    = "t"`, `sa.Table(TABLE, ...)`). A table-level PrimaryKeyConstraint / one-column
    UniqueConstraint marks its columns as a Column's primary_key= / unique= would."""
    func = call.func
    created = type(func) is ast.Attribute and func.attr == "create_table"
    created = created and names.is_op(cast(ast.Attribute, func).value)
    if not call.args or not (created or names.sqlalchemy_name(func) in TABLE_CALLS):
        return None
    columns: dict[str, ColumnSpec] = {}
    keys: list[ConstraintSpec] = []
    for arg in call.args[1:]:
        spec = column_spec(arg, names)
        if spec is not None and spec.name is not None:
            columns[spec.name] = spec
        elif type(arg) is ast.Call:
            constraint = constraint_spec(arg, names)
            if constraint is not None and constraint.kind in ("primary_key", "unique"):
                keys.append(constraint)
    for constraint in keys:
        primary = constraint.kind == "primary_key"
        if not primary and len(constraint.columns) != 1:
            continue  # a key over several columns makes none of them unique alone
        for name in constraint.columns:
            spec = columns.get(name)
            if spec is not None:
                columns[name] = (
                    spec._replace(primary_key=True) if primary else spec._replace(unique=True)
                )
    first = call.args[0]
    if type(first) is ast.Name:
        first = constants.get(first.id, first)
    table = string_value(first)
    like = computed_name_pattern(first) if table is None else None
    return TableModel(
        variable, table, columns, False, call.lineno, like.pattern if like is not None else None
    )


def class_assignments(node: ast.ClassDef) -> Iterator[tuple[ast.Name, ast.expr]]:
    """(name, value) of each `name = value` / `name: T = value` of a class body."""
    for statement in node.body:
        if type(statement) is ast.Assign and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif type(statement) is ast.AnnAssign and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if type(target) is ast.Name:
            yield target, value


def class_model(node: ast.ClassDef, names: Names) -> TableModel | None:
    """An ORM class with `__tablename__` (or `__table__`), and its mapped columns."""
    table: str | None = None
    columns: dict[str, ColumnSpec] = {}
    mapped = False
    for target, value in class_assignments(node):
        if target.id == "__tablename__":
            table, mapped = string_value(value), True
        elif target.id == "__table__" and type(value) is ast.Call:
            inline = table_model(node.name, value, names)
            if inline is not None:
                table, mapped = inline.table, True
                columns.update(inline.columns)
        elif target.id == "__table__" and reflected_table_name(value) is not None:
            # `__table__ = Base.metadata.tables["account"]`: the class maps a reflected
            # table, whose columns lint does not know; `Account_.col` still names it
            table, mapped = reflected_table_name(value), True
        else:
            spec = column_spec(value, names, attribute=target.id)
            if spec is not None:
                columns[target.id] = spec
                if spec.name is not None:
                    columns.setdefault(spec.name, spec)
    return TableModel(node.name, table, columns, True, node.lineno) if mapped else None


def reflected_table_name(node: ast.expr) -> str | None:
    """The table a lookup in a MetaData's tables names: `<anything>.tables["account"]`."""
    if type(node) is not ast.Subscript or type(node.value) is not ast.Attribute:
        return None
    if node.value.attr != "tables":
        return None
    return string_value(node.slice)


def mapped_column(model: TableModel, attribute: str) -> str:
    """The column (lowercase) an attribute of an ORM class reads: the name its Column gives
    (`_last_seen = Column("last_seen", ...)`, `mapped_column("x")`, `Column(name="x")`), else
    the attribute's own name (a relationship, a property, a column lint did not read)."""
    spec = model.columns.get(attribute)
    name = spec.name if spec is not None and spec.name else attribute
    return name.lower()
