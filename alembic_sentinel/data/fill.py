"""Fill a migrated schema with generated rows: reflect it, read what is there, generate, insert.

Inserts are batched (one `executemany` per table and set of columns: PyMySQL sends them as one
multi-row INSERT). A batch the server refuses (a CHECK constraint the generator cannot read, a
trigger) is inserted row by row, and the rows it refuses are counted and left out, with the
first reason: the fill never fails the run. References that go to a table filled later (a
cycle) are inserted with the server's foreign key checks deferred.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from alembic_sentinel.data.rows import (
    DEFAULT_SEED,
    Generated,
    GeneratedTable,
    Row,
    generate_rows,
)
from alembic_sentinel.data.schema import TableShape

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

EXISTING_READ = 1_000  # rows of a table read to refer to and to keep keys distinct from


class TableFill(NamedTuple):
    table: str
    rows: int  # inserted
    refused: int  # generated, refused by the server
    note: str  # why fewer than asked, or the server's first refusal, or ""

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


class Fill(NamedTuple):
    tables: list[TableFill]
    shapes: list[TableShape]
    seconds: float


def fill_schema(
    connection: Connection,
    exclude: Iterable[str],
    rows_per_table: int,
    seed: int = DEFAULT_SEED,
    describe_error: Callable[[BaseException], str] | None = None,
) -> Fill:
    """Generate and insert rows into every table but `exclude`; committed when it returns."""
    from alembic_sentinel.data.reflection import reflect_schema
    from alembic_sentinel.engine.database import commit

    started = time.perf_counter()
    shapes = reflect_schema(connection, exclude)
    existing = read_rows(connection, shapes, EXISTING_READ)
    generated = generate_rows(shapes, rows_per_table, seed, existing)
    filled = insert_generated(connection, generated, describe_error)
    commit(connection)
    return Fill(filled, shapes, time.perf_counter() - started)


def read_rows(
    connection: Connection, shapes: Sequence[TableShape], limit: int
) -> dict[str, list[Row]]:
    """Up to `limit` rows of each table, as dictionaries; tables without rows left out."""
    from sqlalchemy import column, select, table

    rows: dict[str, list[Row]] = {}
    for shape in shapes:
        columns: list[Any] = [column(c.name) for c in shape.columns]
        statement = select(*columns).select_from(table(shape.name, *columns)).limit(limit)
        found = [dict(row._mapping) for row in connection.execute(statement)]
        if found:
            rows[shape.name] = found
    return rows


def insert_generated(
    connection: Connection,
    generated: Generated,
    describe_error: Callable[[BaseException], str] | None = None,
) -> list[TableFill]:
    """Insert every generated table, in order; what went in and what the server refused
    (`describe_error`: one line about a refusal; the driver's message by default)."""
    from alembic_sentinel.engine.database import driver_message

    describe_error = describe_error or (lambda exc: driver_message(exc, None))
    sqlite = connection.dialect.name == "sqlite"
    if generated.needs_deferred_checks:
        _defer_foreign_key_checks(connection, sqlite, True)
    try:
        return [
            _insert_table(connection, item, sqlite, describe_error) for item in generated.tables
        ]
    finally:
        if generated.needs_deferred_checks:
            _defer_foreign_key_checks(connection, sqlite, False)


def _insert_table(
    connection: Connection,
    generated: GeneratedTable,
    sqlite: bool,
    describe_error: Callable[[BaseException], str],
) -> TableFill:
    from sqlalchemy import column, table
    from sqlalchemy.exc import DBAPIError

    name, note = generated.table, generated.note
    inserted = refused = 0
    first_refusal = ""
    for columns, batch in _batches(generated):
        statement = table(name, *(column(c) for c in columns)).insert()
        values = [{c: driver_value(row[c], sqlite) for c in columns} for row in batch]
        try:
            connection.execute(statement, values)
            inserted += len(values)
            continue
        except DBAPIError:
            pass  # one row spoils the batch: find it
        for value in values:
            try:
                connection.execute(statement, [value])
                inserted += 1
            except DBAPIError as exc:
                refused += 1
                first_refusal = first_refusal or describe_error(exc)
    if refused:
        note = f"{refused} rows refused by the server: {first_refusal}"
    return TableFill(name, inserted, refused, note)


def _batches(generated: GeneratedTable) -> list[tuple[tuple[str, ...], list[Row]]]:
    """Rows with the same columns, together; in their order when they refer to earlier rows
    (then only consecutive rows share a batch)."""
    if generated.ordered:
        runs: list[tuple[tuple[str, ...], list[Row]]] = []
        for row in generated.rows:
            if runs and runs[-1][0] == tuple(row):
                runs[-1][1].append(row)
            else:
                runs.append((tuple(row), [row]))
        return runs
    batches: dict[tuple[str, ...], list[Row]] = {}
    for row in generated.rows:
        batches.setdefault(tuple(row), []).append(row)
    return list(batches.items())


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


def _defer_foreign_key_checks(connection: Connection, sqlite: bool, defer: bool) -> None:
    from sqlalchemy import text

    if sqlite:
        # enforced only where the project turned foreign keys on; then checked at COMMIT, and
        # the pragma ends with the transaction by itself
        if defer:
            connection.execute(text("PRAGMA defer_foreign_keys = ON"))
    else:
        connection.execute(text(f"SET FOREIGN_KEY_CHECKS = {'0' if defer else '1'}"))
