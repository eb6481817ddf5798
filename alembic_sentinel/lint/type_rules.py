"""Rules about column types as the target server stores them: narrowing, enums, keys, defaults.

L307 a type change that can lose values (`narrowing`), L308 Enum values removed or reordered,
L312 an index key over InnoDB's byte limit under utf8mb4, L313 a TEXT/BLOB/JSON default the
target refuses. Each rule is a `Check` over lint.facts' `Facts`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from alembic_sentinel.lint.expressions import default_kind, type_spec
from alembic_sentinel.lint.facts import (
    BYTES_PER_CHAR,
    Facts,
    Hit,
    LintOptions,
    column_label,
    literal_bool,
    op_hit,
)
from alembic_sentinel.lint.literals import is_none, string_list, string_value
from alembic_sentinel.lint.online_ddl import ServerVersion
from alembic_sentinel.lint.revision_model import (
    BLOB,
    BOOLEAN,
    DATE,
    DATETIME,
    DEFAULT_LITERAL,
    DEFAULT_NONE,
    ENUM,
    INTEGER,
    JSON,
    NUMERIC,
    STRING,
    TEXT,
    TIME,
    Operation,
    TypeSpec,
)
from alembic_sentinel.report.model import NOTICE

# InnoDB's index key limit with the DYNAMIC/COMPRESSED row formats (MySQL 5.7.7+, MariaDB 10.2+)
KEY_LIMIT_BYTES = 3072

_INTEGER_RANK = MappingProxyType(
    {
        "TINYINT": 1,
        "SmallInteger": 2,
        "SMALLINT": 2,
        "MEDIUMINT": 3,
        "Integer": 4,
        "INTEGER": 4,
        "INT": 4,
        "BigInteger": 5,
        "BIGINT": 5,
    }
)
_LOB_RANK = MappingProxyType(
    {
        "TINYTEXT": 1,
        "TINYBLOB": 1,
        "MEDIUMTEXT": 3,
        "MEDIUMBLOB": 3,
        "LONGTEXT": 4,
        "LONGBLOB": 4,
    }
)  # any other TEXT / BLOB type: 2 (TEXT, BLOB)
_DECIMALS = frozenset({"Numeric", "NUMERIC", "DECIMAL"})
_DOUBLES = frozenset({"Double", "DOUBLE", "DOUBLE_PRECISION"})
_SINGLES = frozenset({"Float", "FLOAT", "REAL"})
_LOB_FAMILIES = frozenset({TEXT, BLOB, JSON})


# L307, L308


def _lob_rank(column_type: TypeSpec) -> int:
    return _LOB_RANK.get(column_type.name, 2)


def narrowing(old: TypeSpec, new: TypeSpec) -> str | None:
    """Why changing a column from `old` to `new` can lose values, or None."""
    before, after = old.family, new.family
    if after == BOOLEAN and before != BOOLEAN:
        return "to Boolean keeps only 0/1"
    if before == STRING and after == STRING:
        if old.length and new.length and new.length < old.length:
            return f"shortens it from {old.length} to {new.length} characters"
        return None
    if before in (TEXT, JSON) and after == STRING:
        return f"{old} to {new} limits its length"
    if before == after and before in (TEXT, BLOB) and _lob_rank(new) < _lob_rank(old):
        return f"{old} to {new} lowers its maximum length"
    if before == INTEGER and after == INTEGER:
        old_rank, new_rank = _INTEGER_RANK.get(old.name), _INTEGER_RANK.get(new.name)
        if old_rank and new_rank and new_rank < old_rank:
            return f"{old} to {new} lowers its range"
        return None
    if before == NUMERIC and after == INTEGER:
        return f"{old} to {new} drops the fraction"
    if before == NUMERIC and after == NUMERIC:
        return _numeric_narrowing(old, new)
    if before == DATETIME and after in (DATE, TIME):
        return f"{old} to {new} drops the {'time' if after == DATE else 'date'}"
    if before in (STRING, TEXT, ENUM, JSON) and after in (INTEGER, NUMERIC, DATE, DATETIME, TIME):
        return f"{old} to {new}: values that do not convert fail or become 0"
    if before == ENUM and after == STRING and old.values and new.length:
        longest = max(len(value) for value in old.values)
        if longest > new.length:
            return f"{new} is shorter than the value {max(old.values, key=len)!r}"
    return None


def _numeric_narrowing(old: TypeSpec, new: TypeSpec) -> str | None:
    if old.name in _DOUBLES and new.name in _SINGLES:
        return f"{old} to {new} halves its precision"
    if old.name not in _DECIMALS or new.name not in _DECIMALS:
        return None
    if old.precision is not None and new.precision is not None:
        old_whole = old.precision - (old.scale or 0)
        new_whole = new.precision - (new.scale or 0)
        if new_whole < old_whole:
            return f"{old} to {new} lowers the digits before the point"
    if old.scale is not None and (new.scale or 0) < old.scale:
        return f"{old} to {new} rounds away decimals"
    return None


def _enum_change(old: tuple[str, ...], new: tuple[str, ...]) -> str | None:
    removed = [value for value in old if value not in new]
    if removed:
        return f"removes {', '.join(repr(v) for v in removed)}"
    if new[: len(old)] != old:
        return f"reorders the values ({', '.join(old)} -> {', '.join(new)})"
    return None


def type_changes(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    names = facts.names
    for op in facts.upgrade_ops:
        new_node = op.param("type_")
        if op.name != "alter_column" or new_node is None:
            continue
        label = column_label(op, op.string("column_name"))
        new = type_spec(new_node, names)
        if op.param("existing_type") is None:
            shown = ast.unparse(new_node)
            yield Hit(
                "L307",
                f"alter_column {label} type_={shown} without existing_type: cannot tell "
                "whether it narrows the column",
                op.line,
                op.end_line,
                severity=NOTICE,
                fix="state existing_type= (the column's current type) in the alter_column",
            )
            continue
        old = type_spec(op.param("existing_type"), names)
        if old is None or new is None:
            continue
        if old.family == ENUM and new.family == ENUM:
            if old.values is not None and new.values is not None:
                change = _enum_change(old.values, new.values)
                if change is not None:
                    yield op_hit("L308", op, f"alter_column {label}: the Enum {change}")
            continue
        reason = narrowing(old, new)
        if reason is not None:
            yield op_hit("L307", op, f"alter_column {label}: {reason}")


# L312


def _prefix_lengths(node: ast.expr | None) -> tuple[int | None, Mapping[str, int]]:
    """mysql_length=N or mysql_length={"col": N} of an index."""
    if type(node) is ast.Constant and type(node.value) is int:
        return node.value, {}
    if type(node) is ast.Dict:
        lengths = {}
        for key, value in zip(node.keys, node.values):
            name = string_value(key) if key is not None else None
            if name is not None and type(value) is ast.Constant and type(value.value) is int:
                lengths[name] = value.value
        return None, lengths
    return None, {}


def _keys(op: Operation) -> Iterator[tuple[str, tuple[str, ...], ast.expr | None]]:
    """(description, columns, mysql_length) of each index or key the operation creates."""
    if op.name in ("create_index", "create_unique_constraint", "create_primary_key"):
        columns = string_list(op.param("columns"))
        if columns:
            name = op.string("index_name") or op.string("constraint_name") or "(unnamed)"
            length = op.keywords.get("mysql_length", op.keywords.get("mariadb_length"))
            yield f"{op.name} {name}", columns, length
        return
    if op.name not in ("create_table", "add_column"):
        return
    primary = tuple(c.name for c in op.columns if c.primary_key and c.name)
    if primary:
        yield "the primary key", primary, None
    for column in op.columns:
        if column.name and (column.unique or column.indexed):
            kind = "unique" if column.unique else "index"
            yield f"the {kind} on {column.name}", (column.name,), None
    for constraint in op.constraints:
        if constraint.kind in ("unique", "primary_key", "index") and constraint.columns:
            kind = constraint.kind.replace("_", " ")
            yield f"the {kind} {constraint.name or '(unnamed)'}", constraint.columns, None


def key_too_long(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in facts.upgrade_ops:
        for description, columns, length_node in _keys(op):
            prefix_all, prefixes = _prefix_lengths(length_node)
            total = 0
            parts = []
            for column in columns:
                column_type = facts.types.get((op.table, column))
                if column_type is None or column_type.family != STRING or not column_type.length:
                    continue
                chars = column_type.length
                prefix = prefixes.get(column, prefix_all)
                if prefix is not None:
                    chars = min(chars, prefix)
                total += chars * BYTES_PER_CHAR
                parts.append(f"{column} {chars * BYTES_PER_CHAR}")
            if total > KEY_LIMIT_BYTES:
                yield op_hit(
                    "L312",
                    op,
                    f"{description} on {op.table or '?'}({', '.join(columns)}) is {total} bytes "
                    f"under utf8mb4 ({', '.join(parts)}): over InnoDB's {KEY_LIMIT_BYTES}",
                )


# L313


def _text_default_refused(kind: str | None, target: ServerVersion) -> str | None:
    if target.flavor == "mariadb":
        if target.at_least(10, 2, 1):
            return None
        return f"{target} accepts no default on TEXT/BLOB/JSON (10.2.1+ does)"
    if not target.at_least(8, 0, 13):
        return f"{target} accepts no default on TEXT/BLOB/JSON columns (8.0.13+ takes expressions)"
    if kind == DEFAULT_LITERAL:
        return f"{target} accepts only an expression default in parentheses, not a literal"
    return None


def text_default(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    names = facts.names
    for op in facts.upgrade_ops:
        if op.name in ("create_table", "add_column"):
            for column in op.columns:
                if (
                    column.type is None
                    or column.type.family not in _LOB_FAMILIES
                    or column.server_default in (None, DEFAULT_NONE)
                ):
                    continue
                reason = _text_default_refused(column.server_default, options.target)
                if reason is not None:
                    default = column.server_default_node
                    shown = ast.unparse(default) if default is not None else "?"
                    yield op_hit(
                        "L313",
                        op,
                        f"{op.name}: {column_label(op, column.name)} {column.type} "
                        f"server_default={shown}: {reason}",
                    )
        elif op.name == "alter_column":
            default = op.param("server_default")
            if default is None or is_none(default) or literal_bool(default) is False:
                continue
            column_type = type_spec(op.param("type_") or op.param("existing_type"), names)
            if column_type is None or column_type.family not in _LOB_FAMILIES:
                continue
            reason = _text_default_refused(default_kind(default, names), options.target)
            if reason is not None:
                yield op_hit(
                    "L313",
                    op,
                    f"alter_column {column_label(op, op.string('column_name'))} {column_type} "
                    f"server_default={ast.unparse(default)}: {reason}",
                )
