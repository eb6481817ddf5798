"""Generated rows into the server at its own speed, as dump tools load them.

- **Multi-row INSERTs**: the rows of a batch with the same columns go in as one `INSERT ...
  VALUES (...), (...)` statement, at most `STATEMENT_BYTES` of SQL (and half the server's
  `max_allowed_packet`) on MySQL/MariaDB, at most the bound variables SQLite takes. One
  statement is all or nothing: a batch the server refuses left no row behind.
- **One transaction per table** on MySQL/MariaDB (committed when the table is in), one for the
  whole load on SQLite (whose deferred foreign-key checks end with a transaction).
- **Foreign key checks off** for the load session on MySQL/MariaDB (`SET FOREIGN_KEY_CHECKS =
  0`, restored afterwards), as mysqldump's output does: the generator's references are to rows
  it made or found, so the checks could only cost time; rows of a self-referencing table then
  go in grouped by their columns, not in their order. `UNIQUE_CHECKS` stays on: the generator
  keeps keys distinct as it understands the collation, and a key it got wrong must be refused
  (and reported), not slip into a unique index unchecked. On SQLite, where foreign keys are
  enforced only when the connection turned them on, nothing is turned off; when they are on,
  rows go in their order with the checks deferred to the commit where a cycle needs it.
- **Row by row where the server refuses a batch** (a CHECK the generator cannot read, a
  trigger): the refused rows are counted and left out with the first reason, as always. From
  the first refusal on, the load is `careful`, as it was before it was fast: foreign key checks
  back on (so a row referring to a refused one is refused too) and rows in their order; a
  self-referencing table refused in the middle is rolled back and loaded again that way.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from alembic_sentinel.data.rows import Row, TableRows

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

STATEMENT_BYTES = 1 << 20  # of SQL in one INSERT: big enough to cost nothing, far below a packet
# bound variables in one SQLite statement (SQLITE_MAX_VARIABLE_NUMBER; 999 before 3.32)
SQLITE_VARIABLES = 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
# a table gets a progress line when it is asked for this many rows, or takes this long
PROGRESS_ROWS = 10_000
PROGRESS_SECONDS = 2.0
PROGRESS_EVERY = 10.0  # seconds between the lines of one long table


class TableFill(NamedTuple):
    table: str
    rows: int  # inserted
    refused: int  # generated, refused by the server
    note: str  # why fewer than asked, or the server's first refusal, or ""
    asked: int = 0  # rows asked for the table (`--data-rows`, or its `data-rows` entry)
    seconds: float = 0.0  # generating and inserting them

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


class _Refused(Exception):
    """A self-referencing table's batch was refused while the checks were off: load it again."""


