"""Rules about what a revision written for (or on) PostgreSQL does on MySQL/MariaDB.

L329 a Boolean server_default of "true"/"false" (ERROR 1067 on MySQL/MariaDB), L330 an
alter_column whose MODIFY restates the column without its nullability (NOT NULL and DEFAULT
silently dropped), L331 PostgreSQL-only SQL, column types and index options (and the SQL and
index options of SQLite, and double-quoted names, lint.foreign_sql). Each rule is a `Check` over
lint.facts' `Facts`; the linter applies L329-L331 only for a MySQL/MariaDB target.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from alembic_sentinel.lint.column_charset import nodes_mysql_reads
from alembic_sentinel.lint.dropped_defaults import dropped_default
from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.facts import (
    Facts,
    Hit,
    LintOptions,
    column_label,
    op_hit,
    table_of,
)
from alembic_sentinel.lint.foreign_sql import (
    JOIN_DELETE,
    JOIN_UPDATE,
    POSTGRESQL,
    QUOTED,
    SINGLE_QUOTED,
    SQLITE,
    literal_filters,
    refusals,
)
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import Names, literal_bool, string_list, string_value
from alembic_sentinel.lint.null_filters import only_excludes_nulls
from alembic_sentinel.lint.postgresql_ddl import (
    operation_about,
    postgresql_ddl,
    postgresql_ddl_possible,
    without_strings,
)
from alembic_sentinel.lint.postgresql_enums import postgresql_enums
from alembic_sentinel.lint.primary_key_nulls import refused_null_key
from alembic_sentinel.lint.raw_not_nulls import raw_alters, raw_not_nulls
from alembic_sentinel.lint.restated_losses import (
    contradicted_nullable,
    refusal_covers,
    restatement_losses,
)
from alembic_sentinel.lint.revision_model import BOOLEAN, Fill, Operation
from alembic_sentinel.lint.same_table_subqueries import refused_on, same_table_reads
from alembic_sentinel.lint.sql_reader import read_sql
from alembic_sentinel.lint.temporary_columns import dropped_later
from alembic_sentinel.lint.try_blocks import quietly_caught
from alembic_sentinel.report.model import ERROR, WARNING

# L329

# the words PostgreSQL reads as booleans and MySQL stores as a string default of TINYINT(1)
_BOOLEAN_WORDS = frozenset({"true", "false", "t", "f"})


def boolean_text_default(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in facts.all_ops:
        for column in op.columns:
            word = _boolean_word(column.server_default_node)
            if word is not None and column.type is not None and column.type.family == BOOLEAN:
                yield _boolean_hit(op, column.name, word)
        if op.name == "alter_column":
            word = _boolean_word(op.param("server_default"))
            kind = type_spec(op.param("type_") or op.param("existing_type"), facts.names)
            if word is not None and kind is not None and kind.family == BOOLEAN:
                yield _boolean_hit(op, op.string("column_name"), word)


def _boolean_word(node: ast.expr | None) -> str | None:
    """The string a server_default gives when it is "true"/"false" (any case), else None."""
    text = string_value(node) if node is not None else None
    return text if text is not None and text.lower() in _BOOLEAN_WORDS else None


def _boolean_hit(op: Operation, column: str | None, word: str) -> Hit:
    name = column or "(a column named by a variable)"
    return op_hit(
        "L329",
        op,
        f"{op.name} {column_label(op, column)}: Boolean server_default={word!r} is "
        f"DEFAULT '{word}' on MySQL's TINYINT(1): MySQL and MariaDB refuse it (ERROR 1067 "
        f"Invalid default value for '{name}')",
        fix=f"server_default=sa.{'true' if word.lower() in ('true', 't') else 'false'}() "
        "(or sa.text('1') / sa.text('0')): rendered as each server wants it",
    )


# L330


def modify_restates_column(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    """Raised where the revisions show what the restatement drops: a NOT NULL or a default of
    the column (this file's operations, or those of the revisions linted with it)."""
    for op in facts.upgrade_ops + _downgrade_ops(facts):
        if op.name != "alter_column" or op.spread or op.rebuilt:
            continue  # a rebuilt batch restates the column from the reflected table, no MODIFY
        if refused_null_key(facts, options, op):
            yield _null_key_hit(op, options)  # refused outright: nothing is dropped
            continue
        if refusal_covers(options, op):
            continue  # Alembic refuses it before any CHANGE is written: L322 names the losses
        body = facts.module.upgrade if op in facts.upgrade_ops else facts.module.downgrade
        if dropped_later(body, op):
            continue  # a temporary column, dropped a few steps later: what it loses goes too
        changes = [p for p in ("type_", "new_column_name") if op.param(p) is not None]
        column = op.string("column_name") or ""
        lost = restatement_losses(facts, options, op)
        witness = contradicted_nullable(facts, options, op) if not lost else None
        if witness is not None:
            yield _contradicted_hit(op, column, changes, witness)
            continue
        if not lost:
            yield from dropped_default(facts, options, op)  # no type change, no rename
            continue
        given = ", ".join(f"{p}=" for p in changes)
        yield op_hit(
            "L330",
            op,
            f"alter_column {column_label(op, column)} ({given}): MySQL's CHANGE/MODIFY restates "
            f"the whole column and silently drops {' and '.join(lost)}, which the revisions "
            "show it has",
            fix="state existing_nullable=False and existing_server_default=... (what the column "
            "has) in the alter_column",
        )
    yield from _raw_losses(facts, options)


def _raw_losses(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    """L330 for an upgrade's raw `MODIFY c <type>` / `CHANGE a b <type>` that leaves out what
    the revisions show the column has (issue 20): it is the alter_column that restates the
    column without existing_nullable= / existing_server_default= (raw_not_nulls.raw_alters),
    and MySQL drops the NOT NULL and the DEFAULT as silently. A clause saying NULL (or
    DEFAULT ...) says what it wants: nothing is lost unsaid."""
    for op in raw_alters(facts.upgrade_ops):
        if dropped_later(facts.module.upgrade, op):
            continue
        lost = restatement_losses(facts, options, op)
        if _not_null_again(facts, op):
            # the downgrade makes it NOT NULL again: the upgrade means to make it nullable
            # (beaker's `MODIFY distro_tree_id INT`, undone by `... INT NOT NULL`)
            lost = [loss for loss in lost if not loss.startswith("NOT NULL")]
        if not lost:
            continue
        column = op.string("column_name") or ""
        said = " and ".join(loss.replace("Alembic writes", "MySQL makes") for loss in lost)
        yield op_hit(
            "L330",
            op,
            f"execute restating {column_label(op, column)} (raw MODIFY / CHANGE): MySQL "
            f"restates the whole column as written and silently drops {said}, "
            "which the revisions show it has",
            fix="write NOT NULL (and the DEFAULT) in the MODIFY / CHANGE, or NULL if the column "
            "is meant to become nullable",
        )


def _not_null_again(facts: Facts, op: Operation) -> bool:
    """Whether the downgrade makes the column of an upgrade's raw restatement NOT NULL (an
    alter_column's nullable=False, or a raw MODIFY / CHANGE ... NOT NULL), by either name."""
    downgrade = facts.module.downgrade
    if downgrade is None:
        return False
    names = {(op.string(p) or "").lower() for p in ("column_name", "new_column_name")} - {""}
    table = (op.table or "").lower()
    return any(
        back.name == "alter_column"
        and (back.table or "").lower() == table
        and (back.string("column_name") or "").lower() in names
        and literal_bool(back.param("nullable")) is False
        for back in (*downgrade.operations, *raw_not_nulls(downgrade.operations))
    )


def _contradicted_hit(op: Operation, column: str, changes: list[str], witness: str) -> Hit:
    given = ", ".join(f"{p}=" for p in changes)
    return op_hit(
        "L330",
        op,
        f"alter_column {column_label(op, column)} ({given}) says existing_nullable=True, but "
        f"the column is NOT NULL ({witness}): MySQL's CHANGE/MODIFY restates it NULL as told "
        "and silently drops the NOT NULL",
        fix="state existing_nullable=False in the alter_column (nullable=True if the column "
        "is meant to become nullable)",
    )


def _null_key_hit(op: Operation, options: LintOptions) -> Hit:
    column = op.string("column_name") or ""
    statement = "CHANGE" if op.param("new_column_name") is not None else "MODIFY"
    return Hit(
        "L330",
        f"alter_column {column_label(op, column)} restates a primary-key column without "
        f"nullable=False / existing_nullable=False: Alembic writes {statement} {column} ... NULL, "
        f"which {options.target} refuses (ERROR 1171: All parts of a PRIMARY KEY must be NOT "
        "NULL) and the migration stops there (MariaDB keeps the column NOT NULL)",
        op.line,
        op.end_line,
        severity=ERROR,
        fix="state existing_nullable=False in the alter_column",
        subject=f"{op.table_label()}.{column}",
    )


def _downgrade_ops(facts: Facts) -> tuple[Operation, ...]:
    downgrade = facts.module.downgrade
    return downgrade.operations if downgrade is not None else ()


# L331

# (what it is, pattern): SQL PostgreSQL runs and MySQL refuses (ERROR 1064) or lacks
_POSTGRESQL_SQL: tuple[tuple[str, LazyPattern[str]], ...] = tuple(
    (what, LazyPattern(pattern, re.IGNORECASE | re.DOTALL))
    for what, pattern in (
        ("a ::type cast", r"::\s*[a-z_\"]"),
        ("ILIKE", r"\bILIKE\b"),
        ("CONCURRENTLY", r"\bCONCURRENTLY\b"),
        ("RETURNING", r"\bRETURNING\b"),
        ("ON CONFLICT", r"\bON\s+CONFLICT\b"),
        ("ALTER COLUMN ... TYPE", r"\bALTER\s+COLUMN\s+[\w\"`]+\s+(?:SET\s+DATA\s+)?TYPE\b"),
        ("a $$-quoted function body", r"\$\$|\$[a-z_]+\$"),
        ("{} TYPE", r"\b(CREATE|DROP|ALTER)\s+TYPE\b(?:[^;]*?\b(ADD|RENAME)\s+VALUE\b)?"),
        ("{} EXTENSION", r"\b(CREATE|DROP)\s+EXTENSION\b"),
        ("{}()", r"\b(gen_random_uuid|uuid_generate_v[14])\s*\("),
        # round r32: ALTER TABLE's trigger switches, COMMENT ON, PL/pgSQL functions, triggers
        ("{} TRIGGER", r"\b(DISABLE|ENABLE)\s+TRIGGER\b"),
        (
            "COMMENT ON",
            r"\bCOMMENT\s+ON\s+(?:TABLE|COLUMN|INDEX|CONSTRAINT|VIEW|MATERIALIZED\s+VIEW|"
            r"SEQUENCE|TYPE|FUNCTION|SCHEMA|EXTENSION|TRIGGER|DATABASE)\b",
        ),
        ("LANGUAGE {}", r"\bLANGUAGE\s+(plpgsql|plpython3?u|plperlu?|plv8)\b"),
        ("EXECUTE {}", r"\bEXECUTE\s+(PROCEDURE|FUNCTION)\b"),
        # round 35: PostgreSQL drops an overloaded function by its signature; MySQL's DROP
        # FUNCTION / PROCEDURE takes the bare name (ERROR 1064 near '(int, ...)', checked on
        # MariaDB 10.11)
        (
            "DROP {} with an argument list",
            r"\bDROP\s+(FUNCTION|PROCEDURE)\s+(?:IF\s+EXISTS\s+)?[\w.`\"]+\s*\(",
        ),
    )
)


def _named(what: str, match: re.Match[str]) -> str:
    """The statement or function a pattern found, as the SQL spells it (`ALTER TYPE ... ADD
    VALUE`, `DROP TYPE`, `uuid_generate_v4()`): the message names what the revision runs."""
    if "{}" not in what:
        return what
    word = match.group(1)
    lower = what.endswith(")") or what.startswith("LANGUAGE")  # functions, languages
    named = what.format(word.lower() if lower else word.upper())
    value = match.group(2) if (match.lastindex or 0) >= 2 else None
    return f"{named} ... {value.upper()} VALUE" if value else named


# sequences: PostgreSQL's, and MariaDB's since 10.3; MySQL has none
_SEQUENCE_SQL = (
    "a sequence",
    LazyPattern(r"\b(?:CREATE|ALTER|DROP)\s+SEQUENCE\b|\b(?:nextval|setval)\s*\(", re.IGNORECASE),
)
# PostgreSQL's sequence functions take the sequence's name as a string; MariaDB's take the
# sequence itself (`nextval(seq)`): `setval('seq', 5)` is ERROR 1064 there (the literal is
# emptied before matching)
_QUOTED_SEQUENCE_SQL = (
    "{}('sequence')",
    LazyPattern(r"\b(nextval|setval|currval)\s*\(\s*''", re.IGNORECASE),
)
# column types of sqlalchemy.dialects.postgresql that MySQL has no type for
_POSTGRESQL_TYPES = frozenset(
    {
        "JSONB",
        "ARRAY",
        "UUID",
        "CITEXT",
        "INET",
        "CIDR",
        "MACADDR",
        "HSTORE",
        "TSVECTOR",
        "BYTEA",
        "INTERVAL",
        "MONEY",
        "INT4RANGE",
        "INT8RANGE",
        "NUMRANGE",
        "DATERANGE",
        "TSRANGE",
        "TSTZRANGE",
    }
)
# index options of other dialects, which SQLAlchemy's MySQL dialect leaves out
_FOREIGN_INDEX_OPTIONS = ("postgresql_where", "postgresql_using", "postgresql_ops", "sqlite_where")
# a revision that sets sql_mode ANSI / ANSI_QUOTES itself: "..." are names after it
_ANSI_QUOTES = LazyPattern(r"\bsql_mode\b[^;]*\bANSI", re.IGNORECASE)


def postgresql_only(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    # what a `try:` whose handler carries on runs stops nothing (round 35, as L333)
    caught = quietly_caught(facts.source, facts.module.upgrade, facts.module.downgrade)
    facts.memo["quietly_caught"] = caught
    for body in (facts.module.upgrade, facts.module.downgrade):
        ansi = False  # "..." are names after the body sets sql_mode ANSI_QUOTES itself
        for fill in sorted(body.fills, key=lambda fill: fill.seq) if body is not None else ():
            tried = id(fill) in caught
            hit = None if tried else _postgresql_sql(fill, options, ansi)
            if hit is not None:
                yield hit  # refused as written: no second claim about what it would do
            elif not tried:
                yield from _literal_filters(fill, facts, options, ansi)
                yield from _same_table_reads(fill, options)
            ansi = ansi or bool(fill.sql and _ANSI_QUOTES.search(fill.sql))
    if options.target.is_mysql:
        yield from postgresql_enums(facts, options)
    # MariaDB has a native UUID type since 10.7
    native_uuid = options.target.flavor == "mariadb" and options.target.at_least(10, 7)
    ddl_words = postgresql_ddl_possible(facts.source)
    # no name of the file can be a PostgreSQL type unless it imports from that dialect
    dialect_types = facts.names.imports_from("sqlalchemy.dialects.postgresql")
    for op in facts.all_ops:
        if id(op) in caught:
            continue
        for type_name in _postgresql_types(op, facts.names) if dialect_types else ():
            if type_name == "UUID" and native_uuid:
                continue
            yield op_hit(
                "L331",
                op,
                f"{op.name} {operation_about(op)}: postgresql.{type_name} is a PostgreSQL type: "
                f"SQLAlchemy cannot render it for {options.target} (CompileError) and the "
                "server has no such type",
                fix="use a portable type (sa.JSON, sa.String(36), sa.Text) or a "
                "with_variant(..., 'postgresql') of one",
            )
        if options.target.is_mysql:
            if ddl_words:
                yield from postgresql_ddl(op, facts.names, options, native_uuid)
        if op.name == "create_index":
            given = [name for name in _FOREIGN_INDEX_OPTIONS if name in op.keywords]
            columns = string_list(op.param("columns")) or ()
            wheres = [name for name in given if name.endswith("_where")]
            if given and given == wheres:
                if all(only_excludes_nulls(op.keywords[name], columns) for name in wheres):
                    continue  # it leaves out rows MySQL's index never compares: the same index
            if given:
                unique = literal_bool(op.param("unique")) is True
                effect = (
                    "the partial unique index becomes unique over every row (it fails on "
                    "rows the WHERE left out)"
                    if unique and wheres
                    else "the index is created without them"
                )
                yield Hit(
                    "L331",
                    f"create_index {op.string('index_name') or '(unnamed)'} on {table_of(op)}: "
                    f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} ignored on "
                    f"{options.target}: {effect}",
                    op.line,
                    op.end_line,
                    severity=ERROR if unique else WARNING,
                    fix="give MySQL its own index (mysql_* options, a dialect branch), or drop "
                    "the options of the other databases",
                )


# what the message calls the SQL, by the databases its forms come from
_SQL_OF = {
    frozenset({POSTGRESQL}): "PostgreSQL-only SQL",
    frozenset({SQLITE}): "SQLite-only SQL",
    frozenset({QUOTED}): "SQL with double-quoted names",
    frozenset({SINGLE_QUOTED}): "SQL with single-quoted names",
}
_JOIN_UPDATE_FIX = "MySQL writes a join update as UPDATE t JOIN other ON ... SET ..."
_JOIN_DELETE_FIX = "MySQL writes a join delete as DELETE t FROM t JOIN other ON ... WHERE ..."
_FIXES = {
    POSTGRESQL: "write MySQL's form of the statement, or run it in an "
    "`if op.get_bind().dialect.name == 'postgresql':` branch",
    SQLITE: "run it in an `if op.get_bind().dialect.name == 'sqlite':` branch (INSERT IGNORE "
    "and REPLACE INTO are MySQL's forms)",
    QUOTED: "quote names with backticks (`name`) or not at all, which MySQL and SQLite read, "
    "or keep the PostgreSQL form in a dialect branch",
    SINGLE_QUOTED: "quote names with backticks (`name`) or not at all: only SQLite reads a "
    "'string' as a name, MySQL and PostgreSQL read a string",
}


def _postgresql_sql(fill: Fill, options: LintOptions, ansi: bool) -> Hit | None:
    if not fill.sql:
        return None
    patterns = list(_POSTGRESQL_SQL)
    patterns.append(_SEQUENCE_SQL if options.target.flavor == "mysql" else _QUOTED_SEQUENCE_SQL)
    text = without_strings(fill.sql)
    found: list[tuple[str, str]] = []
    for what, pattern in patterns:
        for match in pattern.finditer(text):
            named = (POSTGRESQL, _named(what, match))
            if named not in found:
                found.append(named)
    found += [
        (origin, what)
        for origin, what in refusals(fill.sql)
        if not (origin == QUOTED and ansi) and (origin, what) not in found
    ]
    if not found:
        return None
    origins = list(dict.fromkeys(origin for origin, _ in found))
    tables = sorted({s.table for s in fill.statements if s.table})
    on = f" on {', '.join(tables)}" if tables else ""
    sql = _SQL_OF.get(frozenset(origins), "SQL of other databases")
    error = (
        "ERROR 1109, an unknown table in MULTI DELETE: its USING list must name the table"
        if all(what == JOIN_DELETE for _, what in found)
        else "ERROR 1064, a syntax error"
    )
    return Hit(
        "L331",
        f"{fill.kind} runs {sql}{on} ({', '.join(what for _, what in found)}): "
        f"{options.target} refuses it ({error}) and the migration stops there",
        fill.line,
        fill.end_line,
        fix="; ".join(
            [_JOIN_UPDATE_FIX] * any(what == JOIN_UPDATE for _, what in found)
            + [_JOIN_DELETE_FIX] * any(what == JOIN_DELETE for _, what in found)
            + [_FIXES[origin] for origin in origins]
        ),
    )


def _literal_filters(fill: Fill, facts: Facts, options: LintOptions, ansi: bool) -> Iterator[Hit]:
    """An UPDATE's or DELETE's WHERE comparing a column's name, quoted, with a value (round
    34): MySQL compares two values, the same for every row (foreign_sql.literal_filters)."""
    found = literal_filters(fill.sql) if fill.sql else []
    found = [f for f in found if not (ansi and f.quote == '"')]
    if not found or fill.sql is None:
        return
    read = read_sql(fill.sql)
    reported: set[tuple[str, str]] = set()
    for filtered in found:
        table = read[filtered.statement].table if filtered.statement < len(read) else None
        if table is None or not _known_column(facts, options, table, filtered.text):
            continue
        if (table, filtered.text.lower()) in reported:
            continue
        reported.add((table, filtered.text.lower()))
        quoted = f"{filtered.quote}{filtered.text}{filtered.quote}"
        reading = (
            f"MySQL reads {quoted} as a string (PostgreSQL and SQLite as the column)"
            if filtered.quote == '"'
            else f"{quoted} is a string on MySQL (and on PostgreSQL)"
        )
        article = "an" if filtered.kind == "UPDATE" else "a"
        yield Hit(
            "L331",
            f"{fill.kind} runs {article} {filtered.kind} on {table} whose WHERE compares "
            f"{quoted}, the name of a column of {table}, with a value: {reading}, so the "
            f"condition is the same for every row and the {filtered.kind} silently changes no "
            "row or every row",
            fill.line,
            fill.end_line,
            severity=ERROR,
            fix=f"write the column without quotes or in backticks (`{filtered.text}`)",
        )


def _same_table_reads(fill: Fill, options: LintOptions) -> Iterator[Hit]:
    """An UPDATE / DELETE whose subquery reads its own table (round 34, same_table_subqueries)."""
    for read in same_table_reads(fill.sql) if fill.sql else []:
        if not refused_on(read, options.target.flavor):
            continue
        which = "a multi-table DELETE" if options.target.flavor == "mariadb" else read.kind
        yield Hit(
            "L331",
            f"{fill.kind} runs {which} of {read.table} with a subquery reading {read.table}: "
            f"{options.target} refuses it (ERROR 1093, You can't specify target table "
            f"'{read.table}' for update in FROM clause) and the migration stops there",
            fill.line,
            fill.end_line,
            severity=ERROR,
            fix=f"read {read.table} through a derived table, which the server materializes "
            f"first: ... IN (SELECT id FROM (SELECT id FROM {read.table} WHERE ...) AS picked)",
        )


def _known_column(facts: Facts, options: LintOptions, table: str, column: str) -> bool:
    """Whether the revisions (this one's operations, or one up to it) show the table's column."""
    key = (table.lower(), column.lower())
    if any(depth <= options.position for depth, _ in options.history.states.get(key, ())):
        return True
    return any(
        (op.table or "").lower() == key[0] and (spec.name or "").lower() == key[1]
        for op in facts.all_ops
        for spec in op.columns
    )


def _postgresql_types(op: Operation, names: Names) -> list[str]:
    found: list[str] = []
    for node in [*op.args, *op.keywords.values()]:
        for child in nodes_mysql_reads(node):
            if not isinstance(child, (ast.Attribute, ast.Name)):
                continue
            qualified = names.qualified(child)
            if qualified is None or not qualified.startswith("sqlalchemy.dialects.postgresql."):
                continue
            last = qualified.rsplit(".", 1)[1]
            if last in _POSTGRESQL_TYPES and last not in found:
                found.append(last)
    return found
