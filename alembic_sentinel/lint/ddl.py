"""What each upgrade operation changes in the schema, and how the target server applies it (L314).

`ddl_changes` maps an `op.*` call to online_ddl's `DdlChange`s; `online_ddl` gives every change
of the upgrade its algorithm on the target (INSTANT, INPLACE, COPY: the `--show-ddl` statements)
and an L314 hit for each operation that copies the table.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.lint.column_state import (
    auto_increment_before,
    restated_key_auto_increment,
    type_before,
)
from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.facts import (
    BYTES_PER_CHAR,
    Facts,
    Hit,
    LintOptions,
    auto_increment,
    literal_bool,
    object_name,
    op_hit,
)
from alembic_sentinel.lint.fallback_adds import guarded_noop
from alembic_sentinel.lint.foreign_key_types import refused_link
from alembic_sentinel.lint.history import CHARSET_BYTES
from alembic_sentinel.lint.keyless_auto_increment import refused_auto_column
from alembic_sentinel.lint.literals import Names, is_none, string_list
from alembic_sentinel.lint.mysql_refusals import never_runs
from alembic_sentinel.lint.name_clashes import refused_name
from alembic_sentinel.lint.online_ddl import (
    COPY,
    DdlChange,
    blocks_writes,
    ddl_algorithm,
    explain_algorithm,
)
from alembic_sentinel.lint.primary_key_nulls import refused_null_key
from alembic_sentinel.lint.raw_not_nulls import raw_alters_by_seq
from alembic_sentinel.lint.revision_model import (
    ENUM,
    STRING,
    Operation,
    RevisionModule,
    TypeSpec,
    quoted_expression,
)
from alembic_sentinel.lint.sql_reader import ALTER_TABLE
from alembic_sentinel.lint.type_rules import (
    lengthless_varchar,
    same_on_mysql,
    stale_existing_type,
    type_written_before,
)

# what ddl_changes calls an alter_column's change of type (_type_change)
_TYPE_CHANGES = frozenset(
    {"change_type", "widen_varchar", "enum_append", "enum_grow", "enum_change"}
)

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


def _varchar_bytes(column_type: TypeSpec | None, per_char: int) -> int | None:
    if column_type is None or column_type.name in ("CHAR", "NCHAR") or not column_type.length:
        return None
    return column_type.length * per_char if column_type.family == STRING else None


def _storage_bytes(column_type: TypeSpec) -> int:
    """Bytes MySQL stores an ENUM (1 up to 255 members, else 2) or a SET (1 per 8 members;
    33-64 members take 8) in."""
    count = len(column_type.values or ())
    if column_type.name == "SET":
        size = (count + 7) // 8
        return 8 if size > 4 else size
    return 1 if count <= 255 else 2


def _type_change(
    old: TypeSpec | None, new: TypeSpec | None, per_char: int = BYTES_PER_CHAR
) -> DdlChange | None:
    if old is not None and new is not None:
        if old == new or same_on_mysql(old, new, per_char):
            return None
        old_bytes, new_bytes = _varchar_bytes(old, per_char), _varchar_bytes(new, per_char)
        if old_bytes is not None and new_bytes is not None:
            return DdlChange(
                "widen_varchar", old_length_bytes=old_bytes, new_length_bytes=new_bytes
            )
        if old.family == ENUM and new.family == ENUM:
            if old.values is not None and new.values is not None:
                if old.values == new.values:
                    return None
                appended = new.values[: len(old.values)] == old.values
                if not appended:
                    return DdlChange("enum_change")
                if _storage_bytes(old) != _storage_bytes(new):
                    return DdlChange("enum_grow")
                return DdlChange("enum_append")
            return DdlChange("enum_change")
    return DdlChange("change_type")


def old_type(op: Operation, names: Names, recorded: TypeSpec | None = None) -> TypeSpec | None:
    """The type an alter_column changes the column from: its existing_type, unless the
    revisions before it (`recorded`, lint.history) gave the column a type of another family.
    Autogenerate writes existing_type from the database it compared against: on SQLite a native
    ENUM the history created reads back as VARCHAR(n), which the MySQL server never held (round
    r28a). A non-native Enum (native_enum=False) is a VARCHAR on MySQL too: no contradiction.
    Without existing_type, the type the history gave it (round r29: `type_=sa.Unicode(255)`
    alone, on a column created `sa.Unicode(50)`, widens it)."""
    if op.param("existing_type") is None:
        return recorded if recorded is not None and recorded.family else None
    stated = type_spec(op.param("existing_type"), names)
    if (
        stated is not None
        and recorded is not None
        and recorded.family  # not UNKNOWN_TYPE: a later step gave a type lint cannot read
        and recorded.family != stated.family
        and not recorded.non_native
        and (recorded.family != ENUM or recorded.values is not None)
    ):
        return recorded
    return stated


def _type_as_written(facts: Facts, op: Operation) -> bool:
    """Whether an alter_column's type_= is the type an earlier step of the same upgrade gave
    the column (round 30: a temporary column added as `TimestampUTC()`, filled, then renamed
    into the old column's place with `type_=TimestampUTC()` and the old column's
    existing_type=): the column's type does not change, the existing_type is another
    column's."""
    if op.name != "alter_column" or op.param("type_") is None:
        return False
    new = type_spec(op.param("type_"), facts.names)
    if new is None:
        return False
    written = type_written_before(facts, op)
    if written is not None:
        return written == new
    # a column added earlier under a name lint cannot read (`name + "_ts"` in a loop's Column)
    # with this very type, on the same table: the column this alter renames into place
    return any(
        other.name == "add_column"
        and other.seq < op.seq
        and other.table == op.table
        and any(spec.name is None and spec.type == new for spec in other.columns)
        for other in facts.upgrade_ops
    )


