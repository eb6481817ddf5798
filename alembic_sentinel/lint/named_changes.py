"""How a remark names one of the upgrade's changes: by its object (its column, key, index, or
table), or only by its kind ("the index", "these columns"), or, for a column's change, by what
changes ("the type", "VARCHAR", "nullability"). An operation of Alembic's tells its kind and
objects by its name and arguments; a raw SQL one (`op.execute("ALTER TABLE slices MODIFY
params MEDIUMTEXT")`) by its statements, read by lint/sql_reader.py.

stated_intent.py (a decision in set phrases) and refusals.py (a decision by its shape) both
ask which changes a remark speaks of. Pure: re, and the SQL reader.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from alembic_sentinel.lint.facts import sql_text
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.revision_model import Operation
from alembic_sentinel.lint.sql_reader import (
    CREATE_INDEX,
    CREATE_TABLE,
    DROP_INDEX,
    DROP_TABLE,
    RENAME_INDEX,
    RENAME_TABLE,
    SqlStatement,
    read_sql,
)

# the words naming a kind of change, by the upgrade operation making it
KIND_WORDS = {
    "column": LazyPattern(r"\b(?:columns?|fields?|nullability|defaults?|types?)\b", re.IGNORECASE),
    "index": LazyPattern(r"\b(?:index|indexes|indices)\b", re.IGNORECASE),
    "key": LazyPattern(
        r"\b(?:constraints?|keys?|fks?|foreign[- ]keys?|uniques?|checks?)\b", re.IGNORECASE
    ),
    "table": LazyPattern(r"\btables?\b", re.IGNORECASE),
}
KIND_OF = {
    "add_column": "column",
    "drop_column": "column",
    "alter_column": "column",
    "create_index": "index",
    "drop_index": "index",
    "create_foreign_key": "key",
    "create_unique_constraint": "key",
    "create_check_constraint": "key",
    "create_primary_key": "key",
    "drop_constraint": "key",
    "create_table": "table",
    "drop_table": "table",
    "rename_table": "table",
}
# the kind of a raw SQL statement, and of each clause of an ALTER TABLE
_STATEMENT_KINDS = {
    CREATE_INDEX: "index",
    DROP_INDEX: "index",
    RENAME_INDEX: "index",
    CREATE_TABLE: "table",
    DROP_TABLE: "table",
    RENAME_TABLE: "table",
}
_CLAUSE_KINDS = {
    "add_column": "column",
    "drop_column": "column",
    "change_column": "column",
    "rename_column": "column",
    "add_index": "index",
    "drop_index": "index",
    "rename_index": "index",
    "add_constraint": "key",
    "add_primary_key": "key",
    "drop_primary_key": "key",
    "drop_foreign_key": "key",
    "drop_constraint": "key",
    "rename_table": "table",
}
# the words naming what an alter_column changes, by its parameter: a decision that names the
# change itself ("we don't need to reverse the removal of the autoincrement") is about it
CHANGE_WORDS = {
    "autoincrement": LazyPattern(r"\bauto[-_ ]?increment", re.IGNORECASE),
    "nullable": LazyPattern(r"\bnull(?:able|ability)?\b|\bnot[- ]null\b", re.IGNORECASE),
    "type_": LazyPattern(
        # a type by its SQL or SQLAlchemy name ("leave it as VARCHAR") names a type change too
        r"\b(?:data )?types?\b|\b(?:(?:var)?char(?:acter)?|(?:tiny|medium|long)?text|string"
        r"|unicode|enum|(?:tiny|small|big)?int(?:eger)?|numeric|decimal|float|bool(?:ean)?"
        r"|jsonb?|uuid|date(?:time)?|timestamp(?:tz)?|(?:var)?binary|(?:long)?blob|bytea)\b",
        re.IGNORECASE,
    ),
    "server_default": LazyPattern(r"\bdefaults?\b", re.IGNORECASE),
    "comment": LazyPattern(r"\bcomments?\b", re.IGNORECASE),
    "new_column_name": LazyPattern(r"\brenam(?:e|es|ed|ing)\b", re.IGNORECASE),
}
# what a raw MODIFY / CHANGE / ALTER COLUMN may change: any of it (its new definition is whole)
_REDEFINED = frozenset(CHANGE_WORDS) - {"new_column_name"}


class Change(NamedTuple):
    """What a remark may name of one upgrade operation."""

    kinds: frozenset[str]  # "column", "index", "key", "table"
    objects: tuple[str, ...]  # the names of its columns, keys and indexes
    tables: tuple[str, ...]
    changes: frozenset[str]  # what it changes in a column: alter_column's parameters


def change_of(op: Operation) -> Change:
    """The kinds, objects and tables of an upgrade operation, raw SQL read."""
    if op.name == "execute":
        return _raw_change(sql_text(op))
    kind = KIND_OF.get(op.name)
    objects = [c.name for c in op.columns if c.name]
    objects += [op.string(p) or "" for p in ("column_name", "index_name", "constraint_name")]
    changes = frozenset(
        p for p in CHANGE_WORDS if op.name == "alter_column" and op.param(p) is not None
    )
    return Change(
        frozenset({kind} if kind else ()),
        tuple(o for o in objects if o),
        (op.table,) if op.table else (),
        changes,
    )


@lru_cache(maxsize=256)
def _raw_change(sql: str | None) -> Change:
    statements: tuple[SqlStatement, ...] = read_sql(sql) if sql else ()
    kinds: set[str] = set()
    objects: list[str] = []
    tables: list[str] = []
    changes: set[str] = set()
    for statement in statements:
        if statement.kind in _STATEMENT_KINDS:
            kinds.add(_STATEMENT_KINDS[statement.kind])
        for name in (statement.table, statement.new_table):
            if name:
                tables.append(name)
        objects += [name for name in (statement.index_name, *statement.columns) if name]
        for clause in statement.actions:
            if clause.kind in _CLAUSE_KINDS:
                kinds.add(_CLAUSE_KINDS[clause.kind])
            objects += [name for name in (clause.name, clause.new_name) if name]
            if clause.kind == "change_column":
                changes |= _REDEFINED
    return Change(frozenset(kinds), tuple(objects), tuple(tables), frozenset(changes))


def mentions(text: str, name: str) -> bool:
    """`name` as a whole word of `text` (a table "job" is not named by "jobs" or "job_id")."""
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text, re.IGNORECASE) is not None


def kinds_named(text: str) -> frozenset[str]:
    """The kinds of change a remark names ("the index" -> index)."""
    return frozenset(kind for kind, words in KIND_WORDS.items() if words.search(text))


def names(text: str, op: Operation) -> bool:
    """Whether a remark names `op`: one of its objects by name, or its table (with op's kind
    of change, or none: "the job table" names every change to job, "job's index" only its
    index changes)."""
    change = change_of(op)
    if any(mentions(text, name) for name in change.objects):
        return True
    if not any(mentions(text, table) for table in change.tables):
        return False
    kinds = kinds_named(text)
    return not kinds or bool(kinds & change.kinds)


def names_kind(text: str, op: Operation) -> bool:
    """Whether a remark names `op`'s kind of change ("the index", "these columns"); for a
    change of a column, a remark naming what changes ("the type", "VARCHAR", "nullability")
    names the changes of that only."""
    change = change_of(op)
    if change.changes:
        said = [p for p, words in CHANGE_WORDS.items() if words.search(text)]
        if said:
            return bool(change.changes.intersection(said))
    return bool(kinds_named(text) & change.kinds)
