"""The time each new revision's statements take over the generated rows, statement by statement.

While `ci` upgrades its scratch from the base heads to head over the rows, a `StatementClock`
listens on the scratch connection (SQLAlchemy's `before_cursor_execute`/`after_cursor_execute`)
and times every statement from the moment it is sent to the moment the server's answer is
back: the server's time plus one round trip on the runner's local network. When a revision's
step is done, its statements become `StatementTiming`s, each with the kind of statement, the
table it works on and how many rows that table held, so the rollout plan can scale what ci
measured here to production's row counts (seconds per row, per kind of statement).

What the clock does not time: Alembic's own bookkeeping (the version table), what runs while it
is paused (the data run's own captures and fixtures), and statements a revision sends over a
connection of its own.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# the kinds a statement is sorted into: its leading keywords, and where its table is named
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE | re.DOTALL))
    for kind, pattern in (
        ("CREATE INDEX", r"CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\s+\S+\s+ON\s+(\S+)"),
        ("DROP INDEX", r"DROP\s+INDEX\s+\S+\s+ON\s+(\S+)"),
        ("DROP INDEX", r"DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?()\S+"),  # SQLite: no table named
        ("ALTER TABLE", r"ALTER\s+(?:ONLINE\s+|IGNORE\s+)?TABLE\s+(\S+)"),
        ("CREATE TABLE", r"CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\S+)"),
        ("DROP TABLE", r"DROP\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+EXISTS\s+)?(\S+)"),
        ("RENAME TABLE", r"RENAME\s+TABLE\s+(\S+)"),
        ("UPDATE", r"UPDATE\s+(?:LOW_PRIORITY\s+|IGNORE\s+)*(\S+)"),
        ("INSERT", r"(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?(?:INTO\s+)?(\S+)"),
        ("DELETE", r"DELETE\s+(?:LOW_PRIORITY\s+|QUICK\s+|IGNORE\s+)*FROM\s+(\S+)"),
        ("SELECT", r"SELECT\s.*?\sFROM\s+(\S+)"),
        ("SELECT", r"SELECT\s()"),
    )
)
_CATALOGS = ("information_schema", "performance_schema", "mysql", "sys")
_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*\n|/\*.*?\*/)+", re.DOTALL)


class StatementTiming(NamedTuple):
    """One statement of a new revision's upgrade, timed over the generated rows."""

    revision: str
    sql_kind: str  # "ALTER TABLE", "CREATE INDEX", "UPDATE", ...; else its first word, upper-case
    table: str | None  # the table it names, unquoted; None when it names none we can tell
    rows: int | None  # rows in that table before the revision ran; None: unknown
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


class RevisionTiming(NamedTuple):
    """A new revision's statements over the generated rows, summed."""

    revision: str
    seconds: float
    statements: int

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


def statement_kind(sql: str) -> tuple[str, str | None]:
    """The kind of a statement and the table it names: ("ALTER TABLE", "party")."""
    text = _COMMENTS.sub("", sql, count=1)
    for kind, pattern in _KINDS:
        found = pattern.match(text)
        if found:
            return kind, _unquoted(found.group(1)) or None
    words = text.split(None, 1)
    return (words[0].upper() if words else ""), None


def _unquoted(name: str) -> str:
    """`schema`.`table` -> table; "t" -> t; t( -> t; a catalog's table (the dialect asking
    information_schema whether a table exists) -> ""."""
    name = re.split(r"[\s(;]", name, maxsplit=1)[0]
    parts = [part.strip('`"[]') for part in re.split(r"\.(?=[`\"\[]?[^.]*$)", name)]
    if len(parts) > 1 and parts[0].lower() in _CATALOGS:
        return ""
    return parts[-1]


class StatementClock:
    """Times the statements sent on one connection while attached, and hands them out per
    revision (`close`); `paused()` keeps the caller's own statements out."""

    def __init__(self, ignore_tables: tuple[str, ...] = ()) -> None:
        self.ignore_tables = {name.lower() for name in ignore_tables}
        self.statements: list[StatementTiming] = []
        self.revisions: list[RevisionTiming] = []
        self.pending: list[tuple[str, float]] = []
        self._started: float | None = None
        self._paused = False

    @contextmanager
    def attached(self, connection: Connection) -> Iterator[StatementClock]:
        from sqlalchemy import event

        event.listen(connection, "before_cursor_execute", self._before)
        event.listen(connection, "after_cursor_execute", self._after)
        try:
            yield self
        finally:
            event.remove(connection, "before_cursor_execute", self._before)
            event.remove(connection, "after_cursor_execute", self._after)

    @contextmanager
    def paused(self) -> Iterator[None]:
        self._paused = True
        try:
            yield
        finally:
            self._paused = False

    def _before(self, *args: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self._started is None or self._paused:
            return
        self.pending.append((statement, time.perf_counter() - self._started))
        self._started = None

    def close(self, revision: str, rows_of: Callable[[str], int | None]) -> None:
        """The statements timed since the last `close` were `revision`'s; `rows_of(table)`:
        the rows the table held before it ran."""
        timings = []
        for sql, seconds in self.pending:
            kind, table = statement_kind(sql)
            if table is not None and table.lower() in self.ignore_tables:
                continue  # Alembic's version table: its bookkeeping, not the revision's
            rows = rows_of(table) if table is not None else None
            timings.append(StatementTiming(revision, kind, table, rows, round(seconds, 6)))
        self.pending = []
        self.statements.extend(timings)
        total = round(sum(t.seconds for t in timings), 6)
        self.revisions.append(RevisionTiming(revision, total, len(timings)))

    def as_dict(self) -> dict[str, Any]:
        return {
            "revisions": [t.as_dict() for t in self.revisions],
            "statements": [t.as_dict() for t in self.statements],
        }