def _types_known(op: Operation, names: Names, recorded: TypeSpec | None) -> bool:
    """Whether lint reads both the old and the new type of an alter_column."""
    return (
        old_type(op, names, recorded) is not None
        and type_spec(op.param("type_"), names) is not None
    )


def _enum_members_known(op: Operation, names: Names, recorded: TypeSpec | None) -> bool:
    """Whether lint reads the members of both the old and the new ENUM of an alter_column."""
    specs = [old_type(op, names, recorded), type_spec(op.param("type_"), names)]
    return all(spec is not None and spec.values is not None for spec in specs)


class _ConstraintNaming(NamedTuple):
    """How a constraint operation names its key: a literal name, else a name computed at run
    time (its expression quoted), else none and its columns."""

    literal: str | None
    computed: str | None  # "named by `fk['name']`" / "named at run time"
    columns: list[str]


def _naming(op: Operation) -> _ConstraintNaming:
    literal = op.string("constraint_name")
    if literal:
        return _ConstraintNaming(literal, None, [])
    node = op.param("constraint_name")
    if node is not None and not is_none(node):
        computed = quoted_expression("named by", node) or "named at run time"
        return _ConstraintNaming(None, computed, [])
    columns = string_list(op.param("local_cols")) or string_list(op.param("columns"))
    return _ConstraintNaming(None, None, list(columns or ()))


def _constraint_label(op: Operation, table: str) -> str:
    """What a constraint operation is about, for --show-ddl and the plan: "table.name"; a name
    computed at run time quoted ("alerts (a key named by `fk['name']`)"); an unnamed key by its
    columns."""
    naming = _naming(op)
    if naming.literal:
        return f"{table}.{naming.literal}"
    if naming.computed:
        return f"{table} (a key {naming.computed})"
    columns = naming.columns
    return f"{table}({', '.join(columns)}) (unnamed)" if columns else f"{table} (unnamed)"


# what a reader calls each constraint change in a message (L314): "add foreign key fk_x on t",
# not the compact "add_foreign_key t.fk_x" of --show-ddl and the plan, which reads like a column
_CONSTRAINT_WORDS = MappingProxyType(
    {
        "add_foreign_key": "add foreign key",
        "drop_foreign_key": "drop foreign key",
        "add_primary_key": "add primary key",
        "drop_primary_key": "drop primary key",
        "add_unique": "add unique key",
        "drop_index": "drop unique key",
        "add_check": "add check constraint",
        "drop_check": "drop check constraint",
    }
)
# the change each constraint-creating operation makes
_SIMPLE_KINDS = MappingProxyType(
    {
        "create_unique_constraint": "add_unique",
        "create_foreign_key": "add_foreign_key",
        "create_primary_key": "add_primary_key",
        "create_check_constraint": "add_check",
    }
)
_CONSTRAINT_OPS = frozenset({*_SIMPLE_KINDS, "drop_constraint"})


