"""A primary key widened by columns that hold no NULL (L325, round 34).

A new primary key over every column of the table's old one, plus more, cannot meet a
duplicate: rows the old key kept apart stay apart over more columns. With the old key dropped
first (or in the same statement), no second key is left either; what remains is a NULL in an
added column. The old key's own columns hold none (a primary key's columns are NOT NULL on
MySQL and PostgreSQL, and dropping the key leaves them so), and an added column holds none when
it is NOT NULL: declared so by this upgrade's add_column (the server gives the rows already
there its default) or by the revisions before, or shown free of NULL as null_free reads it.

The old key is the one the revisions before leave the table with, else the one the downgrade
restores (`create_primary_key`, or raw `ALTER TABLE t ... ADD PRIMARY KEY (...)`): the key the
table had before this revision, when it was made before the history lint reads. A key whose
old columns are known nowhere, a column of the old key written or retyped before the key, or an
added column that may hold NULL is left to the rule.
"""

from __future__ import annotations

from collections.abc import Collection

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.literals import literal_bool, string_list
from alembic_sentinel.lint.null_free import never_null
from alembic_sentinel.lint.revision_model import Fill, Operation
from alembic_sentinel.lint.sql_reader import ALTER_TABLE, SqlStatement


def widens_old_primary_key(
    facts: Facts, options: LintOptions, key: Operation, columns: Collection[str]
) -> bool:
    """Whether a primary key (its table's old one dropped before it) is over the old key's
    columns plus others, none of which may hold NULL, and no column of the old key was
    written, retyped or renamed before it in the upgrade."""
    table = (key.table or "").lower()
    old = old_primary_key(facts, options, table)
    wanted = {c.lower() for c in columns}
    if not old or not old < wanted:
        return False
    if any(changed_before(facts, key, c) for c in old):
        return False
    return all(
        in_old_key(options, c, old)
        or added_not_null(facts, table, c, key.seq)
        or never_null(facts, options, key, c)
        for c in wanted
    )


def raw_key_widened(
    facts: Facts, options: LintOptions, fill: Fill, statement: SqlStatement
) -> bool:
    """Whether a raw `ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (...)` widens the old
    key as widens_old_primary_key reads it."""
    columns = [c for a in statement.actions if a.kind == "add_primary_key" for c in a.columns]
    if not statement.table or not columns:
        return False
    return widens_old_primary_key(facts, options, stand_in_key(statement.table, fill), columns)


def stand_in_key(table: str, fill: Fill) -> Operation:
    """A create_primary_key standing for a raw ADD PRIMARY KEY, at the SQL's place."""
    return Operation(
        "create_primary_key", table, (), {}, {}, (), False, fill.line, fill.end_line, fill.seq
    )


def old_primary_key(facts: Facts, options: LintOptions, table: str) -> frozenset[str] | None:
    """The table's primary key before this revision: as the revisions before leave it, else
    the last one the downgrade makes on it (the key it restores), else None."""
    known = options.primary_key(table)
    if known:
        return frozenset(c.lower() for c in known)
    downgrade = facts.module.downgrade
    if downgrade is None:
        return None
    made: list[tuple[int, frozenset[str]]] = []
    for op in downgrade.operations:
        if op.name == "create_primary_key" and (op.table or "").lower() == table:
            columns = string_list(op.param("columns")) or ()
            made.append((op.seq, frozenset(c.lower() for c in columns)))
    for fill in downgrade.fills:
        for statement in fill.statements:
            if statement.kind != ALTER_TABLE or statement.table != table:
                continue
            for action in statement.actions:
                if action.kind == "add_primary_key":
                    made.append((fill.seq, frozenset(action.columns)))
    made = [m for m in made if m[1]]
    return max(made, key=lambda m: m[0])[1] if made else None


def changed_before(facts: Facts, key: Operation, column: str) -> bool:
    """Whether the upgrade writes the column of the key's table before the key, or may (a
    step lint cannot read), or alters the column's type, name or nullability (a narrower type
    may make two values one; a nullable column may take a NULL)."""
    if facts.written_between(key.table, column, 0, key.seq):
        return True
    table = (key.table or "").lower()
    return any(
        op.seq < key.seq
        and op.name == "alter_column"
        and (op.table or "").lower() == table
        and (op.string("column_name") or "").lower() == column
        and (
            op.param("type_") is not None
            or op.param("new_column_name") is not None
            or literal_bool(op.param("nullable")) is True
        )
        for op in facts.upgrade_ops
    )


def in_old_key(options: LintOptions, column: str, old: Collection[str]) -> bool:
    # SQLite lets a primary key column other than an INTEGER PRIMARY KEY hold NULL
    return column in old and options.target.flavor != "sqlite"


def added_not_null(facts: Facts, table: str, column: str, before: int) -> bool:
    """Whether this upgrade added the column NOT NULL before step `before` and left it so: the
    rows already there get its default, never NULL (a NOT NULL column no default fits fails
    on its own add, not on the key)."""
    for (t, c), (op, spec) in facts.added.items():
        if (t or "").lower() != table or (c or "").lower() != column or op.seq >= before:
            continue
        return spec.not_null and not any(
            other.seq > op.seq
            and other.seq < before
            and other.name == "alter_column"
            and (other.table or "").lower() == table
            and (other.string("column_name") or "").lower() == column
            and literal_bool(other.param("nullable")) is True
            for other in facts.upgrade_ops
        )
    return False