class Loader:
    """Loads tables of generated rows on one connection; `load` restores the session after."""

    def __init__(
        self,
        connection: Connection,
        describe_error: Callable[[BaseException], str],
        needs_deferred_checks: bool,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.connection = connection
        self.describe_error = describe_error
        self.deferred = needs_deferred_checks
        self.say = say
        self.sqlite = connection.dialect.name == "sqlite"
        self.paramstyle = connection.dialect.paramstyle
        self.quote = connection.dialect.identifier_preparer.quote
        self.careful = False
        self.statement_bytes = STATEMENT_BYTES
        self.enforced = True  # SQLite: foreign keys enforced on this connection

    # --- the session ------------------------------------------------------------------------

    def load(self, tables: Iterable[TableRows]) -> list[TableFill]:
        from alembic_sentinel.engine.database import commit

        previous = self._begin_session()
        if self.connection.in_transaction():
            commit(self.connection)  # what was read before: the tables' transactions are ours
        try:
            if self.sqlite:
                with self.connection.begin():
                    self._defer_checks_on_sqlite()
                    return [self._table(stream) for stream in tables]
            return [self._table(stream) for stream in tables]
        finally:
            self._end_session(previous)

    def _begin_session(self) -> Any:
        from sqlalchemy import text

        if self.sqlite:
            self.enforced = bool(self.connection.execute(text("PRAGMA foreign_keys")).scalar())
            self.careful = self.enforced  # in their order, as the checks see them
            return None
        packet, checks = self.connection.execute(
            text("SELECT @@max_allowed_packet, @@foreign_key_checks")
        ).one()
        self.statement_bytes = min(STATEMENT_BYTES, int(packet) // 2)
        self.connection.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
        return checks

    def _end_session(self, previous: Any) -> None:
        from sqlalchemy import text

        if not self.sqlite:
            self.connection.execute(text(f"SET FOREIGN_KEY_CHECKS = {int(previous)}"))

    def _defer_checks_on_sqlite(self) -> None:
        from sqlalchemy import text

        # checked at COMMIT; the pragma ends with the transaction by itself
        if self.enforced and self.deferred:
            self.connection.execute(text("PRAGMA defer_foreign_keys = ON"))

    def _be_careful(self) -> None:
        """From now on: the checks on (unless a cycle needs them off) and rows in order."""
        from sqlalchemy import text

        self.careful = True
        if not self.sqlite and not self.deferred:
            self.connection.execute(text("SET FOREIGN_KEY_CHECKS = 1"))

    # --- one table --------------------------------------------------------------------------

    def _table(self, stream: TableRows) -> TableFill:
        started = time.perf_counter()
        try:
            fill = self._table_once(stream, started)
        except _Refused:
            self._be_careful()
            fill = self._table_once(stream, started)
        seconds = time.perf_counter() - started
        fill = fill._replace(seconds=round(seconds, 3))
        if self.say is not None and (stream.asked >= PROGRESS_ROWS or seconds >= PROGRESS_SECONDS):
            self.say(
                f"[data] {stream.table}: {fill.rows} rows in {seconds:.2f}s "
                f"({fill.rows / max(seconds, 1e-9):,.0f} rows/s)"
            )
        return fill

    def _table_once(self, stream: TableRows, started: float) -> TableFill:
        """Insert the table's rows in its own transaction (MySQL) and count what went in."""
        from alembic_sentinel.engine.database import commit

        transaction = None
        if not self.sqlite:
            if self.connection.in_transaction():
                commit(self.connection)  # a SET of the session's: nothing to keep apart
            transaction = self.connection.begin()
        try:
            inserted, refused, first_refusal = self._rows(stream, started)
        except BaseException:
            if transaction is not None:
                transaction.rollback()
            raise
        if transaction is not None:
            transaction.commit()
        note = stream.note
        if refused:
            note = f"{refused} rows refused by the server: {first_refusal}"
        return TableFill(stream.table, inserted, refused, note, stream.asked)

    def _rows(self, stream: TableRows, started: float) -> tuple[int, int, str]:
        inserted = refused = 0
        first_refusal = ""
        shown = started
        for batch in stream.batches():
            for columns, group in _groups(batch, in_order=stream.ordered and self.careful):
                for chunk in self._chunks(columns, group):
                    error = self._insert(stream.table, columns, chunk)
                    if error is None:
                        inserted += len(chunk)
                        continue
                    if not self.careful and not self.sqlite:
                        if stream.ordered:
                            raise _Refused  # rows referring to a refused one went in: again
                        self._be_careful()
                    for row in chunk:  # one row spoils the statement: find it
                        error = self._insert(stream.table, columns, [row])
                        if error is None:
                            inserted += 1
                        else:
                            refused += 1
                            first_refusal = first_refusal or self.describe_error(error)
            now = time.perf_counter()
            if self.say is not None and now - shown >= PROGRESS_EVERY:
                self.say(f"[data] {stream.table}: {stream.made} of {stream.asked} rows so far")
                shown = now
        return inserted, refused, first_refusal

    # --- statements ---------------------------------------------------------------------------

    def _chunks(self, columns: tuple[str, ...], rows: list[Row]) -> Iterator[list[Row]]:
        """Rows in pieces that each fit one statement."""
        if self.sqlite:
            most = max(1, SQLITE_VARIABLES // max(1, len(columns)))
            for offset in range(0, len(rows), most):
                yield rows[offset : offset + most]
            return
        budget = self.statement_bytes
        chunk: list[Row] = []
        size = 0
        for row in rows:
            row_size = sum(_sql_bytes(row[c]) for c in columns) + 2 * len(columns) + 4
            if chunk and size + row_size > budget:
                yield chunk
                chunk, size = [], 0
            chunk.append(row)
            size += row_size
        if chunk:
            yield chunk

    def _insert(
        self, table: str, columns: tuple[str, ...], rows: Sequence[Row]
    ) -> BaseException | None:
        """One INSERT of `rows`; the server's refusal, or None."""
        from sqlalchemy.exc import DBAPIError

        marker = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(self.paramstyle)
        try:
            if marker is None or not columns:
                self._insert_by_sqlalchemy(table, columns, rows)
                return None
            head = f"INSERT INTO {self.quote(table)} ({', '.join(self.quote(c) for c in columns)})"
            if marker == "%s":
                head = head.replace("%", "%%")
            values = "(" + ", ".join([marker] * len(columns)) + ")"
            sql = f"{head} VALUES {', '.join([values] * len(rows))}"
            parameters = tuple(driver_value(row[c], self.sqlite) for row in rows for c in columns)
            self.connection.exec_driver_sql(sql, parameters)
        except DBAPIError as exc:
            return exc
        return None

    def _insert_by_sqlalchemy(
        self, table: str, columns: tuple[str, ...], rows: Sequence[Row]
    ) -> None:
        """Rows without a column (all left to the server's defaults), or a driver whose
        parameter style the statements above do not write: SQLAlchemy's executemany."""
        from sqlalchemy import column
        from sqlalchemy import table as table_clause

        statement = table_clause(table, *(column(c) for c in columns)).insert()
        self.connection.execute(
            statement, [{c: driver_value(row[c], self.sqlite) for c in columns} for row in rows]
        )


def _groups(batch: list[Row], in_order: bool) -> list[tuple[tuple[str, ...], list[Row]]]:
    """Rows with the same columns, together; `in_order` (rows that refer to earlier rows,
    checked as they go in): only consecutive rows share a group."""
    if in_order:
        runs: list[tuple[tuple[str, ...], list[Row]]] = []
        for row in batch:
            if runs and runs[-1][0] == tuple(row):
                runs[-1][1].append(row)
            else:
                runs.append((tuple(row), [row]))
        return runs
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in batch:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.items())


def _sql_bytes(value: Any) -> int:
    """At most the bytes a value takes in the statement, escaped (4 a character, 2 a byte)."""
    if isinstance(value, str):
        return 4 * len(value) + 2
    if isinstance(value, (bytes, bytearray)):
        return 2 * len(value) + 10
    return 40


def driver_value(value: Any, sqlite: bool) -> Any:
    """A generated value as the driver takes it (SQLite's driver has no Decimal or dates; the
    format is SQLAlchemy's, which its SQLite types read back)."""
    if not sqlite:
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.%f")
    return value