def _said(op: Operation, change: DdlChange, label: str) -> str:
    """The change as an L314 message names it: a constraint operation by its kind, name and
    table ("add foreign key fk_line_order on line", "add unnamed foreign key on line(order_id)",
    "drop primary key named by `pk['name']` on line"); other changes as --show-ddl lists them."""
    words = _CONSTRAINT_WORDS.get(change.kind)
    if op.name not in _CONSTRAINT_OPS or words is None:
        return f"{_shown_kind(change)} {label}".rstrip()
    table = op.table_label()
    naming = _naming(op)
    if naming.literal or naming.computed:
        return f"{words} {naming.literal or naming.computed} on {table}"
    verb, _, kind = words.partition(" ")
    on = f"{table}({', '.join(naming.columns)})" if naming.columns else table
    return f"{verb} unnamed {kind} on {on}"


def _constraint_subject(op: Operation) -> str | None:
    """What a grouped L314 lists a constraint operation as: its kind, name and table ("foreign
    key fk_x on t"); None for other operations (op_hit's "table.column")."""
    if op.name == "drop_constraint":
        kind = _DROP_CONSTRAINT_KINDS.get(op.string("type_") or "")
    else:
        kind = _SIMPLE_KINDS.get(op.name)
    if kind is None:
        return None
    return _said(op, DdlChange(kind), "").split(" ", 1)[1]


def ddl_changes(
    op: Operation,
    module: RevisionModule,
    per_char: int = BYTES_PER_CHAR,
    recorded: TypeSpec | None = None,
    numbered: bool | None = None,
) -> list[tuple[DdlChange, str]]:
    """The schema changes an operation makes, each with what it is about ("election.isListed");
    `per_char`: the most bytes a character of the table takes (its character set); `recorded`:
    the type the history gave an altered column (old_type); `numbered`: whether it is
    AUTO_INCREMENT already (lint.column_state.auto_increment_before)."""
    names = module.names
    table = op.table_label()
    name = op.name
    if name == "add_column":
        changes = []
        for column in op.columns:
            label = f"{table}.{column.name or '(unnamed column)'}"
            automatic = auto_increment(column, op.rebuilt)
            kind = "add_stored_column" if column.stored else "add_column"
            changes.append((DdlChange(kind, auto_increment=automatic), label))
            if column.unique:
                changes.append((DdlChange("add_unique"), label))
            if column.indexed:
                changes.append((DdlChange("create_index"), label))
            changes.extend((DdlChange("add_foreign_key"), label) for _ in column.foreign_keys)
        return changes or [(DdlChange("add_column"), f"{table} (a column named by a variable)")]
    if name == "alter_column":
        label = f"{table}.{op.string('column_name') or '(a column named by a variable)'}"
        changes = []
        if op.param("new_column_name") is not None:
            changes.append((DdlChange("rename_column"), label))
        if op.param("type_") is not None:
            change = _type_change(
                old_type(op, names, recorded),
                type_spec(op.param("type_"), names),
                per_char,
            )
            if change is not None:
                changes.append((change, label))
        if _adds_auto_increment(op) and numbered is not True:
            changes.append((DdlChange("set_auto_increment"), label))
        nullable = literal_bool(op.param("nullable"))
        if nullable is not None:
            changes.append((DdlChange("set_nullable" if nullable else "set_not_null"), label))
        default = op.param("server_default")
        if default is not None and literal_bool(default) is not False:
            kind = "drop_default" if is_none(default) else "set_default"
            changes.append((DdlChange(kind), label))
        return changes
    if name in ("create_index", "drop_index"):
        index = object_name(op, "index_name")
        index = "(unnamed index)" if index == "(unnamed)" else index
        unique = name == "create_index" and literal_bool(op.param("unique")) is True
        kind = "add_unique" if unique else name
        return [(DdlChange(kind), f"{table}.{index}" if op.table else index)]
    # a name computed at run time is quoted, not called unnamed (round 22)
    constraint = _constraint_label(op, table)
    if name in _SIMPLE_KINDS:
        return [(DdlChange(_SIMPLE_KINDS[name]), constraint)]
    if name == "drop_constraint":
        dropped = _DROP_CONSTRAINT_KINDS.get(op.string("type_") or "")
        return [(DdlChange(dropped), constraint)] if dropped else []
    if name == "drop_column":
        return [
            (
                DdlChange("drop_column"),
                f"{table}.{op.string('column_name') or '(a column named by a variable)'}",
            )
        ]
    if name == "rename_table":
        return [
            (
                DdlChange("rename_table"),
                f"{table} -> {op.string('new_table_name') or '(a name in a variable)'}",
            )
        ]
    if name in ("create_table", "drop_table"):
        return [(DdlChange(name), table)]
    if name == "execute":
        read = _raw_alter_changes(op, module, per_char)
        if read:
            return read
        sql = op.string("sqltext")
        shown = " ".join(sql.split())[:50] if sql is not None else ""
        return [(DdlChange("execute"), shown)]
    return []


