"""Fill a migrated schema with generated rows: reflect it, read what is there, generate, insert.

The rows are made a batch at a time (`rows.stream_rows`) and loaded as they come (`load`): the
fill's memory does not grow with the rows, and its time grows with them in a straight line.
The fill never fails the run: what the server refuses is counted and left out (`load`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from alembic_sentinel.data.load import Loader, TableFill
from alembic_sentinel.data.rows import (
    DEFAULT_SEED,
    Generated,
    Row,
    RowCounts,
    TableRows,
    fill_order,
    stream_rows,
)
from alembic_sentinel.data.schema import TableShape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Connection

EXISTING_READ = 1_000  # rows of a table read to refer to and to keep keys distinct from


class Fill(NamedTuple):
    tables: list[TableFill]
    shapes: list[TableShape]
    seconds: float


def fill_schema(
    connection: Connection,
    exclude: Iterable[str],
    rows_per_table: RowCounts,
    seed: int = DEFAULT_SEED,
    describe_error: Callable[[BaseException], str] | None = None,
    say: Callable[[str], None] | None = None,
) -> Fill:
    """Generate and insert rows into every table but `exclude` (`rows_per_table`: one number,
    or one per table); committed when it returns. `say` gets the progress lines of long tables."""
    from alembic_sentinel.data.reflection import reflect_schema
    from alembic_sentinel.engine.database import commit

    started = time.perf_counter()
    shapes = reflect_schema(connection, exclude)
    existing = read_rows(connection, shapes, EXISTING_READ)
    _, deferred = fill_order(shapes)
    loader = Loader(connection, _describer(describe_error), bool(deferred), say)
    filled = loader.load(stream_rows(shapes, rows_per_table, seed, existing))
    commit(connection)
    # in the schema's order, as they were listed before the load order put cycles last
    position = {shape.name: index for index, shape in enumerate(shapes)}
    filled.sort(key=lambda item: position[item.table])
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
    """Insert rows generated in memory (`rows.generate_rows`), in order, the way the fill
    loads them; what went in and what the server refused (`describe_error`: one line about
    a refusal; the driver's message by default). Committed when it returns."""
    from alembic_sentinel.engine.database import commit

    def stream(rows: list[Row], note: str) -> Callable[[], Generator[list[Row], None, str]]:
        def make() -> Generator[list[Row], None, str]:
            if rows:
                yield rows
            return note

        return make

    tables = [
        TableRows(item.table, len(item.rows), item.ordered, stream(item.rows, item.note))
        for item in generated.tables
    ]
    loader = Loader(connection, _describer(describe_error), generated.needs_deferred_checks)
    filled = loader.load(tables)
    commit(connection)
    return filled


def _describer(
    describe_error: Callable[[BaseException], str] | None,
) -> Callable[[BaseException], str]:
    from alembic_sentinel.engine.database import driver_message

    return describe_error or (lambda exc: driver_message(exc, None))
