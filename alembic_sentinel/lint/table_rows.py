"""What the rows of a table hold at one step of the upgrade: none at all, or a column the
upgrade wrote itself after adding it.

L301 and L309 are about rows already in a table when a column or key is added. Two things the
revision can show make that moot:

- the table was emptied earlier in the same upgrade (`DELETE FROM t` with no WHERE,
  `TRUNCATE t`, `t.delete()`, `session.query(T).delete()`: Fill.emptied) and nothing may have
  put rows back since: an empty table gives MySQL no row to fill with an implicit value and
  PostgreSQL nothing to refuse, and a key built over it meets no duplicate;
- a column added NOT NULL is then written by the upgrade itself (`UPDATE t SET c = ...`, with
  or without a WHERE; `t.update().values(c=...)`; `row.c = ...` in a loop over the rows): on
  MySQL every existing row first gets the type's implicit value, and the revision then sets
  the value it wants where the implicit one is not it. No row keeps a value the server picked
  without the author having seen it. The same holds when the upgrade, after the add, deletes
  every row and every INSERT after that names the column (refilled_after_add): the rows
  MySQL filled are gone, and each row put back carries a value the revision chose.
"""

from __future__ import annotations

import ast
import re
import sys

from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.revision_model import Fill
from alembic_sentinel.lint.sql_reader import INSERT, UPDATE


def _adds_rows(fill: Fill, table: str) -> bool:
    """Whether a fill may put rows into the table: it writes it (an INSERT, or an UPDATE, which
    cannot add rows but is not told apart here), writes a table it cannot name, or does what
    the syntax does not show."""
    if fill.opaque:
        return True
    return any(written == table or written is None for written, _ in fill.writes)


def empty_at(facts: Facts, table: str | None, seq: int) -> bool:
    """Whether the table holds no row at upgrade step `seq`: a fill before it deleted every
    row, and no fill after that one may have added rows again (nor an ORM object built of a
    class mapping the table, or one lint cannot place)."""
    if table is None:
        return False
    lowered = table.lower()
    emptied = [fill.seq for fill in facts.fills if fill.seq < seq and lowered in fill.emptied]
    if not emptied:
        return False
    last = max(emptied)
    if any(last < fill.seq < seq and _adds_rows(fill, lowered) for fill in facts.fills):
        return False
    return not any(
        last < a.seq < seq and (a.table is None or a.table.lower() == lowered)
        for a in facts.assignments
    )


def _sets_null(fill: Fill, column: str) -> bool:
    """Whether a raw UPDATE sets the column to NULL: no value of its own for it."""
    text = fill.sql
    if text is None:
        return False
    return re.search(rf"\b{re.escape(column)}[`\"]?\s*=\s*NULL\b", text, re.IGNORECASE) is not None


def written_after_add(facts: Facts, table: str | None, column: str | None, added: int) -> bool:
    """Whether the upgrade, after the add_column at step `added`, writes the column itself with
    a value the syntax shows (raw SQL it reads, a Core `.values(...)`, an assignment in a loop
    over the rows); an opaque fill (SQL in a variable) does not count: it may not write it."""
    if table is None or column is None:
        return False
    lowered, name = table.lower(), column.lower()
    for fill in facts.fills:
        if fill.seq <= added or fill.opaque or (lowered, name) not in fill.writes:
            continue
        # raw SQL's UPDATE (an INSERT writes new rows, not the ones there); what Core and the
        # ORM write is read from the assignments below
        if any(s.kind == UPDATE and (lowered, name) in s.writes for s in fill.statements):
            if not _sets_null(fill, name):
                return True
    # a value set on the rows already there: a Core UPDATE's `.values(...)`, a query's
    # `.update({...})`, an attribute of each row of a loop over them that a later flush or
    # commit writes (a new object's attributes, an INSERT's values are a new row's). An
    # assignment carries the seq of the latest step before it: one built into a name right
    # after the add (`stmt = update(T).values(c=v)`, run later) carries the add's own (round 34)
    return any(
        a.seq >= added
        and not a.new_row
        and not (type(a.value) is ast.Constant and a.value.value is None)  # NULL: no value
        and (a.via != "attribute" or (a.in_loop and _flushed_after(facts, a.seq)))
        and a.column.lower() == name
        and a.table is not None
        and a.table.lower() == lowered
        for a in facts.assignments
    )


def _flushed_after(facts: Facts, seq: int) -> bool:
    """Whether a session flush or commit runs after step `seq`: attributes set on ORM objects
    reach the database only then (a session dropped unflushed writes nothing). A `merge` of
    the object hands its state to the session to be written by the transaction the migration
    environment commits (a scoped session of the application's, joined to it)."""
    return any(fill.seq >= seq and fill.kind.endswith(_FLUSHES) for fill in facts.fills)


_FLUSHES = (".flush", ".commit", ".merge")


def refilled_after_add(facts: Facts, table: str | None, column: str | None, added: int) -> bool:
    """Whether the upgrade, after the add_column at step `added`, deletes every row of the
    table and every row it puts back names the column with a value (not None): rows come back
    only through INSERTs, so when each one the revision makes (raw SQL, a Core insert's
    `.values()` or parameters, `op.bulk_insert`) sets the column, no row keeps the value the
    server gave it. An INSERT that leaves the column out, rows lint cannot read (a variable, a
    SELECT), new ORM objects or a step lint cannot read that may write the table: not so."""
    if table is None or column is None:
        return False
    lowered, name = table.lower(), column.lower()
    emptied = [fill.seq for fill in facts.fills if fill.seq > added and lowered in fill.emptied]
    if not emptied:
        return False
    last = max(emptied)  # rows put in before it are deleted again
    for fill in facts.fills:
        if fill.seq <= last:
            continue
        if fill.opaque or any(written is None for written, _ in fill.writes):
            return False  # may insert into any table
        for statement in fill.statements:
            if (
                statement.kind == INSERT
                and statement.table in (None, lowered)
                and (lowered, name) not in statement.writes
            ):
                return False
    for inserted in facts.inserted_rows:
        if inserted.seq > last and inserted.table in (None, lowered):
            if inserted.rows is None or any(name not in row for row in inserted.rows):
                return False
    if any(
        a.seq > last
        and a.new_row
        and a.via not in _READ_INSERTS
        and (a.table is None or a.table.lower() == lowered)
        for a in facts.assignments
    ):
        return False  # a new ORM object: its class's defaults are not read here
    return facts.unread_before(lowered, sys.maxsize, last, writes=True) is None


# new rows whose columns facts.inserted_rows reads, row by row
_READ_INSERTS = (".values()", "bulk_insert")