def _adds_auto_increment(op: Operation) -> bool:
    """Whether an alter_column makes the column AUTO_INCREMENT on MySQL: Alembic writes MODIFY
    (or CHANGE) with the column's definition whenever autoincrement= is given, and adds
    AUTO_INCREMENT to it when autoincrement=True; unless the column already is (said by
    existing_autoincrement=True, or by the history: ddl_changes' `numbered`), that adds the
    attribute, which only a copy does (ERROR 1846 with ALGORITHM=INPLACE: "Cannot change
    column type")."""
    return (
        literal_bool(op.param("autoincrement")) is True
        and literal_bool(op.param("existing_autoincrement")) is not True
    )


# ALTER TABLE clauses of raw SQL whose online-DDL class the statement alone decides
_RAW_KINDS = MappingProxyType(
    {"engine": "change_engine", "partition": "partition", "drop_primary_key": "drop_primary_key"}
)


def _raw_alter_table(op: Operation, module: RevisionModule) -> str | None:
    """The table of the one raw `ALTER TABLE` an op.execute runs, as it names it; else None."""
    if op.name != "execute" or module.upgrade is None:
        return None
    fill = next((f for f in module.upgrade.fills if f.seq == op.seq), None)
    if fill is None or len(fill.statements) != 1 or fill.statements[0].kind != ALTER_TABLE:
        return None
    return fill.statements[0].table


def _raw_alter_changes(
    op: Operation, module: RevisionModule, per_char: int = BYTES_PER_CHAR
) -> list[tuple[DdlChange, str]]:
    """The changes of a raw `ALTER TABLE` that op.execute runs, when each clause is one the
    classes cover (ADD COLUMN, with FIRST / AFTER or not; DROP COLUMN; ENGINE=; partitioning;
    CONVERT TO CHARACTER SET, from the table's character set, 3 bytes a character for utf8mb3);
    [] when any clause is not, so the statement stays "review by hand"."""
    body = module.upgrade
    fill = next((f for f in body.fills if f.seq == op.seq), None) if body is not None else None
    if fill is None or len(fill.statements) != 1 or fill.statements[0].kind != ALTER_TABLE:
        return []
    statement = fill.statements[0]
    changes = []
    for action in statement.actions:
        label = f"{statement.table or _UNNAMED_TABLE}.{action.name or '(unnamed)'}"
        if action.kind == "add_column":
            kind = "add_column_positioned" if action.position else "add_column"
            changes.append((DdlChange(kind), label))
        elif action.kind == "drop_column":
            changes.append((DdlChange("drop_column"), label))
        elif action.kind == "convert_charset":
            widening = per_char == 3 and (action.name or "").lower() == "utf8mb4"
            kind = "convert_charset_mb4" if widening else "convert_charset"
            changes.append((DdlChange(kind), statement.table or _UNNAMED_TABLE))
        elif action.kind in _RAW_KINDS:
            changes.append((DdlChange(_RAW_KINDS[action.kind]), statement.table or _UNNAMED_TABLE))
        else:
            return []
    return changes


def _shown_kind(change: DdlChange) -> str:
    """The change's kind as a reader says it: a VARCHAR made shorter is no widening."""
    old, new = change.old_length_bytes, change.new_length_bytes
    if change.kind == "widen_varchar" and old is not None and new is not None and new < old:
        return "shorten_varchar"
    return change.kind


_UNNAMED_TABLE = "(a table named by a variable)"


