"""Which of an upgrade's operations change the schema, for L318 (an empty downgrade leaves them
in place): not data fills, not scratch tables the upgrade creates and drops, not raw SQL with
nothing a downgrade could restore (an enum value PostgreSQL cannot drop, rows written, a trigger
turned off and on again around the upgrade's own updates), not the bookkeeping table of the
migration tool the project used before Alembic dropped; and whether an upgrade only creates
(the first schema of a history).
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.revision_model import Fill, Operation
from alembic_sentinel.lint.sql_reader import (
    CREATE_INDEX,
    CREATE_TABLE,
    DELETE,
    DROP_TABLE,
    INSERT,
    SELECT,
    UPDATE,
)
from alembic_sentinel.lint.sql_templates import template_text

_DML = frozenset({UPDATE, INSERT, DELETE, SELECT})
# op.* calls that change nothing themselves
_NOT_CHANGES = frozenset(
    {"get_bind", "get_context", "f", "inline_literal", "batch_alter_table", "run_async"}
)


def schema_operations(facts: Facts) -> list[Operation]:
    """The upgrade's operations that change the schema: not its data fills (op.bulk_insert,
    op.execute of an UPDATE / INSERT / DELETE / SELECT or a Core DML construct)."""
    fills = {fill.seq: fill for fill in facts.fills}
    changes = []
    for op in facts.upgrade_ops:
        if op.name == "bulk_insert" or op.name in _NOT_CHANGES:
            continue
        fill = fills.get(op.seq) if op.name == "execute" else None
        if fill is not None and not fill.opaque:
            if not fill.statements or all(s.kind in _DML for s in fill.statements):
                continue
        if fill is not None:
            text = fill.sql or template_text(op.param("sqltext"))
            if text and _nothing_to_undo(text, facts):
                continue
        changes.append(op)
    return changes


# statements a downgrade has nothing to write for: PostgreSQL cannot drop an enum's value
# (no ALTER TYPE ... DROP VALUE), and rows written are data, not schema
# and a session's (or transaction's) setting, `SET foreign_key_checks=0`, `SET NAMES utf8mb4`,
# PostgreSQL's `SET lock_timeout = ...`, ends with the connection: nothing of the schema (round
# 22); MySQL's `SET GLOBAL` / `SET PERSIST` change the server and are not among them
_NO_INVERSE = LazyPattern(
    r"^(?:ALTER\s+TYPE\s+\S+\s+ADD\s+VALUE\b|(?:UPDATE|INSERT|DELETE|SELECT|WITH)\b"
    r"|SET\s+(?!GLOBAL\b|PERSIST\b|PERSIST_ONLY\b|@@GLOBAL\.|@@PERSIST))",
    re.I,
)
_TRIGGER_TOGGLE = LazyPattern(
    r"^ALTER\s+TABLE\s+(\S+)\s+(DISABLE|ENABLE)\s+TRIGGER\s+(\S+)$", re.IGNORECASE
)


def _nothing_to_undo(sql: str, facts: Facts) -> bool:
    """Whether raw SQL changes nothing a downgrade could restore: each statement adds an enum
    value (irreversible on PostgreSQL), writes rows, sets a session's setting, or turns a
    trigger off or on where the same upgrade turns it back (a toggle around its own row
    updates)."""
    statements = [" ".join(part.split()) for part in sql.split(";") if part.strip()]
    if not statements:
        return False
    upgrade_sql = " ; ".join(fill.sql for fill in facts.fills if fill.sql)
    for statement in statements:
        if _NO_INVERSE.match(statement):
            continue
        toggle = _TRIGGER_TOGGLE.match(statement)
        if toggle is None:
            return False
        table, state, trigger = toggle.groups()
        opposite = "ENABLE" if state.upper() == "DISABLE" else "DISABLE"
        back = rf"ALTER\s+TABLE\s+{re.escape(table)}\s+{opposite}\s+TRIGGER\s+{re.escape(trigger)}"
        if re.search(back, upgrade_sql, re.IGNORECASE) is None:
            return False
    return True


_TEMPORARY = LazyPattern(r"^\s*(?:CREATE|DROP)\s+TEMPORARY\s+TABLE\b", re.IGNORECASE)


def temporary_tables(facts: Facts) -> set[str]:
    """Tables the upgrade creates and drops again (by op or raw SQL): scratch tables, no
    schema change; a CREATE TEMPORARY TABLE's too."""
    created: dict[str, int] = {}
    temporary: set[str] = set()
    steps: list[tuple[int, str, str]] = [
        (op.seq, op.name, op.table.lower())
        for op in facts.upgrade_ops
        if op.name in ("create_table", "drop_table") and op.table
    ]
    for fill in facts.fills:
        for statement in fill.statements:
            if statement.kind in (CREATE_TABLE, DROP_TABLE) and statement.table:
                steps.append((fill.seq, statement.kind, statement.table.lower()))
                if fill.sql and _TEMPORARY.match(fill.sql):
                    temporary.add(statement.table.lower())
    for seq, kind, table in sorted(steps):
        if kind == "create_table":
            created.setdefault(table, seq)
        elif table in created:
            temporary.add(table)
    return temporary


