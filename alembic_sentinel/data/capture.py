"""The rows a schema holds at one moment, and what changed or went missing between two moments.

A capture is one `SELECT *` per table (a few thousand rows at most: the generated ones, the
project's fixtures and what the revisions inserted). Comparisons need no primary key: values are
compared as multisets, per column and per row over the columns both moments have, so a
reordered table is unchanged and a row's identity never depends on a key a revision may change.
A table's digest (its sorted rows) tells in one comparison that it is untouched.

At volume (thousands of rows a table) reading a table costs more than anything else the data
run does after the fill, so on MySQL/MariaDB a table of `FINGERPRINT_FROM` rows or more gets a
fingerprint (its columns, its row count and the sum of a CRC32 per row, computed where the rows
are); the next capture asks for the fingerprint first and reads the table again only when it
changed, else keeps the earlier capture's `TableData`, the same object. A table over
`CAPTURE_LIMIT` is only counted; the columns a step adds to it are read alone
(`added_over_the_limit`), so they are profiled whatever the rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

CAPTURE_LIMIT = 20_000  # rows per table; a table with more is only counted as "not compared"
# rows from which a table's fingerprint is asked for: a smaller table is read again as cheaply
FINGERPRINT_FROM = 1_000


class TableData(NamedTuple):
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    complete: bool = True  # False: over CAPTURE_LIMIT, not compared
    # the server's fingerprint of the rows when they were read (MySQL/MariaDB), else None
    fingerprint: tuple[Any, ...] | None = None

    def values(self, column: str) -> list[Any]:
        index = self.columns.index(column)
        return [row[index] for row in self.rows]

    @property
    def digest(self) -> str:
        text = repr((self.columns, sorted(map(repr, self.rows))))
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


DataState = Mapping[str, TableData]


class TableChange(NamedTuple):
    """What one upgrade step did to a table's rows."""

    table: str
    added_columns: list[str]
    filled_columns: list[str]  # values changed in rows that were there before
    inserted: int
    deleted: int


def capture(
    connection: Connection, tables: Iterable[str], previous: DataState | None = None
) -> dict[str, TableData]:
    """The rows of `tables`; a table of `FINGERPRINT_FROM` rows or more whose fingerprint is the
    one it had in `previous` is not read again, and one over `CAPTURE_LIMIT` only counted."""
    from sqlalchemy import text

    quote = connection.dialect.identifier_preparer.quote_identifier
    fingerprints = connection.dialect.name == "mysql"
    previous = previous or {}
    state: dict[str, TableData] = {}
    for table in sorted(set(tables)):
        earlier = previous.get(table)
        if earlier is not None and earlier.fingerprint is not None:
            empty = connection.execute(text(f"SELECT * FROM {quote(table)} LIMIT 0"))
            fingerprint = _fingerprint(connection, table, tuple(empty.keys()))
            if fingerprint is not None and fingerprint == earlier.fingerprint:
                state[table] = earlier
                continue
            if fingerprint is not None and fingerprint[1] > CAPTURE_LIMIT:
                # counted, not read
                state[table] = TableData(fingerprint[0], (), False, fingerprint)
                continue
        result = connection.execute(text(f"SELECT * FROM {quote(table)} LIMIT {CAPTURE_LIMIT + 1}"))
        columns = tuple(result.keys())
        rows = _comparable_rows([tuple(row) for row in result])
        complete = len(rows) <= CAPTURE_LIMIT
        fingerprint = None
        if fingerprints and len(rows) >= FINGERPRINT_FROM:  # worth asking next time
            fingerprint = _fingerprint(connection, table, columns)
        state[table] = TableData(columns, rows[:CAPTURE_LIMIT], complete, fingerprint)
    return state