def online_ddl(
    facts: Facts, options: LintOptions, path: str
) -> tuple[list[DdlStatement], list[Hit]]:
    """The algorithm of every upgrade change on the target, and an L314 per COPY operation."""
    target = options.target
    statements = []
    hits = []
    upgrade = facts.module.upgrade
    raw = raw_alters_by_seq(facts.upgrade_ops, facts.fills, facts.names) if target.is_mysql else {}
    for op in [step for each in facts.upgrade_ops for step in raw.get(each.seq, (each,))]:
        copies: list[str] = []
        blocking: list[str] = []
        # a table this upgrade created (by op.create_table, the file's definitions or raw
        # `CREATE TABLE`, round 39) holds no live table's rows: copying it costs little, blocks
        # nobody. (Rows written into it since are not weighed: round 39 tried a raw INSERT as
        # the end of "empty", and it only surfaced a change lint misreads, subunit2sql's
        # BigInteger key through a variable that already is AUTO_INCREMENT.)
        table = op.table or _raw_alter_table(op, facts.module)  # raw SQL names its own
        empty = facts.created_before(table, op.seq)
        recorded = type_before(facts, options, op)
        numbered = auto_increment_before(facts, options, op) if _adds_auto_increment(op) else None
        if numbered is None and _adds_auto_increment(op):
            # nothing in the history: a rename of the table's integer key (round r40, tables
            # made before the first revision) or a raw MODIFY (issue 20) restates AUTO_INCREMENT
            numbered = restated_key_auto_increment(facts, op) or op.seq in raw or None
        per_char = options.bytes_per_char(table)
        if op.name == "execute" and table is not None:
            # a raw CONVERT TO CHARACTER SET converts from the set the table had before
            before = options.charset_before(table)
            per_char = CHARSET_BYTES.get(before, BYTES_PER_CHAR) if before else BYTES_PER_CHAR
        # an AUTO_INCREMENT column added with no key is refused (L332), not a long rebuild
        refused = {
            f"{op.table_label()}.{column.name or '(unnamed column)'}"
            for column in op.columns
            if refused_auto_column(op, column)
        }
        for change, label in ddl_changes(op, facts.module, per_char, recorded, numbered):
            if change.kind == "change_type" and _type_as_written(facts, op):
                continue  # the type this upgrade gave the column itself
            if change.kind in _TYPE_CHANGES and stale_existing_type(facts, options, op):
                continue  # the revisions before already made it this type: a restatement
            algorithm = ddl_algorithm(change, target)
            operation = f"{_shown_kind(change)} {label}".rstrip()
            statements.append(DdlStatement(path, op.line, operation, algorithm))
            # without existing_type the old type is unknown (a VARCHAR widened in place, perhaps):
            # listed as a type change, not reported (L307's notice asks for existing_type); so
            # is a type of the application's (a TypeDecorator over DATETIME may store the same)
            unknown = change.kind == "change_type" and not _types_known(op, facts.names, recorded)
            # an ENUM whose old or new members lint cannot read (`existing_type=sa.Enum`): an
            # append (in place) cannot be told from a change (a copy); listed, not reported
            unknown = unknown or (
                change.kind == "enum_change" and not _enum_members_known(op, facts.names, recorded)
            )
            # a VARCHAR without a length cannot be written on MySQL: the ALTER fails to compile
            # (L324's error), nothing is copied (round r29)
            unknown = unknown or (
                change.kind == "change_type" and lengthless_varchar(op.param("type_"), facts.names)
            )
            said = _said(op, change, label)
            if algorithm == COPY and not unknown:
                copies.append(f"{said}: {explain_algorithm(change, target)}")
            elif change.auto_increment and label in refused:
                continue
            elif algorithm != COPY and blocks_writes(change, target):
                blocking.append(f"{said}: {explain_algorithm(change, target)}")
        if empty:
            continue
        if upgrade is not None and never_runs(op, upgrade, facts.module, target.flavor):
            continue  # refused before it runs (L333, L334): it copies and blocks nothing
        if refused_link(facts, options, op) or refused_name(facts, options, op):
            continue  # a foreign key of unlike types, a key name taken: refused (L335, L336)
        if refused_null_key(facts, options, op):
            continue  # a primary-key column written NULL: refused (L330's error), no copy
        if guarded_noop(facts, options, op):
            continue  # guarded, and the history already has what it makes: it never runs
        # a grouped L314 lists a constraint by its kind too: "foreign key fk_x on t"
        subject = _constraint_subject(op)
        shown = "execute" if op.seq in raw else op.name  # a raw MODIFY's stand-in
        if copies:
            message = f"{shown} is ALGORITHM=COPY on {target} ({'; '.join(copies)})"
            hits.append(op_hit("L314", op, message, subject=subject))
        elif blocking:
            message = f"{shown} blocks writes on {target} ({'; '.join(blocking)})"
            hits.append(op_hit("L314", op, message, subject=subject))
    return statements, hits
