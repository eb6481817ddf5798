"""The ALTER TABLE clause of one operation, for gh-ost and pt-online-schema-change.

Both tools take the clause without `ALTER TABLE name`. It is rendered from the revision's
syntax (the same reading the lint rules use): a type, name or condition that is not a literal
gives None, and the advice then says how to get the statement from Alembic instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.literals import Names, literal_bool, string_list, string_value
from alembic_sentinel.lint.revision_model import (
    DEFAULT_LITERAL,
    ColumnSpec,
    Fill,
    Operation,
    RevisionModule,
    TypeSpec,
)

_TYPE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "String": "VARCHAR",
        "Unicode": "VARCHAR",
        "NVARCHAR": "VARCHAR",
        "Text": "TEXT",
        "UnicodeText": "TEXT",
        "CLOB": "TEXT",
        "LargeBinary": "BLOB",
        "PickleType": "BLOB",
        "Integer": "INTEGER",
        "SmallInteger": "SMALLINT",
        "BigInteger": "BIGINT",
        "Boolean": "BOOL",
        "Numeric": "DECIMAL",
        "Float": "FLOAT",
        "Double": "DOUBLE",
        "DOUBLE_PRECISION": "DOUBLE",
        "DateTime": "DATETIME",
        "Date": "DATE",
        "Time": "TIME",
        "Enum": "ENUM",
    }
)
_ALTER = re.compile(
    r"^\s*ALTER\s+(?:ONLINE\s+|IGNORE\s+)*TABLE\s+(`(?:[^`]|``)+`|\S+)\s+(.+?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def quote_identifier(name: str) -> str:
    """A MySQL identifier in backticks, backticks inside doubled."""
    return "`" + name.replace("`", "``") + "`"


def _string_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def render_type(spec: TypeSpec | None) -> str | None:
    if spec is None:
        return None
    name = _TYPE_NAMES.get(spec.name, spec.name.upper())
    if name == "ENUM" or name == "SET":
        if spec.values is None:
            return None
        return f"{name}({', '.join(_string_literal(v) for v in spec.values)})"
    if name in ("VARCHAR", "CHAR", "NCHAR"):
        return f"{name}({spec.length})" if spec.length else None
    if name == "DECIMAL" and spec.precision is not None:
        scale = f", {spec.scale}" if spec.scale is not None else ""
        return f"DECIMAL({spec.precision}{scale})"
    if spec.display_width is not None:
        return f"{name}({spec.display_width})"
    return name


def _column_definition(
    name: str, spec: TypeSpec | None, nullable: bool | None, column: ColumnSpec | None, names: Names
) -> str | None:
    rendered = render_type(spec)
    if rendered is None:
        return None
    parts = [quote_identifier(name), rendered]
    if nullable is not None:
        parts.append("NULL" if nullable else "NOT NULL")
    if column is not None and column.server_default is not None:
        node = column.server_default_node
        value = string_value(node) if node is not None else None
        if column.server_default != DEFAULT_LITERAL or value is None:
            return None
        parts.append(f"DEFAULT {_string_literal(value)}")
    return " ".join(parts)


def _columns(node: object) -> str | None:
    listed = string_list(node) if node is not None else None  # type: ignore[arg-type]
    if not listed:
        return None
    return ", ".join(quote_identifier(c) for c in listed)


def alter_clause(op: Operation, module: RevisionModule) -> str | None:
    """What follows `ALTER TABLE t` for `op`; None when the syntax does not say it all."""
    names = module.names
    name = op.name
    if name == "add_column" and len(op.columns) == 1:
        column = op.columns[0]
        if column.name is None or column.foreign_keys or column.generated:
            return None
        definition = _column_definition(column.name, column.type, column.nullable, column, names)
        return f"ADD COLUMN {definition}" if definition else None
    if name == "drop_column":
        column_name = op.string("column_name")
        return f"DROP COLUMN {quote_identifier(column_name)}" if column_name else None
    if name == "alter_column":
        return _alter_column(op, names)
    if name in ("create_index", "create_unique_constraint", "create_primary_key"):
        key = "index_name" if name == "create_index" else "constraint_name"
        columns = _columns(op.param("columns"))
        if columns is None:
            return None
        if name == "create_primary_key":
            return f"ADD PRIMARY KEY ({columns})"
        index = op.string(key)
        if index is None:
            return None
        unique = name == "create_unique_constraint" or literal_bool(op.param("unique")) is True
        return f"ADD {'UNIQUE ' if unique else ''}INDEX {quote_identifier(index)} ({columns})"
    if name == "create_foreign_key":
        constraint = op.string("constraint_name")
        referent = op.string("referent_table")
        local, remote = _columns(op.param("local_cols")), _columns(op.param("remote_cols"))
        if constraint is None or referent is None or local is None or remote is None:
            return None
        return (
            f"ADD CONSTRAINT {quote_identifier(constraint)} FOREIGN KEY ({local}) "
            f"REFERENCES {quote_identifier(referent)} ({remote})"
        )
    if name == "create_check_constraint":
        constraint, condition = op.string("constraint_name"), op.string("condition")
        if constraint is None or condition is None:
            return None
        return f"ADD CONSTRAINT {quote_identifier(constraint)} CHECK ({condition})"
    if name == "drop_constraint" and op.string("type_") == "primary":
        return "DROP PRIMARY KEY"
    if name == "execute":
        return _raw_clause(op, module)
    return None


def _alter_column(op: Operation, names: Names) -> str | None:
    column_name = op.string("column_name")
    if column_name is None:
        return None
    spec = type_spec(op.param("type_"), names) or type_spec(op.param("existing_type"), names)
    nullable = literal_bool(op.param("nullable"))
    if nullable is None:
        nullable = literal_bool(op.param("existing_nullable"))
    if nullable is None:
        # MODIFY / CHANGE restate the whole column: an unknown NULL / NOT NULL would change it
        return None
    new_name = op.string("new_column_name")
    if op.param("new_column_name") is not None and new_name is None:
        return None
    definition = _column_definition(new_name or column_name, spec, nullable, None, names)
    if definition is None:
        return None
    if new_name:
        return f"CHANGE COLUMN {quote_identifier(column_name)} {definition}"
    return f"MODIFY COLUMN {definition}"


def _raw_clause(op: Operation, module: RevisionModule) -> str | None:
    upgrade = module.upgrade
    fill: Fill | None = None
    if upgrade is not None:
        fill = next((f for f in upgrade.fills if f.seq == op.seq), None)
    sql = op.string("sqltext")
    if fill is None or sql is None or len(fill.statements) != 1:
        return None
    match = _ALTER.match(sql)
    return " ".join(match.group(2).split()) if match else None
