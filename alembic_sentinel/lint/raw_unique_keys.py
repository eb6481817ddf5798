"""Unique keys an upgrade adds in raw SQL, as the create_unique_constraint L309 judges (round 42).

`CREATE UNIQUE INDEX ix ON t (a, b)`, `ALTER TABLE t ADD UNIQUE [KEY] [ix] (a)` and `ALTER TABLE
t ADD CONSTRAINT uq UNIQUE (a)` meet the rows already in the table exactly as the op does: a
duplicate among them makes the statement fail. Each becomes a stand-in operation at the SQL's
place, so L309 gives it the same judgement and the same exemptions (a new table, duplicates
deleted first, a key over a column left NULL ...) without a second copy of them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from alembic_sentinel.lint.facts import Facts, raw_sql
from alembic_sentinel.lint.renamed_tables import new_before_statement
from alembic_sentinel.lint.revision_model import Fill, Operation
from alembic_sentinel.lint.sql_reader import ALTER_TABLE, CREATE_INDEX, SqlStatement

# the stand-in's name: the op the raw statement does the work of
RAW_UNIQUE = "create_unique_constraint"


def raw_unique_keys(facts: Facts) -> Iterator[Operation]:
    """A stand-in create_unique_constraint for each raw unique key on a table this upgrade did
    not make before it."""
    if not facts.fills:
        return
    for fill, statement in raw_sql(facts):
        if statement.table is None or new_before_statement(facts, fill, statement):
            continue
        for name, columns in _unique_keys(statement):
            yield _stand_in(statement.table, name, columns, fill)


def raw_keys_before(facts: Facts, table: str, before: int) -> list[set[str]]:
    """The columns (lowercase) of each raw unique key the upgrade adds on `table` (lowercase)
    before step `before`: once it is made the rows are unique over them, so a key over a
    one-to-one image of them holds (altair: `ADD UNIQUE (user_name)`, then `email` made of
    user_name and a constant, round 43)."""
    return [
        {c.lower() for c in columns}
        for fill, statement in raw_sql(facts)
        if fill.seq < before and (statement.table or "").lower() == table
        for _, columns in _unique_keys(statement)
    ]


def _unique_keys(statement: SqlStatement) -> Iterator[tuple[str | None, tuple[str, ...]]]:
    if statement.kind == CREATE_INDEX:
        for key in statement.keys:
            if key.unique:
                yield key.name, key.columns
    elif statement.kind == ALTER_TABLE:
        for action in statement.actions:
            if action.unique and action.columns:
                yield action.name, action.columns


def _stand_in(table: str, name: str | None, columns: tuple[str, ...], fill: Fill) -> Operation:
    params: dict[str, ast.expr] = {
        "table_name": ast.Constant(table),
        "columns": ast.List([ast.Constant(c) for c in columns], ast.Load()),
    }
    if name:
        params["constraint_name"] = ast.Constant(name)
    return Operation(
        RAW_UNIQUE,
        table,
        (),
        {},
        params,
        (),
        False,
        fill.line,
        fill.end_line,
        fill.seq,
    )
