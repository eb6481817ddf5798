"""Rules about column types as the target server stores them: narrowing, enums, keys, defaults.

L307 a type change that can lose values (`narrowing`), L308 Enum values removed or reordered,
L312 an index key over InnoDB's byte limit under utf8mb4, L313 a TEXT/BLOB/JSON default the
target refuses, L322 a CHANGE/MODIFY Alembic cannot write without the column's type, L323 a
TEXT/BLOB/JSON column in a key without a prefix length, L324 a VARCHAR without a length. Each
rule is a `Check` over lint.facts' `Facts`.

Longer than 500 lines: the seven rules share one reading of types (families, widths, Enum
values), which splitting would duplicate or scatter.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from alembic_sentinel.lint.bounded_values import bounded_first
from alembic_sentinel.lint.column_changes import changes_column_definition, needs_existing_type
from alembic_sentinel.lint.column_charset import mysql_type_node
from alembic_sentinel.lint.column_state import type_before, type_stated_before
from alembic_sentinel.lint.expressions import column_spec, default_kind, type_spec
from alembic_sentinel.lint.facts import (
    BYTES_PER_CHAR,
    Facts,
    Hit,
    LintOptions,
    column_label,
    literal_bool,
    op_hit,
    table_of,
)
from alembic_sentinel.lint.history import CHARSET_BYTES
from alembic_sentinel.lint.literals import Names, is_none, string_list, string_value
from alembic_sentinel.lint.module_constants import type_name
from alembic_sentinel.lint.online_ddl import ServerVersion
from alembic_sentinel.lint.raw_not_nulls import raw_alters
from alembic_sentinel.lint.restated_losses import restatement_losses
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
from alembic_sentinel.lint.target_conversions import loses_on_target
from alembic_sentinel.lint.unconverted_values import (
    conditional_conversion,
    evidence,
    notice_fix,
    notice_message,
)
from alembic_sentinel.lint.uuid_keys import uuid_key
from alembic_sentinel.report.model import NOTICE

# InnoDB's index key limit with the DYNAMIC/COMPRESSED row formats (MySQL 5.7.7+, MariaDB 10.2+)
KEY_LIMIT_BYTES = 3072

# an integer type's storage size in bytes, as MySQL stores it (a Boolean is a TINYINT; the
# display width of INT(11) changes nothing): narrowings compare it, and L335's foreign keys
INTEGER_BYTES: Mapping[str, int] = MappingProxyType(
    {
        "TINYINT": 1,
        "Boolean": 1,
        "BOOLEAN": 1,
        "SmallInteger": 2,
        "SMALLINT": 2,
        "MEDIUMINT": 3,
        "Integer": 4,
        "INTEGER": 4,
        "INT": 4,
        "BigInteger": 8,
        "BIGINT": 8,
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
_FLOATS = _DOUBLES | _SINGLES
_LOB_FAMILIES = frozenset({TEXT, BLOB, JSON})
# types SQLAlchemy's MySQL dialect renders as VARCHAR / NVARCHAR, which need a length
_VARCHARS = frozenset({"String", "VARCHAR", "Unicode", "NVARCHAR"})


# L307, L308


def _lob_rank(column_type: TypeSpec) -> int:
    return _LOB_RANK.get(column_type.name, 2)


# SQLAlchemy's generic types and the SQL types they render as on MySQL, under one name:
# `existing_type=sa.TEXT(), type_=sa.Text()` restates the column as it is. `sa.DateTime` is
# DATETIME whatever its `timezone=` (MySQL's dialect ignores it; round 28), and DATETIME's
# fractional seconds (`fsp=`) are read as its precision, so DATETIME(6) stays apart.
_MYSQL_SPELLING: Mapping[str, str] = MappingProxyType(
    {
        "Text": "TEXT",
        "UnicodeText": "TEXT",
        "String": "VARCHAR",
        "Unicode": "VARCHAR",
        "Integer": "INTEGER",
        "INT": "INTEGER",
        "BigInteger": "BIGINT",
        "SmallInteger": "SMALLINT",
        "Boolean": "BOOLEAN",
        "LargeBinary": "BLOB",
        "DateTime": "DATETIME",
        # the generic types as MySQL stores them (a raw MODIFY's DECIMAL(10,2) restates a
        # column created `sa.Numeric(10, 2)`; issue 20)
        "Numeric": "DECIMAL",
        "NUMERIC": "DECIMAL",
        "Float": "FLOAT",
        "Date": "DATE",
        "Time": "TIME",
        "Enum": "ENUM",
    }
)


# the largest value, in bytes, each TEXT / BLOB storage type holds (MySQL's data type storage
# requirements: L + 1, L + 2, L + 3, L + 4 bytes with L < 2**8, 2**16, 2**24, 2**32)
_LOB_SIZES = ((255, "TINY"), (65_535, ""), (16_777_215, "MEDIUM"))


def stored_type(column_type: TypeSpec, per_char: int = BYTES_PER_CHAR) -> TypeSpec:
    """The TEXT / BLOB type MySQL stores a sized one as: "the smallest type large enough to
    hold values M bytes (BLOB) / characters (TEXT) long", `sa.LargeBinary(12)` (BLOB(12)) a
    TINYBLOB, `sa.UnicodeText(2**29)` a LONGTEXT; a character takes `per_char` bytes at most
    (the table's character set). Any other type as it is."""
    if column_type.family not in (TEXT, BLOB) or column_type.length is None:
        return column_type
    size = column_type.length * (per_char if column_type.family == TEXT else 1)
    prefix = next((prefix for most, prefix in _LOB_SIZES if size <= most), "LONG")
    return TypeSpec(
        f"{prefix}{'TEXT' if column_type.family == TEXT else 'BLOB'}", column_type.family
    )


def same_on_mysql(old: TypeSpec, new: TypeSpec, per_char: int = BYTES_PER_CHAR) -> bool:
    """Whether MySQL stores both types as one: the same type spelt generically and in SQL
    (`sa.Text()` and `sa.TEXT()`, `sa.String(50)` and `sa.VARCHAR(50)`), a sized TEXT / BLOB
    and the type it is stored as (`sa.LargeBinary(length=12)` and TINYBLOB: stored_type), or
    BOOL as TINYINT(1) (autogenerate writes `existing_type=mysql.TINYINT(display_width=1),
    type_=sa.Boolean()` again and again)."""
    old, new = stored_type(old, per_char), stored_type(new, per_char)
    if same_spelling(old, new):
        return True
    pair = {old.family, new.family}
    if pair != {INTEGER, BOOLEAN}:
        return False
    integer = old if old.family == INTEGER else new
    return integer.name == "TINYINT" and integer.unsigned is False


def same_spelling(old: TypeSpec, new: TypeSpec) -> bool:
    """Whether both are one type spelt generically and in SQL (`sa.Text()` and `sa.TEXT()`,
    `sa.Integer()` and `sa.INT()`), on any database. An integer's display width is no part of
    its type (round 38: `mysql.INTEGER(display_width=11)`, which autogenerate writes for every
    INT, is `sa.Integer()`; MariaDB changes the width alone with ALGORITHM=INSTANT, MySQL 8.0.19
    drops it)."""
    old_name = _MYSQL_SPELLING.get(old.name, old.name)
    new_name = _MYSQL_SPELLING.get(new.name, new.name)
    if old.family == INTEGER:
        old = old._replace(display_width=None)
    if new.family == INTEGER:
        new = new._replace(display_width=None)
    return old_name == new_name and old._replace(name=old_name) == new._replace(name=new_name)


def same_on_target(old: TypeSpec, new: TypeSpec, options: LintOptions, table: str | None) -> bool:
    """Whether the target stores both types as one: on MySQL/MariaDB as same_on_mysql says
    (BOOL is TINYINT(1), a sized TEXT the type it is stored as), elsewhere the same type spelt
    two ways only."""
    if options.target.is_mysql:
        return same_on_mysql(old, new, options.bytes_per_char(table))
    return same_spelling(old, new)


def _retyped(facts: Facts, op: Operation) -> tuple[TypeSpec, TypeSpec, str, str] | None:
    """An alter_column's existing_type=, type_=, table and column, when lint reads them all:
    what the stale-existing_type readings compare."""
    stated = type_spec(op.param("existing_type"), facts.names)
    new = type_spec(op.param("type_"), facts.names)
    column = op.string("column_name")
    if stated is None or new is None or op.table is None or column is None:
        return None
    return stated, new, op.table, column


def stale_existing_type(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether an upgrade alter_column's existing_type= is stale: a revision before it already
    made the column the very type its type_= asks for, from the type existing_type names (the
    history gave the column that type first: created VARCHAR(512), later shortened to 36). A
    revision repeating an earlier one's alters word for word (autogenerate run twice against a
    database the first had not reached) restates the column as it is: it narrows and copies
    nothing, and the loss, if any, is the earlier revision's finding (round 37). An
    existing_type no revision ever gave the column (an earlier revision edited in place after
    databases ran it: created 255, the fix says 256 -> 255) speaks of databases lint cannot
    see, and is believed."""
    read = _retyped(facts, op)
    if read is None:
        return False
    stated, new, table, column = read
    # round 38: an earlier revision's existing_type= (autogenerate's word for what the database
    # held: `mysql.TINYINT(display_width=1)`), with no step retyping the column since, is the
    # very type type_= asks for, and this existing_type= says otherwise (a hand-written
    # `sa.Integer`): the column already is that type, nothing changes
    observed = type_stated_before(facts, options, op)
    if (
        observed is not None
        and observed.family
        and same_on_target(observed, new, options, table)
        and not same_on_target(observed, stated, options, table)
    ):
        return True
    recorded = type_before(facts, options, op)
    if recorded is None:
        return False
    if not same_on_mysql(recorded, new) or same_on_mysql(stated, new):
        return False
    return any(same_on_mysql(stated, seen) for seen in options.types_before(table, column))


def history_type_narrows_nothing(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether the alter_column's existing_type= is stale by _history_type_wins and the change
    from the history's type narrows nothing (L307 only: the type still changes, L314's copy
    stays)."""
    read = _retyped(facts, op)
    if read is None:
        return False
    stated, new, table, column = read
    recorded = type_before(facts, options, op)
    return (
        recorded is not None
        and _history_type_wins(stated, recorded, options.types_before(table, column))
        and target_narrowing(recorded, new, options, op) is None
    )


def _history_type_wins(stated: TypeSpec, recorded: TypeSpec, seen: list[TypeSpec]) -> bool:
    """Whether an existing_type= no revision gave the column, of another kind than the one
    type the history ever gave it (its create's, no alter since), is stale (round 41:
    existing_type DECIMAL(20,2) on a column created FLOAT): a database built from the history
    holds the history's type, and the change is judged from it. An existing_type of the same
    kind with another size (created 255, the fix says 256 -> 255) may be an edited revision's
    databases, and is believed (above)."""
    if ENUM in (stated.family, recorded.family):
        return False  # an Enum read back as a VARCHAR: L314's own reading (round r28a)
    if any(same_on_mysql(stated, given) for given in seen):
        return False
    if not seen or not all(same_on_mysql(recorded, given) for given in seen):
        return False
    return _kind(stated) != _kind(recorded)


def _kind(column_type: TypeSpec) -> str:
    """The family, a fixed-point number told from a floating one."""
    if column_type.family == NUMERIC:
        return "fixed" if column_type.name in _DECIMALS else "floating"
    return column_type.family


def target_narrowing(
    old: TypeSpec, new: TypeSpec, options: LintOptions, op: Operation
) -> str | None:
    """narrowing() as the target loses values: MySQL/MariaDB's, else None where PostgreSQL or
    SQLite loses nothing or fails before any value is converted (lint.target_conversions)."""
    flavor = options.target.flavor
    reason = narrowing(old, new, options.bytes_per_char(op.table), flavor)
    using = op.keywords.get("postgresql_using") is not None
    if reason is None or not loses_on_target(old, new, flavor, op.batch, using):
        return None
    return reason


# what becomes of a value that does not convert to a number or a date: MySQL refuses it in
# strict mode and writes 0 (or a zero date) outside it, PostgreSQL's cast refuses it, SQLite's
# CAST makes it 0 (round 38: the target's effect)
_UNCONVERTED = MappingProxyType(
    {
        "mysql": "values that do not convert fail or become 0",
        "mariadb": "values that do not convert fail or become 0",
        "postgresql": "values that do not convert make the ALTER fail",
        "sqlite": "values that do not convert become 0",
    }
)


def narrowing(
    old: TypeSpec, new: TypeSpec, per_char: int = BYTES_PER_CHAR, flavor: str = "mysql"
) -> str | None:
    """Why changing a column from `old` to `new` can lose values, or None; a sized TEXT / BLOB
    is judged as the type MySQL stores it as (stored_type). A Boolean is MySQL's BOOL, a
    TINYINT(1): what fits a TINYINT keeps its value (round 38: `to Boolean keeps only 0/1`
    was no server's effect); elsewhere (`flavor`) a change to Boolean keeps only true/false."""
    before, after = old.family, new.family
    if after == BOOLEAN and before != BOOLEAN:
        if before == INTEGER and old.name == "TINYINT":
            return None  # BOOL is TINYINT(1) on MySQL: the values stay as they are
        if flavor not in ("mysql", "mariadb"):
            return f"{old} to {new} keeps only true and false"
        # judged as the TINYINT it is, named as written: "Integer to Boolean lowers its range"
        tinyint = new._replace(name="BOOLEAN" if new.name not in INTEGER_BYTES else new.name)
        as_tinyint = narrowing(old, tinyint._replace(family=INTEGER), per_char, flavor)
        if as_tinyint is not None:
            return f"{as_tinyint} (BOOL is TINYINT(1) on MySQL)"
        return f"{old} to {new} (TINYINT(1) on MySQL): values outside -128..127 fail or are clamped"
    if after == STRING and new.length is None and new.name in _VARCHARS:
        return None  # no length at all: L324 says why MySQL refuses it
    if before == STRING and after == STRING:
        if old.length and new.length and new.length < old.length:
            return f"shortens it from {old.length} to {new.length} characters"
        return None
    if before in (TEXT, JSON) and after == STRING:
        return f"{old} to {new} limits its length"
    if (
        before == JSON
        and after == TEXT
        and _lob_rank(stored_type(new, per_char)) < _LOB_RANK["LONGTEXT"]
    ):
        # a JSON document may be as long as max_allowed_packet, as a LONGTEXT (round 23)
        return f"{old} to {new} lowers its maximum length"
    if (
        before == after
        and before in (TEXT, BLOB)
        and _lob_rank(stored_type(new, per_char)) < _lob_rank(stored_type(old, per_char))
    ):
        return f"{old} to {new} lowers its maximum length"
    if before == INTEGER and after == INTEGER:
        old_rank, new_rank = INTEGER_BYTES.get(old.name), INTEGER_BYTES.get(new.name)
        if old_rank and new_rank and new_rank < old_rank:
            return f"{old} to {new} lowers its range"
        return None
    if before == NUMERIC and after == INTEGER:
        return f"{old} to {new} drops the fraction"
    if before == NUMERIC and after == NUMERIC:
        return _numeric_narrowing(old, new, flavor)
    if before == DATETIME and after in (DATE, TIME):
        return f"{old} to {new} drops the {'time' if after == DATE else 'date'}"
    if before == ENUM and after in (INTEGER, NUMERIC) and flavor in ("mysql", "mariadb"):
        # MariaDB 10.11 stores each value's position, ENUM('5','7') made INT holds 1 and 2,
        # without a warning (checked; lint.unconverted_values)
        return f"{old} to {new}: each value becomes its position among the members (1, 2, ...)"
    if before in (STRING, TEXT, ENUM, JSON) and after in (INTEGER, NUMERIC, DATE, DATETIME, TIME):
        return f"{old} to {new}: {_UNCONVERTED.get(flavor, _UNCONVERTED['mysql'])}"
    if before == ENUM and after == STRING and old.values and new.length:
        longest = max(len(value) for value in old.values)
        if longest > new.length:
            return f"{new} is shorter than the value {max(old.values, key=len)!r}"
    return None


# MySQL's DECIMAL without digits (what SQLAlchemy renders for `sa.Numeric()`, `sa.DECIMAL()`,
# also given only scale=): DECIMAL(10,0)
_MYSQL_DECIMAL_DEFAULT = (10, 0)


def decimal_digits(column_type: TypeSpec, flavor: str) -> tuple[int, int] | None:
    """A DECIMAL's digits and the digits after the point as the target stores them, or None
    where they bound nothing: a DECIMAL without digits is DECIMAL(10,0) on MySQL/MariaDB
    (`sa.Numeric()` renders `NUMERIC`, whose default is 10 digits, none after the point) but
    an unbounded NUMERIC on PostgreSQL; SQLite keeps any number. `DECIMAL(p)` has no fraction
    on every server."""
    if column_type.name not in _DECIMALS or flavor == "sqlite":
        return None
    if column_type.precision is None:
        return _MYSQL_DECIMAL_DEFAULT if flavor in ("mysql", "mariadb") else None
    return column_type.precision, column_type.scale or 0


def _numeric_narrowing(old: TypeSpec, new: TypeSpec, flavor: str) -> str | None:
    if old.name in _DOUBLES and new.name in _SINGLES and (new.precision or 0) <= 24:
        return f"{old} to {new} halves its precision"
    digits = decimal_digits(new, flavor)
    if digits is None:
        return None
    precision, scale = digits
    # round 41's miss: `sa.DECIMAL()` on MySQL is DECIMAL(10,0), not "any number" (ECLK's
    # FLOAT column made `sa.DECIMAL()` lost every fraction: MariaDB rounds 2.75 to 3 without a
    # warning, and fails on a value of more than 10 digits, ERROR 1264)
    stored = f" ({new} is DECIMAL({precision},{scale}) on MySQL)" if new.precision is None else ""
    if old.name in _FLOATS:
        if scale == 0:
            return f"{old} to {new} rounds away the fraction{stored}"
        return None  # FLOAT to Numeric(13, 2): L307 reports no rounding to given decimals
    old_digits = decimal_digits(old, flavor)
    if old_digits is None:
        return None
    old_precision, old_scale = old_digits
    if precision - scale < old_precision - old_scale:
        return f"{old} to {new} lowers the digits before the point{stored}"
    if scale < old_scale:
        return f"{old} to {new} rounds away decimals{stored}"
    return None


def _enum_change(old: tuple[str, ...], new: tuple[str, ...]) -> str | None:
    # only the old values matter: one inserted anywhere keeps every row's value and the old
    # values' order (MySQL copies the table: L314's); a removal or a reorder of them is L308's
    removed = [value for value in old if value not in new]
    if removed:
        return f"removes {', '.join(repr(v) for v in removed)}"
    if tuple(value for value in new if value in old) != old:
        return f"reorders the values ({', '.join(old)} -> {', '.join(new)})"
    return None


def type_written_before(facts: Facts, alter: Operation) -> TypeSpec | None:
    """The column's type as an earlier step of this upgrade wrote it (create_table,
    add_column, an alter_column's type_=), the latest before `alter`; None: none did."""
    table, column = alter.table, alter.string("column_name")
    if table is None or column is None:
        return None
    written: TypeSpec | None = None
    for op in facts.upgrade_ops:
        if op.seq >= alter.seq or op.table != table:
            continue
        if op.name in ("create_table", "add_column"):
            for spec in op.columns:
                if spec.name == column and spec.type is not None:
                    written = spec.type
        elif op.name == "alter_column" and op.string("column_name") == column:
            retyped = type_spec(op.param("type_"), facts.names)
            written = retyped if retyped is not None else written
    return written


def type_changes(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    names = facts.names
    for op in facts.upgrade_ops:
        new_node = op.param("type_")
        if op.name != "alter_column" or new_node is None:
            continue
        label = column_label(op, op.string("column_name"))
        new = type_spec(new_node, names)
        if _still_empty(facts, op):
            continue  # a table this upgrade created and nothing filled yet: no value to lose
        if op.param("existing_type") is None:
            removal = _members_removed(facts, op, new)
            if removal is not None:
                yield op_hit("L308", op, f"alter_column {label}: the Enum {removal}")
                continue
            shown = _shown_type(new_node)
            restored = _type_restored_by_downgrade(facts, op)
            old_type = type_spec(restored, names) if restored is not None else None
            reason = (
                target_narrowing(old_type, new, options, op)
                if old_type is not None and new is not None
                else None
            )
            if (
                reason is not None
                and old_type is not None
                and new is not None
                and restored is not None
                and not bounded_first(facts, op)
            ):
                # the downgrade puts the old type back: what the upgrade narrows is plain
                yield _narrowing_hit(
                    facts,
                    options,
                    (op, label, old_type, new),
                    reason,
                    f" (the downgrade restores {ast.unparse(restored)}, the type before)",
                    fix="keep the width (or check every value fits first), and state "
                    f"existing_type={ast.unparse(restored)}",
                )
                continue
            if old_type is not None and new is not None:
                continue  # the downgrade shows the type before: no narrowing
            if restored is not None and _same_but_collation(restored, new_node):
                continue  # the downgrade restores the same type: only the collation changes
            written = type_written_before(facts, op)
            if written is not None and new is not None:
                if target_narrowing(written, new, options, op) is None:
                    continue  # the upgrade added (or retyped) the column itself: no narrowing
            elif new is not None:
                # the type the revisions before gave the column (created Unicode(50): to
                # Unicode(255) widens; made Unicode(350): to 255 shortens it; round r29)
                recorded = type_before(facts, options, op)
                reason = (
                    target_narrowing(recorded, new, options, op) if recorded is not None else None
                )
                if reason is not None and recorded is not None and not bounded_first(facts, op):
                    yield _narrowing_hit(
                        facts,
                        options,
                        (op, label, recorded, new),
                        reason,
                        f" (the revisions before gave it {recorded}; no existing_type)",
                        fix="keep the width (or check every value fits first), and state "
                        "existing_type= (the column's current type)",
                    )
                    continue
                if recorded is not None:
                    continue  # the history's type: it does not narrow
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
                gone = [value for value in old.values if value not in new.values]
                if (
                    change is not None
                    and change.startswith("removes")
                    and _rewritten(facts, op, gone, new.values)
                ):
                    continue  # the rows were moved off the removed values first
                if change is not None:
                    yield op_hit("L308", op, f"alter_column {label}: the Enum {change}")
            continue
        reason = target_narrowing(old, new, options, op)
        if reason is not None and stale_existing_type(facts, options, op):
            continue  # the revisions before already gave the column this type: no narrowing
        if reason is not None and history_type_narrows_nothing(facts, options, op):
            continue  # from the type the history gave it, no narrowing (round 41)
        if reason is not None and uuid_key(options, op.table, op.string("column_name"), old, new):
            yield _uuid_notice(op, label, reason)
        elif reason is not None and not bounded_first(facts, op):
            # (a write bounding the values first: none is left to cut, round 41)
            yield _narrowing_hit(facts, options, (op, label, old, new), reason)
    if options.target.is_mysql:
        yield from _raw_type_changes(facts, options)


def _narrowing_hit(
    facts: Facts,
    options: LintOptions,
    change: tuple[Operation, str, TypeSpec, TypeSpec],
    reason: str,
    suffix: str = "",
    fix: str | None = None,
    said: str = "",
) -> Hit:
    """L307's error, or its notice where a string made a number or a date has no evidence of
    a value that does not convert (lint.unconverted_values): the rows decide, which lint
    cannot see (issue 20, rounds 41-43)."""
    op, label, old, new = change
    flavor = options.target.flavor
    said = said or f"alter_column {label}"
    if not conditional_conversion(old, new, flavor):
        return op_hit("L307", op, f"{said}: {reason}{suffix}", fix=fix)
    found = evidence(facts, options, op, old, new)
    if found is not None:
        return op_hit("L307", op, f"{said}: {reason} ({found}){suffix}", fix=fix)
    message = notice_message(label, old, new, flavor) + suffix
    return op_hit("L307", op, message, fix=notice_fix(op, new, flavor))._replace(severity=NOTICE)


def _raw_type_changes(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    """L307 / L308 for a raw `MODIFY c <type>` / `CHANGE a b <type>` (issue 20): the
    alter_column it is (raw_not_nulls.raw_alters), judged against the type the revisions before
    (or this upgrade's steps before it) gave the column, as an alter_column without
    existing_type is. A type lint.raw_types does not read, a column of unknown type, or a
    table this upgrade made and nothing filled: no finding."""
    for op in raw_alters(facts.upgrade_ops):
        new = type_spec(op.param("type_"), facts.names)
        if new is None or _still_empty(facts, op):
            continue
        old = type_before(facts, options, op)
        if old is None:
            continue
        label = column_label(op, op.string("column_name"))
        said = f"execute restating {label} as {new}"
        if old.family == ENUM and new.family == ENUM:
            if old.values is None or new.values is None:
                continue
            change = _enum_change(old.values, new.values)
            gone = [value for value in old.values if value not in new.values]
            if change is not None and gone and _rewritten(facts, op, gone, new.values):
                continue  # the rows were moved off the removed values first
            if change is not None:
                yield op_hit(
                    "L308", op, f"{said}: the ENUM {change} (the revisions before gave it {old})"
                )
            continue
        reason = target_narrowing(old, new, options, op)
        if reason is not None and not bounded_first(facts, op):
            yield _narrowing_hit(
                facts,
                options,
                (op, label, old, new),
                reason,
                suffix=f" (the revisions before gave it {old})",
                fix="keep the width in the MODIFY / CHANGE (or check every value fits first)",
                said=said,
            )


def _uuid_notice(op: Operation, label: str, reason: str) -> Hit:
    """L307 as a notice: a UUID key cut to a UUID's width loses nothing if every value is one
    (lint.uuid_keys)."""
    message = (
        f"alter_column {label}: {reason}, the width of a UUID's text form: a key holding "
        "UUIDs loses nothing, a longer value fails (or is cut)"
    )
    fix = "check that no value is longer (SELECT MAX(CHAR_LENGTH(column))) before the change"
    return op_hit("L307", op, message, fix=fix)._replace(severity=NOTICE)


def _rewritten(facts: Facts, op: Operation, removed: list[str], kept: tuple[str, ...]) -> bool:
    """Whether a fill of the upgrade before `op` may write the column `op` retypes: an Enum
    losing members after an UPDATE that moves the rows off them loses no value. A Core UPDATE
    run once per parameter row (`.where(t.c.id == bindparam("_id"))`) writes the rows its
    parameters name: it counts when they are every row a query chose by the removed values
    (keyed_moves.py, round 32), not for being a write of the column."""
    column = op.string("column_name")
    if column is None:
        return False
    if _moved_off(facts, op, column, removed, kept):
        return True
    lowered = (op.table or "").lower() or None
    wanted = {(lowered, column.lower()), (None, column.lower()), (lowered, "*")}
    if any(
        fill.seq < op.seq and (fill.opaque or not wanted.isdisjoint(fill.writes))
        for fill in facts.fills
    ):
        return True
    return any(
        a.seq < op.seq
        and a.column.lower() == column.lower()
        and (a.table is None or lowered is None or a.table.lower() == lowered)
        and not _keyed(a.where)
        for a in facts.assignments
    )


def _moved_off(
    facts: Facts, op: Operation, column: str, removed: list[str], kept: tuple[str, ...]
) -> bool:
    """Whether keyed moves before `op` move every row holding a removed value to a value the
    new type keeps."""
    upgrade = facts.module.upgrade
    moves = [
        move
        for move in (upgrade.keyed_moves if upgrade is not None else ())
        if move.line < op.line
        and move.table == (op.table or "").lower()
        and move.column == column.lower()
        and move.value in kept
    ]
    return bool(removed) and all(any(value in m.selected for m in moves) for value in removed)


def _keyed(where: tuple[ast.expr, ...]) -> bool:
    """Whether a Core UPDATE's WHERE picks rows by a bound parameter (`t.c.id ==
    bindparam("_id")`): run once per parameter row, it writes the rows they name."""
    for clause in where:
        for node in ast.walk(clause):
            if type(node) is ast.Call:
                func = node.func
                name = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
                if name == "bindparam":
                    return True
    return False


def _shown_type(node: ast.expr) -> str:
    """A type expression for a message: the module-level name it was given by, if any (`type_=
    new_enum`); an Enum whose members a constant spread into it is named by its call and its
    number of members, not by each of them."""
    name = type_name(node)
    if name is not None:
        return name
    shown = ast.unparse(node)
    if len(shown) > 80 and type(node) is ast.Call and node.args:
        return f"{ast.unparse(node.func)}(...{len(node.args)} values)"
    return shown


def _members_removed(facts: Facts, op: Operation, new: TypeSpec | None) -> str | None:
    """Which members an Enum alter_column without existing_type removes, when the downgrade
    gives the column back an Enum whose members lint reads (the type before, as the revision
    states it) and nothing in the upgrade rewrites the column's rows first (rows moved off
    the removed values: the new type holds them all). A reorder alone is left unsaid: the
    downgrade's list restated by hand is weak evidence of the column's order."""
    if new is None or new.family != ENUM or new.values is None:
        return None
    column = op.string("column_name")
    if column is None:
        return None
    restored = _type_restored_by_downgrade(facts, op, last=True)
    old = type_spec(restored, facts.names) if restored is not None else None
    if old is None or old.family != ENUM or old.values is None:
        return None
    removed = [value for value in old.values if value not in new.values]
    if not removed or _rewritten(facts, op, removed, new.values):
        return None
    listed = ", ".join(repr(value) for value in removed)
    return (
        f"removes {listed}, which the Enum the downgrade restores has: rows holding "
        f"{'it' if len(removed) == 1 else 'them'} fail in strict mode or become ''"
    )


def _still_empty(facts: Facts, op: Operation) -> bool:
    """Whether `op` works on a table this upgrade created before it, with no fill since that
    may have written rows into it (a bulk_insert, SQL the syntax does not show)."""
    created = next(
        (o.seq for o in facts.upgrade_ops if o.name == "create_table" and o.table == op.table),
        None,
    )
    column = op.string("column_name")
    if created is None or created > op.seq or column is None:
        return False
    return not facts.written_between(op.table, column, created, op.seq)


def _without_collation(node: ast.expr) -> str:
    """The type expression's shape with every `collation=` argument left out."""

    class _Strip(ast.NodeTransformer):
        def visit_Call(self, call: ast.Call) -> ast.Call:
            self.generic_visit(call)
            call.keywords = [kw for kw in call.keywords if kw.arg != "collation"]
            return call

    import copy  # here: rarely needed, and its import costs every lint process

    return ast.dump(_Strip().visit(copy.deepcopy(node)))


def _same_but_collation(restored: ast.expr, new: ast.expr) -> bool:
    """Whether the upgrade's type and the one the downgrade restores are the same expression
    but for collations (`ARRAY(String(collation="C"))` and `ARRAY(String())`): no width,
    precision or kind changes, so nothing narrows, whatever the type. A bare name is not
    compared: each function may bind it to another type."""
    if type(restored) is ast.Name or type(new) is ast.Name:
        return False
    return _without_collation(restored) == _without_collation(new)


def _type_restored_by_downgrade(facts: Facts, op: Operation, last: bool = False) -> ast.expr | None:
    """The type_ the downgrade's (first, or with `last` its last) alter_column gives the same
    column back, if any: the last is the type the downgrade leaves it with."""
    downgrade = facts.module.downgrade
    column = op.string("new_column_name") or op.string("column_name")
    found: ast.expr | None = None
    for other in downgrade.operations if downgrade is not None else ():
        if (
            other.name == "alter_column"
            and other.table == op.table
            and other.string("column_name") == column
            and other.param("type_") is not None
        ):
            found = other.param("type_")
            if not last:
                return found
    return found


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


def _keys(op: Operation) -> Iterator[tuple[str, tuple[str, ...], ast.expr | None, bool]]:
    """(description, columns, mysql_length, unique) of each index or key the operation creates."""
    if op.name in ("create_index", "create_unique_constraint", "create_primary_key"):
        columns = string_list(op.param("columns"))
        if columns:
            name = op.string("index_name") or op.string("constraint_name") or "(unnamed)"
            length = op.keywords.get("mysql_length", op.keywords.get("mariadb_length"))
            unique = op.name != "create_index" or literal_bool(op.param("unique")) is True
            description = "primary key" if op.name == "create_primary_key" else op.name
            yield f"{description} {name}", columns, length, unique
        return
    if op.name not in ("create_table", "add_column"):
        return
    primary = tuple(c.name for c in op.columns if c.primary_key and c.name)
    if primary:
        yield "the primary key", primary, None, True
    for column in op.columns:
        if column.name and (column.unique or column.indexed):
            kind = "unique" if column.unique else "index"
            yield f"the {kind} on {column.name}", (column.name,), None, column.unique
    for constraint in op.constraints:
        if constraint.kind in ("unique", "primary_key", "index") and constraint.columns:
            kind = constraint.kind.replace("_", " ")
            unique = constraint.kind != "index" or constraint.unique
            yield (
                f"the {kind} {constraint.name or '(unnamed)'}",
                constraint.columns,
                constraint.lengths,
                unique,
            )


# the bytes InnoDB keys a fixed-size column by, as MySQL stores it (the manual's "Data Type
# Storage Requirements"; each checked against ERROR 1071 on MariaDB 10.11 with a latin1
# VARCHAR filling the rest of the 3072 bytes): the limit is on the sum of all key parts
_FIXED_KEY_BYTES: Mapping[str, int] = MappingProxyType(
    {
        **INTEGER_BYTES,
        "DateTime": 5,
        "DATETIME": 5,
        "TIMESTAMP": 4,
        "Date": 3,
        "DATE": 3,
        "Time": 3,
        "TIME": 3,
        "Float": 4,
        "FLOAT": 4,
        "REAL": 4,
        "Double": 8,
        "DOUBLE": 8,
        "DOUBLE_PRECISION": 8,
    }
)
# the bytes DECIMAL stores the digits left over from groups of nine in (nine take 4 bytes)
_DECIMAL_DIGIT_BYTES = (0, 1, 1, 2, 2, 3, 3, 4, 4)


def _decimal_bytes(digits: int) -> int:
    return digits // 9 * 4 + _DECIMAL_DIGIT_BYTES[digits % 9]


def fixed_key_bytes(column_type: TypeSpec) -> int | None:
    """The bytes a column of a type other than CHAR/VARCHAR takes in an InnoDB key, or None
    when lint does not know it (TEXT/BLOB need a prefix, L323; a type it cannot read)."""
    if column_type.family == ENUM:
        # an ENUM's index into its members (1 byte up to 255 of them), a SET's bitmap from 1
        # byte; a non-native Enum is a VARCHAR whose length lint does not add up
        return None if column_type.non_native else 1
    if column_type.family == NUMERIC and column_type.name in _DECIMALS:
        precision, scale = column_type.precision, column_type.scale or 0
        if precision is None or precision <= 0 or not 0 <= scale <= precision:
            return None
        return _decimal_bytes(precision - scale) + _decimal_bytes(scale)
    if column_type.family == NUMERIC and column_type.name in _SINGLES and column_type.precision:
        return None  # FLOAT(p) may be a DOUBLE
    size = _FIXED_KEY_BYTES.get(column_type.name)
    if size is None:
        return None
    if column_type.family in (DATETIME, TIME) and column_type.precision:
        # fractional seconds: (fsp + 1) // 2 bytes more (DATETIME(6) is 8); -1 is an fsp
        # lint could not read, counted as none
        size += (max(column_type.precision, 0) + 1) // 2
    return size


def key_too_long(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    target = options.target
    for op in facts.upgrade_ops:
        per_char = options.bytes_per_char(op.table)
        charset = options.charset(op.table) or "utf8mb4"
        for description, columns, length_node, unique in _keys(op):
            prefix_all, prefixes = _prefix_lengths(length_node)
            string_total = 0
            fixed_total = 0
            parts = []
            for column in columns:
                column_type = facts.types.get((op.table, column))
                if column_type is None:
                    continue
                if column_type.family != STRING:
                    fixed = fixed_key_bytes(column_type)
                    if fixed is not None:
                        fixed_total += fixed
                        parts.append(f"{column} {fixed}")
                    continue
                if not column_type.length:
                    continue
                chars = column_type.length
                prefix = prefixes.get(column, prefix_all)
                if prefix is not None:
                    chars = min(chars, prefix)
                # a column declaring its own character set (a latin1 collation, say) is
                # stored, and keyed, in that one
                own_charset = facts.column_charsets.get((op.table, column))
                column_bytes = CHARSET_BYTES.get(own_charset, per_char) if own_charset else per_char
                string_total += chars * column_bytes
                parts.append(f"{column} {chars * column_bytes}")
            total = string_total + fixed_total
            if total <= KEY_LIMIT_BYTES:
                continue
            if (
                unique
                and not description.startswith(("the primary key", "primary key"))
                and target.flavor == "mariadb"
                and target.at_least(10, 4)
            ):
                # MariaDB 10.4+ keeps a longer UNIQUE key as a hash of its columns (`USING
                # HASH`, string-only keys too; checked on 10.11); a primary key or plain index
                # is still refused (ERROR 1071)
                continue
            yield op_hit(
                "L312",
                op,
                f"{description} on {table_of(op)}({', '.join(columns)}) is {total} bytes "
                f"under {charset} ({', '.join(parts)}): over InnoDB's {KEY_LIMIT_BYTES}",
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


def _renders_null(node: ast.expr | None, names: Names) -> bool:
    """A server default SQLAlchemy renders as `DEFAULT NULL` (`sa.text("NULL")`, `sa.null()`,
    `literal_column("null")`): every MySQL and MariaDB accepts it on TEXT/BLOB/JSON, whose
    refusal covers only a default that is not NULL (round 30: pajbot)."""
    if type(node) is not ast.Call:
        return False
    callee = names.sqlalchemy_name(node.func)
    if callee == "null" and not node.args:
        return True
    if callee in ("text", "literal_column") and node.args:
        text = string_value(node.args[0])
        return text is not None and text.strip().upper() == "NULL"
    return False


def text_default(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    names = facts.names
    for op in facts.upgrade_ops:
        if op.name in ("create_table", "add_column"):
            for column in op.columns:
                if (
                    column.type is None
                    or column.type.family not in _LOB_FAMILIES
                    or column.server_default in (None, DEFAULT_NONE)
                    or _renders_null(column.server_default_node, names)
                ):
                    continue
                reason = _text_default_refused(column.server_default, options.target)
                if reason is not None:
                    default = column.server_default_node
                    shown = ast.unparse(default) if default is not None else "(not shown)"
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
            if _renders_null(default, names):
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


# L322


def alter_without_type(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in facts.all_ops:
        if not needs_existing_type(op):
            continue  # (a rebuilt batch writes CREATE TABLE from the reflected table, no MODIFY)
        changes = changes_column_definition(op)
        # what the CHANGE would drop once given its type alone (L330's losses, which L330
        # leaves to this finding: the refused statement drops nothing as written)
        lost = restatement_losses(facts, options, op)
        also = (
            f"; the revisions show it {' and '.join(_HELD[loss] for loss in lost)}, which a "
            "CHANGE given existing_type alone drops: state existing_nullable=False / "
            "existing_server_default= too"
            if lost
            else ""
        )
        yield op_hit(
            "L322",
            op,
            f"alter_column {column_label(op, op.string('column_name'))} "
            f"({', '.join(f'{name}=' for name in changes)}) without existing_type: on MySQL "
            "and MariaDB Alembic writes CHANGE/MODIFY COLUMN with the full column definition "
            "and stops with 'All MySQL CHANGE/MODIFY COLUMN operations require the existing "
            f"type'{also}",
        )


# restatement_losses' words -> what the column has
_HELD = MappingProxyType(
    {"NOT NULL (Alembic writes the column NULL)": "NOT NULL", "its DEFAULT": "with a DEFAULT"}
)


# L323


def _lob_refused(
    family: str, key: str, unique: bool, prefixed: bool, target: ServerVersion
) -> str | None:
    """Why `target` refuses a TEXT/BLOB/JSON column in this key, or None."""
    if target.flavor == "mariadb":
        # MariaDB 10.4+ keeps a long UNIQUE as a hash and cuts a plain index to a prefix
        # (checked on 10.11); a primary key still needs the length
        if key == "primary key" and not prefixed:
            return "ERROR 1170: BLOB/TEXT column used in key specification without a key length"
        if not target.at_least(10, 4) and not prefixed:
            return f"{target} needs a prefix length (ERROR 1170; 10.4+ accepts it)"
        return None
    if family == JSON:
        return "ERROR 3152: a JSON column cannot be used in a key (index a generated column)"
    if not prefixed:
        return "ERROR 1170: BLOB/TEXT column used in key specification without a key length"
    return None


def lob_key_without_length(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in facts.upgrade_ops:
        for description, columns, length_node, unique in _keys(op):
            prefix_all, prefixes = _prefix_lengths(length_node)
            key = "primary key" if "primary" in description else "key"
            for column in columns:
                column_type = facts.types.get((op.table, column))
                if column_type is None or column_type.family not in _LOB_FAMILIES:
                    continue
                prefixed = prefixes.get(column, prefix_all) is not None
                reason = _lob_refused(column_type.family, key, unique, prefixed, options.target)
                if reason is not None:
                    yield op_hit(
                        "L323",
                        op,
                        f"{description} on {table_of(op)}({', '.join(columns)}): "
                        f"{column} is {column_type}: {reason}",
                    )


# L324


def _rendered_types(op: Operation, names: Names) -> Iterator[tuple[str | None, ast.expr]]:
    """(column, type expression) of each type an operation makes MySQL render in DDL."""
    if op.name in ("create_table", "add_column"):
        nodes = list(op.extra) if op.name == "create_table" else [op.param("column")]
        for node in nodes:
            if type(node) is not ast.Call:
                continue
            spec = column_spec(node, names)
            if spec is None:
                continue
            typed = [*node.args, *(kw.value for kw in node.keywords if kw.arg == "type_")]
            found = next((arg for arg in typed if type_spec(arg, names) is not None), None)
            if found is not None:
                yield spec.name, found
    elif op.name == "alter_column":
        column = op.string("column_name")
        new_type, existing = op.param("type_"), op.param("existing_type")
        if new_type is not None:
            yield column, new_type
        elif existing is not None and changes_column_definition(op):
            yield column, existing


def _written_without_length(node: ast.expr) -> bool:
    """`sa.String` or `sa.String()`: no length at all (not a length held in a variable)."""
    if type(node) is not ast.Call:
        return True
    return not node.args and all(kw.arg != "length" for kw in node.keywords)


def lengthless_varchar(node: ast.expr | None, names: Names) -> bool:
    """Whether a type renders as VARCHAR with no length at all on MySQL (`sa.String()`), which
    SQLAlchemy's MySQL dialect refuses to compile (L324)."""
    column_type = type_spec(node, names)
    return (
        node is not None
        and column_type is not None
        and column_type.name in _VARCHARS
        and column_type.length is None
        and _written_without_length(mysql_type_node(node))
    )


def varchar_without_length(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    names = facts.names
    for op in facts.all_ops:
        for column_name, node in _rendered_types(op, names):
            column_type = type_spec(node, names)
            if column_type is None or not lengthless_varchar(node, names):
                continue
            yield op_hit(
                "L324",
                op,
                f"{op.name} {column_label(op, column_name)}: {column_type.name}() has no length; "
                "MySQL and MariaDB need VARCHAR(n) (SQLAlchemy: 'VARCHAR requires a length on "
                "dialect mysql')",
            )