def only_temporary(fill: Fill | None, temporary: set[str]) -> bool:
    """Whether a raw SQL fill only creates, indexes or drops scratch tables, besides reading and
    writing rows (a temporary table built to update others from)."""
    if fill is None or not fill.statements:
        return False
    return all(s.kind in _DML or (s.table or "").lower() in temporary for s in fill.statements)


# the tables other migration tools keep their own history in: sqlalchemy-migrate, Flyway (its
# table before and since 5.0), Liquibase, Rails / golang-migrate / dbmate, Django, South, knex,
# yoyo and peewee-migrate. A project that moved to Alembic drops the old tool's table once; its
# rows number the old tool's steps, which no downgrade of Alembic's would bring back or use.
OTHER_TOOLS_VERSION_TABLES = frozenset(
    {
        "migrate_version",
        "schema_version",
        "flyway_schema_history",
        "databasechangelog",
        "databasechangeloglock",
        "schema_migrations",
        "django_migrations",
        "south_migrationhistory",
        "knex_migrations",
        "knex_migrations_lock",
        "_yoyo_migration",
        "_yoyo_log",
        "_yoyo_version",
        "yoyo_lock",
        "migratehistory",
    }
)


# the version table of another Alembic environment (its `version_table` setting): a project
# that merged two environments, or renamed its own, drops the other one's table once
# (`alembic_fedora_version`, `plugin_alembic_version`, `alembic_version_reports`). The plain
# `alembic_version` may be this environment's own table and is not one of them.
_ALEMBIC_VERSION_TABLE = LazyPattern(
    r"^(?:alembic_\w+_version|\w+_alembic_version|alembic_version_\w+)$", re.IGNORECASE
)


# a home-grown schema version: a table named for the database's or schema's version
# (`db_version`, `database_version`, `schema_versions`, `db_schema_version`), the numbers a
# project's own upgrade script kept before Alembic; not a table of versions of the project's
# data (`document_version`, `package_versions`)
_HOME_GROWN_VERSION_TABLE = LazyPattern(
    r"^(?:db|database|schema|db_schema)_?versions?$", re.IGNORECASE
)


def is_version_table(table: str | None) -> bool:
    """Whether `table` keeps another migration tool's history, a home-grown schema version, or
    another Alembic environment's: bookkeeping no revision of this history reads or restores."""
    name = (table or "").lower()
    return (
        name in OTHER_TOOLS_VERSION_TABLES
        or _ALEMBIC_VERSION_TABLE.match(name) is not None
        or _HOME_GROWN_VERSION_TABLE.match(name) is not None
    )


def drops_other_tools_bookkeeping(op: Operation, fill: Fill | None) -> bool:
    """Whether the operation only drops another migration tool's version table (op.drop_table,
    or raw `DROP TABLE [IF EXISTS] migrate_version`), guarded or not."""
    if op.name == "drop_table":
        return is_version_table(op.table)
    if fill is None or not fill.statements:
        return False
    return all(s.kind == DROP_TABLE and is_version_table(s.table) for s in fill.statements)


# raw SQL that only adds to the schema: CREATE of a table, index, view, sequence, type, ...
_CREATES = LazyPattern(r"^\s*CREATE\b", re.IGNORECASE)


def only_creates(changes: list[Operation], fills: dict[int, Fill]) -> bool:
    """Whether every schema change is a creation: tables, indexes, constraints, sequences, raw
    CREATE statements, and any change (a column added, an alter_column making the new key
    AUTO_INCREMENT, round 37) of a table the same upgrade created: still that table's first
    definition. The inverse of such an upgrade at a history's base is dropping everything it
    made."""
    created = {(op.table or "").lower() for op in changes if op.name == "create_table"}
    for op in changes:
        if op.name.startswith("create_"):
            continue
        if op.table and op.table.lower() in created:
            continue
        fill = fills.get(op.seq) if op.name == "execute" else None
        if fill is not None and fill.statements and fill.sql:
            parts = [part for part in fill.sql.split(";") if part.strip()]
            if all(_CREATES.match(part) for part in parts) or all(
                s.kind in (CREATE_TABLE, CREATE_INDEX) or s.kind in _DML for s in fill.statements
            ):
                continue
        return False
    return True
