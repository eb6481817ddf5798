"""The static revision linter: revision files in, findings and online-DDL classes out.

Pure: `lint_source` reads one file's text (one parse, one walk, see revision_ops), applies the
rules of lint_rules.RULES for the target server, honours `# sentinel: ignore[CODE] -- reason`
suppressions and the configured severities. Nothing here imports SQLAlchemy or Alembic: the
`alembic-lint` hook runs in pre-commit's isolated virtualenv and lints a thousand files in well
under a second.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.lint_rules import RULES
from alembic_sentinel.online_ddl import (
    COPY,
    DEFAULT_TARGET,
    DdlChange,
    ServerVersion,
    ddl_algorithm,
    explain_algorithm,
)
from alembic_sentinel.report import ERROR, NOTICE, Finding, Report
from alembic_sentinel.revision_ops import (
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
    ColumnSpec,
    Operation,
    RevisionModule,
    TypeSpec,
    default_kind,
    is_none,
    read_revision_ops,
    string_list,
    string_value,
    type_spec,
)

OFF = "off"
# InnoDB's index key limit with the DYNAMIC/COMPRESSED row formats (MySQL 5.7.7+, MariaDB 10.2+)
KEY_LIMIT_BYTES = 3072
# utf8mb4, the default character set of MySQL 8.0 and of SQLAlchemy's MySQL URLs in the guide
BYTES_PER_CHAR = 4

_SUPPRESSION = re.compile(r"sentinel:[ \t]*ignore\[([^\]]*)\](?:[ \t]*--(.*))?")
_DOCSTRING_SUPPRESSION = re.compile(
    r"^[ \t]*sentinel:[ \t]*ignore\[([^\]]*)\](?:[ \t]*--(.*))?$", re.MULTILINE
)

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
# value kind -> column families it does not belong in (L303)
_WRONG_KIND: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "bool": frozenset({STRING, TEXT, ENUM}),
        "string": frozenset({INTEGER, BOOLEAN, NUMERIC, DATETIME, DATE}),
        "number": frozenset({STRING, TEXT, ENUM}),
    }
)
_CONSTRAINT_CREATES = frozenset(
    {
        "create_unique_constraint",
        "create_foreign_key",
        "create_check_constraint",
        "create_primary_key",
    }
)
_DROP_CONSTRAINT_KINDS = MappingProxyType(
    {
        "foreignkey": "drop_foreign_key",
        "primary": "drop_primary_key",
        "unique": "drop_index",
        "check": "drop_check",
    }
)


class LintOptions(NamedTuple):
    target: ServerVersion = DEFAULT_TARGET
    # rule code -> "error" | "warning" | "notice" | "off"
    severities: Mapping[str, str] = MappingProxyType({})
    # the project's MetaData has a naming_convention (unnamed constraints get names then)
    naming_convention: bool = False
    # top-level import names that are the application's own code
    local_packages: frozenset[str] = frozenset()


DEFAULT_OPTIONS = LintOptions()


class DdlStatement(NamedTuple):
    """One schema change of an upgrade and the online-DDL algorithm the target uses for it."""

    path: str
    line: int
    operation: str  # e.g. "add_column election.isListed"
    algorithm: str  # INSTANT | INPLACE | COPY | N/A


class LintResult(NamedTuple):
    findings: list[Finding]
    statements: list[DdlStatement]


class _Hit(NamedTuple):
    """A finding before suppressions and severities: its span is what a comment may cover."""

    code: str
    message: str
    line: int
    end_line: int
    severity: str | None = None  # None: the rule's
    fix: str | None = None  # None: the rule's


class _Suppression(NamedTuple):
    codes: tuple[str, ...]
    reason: str
    line: int
    file_wide: bool


def _hit(code: str, op: Operation, message: str, fix: str | None = None) -> _Hit:
    return _Hit(code, message, op.line, op.end_line, fix=fix)


class _Facts:
    """What the upgrade does, indexed once for the rules."""

    def __init__(self, module: RevisionModule) -> None:
        upgrade = module.upgrade
        self.module = module
        self.names = module.names
        self.upgrade_ops: tuple[Operation, ...] = upgrade.operations if upgrade else ()
        self.created = {
            op.table for op in self.upgrade_ops if op.name == "create_table" and op.table
        }
        # (table, column) -> the add_column and its column
        self.added: dict[tuple[str | None, str | None], tuple[Operation, ColumnSpec]] = {}
        # (table, column) -> its type as this revision writes it
        self.types: dict[tuple[str | None, str | None], TypeSpec] = {}
        for op in self.upgrade_ops:
            if op.name in ("create_table", "add_column"):
                for column in op.columns:
                    if op.name == "add_column":
                        self.added[(op.table, column.name)] = (op, column)
                    if column.type is not None:
                        self.types[(op.table, column.name)] = column.type
            elif op.name == "alter_column":
                new_type = type_spec(op.param("type_"), self.names)
                if new_type is not None:
                    self.types[(op.table, op.string("column_name"))] = new_type

    def is_new_table(self, table: str | None) -> bool:
        return table is not None and table in self.created


def _column_label(op: Operation, column: str | None) -> str:
    return f"{op.table or '?'}.{column or '?'}"


def _all_operations(module: RevisionModule) -> Iterator[Operation]:
    for name in ("upgrade", "downgrade"):
        body = module.functions.get(name)
        if body is not None:
            yield from body.operations


# L301


def _auto_increment(column: ColumnSpec) -> bool:
    """Whether the server numbers the column itself (SQLAlchemy's autoincrement rules)."""
    integer = column.type is not None and column.type.family == INTEGER
    return column.autoincrement is True or (
        column.primary_key and integer and column.autoincrement is not False
    )


def _implicit_default(column_type: TypeSpec | None) -> str:
    family = column_type.family if column_type is not None else None
    if family in (STRING, TEXT):
        return "''"
    if family == ENUM and column_type is not None and column_type.values:
        return repr(column_type.values[0])
    if family in (INTEGER, NUMERIC, BOOLEAN):
        return "0"
    return "the type's implicit default"


def _not_null_without_default(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    for op in facts.upgrade_ops:
        if op.name != "add_column" or facts.is_new_table(op.table):
            continue
        for column in op.columns:
            if (
                column.not_null
                and column.server_default in (None, DEFAULT_NONE)
                and not column.generated
                and not _auto_increment(column)
            ):
                yield _hit(
                    "L301",
                    op,
                    f"add_column {_column_label(op, column.name)} is NOT NULL without a "
                    f"server_default: MySQL gives existing rows "
                    f"{_implicit_default(column.type)}, PostgreSQL and SQLite refuse",
                )


# L302


def _not_null_without_fill(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    upgrade = facts.module.upgrade
    if upgrade is None:
        return
    for op in facts.upgrade_ops:
        if op.name != "alter_column" or _literal_bool(op.param("nullable")) is not False:
            continue
        if facts.is_new_table(op.table):
            continue
        column = op.string("column_name")
        added = facts.added.get((op.table, column))
        if added is not None and added[1].server_default not in (None, DEFAULT_NONE):
            continue  # existing rows were given the default when the column was added
        after = added[0].seq if added is not None else 0
        if upgrade.fills_between(after, op.seq):
            continue
        since = f" since add_column on line {added[0].line}" if added is not None else ""
        yield _hit(
            "L302",
            op,
            f"alter_column {_column_label(op, column)} nullable=False with no data fill "
            f"before it{since}: existing NULLs make it fail",
        )


def _literal_bool(node: ast.expr | None) -> bool | None:
    if type(node) is ast.Constant and type(node.value) is bool:
        return node.value
    return None


# L303


def _value_kind(node: ast.expr, module: RevisionModule) -> str | None:
    """The kind of value ("bool", "string", "number") when the syntax makes it plain."""
    if isinstance(node, ast.Constant):
        value = node.value
        if type(value) is bool:
            return "bool"
        if type(value) is str:
            return "string"
        return "number" if type(value) in (int, float) else None
    if isinstance(node, ast.Compare):
        return "bool"
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return "bool"
        return "number" if _value_kind(node.operand, module) == "number" else None
    if isinstance(node, ast.BoolOp):
        kinds = {_value_kind(value, module) for value in node.values}
        return "bool" if kinds == {"bool"} else None
    if isinstance(node, ast.JoinedStr):
        return "string"
    if isinstance(node, ast.Call) and module.names.sqlalchemy_name(node.func) in ("true", "false"):
        return "bool"
    return None


def _wrong_kind(kind: str, value: ast.expr, column_type: TypeSpec) -> bool:
    if column_type.family in _WRONG_KIND[kind]:
        return True
    # a string that is not one of the Enum's values: MySQL stores '' (or fails in strict mode)
    return (
        kind == "string"
        and column_type.family == ENUM
        and column_type.values is not None
        and string_value(value) not in column_type.values
    )


def _fill_wrong_kind(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    module = facts.module
    bodies = [body for body in (module.upgrade, module.downgrade) if body is not None]
    for body in bodies:
        for assignment in body.assignments:
            kind = _value_kind(assignment.value, module)
            if kind is None:
                continue
            candidates: list[tuple[TypeSpec, str]] = []
            model = assignment.model
            if model is not None:
                column = model.columns.get(assignment.column)
                if column is not None and column.type is not None:
                    candidates.append((column.type, f"declared in {model.variable}"))
            written = facts.types.get((assignment.table, assignment.column))
            if written is not None:
                candidates.append((written, "as this revision writes it"))
            for column_type, where in candidates:
                if _wrong_kind(kind, assignment.value, column_type):
                    shown = ast.unparse(assignment.value)
                    shown = shown if len(shown) <= 60 else shown[:57] + "..."
                    yield _Hit(
                        "L303",
                        f"{body.name}() assigns a {kind} ({shown}) to "
                        f"{assignment.table or '?'}.{assignment.column}, typed {column_type} "
                        f"({where}; via {assignment.via})",
                        assignment.line,
                        assignment.end_line,
                    )
                    break


# L304, L305, L306


def _drop_table(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    for op in facts.upgrade_ops:
        if op.name == "drop_table" and not facts.is_new_table(op.table):
            yield _hit("L304", op, f"upgrade drops table {op.table or '?'} and all its rows")


def _drop_column(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    for op in facts.upgrade_ops:
        column = op.string("column_name")
        if op.name == "drop_column" and (op.table, column) not in facts.added:
            yield _hit(
                "L305", op, f"upgrade drops column {_column_label(op, column)} and its values"
            )


def _possible_rename(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    added: dict[str, list[str]] = {}
    dropped: dict[str, list[tuple[Operation, str]]] = {}
    for op in facts.upgrade_ops:
        if op.table is None:
            continue
        if op.name == "add_column":
            added.setdefault(op.table, []).extend(c.name for c in op.columns if c.name)
        elif op.name == "drop_column" and op.string("column_name"):
            dropped.setdefault(op.table, []).append((op, op.string("column_name") or ""))
    for table, drops in dropped.items():
        new = [name for name in added.get(table, ()) if name not in {c for _, c in drops}]
        gone = [column for _, column in drops if column not in added.get(table, ())]
        if new and gone:
            yield _hit(
                "L306",
                drops[0][0],
                f"upgrade drops {table}.{', '.join(gone)} and adds {', '.join(new)}: "
                "if this is a rename, the values are lost",
                fix=f"op.alter_column({table!r}, {gone[0]!r}, new_column_name={new[0]!r})",
            )
    created = [op.table for op in facts.upgrade_ops if op.name == "create_table" and op.table]
    drop_tables = [
        op
        for op in facts.upgrade_ops
        if op.name == "drop_table" and op.table and op.table not in created
    ]
    new_tables = [t for t in created if t not in {op.table for op in drop_tables}]
    if drop_tables and new_tables:
        first = drop_tables[0]
        yield _hit(
            "L306",
            first,
            f"upgrade drops table {', '.join(str(op.table) for op in drop_tables)} and creates "
            f"{', '.join(new_tables)}: if this is a rename, the rows are lost",
            fix=f"op.rename_table({first.table!r}, {new_tables[0]!r})",
        )


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


def _type_changes(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    names = facts.names
    for op in facts.upgrade_ops:
        new_node = op.param("type_")
        if op.name != "alter_column" or new_node is None:
            continue
        label = _column_label(op, op.string("column_name"))
        new = type_spec(new_node, names)
        if op.param("existing_type") is None:
            shown = ast.unparse(new_node)
            yield _Hit(
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
                    yield _hit("L308", op, f"alter_column {label}: the Enum {change}")
            continue
        reason = narrowing(old, new)
        if reason is not None:
            yield _hit("L307", op, f"alter_column {label}: {reason}")


# L309


def _unique_on_existing_table(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    for op in facts.upgrade_ops:
        if facts.is_new_table(op.table):
            continue
        if op.name == "create_unique_constraint" or (
            op.name == "create_index" and _literal_bool(op.param("unique")) is True
        ):
            name = op.string("constraint_name") or op.string("index_name") or "(unnamed)"
            columns = string_list(op.param("columns"))
            on = f"({', '.join(columns)})" if columns else ""
            yield _hit(
                "L309",
                op,
                f"{op.name} {name} on {op.table or '?'}{on}: fails if existing rows hold "
                "duplicates",
            )
        elif op.name == "add_column":
            for column in op.columns:
                # a new nullable column holds NULL everywhere, and NULLs never collide
                same_value = column.not_null or column.server_default not in (None, DEFAULT_NONE)
                if column.unique and same_value:
                    yield _hit(
                        "L309",
                        op,
                        f"add_column {_column_label(op, column.name)} unique=True gives every "
                        "existing row the same value: fails on a table with two rows or more",
                        fix="add the column nullable and unique, fill distinct values, then "
                        "make it NOT NULL",
                    )


# L310, L311


def _drop_unnamed_constraint(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    for op in _all_operations(facts.module):
        if op.name == "drop_constraint" and is_none(op.param("constraint_name")):
            yield _hit(
                "L310",
                op,
                f"drop_constraint(None) on {op.table or '?'} can never run: the constraint needs "
                "its name",
            )
        elif op.name == "drop_index" and is_none(op.param("index_name")):
            yield _hit(
                "L310", op, f"drop_index(None) on {op.table or '?'} can never run: it needs a name"
            )


def _unnamed_constraint(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    if options.naming_convention:
        return
    for op in _all_operations(facts.module):
        table = op.table or "?"
        if op.name in _CONSTRAINT_CREATES and op.name != "create_primary_key":
            if is_none(op.param("constraint_name")):
                yield _hit("L311", op, f"{op.name}(None, ...) on {table}: MySQL invents the name")
            continue
        if op.name not in ("create_table", "add_column"):
            continue
        for constraint in op.constraints:
            if constraint.kind in ("foreign_key", "unique", "check") and not constraint.named:
                on = f" on ({', '.join(constraint.columns)})" if constraint.columns else ""
                kind = constraint.kind.replace("_", " ")
                yield _hit(
                    "L311",
                    op,
                    f"{op.name} {table}: {kind} constraint{on} has no name: MySQL invents one",
                )
        for column in op.columns:
            for fk in column.foreign_keys:
                if not fk.named:
                    yield _hit(
                        "L311",
                        op,
                        f"{op.name} {table}: the foreign key of column {column.name or '?'} has "
                        f"no name: MySQL names it {table}_ibfk_N",
                    )


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


def _key_too_long(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
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
                yield _hit(
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


def _text_default(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
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
                    yield _hit(
                        "L313",
                        op,
                        f"{op.name}: {_column_label(op, column.name)} {column.type} "
                        f"server_default={shown}: {reason}",
                    )
        elif op.name == "alter_column":
            default = op.param("server_default")
            if default is None or is_none(default) or _literal_bool(default) is False:
                continue
            column_type = type_spec(op.param("type_") or op.param("existing_type"), names)
            if column_type is None or column_type.family not in _LOB_FAMILIES:
                continue
            reason = _text_default_refused(default_kind(default, names), options.target)
            if reason is not None:
                yield _hit(
                    "L313",
                    op,
                    f"alter_column {_column_label(op, op.string('column_name'))} {column_type} "
                    f"server_default={ast.unparse(default)}: {reason}",
                )


# L314 and the online-DDL class of every upgrade operation


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
            automatic = _auto_increment(column)
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
        nullable = _literal_bool(op.param("nullable"))
        if nullable is not None:
            changes.append((DdlChange("set_nullable" if nullable else "set_not_null"), label))
        default = op.param("server_default")
        if default is not None and _literal_bool(default) is not False:
            kind = "drop_default" if is_none(default) else "set_default"
            changes.append((DdlChange(kind), label))
        return changes
    if name in ("create_index", "drop_index"):
        index = op.string("index_name") or "?"
        unique = name == "create_index" and _literal_bool(op.param("unique")) is True
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


def _online_ddl(
    facts: _Facts, options: LintOptions, path: str
) -> tuple[list[DdlStatement], list[_Hit]]:
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
            hits.append(_hit("L314", op, f"{op.name} is ALGORITHM=COPY on {target} ({what})"))
    return statements, hits


# L315, L316


def _module_level_op(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    for call in facts.module.module_calls:
        yield _Hit(
            "L315",
            f"{call.call}() runs at import time, outside any migration",
            call.line,
            call.end_line,
        )


def _imports_app_models(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    if not options.local_packages:
        return
    for imported in facts.module.imports:
        if imported.module.split(".", 1)[0] in options.local_packages:
            yield _Hit(
                "L316",
                f"imports {imported.module}, the application's own code: this revision breaks "
                "when it changes",
                imported.line,
                imported.end_line,
            )


# L317, L318, L319


def _empty_upgrade(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    module = facts.module
    upgrade = module.upgrade
    if module.is_merge:
        return
    if upgrade is None:
        yield _Hit("L317", "the revision has no upgrade()", 1, 1)
    elif upgrade.empty:
        yield _Hit(
            "L317",
            "upgrade() is empty in a revision that is not a merge",
            upgrade.line,
            upgrade.line,
        )


def _missing_downgrade(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    module = facts.module
    downgrade = module.downgrade
    if downgrade is None:
        line = module.upgrade.line if module.upgrade is not None else 1
        yield _Hit("L318", "the revision has no downgrade()", line, line)
    elif downgrade.empty and facts.upgrade_ops:
        yield _Hit(
            "L318",
            f"downgrade() does nothing while upgrade() makes {len(facts.upgrade_ops)} operation(s)",
            downgrade.line,
            downgrade.line,
        )


def _undo_keys(op: Operation) -> list[tuple[str, ...]]:
    """What in a downgrade would undo `op` (any one of them); [] when it cannot be paired."""
    table = op.table or ""
    column = op.string("column_name") or ""
    whole = ("drop_table", table)
    if op.name == "create_table":
        return [whole]
    if op.name == "drop_table":
        return [("create_table", table)]
    if op.name == "add_column":
        names = [c.name for c in op.columns if c.name]
        return [("drop_column", table, names[0]), whole] if names else []
    if op.name == "drop_column":
        return [("add_column", table, column)] if column else []
    if op.name == "alter_column" and column:
        renamed = op.string("new_column_name")
        current = renamed or column
        return [("alter_column", table, current), ("drop_column", table, current), whole]
    if op.name == "rename_table":
        new = op.string("new_table_name")
        return [("rename_table", new)] if new else []
    if op.name == "create_index":
        index = op.string("index_name")
        return [("drop_index", index), whole] if index else []
    if op.name == "drop_index":
        index = op.string("index_name")
        return [("create_index", index)] if index else []
    if op.name in _CONSTRAINT_CREATES:
        constraint = op.string("constraint_name")
        return (
            [("drop_constraint", constraint), ("drop_index", constraint), whole]
            if constraint
            else []
        )
    if op.name == "drop_constraint":
        constraint = op.string("constraint_name")
        return [("create_constraint", constraint)] if constraint else []
    return []


def _done_keys(op: Operation) -> Iterator[tuple[str, ...]]:
    """What a downgrade operation does, in the terms of `_undo_keys`."""
    table = op.table or ""
    if op.name in ("create_table", "drop_table"):
        yield (op.name, table)
    elif op.name == "add_column":
        for column in op.columns:
            yield ("add_column", table, column.name or "")
    elif op.name in ("drop_column", "alter_column"):
        yield (op.name, table, op.string("column_name") or "")
    elif op.name == "rename_table":
        yield ("rename_table", table)
    elif op.name in ("create_index", "drop_index"):
        yield (op.name, op.string("index_name") or "")
    elif op.name in _CONSTRAINT_CREATES:
        yield ("create_constraint", op.string("constraint_name") or "")
    elif op.name == "drop_constraint":
        yield ("drop_constraint", op.string("constraint_name") or "")


def _downgrade_incomplete(facts: _Facts, options: LintOptions) -> Iterator[_Hit]:
    downgrade = facts.module.downgrade
    if downgrade is None or downgrade.empty or downgrade.raises_only:
        return  # L318's case, or a downgrade that says it is irreversible
    done = {key for op in downgrade.operations for key in _done_keys(op)}
    for op in facts.upgrade_ops:
        undo = _undo_keys(op)
        if undo and not any(key in done for key in undo):
            yield _hit(
                "L319",
                op,
                f"downgrade() does not undo {op.name} {_subject(op)} (expected {undo[0][0]})",
            )


def _subject(op: Operation) -> str:
    """What an operation is about, for messages: "election.isListed", "ix_a_b on a", "party"."""
    if op.name == "add_column" and op.columns:
        return _column_label(op, op.columns[0].name)
    column = op.string("column_name")
    if column:
        return _column_label(op, column)
    name = op.string("index_name") or op.string("constraint_name")
    if name:
        return f"{name} on {op.table or '?'}"
    return op.table or "?"


_Check = Callable[[_Facts, LintOptions], Iterator[_Hit]]
_CHECKS: tuple[_Check, ...] = (
    _not_null_without_default,
    _not_null_without_fill,
    _fill_wrong_kind,
    _drop_table,
    _drop_column,
    _possible_rename,
    _type_changes,
    _unique_on_existing_table,
    _drop_unnamed_constraint,
    _unnamed_constraint,
    _key_too_long,
    _text_default,
    _module_level_op,
    _imports_app_models,
    _empty_upgrade,
    _missing_downgrade,
    _downgrade_incomplete,
)


# suppressions


def _comment_suppressions(source: str | bytes) -> Iterator[tuple[int, str]]:
    """(line, text) of each real comment mentioning `sentinel:`; tokenize only when needed."""
    if isinstance(source, bytes):
        if b"sentinel:" not in source:
            return
    elif "sentinel:" not in source:
        return
    import io
    import tokenize

    if isinstance(source, bytes):
        tokens = tokenize.tokenize(io.BytesIO(source).readline)
    else:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    try:
        for token in tokens:
            if token.type == tokenize.COMMENT and "sentinel:" in token.string:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        return


def _parse_suppression(codes: str, reason: str | None, line: int, file_wide: bool) -> _Suppression:
    parsed = tuple(code.strip().upper() for code in codes.split(",") if code.strip())
    return _Suppression(parsed, (reason or "").strip(), line, file_wide)


def _suppressions(source: str | bytes, module: RevisionModule) -> list[_Suppression]:
    found = []
    for line, comment in _comment_suppressions(source):
        match = _SUPPRESSION.search(comment)
        if match is not None:
            found.append(_parse_suppression(match.group(1), match.group(2), line, False))
    docstring = module.docstring
    if docstring and "sentinel:" in docstring and module.docstring_line is not None:
        for match in _DOCSTRING_SUPPRESSION.finditer(docstring):
            line = module.docstring_line + docstring.count("\n", 0, match.start())
            found.append(_parse_suppression(match.group(1), match.group(2), line, True))
    return found


def _suppression_hits(suppressions: Iterable[_Suppression]) -> Iterator[_Hit]:
    for suppression in suppressions:
        codes = ", ".join(suppression.codes)
        if not suppression.reason:
            yield _Hit(
                "L320",
                f"sentinel: ignore[{codes}] gives no reason, so it suppresses nothing",
                suppression.line,
                suppression.line,
            )
        for code in suppression.codes:
            if code not in RULES:
                yield _Hit(
                    "L321",
                    f"sentinel: ignore[{code}]: {code} is not a lint rule",
                    suppression.line,
                    suppression.line,
                )


def _suppressed(hit: _Hit, suppressions: Sequence[_Suppression]) -> bool:
    for suppression in suppressions:
        if not suppression.reason or hit.code not in suppression.codes:
            continue
        if suppression.file_wide or hit.line - 1 <= suppression.line <= hit.end_line:
            return True
    return False


# the engine


def unparseable(path: str, message: str, line: int | None = None) -> Finding:
    """F201, the code the revision reader uses for a file that cannot be read as Python."""
    return Finding("F201", "unparseable-file", ERROR, message, path, line)


def lint_source(
    source: str | bytes, path: str, options: LintOptions = DEFAULT_OPTIONS
) -> LintResult:
    """Lint one revision file's text; `path` is how findings name it."""
    try:
        module = read_revision_ops(source, path)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "msg", None) or str(exc)
        return LintResult([unparseable(path, f"not valid Python: {message}", line)], [])
    except RecursionError:
        return LintResult([unparseable(path, "nested too deeply to be read")], [])
    facts = _Facts(module)
    hits = [hit for check in _CHECKS for hit in check(facts, options)]
    statements, copies = _online_ddl(facts, options, path)
    hits.extend(copies)
    suppressions = _suppressions(source, module)
    if suppressions:
        hits = [hit for hit in hits if not _suppressed(hit, suppressions)]
        hits.extend(_suppression_hits(suppressions))
    findings = []
    for hit in hits:
        rule = RULES[hit.code]
        severity = options.severities.get(hit.code) or hit.severity or rule.severity
        if severity == OFF:
            continue
        findings.append(
            Finding(hit.code, rule.name, severity, hit.message, path, hit.line, hit.fix or rule.fix)
        )
    findings.sort(key=lambda f: (f.line or 0, f.code))
    return LintResult(findings, statements)


def lint_files(files: Sequence[tuple[str, Path]], options: LintOptions) -> Report:
    """Lint each (display path, real path); one report, findings in path and line order."""
    findings: list[Finding] = []
    statements: list[DdlStatement] = []
    for shown, real in files:
        try:
            with open(real, "rb") as stream:
                source = stream.read()
        except OSError as exc:
            findings.append(unparseable(shown, f"cannot read: {exc.strerror or exc}"))
            continue
        result = lint_source(source, shown, options)
        findings.extend(result.findings)
        statements.extend(result.statements)
    findings.sort(key=lambda f: (f.path or "", f.line or 0, f.code))
    return Report(
        command="lint",
        findings=findings,
        facts={"files": len(files), "statements": [s._asdict() for s in statements]},
        summary=[],
    )
