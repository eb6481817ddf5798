"""What each upgrade operation changes in the schema, and how the target server applies it (L314).

`ddl_changes` maps an `op.*` call to online_ddl's `DdlChange`s; `online_ddl` gives every change
of the upgrade its algorithm on the target (INSTANT, INPLACE, COPY: the `--show-ddl` statements)
and an L314 hit for each operation that copies the table.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.facts import (
    BYTES_PER_CHAR,
    Facts,
    Hit,
    LintOptions,
    auto_increment,
    literal_bool,
    op_hit,
)
from alembic_sentinel.lint.literals import is_none
from alembic_sentinel.lint.online_ddl import COPY, DdlChange, ddl_algorithm, explain_algorithm
from alembic_sentinel.lint.revision_model import ENUM, STRING, Operation, RevisionModule, TypeSpec

_DROP_CONSTRAINT_KINDS = MappingProxyType(
    {
        "foreignkey": "drop_foreign_key",
        "primary": "drop_primary_key",
        "unique": "drop_index",
        "check": "drop_check",
    }
)


class DdlStatement(NamedTuple):
    """One schema change of an upgrade and the online-DDL algorithm the target uses for it."""

    path: str
    line: int
    operation: str  # e.g. "add_column election.isListed"
    algorithm: str  # INSTANT | INPLACE | COPY | N/A


def _varchar_bytes(column_type: TypeSpec | None) -> int | None:
    if column_type is None or column_type.name in ("CHAR", "NCHAR") or not column_type.length:
        return None
    return column_type.length * BYTES_PER_CHAR if column_type.family == STRING else None


def _type_change(old: TypeSpec | None, new: TypeSpec | None) -> DdlChange | None:
    if old is not None and new is not None:
        if old == new:
            return None
        old_bytes, new_bytes = _varchar_bytes(old), _varchar_bytes(new)
        if old_bytes is not None and new_bytes is not None:
            return DdlChange(
                "widen_varchar", old_length_bytes=old_bytes, new_length_bytes=new_bytes
            )
        if old.family == ENUM and new.family == ENUM:
            if old.values is not None and new.values is not None:
                if old.values == new.values:
                    return None
                appended = new.values[: len(old.values)] == old.values
                return DdlChange("enum_append" if appended else "enum_change")
            return DdlChange("enum_change")
    return DdlChange("change_type")


def ddl_changes(op: Operation, module: RevisionModule) -> list[tuple[DdlChange, str]]:
    """The schema changes an operation makes, each with what it is about ("election.isListed")."""
    names = module.names
    table = op.table or "?"
    name = op.name
    if name == "add_column":
        changes = []
        for column in op.columns:
            label = f"{table}.{column.name or '?'}"
            automatic = auto_increment(column)
            changes.append((DdlChange("add_column", auto_increment=automatic), label))
            if column.unique:
                changes.append((DdlChange("add_unique"), label))
            if column.indexed:
                changes.append((DdlChange("create_index"), label))
            changes.extend((DdlChange("add_foreign_key"), label) for _ in column.foreign_keys)
        return changes or [(DdlChange("add_column"), f"{table}.?")]
    if name == "alter_column":
        label = f"{table}.{op.string('column_name') or '?'}"
        changes = []
        if op.param("new_column_name") is not None:
            changes.append((DdlChange("rename_column"), label))
        if op.param("type_") is not None:
            change = _type_change(
                type_spec(op.param("existing_type"), names), type_spec(op.param("type_"), names)
            )
            if change is not None:
                changes.append((change, label))
        nullable = literal_bool(op.param("nullable"))
        if nullable is not None:
            changes.append((DdlChange("set_nullable" if nullable else "set_not_null"), label))
        default = op.param("server_default")
        if default is not None and literal_bool(default) is not False:
            kind = "drop_default" if is_none(default) else "set_default"
            changes.append((DdlChange(kind), label))
        return changes
    if name in ("create_index", "drop_index"):
        index = op.string("index_name") or "?"
        unique = name == "create_index" and literal_bool(op.param("unique")) is True
        kind = "add_unique" if unique else name
        return [(DdlChange(kind), f"{table}.{index}" if op.table else index)]
    constraint = op.string("constraint_name") or "?"
    simple = {
        "create_unique_constraint": "add_unique",
        "create_foreign_key": "add_foreign_key",
        "create_primary_key": "add_primary_key",
        "create_check_constraint": "add_check",
    }
    if name in simple:
        return [(DdlChange(simple[name]), f"{table}.{constraint}")]
    if name == "drop_constraint":
        dropped = _DROP_CONSTRAINT_KINDS.get(op.string("type_") or "")
        return [(DdlChange(dropped), f"{table}.{constraint}")] if dropped else []
    if name == "drop_column":
        return [(DdlChange("drop_column"), f"{table}.{op.string('column_name') or '?'}")]
    if name == "rename_table":
        return [(DdlChange("rename_table"), f"{table} -> {op.string('new_table_name') or '?'}")]
    if name in ("create_table", "drop_table"):
        return [(DdlChange(name), table)]
    if name == "execute":
        sql = op.string("sqltext")
        shown = " ".join(sql.split())[:50] if sql is not None else ""
        return [(DdlChange("execute"), shown)]
    return []


def online_ddl(
    facts: Facts, options: LintOptions, path: str
) -> tuple[list[DdlStatement], list[Hit]]:
    """The algorithm of every upgrade change on the target, and an L314 per COPY operation."""
    target = options.target
    statements = []
    hits = []
    for op in facts.upgrade_ops:
        copies = []
        for change, label in ddl_changes(op, facts.module):
            algorithm = ddl_algorithm(change, target)
            operation = f"{change.kind} {label}".rstrip()
            statements.append(DdlStatement(path, op.line, operation, algorithm))
            if algorithm == COPY:
                copies.append(f"{operation}: {explain_algorithm(change, target)}")
        if copies:
            what = "; ".join(copies)
            hits.append(op_hit("L314", op, f"{op.name} is ALGORITHM=COPY on {target} ({what})"))
    return statements, hits