def _fingerprint(
    connection: Connection, table: str, columns: tuple[str, ...]
) -> tuple[Any, ...] | None:
    """(columns, rows, sum of a CRC32 per row): equal for equal multisets of rows, computed by
    the server; None when it cannot (then the table is read)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    quote = connection.dialect.identifier_preparer.quote_identifier
    # NULL marked apart from every value; values as bytes: no character set to mix
    parts = ", ".join(f"ISNULL({quote(c)}), CAST({quote(c)} AS BINARY)" for c in columns)
    row = f"CRC32(CONCAT_WS(CHAR(31), {parts}))" if columns else "0"
    try:
        count, total = connection.execute(
            text(f"SELECT COUNT(*), SUM({row}) FROM {quote(table)}")
        ).one()
    except DBAPIError:
        return None
    return (columns, int(count), int(total or 0))


# what a driver returns that compares and hashes as it is: most columns need no conversion
_AS_THEY_ARE = frozenset(
    {int, str, float, bytes, type(None), Decimal, dt.date, dt.datetime, dt.time, dt.timedelta}
)


def _comparable_rows(rows: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], ...]:
    """The rows with every value made comparable and hashable, the columns that need it only
    (a per-value conversion of every row costs as much as reading it)."""
    if not rows:
        return ()
    convert = [
        index
        for index, values in enumerate(zip(*rows))
        if not _AS_THEY_ARE.issuperset(map(type, values))
    ]
    if not convert:
        return tuple(rows)
    return tuple(tuple(_comparable(value) for value in row) for row in rows)


def _comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def step_changes(before: DataState, after: DataState) -> list[TableChange]:
    """What an upgrade step did to each table it changed (new tables are not listed)."""
    changes = []
    for table in sorted(set(before) & set(after)):
        old, new = before[table], after[table]
        if old is new or not (old.complete and new.complete) or old.digest == new.digest:
            continue
        added = [c for c in new.columns if c not in old.columns]
        # by the counts: a step that updates rows changes their values, not their number
        deleted = max(0, len(old.rows) - len(new.rows))
        inserted = max(0, len(new.rows) - len(old.rows))
        filled = [
            c for c in old.columns if c in new.columns and _missing_count(old, new, [c]) > deleted
        ]
        if added or filled or inserted or deleted:
            changes.append(TableChange(table, added, filled, inserted, deleted))
    return changes


def losses(reference: DataState, now: DataState) -> list[str]:
    """What rows and values of `reference` are not in `now`, one line per table or column;
    rows `now` has besides (a fixture's, a later revision's) are not a loss."""
    lines = []
    for table in sorted(reference):
        old = reference[table]
        if not old.rows or not old.complete:
            continue
        new = now.get(table)
        if new is None:
            lines.append(f"{table}: all {_rows(len(old.rows))} lost with the table")
            continue
        if new is old or not new.complete or old.digest == new.digest:
            continue
        # fewer rows than before (rows `now` has besides do not hide it): those rows are lost
        deleted = max(0, len(old.rows) - len(new.rows))
        if deleted:
            lines.append(f"{table}: {deleted} of {_rows(len(old.rows))} lost")
        for column in old.columns:
            present = sum(1 for value in old.values(column) if value is not None)
            if column not in new.columns:
                if present:
                    lines.append(f"{table}.{column}: gone with its {_values(present)}")
                continue
            lost = _missing_count(old, new, [column])
            if lost > deleted:
                lines.append(f"{table}.{column}: {lost} of {_values(len(old.rows))} not restored")
    return lines


def _missing_count(old: TableData, new: TableData, columns: list[str]) -> int:
    """How many of `old`'s rows (over `columns`) `new` lacks, counting repeats."""
    if not columns:
        return max(0, len(old.rows) - len(new.rows))
    old_index = [old.columns.index(c) for c in columns]
    new_index = [new.columns.index(c) for c in columns]
    before = Counter(tuple(row[i] for i in old_index) for row in old.rows)
    after = Counter(tuple(row[i] for i in new_index) for row in new.rows)
    return sum((before - after).values())


def _rows(count: int) -> str:
    return f"{count} row{'s' * (count != 1)}"


def _values(count: int) -> str:
    return f"{count} value{'s' * (count != 1)}"


def added_over_the_limit(
    connection: Connection, before: DataState, after: DataState
) -> dict[tuple[str, str], list[Any]]:
    """The values of the columns a step added to tables too big to compare (over
    `CAPTURE_LIMIT`): (table, column) -> every row's value, read now, one column at a time, so
    the columns a revision adds are profiled whatever the rows."""
    from sqlalchemy import text

    quote = connection.dialect.identifier_preparer.quote_identifier
    values: dict[tuple[str, str], list[Any]] = {}
    for table in sorted(set(before) & set(after)):
        old, new = before[table], after[table]
        if old.complete and new.complete:
            continue  # compared whole by `step_changes`
        for column in (c for c in new.columns if c not in old.columns):
            result = connection.execute(text(f"SELECT {quote(column)} FROM {quote(table)}"))
            values[(table, column)] = [_comparable(value) for (value,) in result]
    return values
