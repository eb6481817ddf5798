"""Calibrate the cost model on a scratch server: time a few small rebuilds and fit the costs.

On the server `--calibrate-url` names (never the production database: refused when it names
the configured database or the one the statistics came from), a schema `sentinel_plan_<hex>`
is created, two tables of the same rows but different widths are filled with one INSERT ...
SELECT each (a recursive CTE, no client round trips), and on each, and on an empty table, a
COPY rebuild, an INPLACE rebuild and an index build are timed (the median of three). The schema
is dropped whatever happens. The samples are fitted by `cost_model.calibrated_model`.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from alembic_sentinel.errors import ConfigError, DatabaseUnreachable
from alembic_sentinel.plan.cost_model import (
    COPY_WORK,
    INDEX_WORK,
    REBUILD_WORK,
    CostModel,
    Sample,
    calibrated_model,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection

SCHEMA_PREFIX = "sentinel_plan_"
DEFAULT_ROWS = 100_000
# each statement is timed this many times and the median kept: the machine is shared, and the
# fastest run would describe a production server with nothing else to do
_ROUNDS = 3
# rows numbered 0..999999 without a table to read them from: works on MySQL 8 and MariaDB
_NUMBERS = (
    "WITH RECURSIVE d (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 999) "
    "SELECT a.i * 1000 + b.i AS n FROM d a CROSS JOIN d b"
)
_TABLES = {
    "narrow": "a INT NOT NULL, b VARCHAR(40) NOT NULL",
    "wide": "a INT NOT NULL, b VARCHAR(40) NOT NULL, c VARCHAR(800) NOT NULL",
}
_FILLS = {
    "narrow": "SELECT n MOD 1000, CONCAT('row-', n) FROM numbers",
    "wide": "SELECT n MOD 1000, CONCAT('row-', n), REPEAT(MD5(n), 12) FROM numbers",
}
_WORK = {
    COPY_WORK: "ALTER TABLE {t} FORCE, ALGORITHM=COPY",
    REBUILD_WORK: "ALTER TABLE {t} FORCE, ALGORITHM=INPLACE, LOCK=NONE",
    INDEX_WORK: "ALTER TABLE {t} ADD INDEX ix_b (b), ALGORITHM=INPLACE, LOCK=NONE",
}
_UNDO_INDEX = "ALTER TABLE {t} DROP INDEX ix_b"


class Identity(NamedTuple):
    """A database as a place: host, port and name (localhost and 127.0.0.1 are one host)."""

    host: str
    port: int
    database: str

    @classmethod
    def of(cls, host: str | None, port: int | None, database: str | None) -> Identity:
        where = (host or "localhost").lower()
        if where in ("127.0.0.1", "::1"):
            where = "localhost"
        return cls(where, port or 3306, database or "")


def refuse_production(url: URL, production: Iterable[tuple[Identity, str]]) -> None:
    mine = Identity.of(url.host, url.port, url.database)
    for identity, what in production:
        if mine.database and mine == identity:
            raise ConfigError(
                f"--calibrate-url names {what} ({identity.database} on {identity.host}:"
                f"{identity.port}): calibrate on a scratch server, never on production"
            )


def calibrate(
    url_text: str,
    production: Iterable[tuple[Identity, str]],
    rows: int = DEFAULT_ROWS,
) -> CostModel:
    """The cost model measured on the server of `url_text` (a scratch schema made and dropped)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from alembic_sentinel.engine.database import driver_message, engine_for, open_connection

    try:
        url = make_url(url_text)
    except (ArgumentError, ValueError):
        raise ConfigError("--calibrate-url: not a valid database URL") from None
    if url.get_backend_name() not in ("mysql", "mariadb"):
        raise ConfigError("--calibrate-url: calibration needs a MySQL or MariaDB server")
    refuse_production(url, production)
    password = None if url.password is None else str(url.password)
    engine = engine_for(url.set(database=""), "--calibrate-url", password)
    schema = SCHEMA_PREFIX + uuid.uuid4().hex[:12]
    try:
        try:
            connection = open_connection(engine, "--calibrate-url")
        except DBAPIError as exc:
            shown = url.render_as_string(hide_password=True)
            raise DatabaseUnreachable(
                f"cannot connect to {shown}: {driver_message(exc, password)}"
            ) from None
        with connection:
            version = str(connection.exec_driver_sql("SELECT VERSION()").scalar() or "")
            connection.exec_driver_sql(f"CREATE DATABASE `{schema}` CHARACTER SET utf8mb4")
            try:
                samples = measure(connection, schema, rows)
            finally:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{schema}`")
    finally:
        engine.dispose()
    return calibrated_model(samples, f"calibrated on {version} ({rows} rows)")


def measure(connection: Connection, schema: str, rows: int) -> list[Sample]:
    """The timed samples: every kind of work on an empty, a narrow and a wide table."""
    samples = []
    for shape, columns in (("empty", _TABLES["narrow"]), *_TABLES.items()):
        table = f"`{schema}`.`t_{shape}`"
        connection.exec_driver_sql(
            f"CREATE TABLE {table} (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, {columns}, "
            "KEY ix_a (a)) ENGINE=InnoDB"
        )
        count = 0 if shape == "empty" else rows
        if count:
            fill = _FILLS[shape].replace("FROM numbers", f"FROM ({_NUMBERS} LIMIT {count}) n")
            names = "a, b" if shape == "narrow" else "a, b, c"
            connection.exec_driver_sql(f"INSERT INTO {table} ({names}) {fill}")
            _commit(connection)
            connection.exec_driver_sql(f"ANALYZE TABLE {table}").fetchall()
        size = _size(connection, schema, f"t_{shape}")
        for work, statement in _WORK.items():
            times = []
            for _ in range(_ROUNDS):
                started = time.perf_counter()
                connection.exec_driver_sql(statement.format(t=table))
                times.append(time.perf_counter() - started)
                if work == INDEX_WORK:
                    connection.exec_driver_sql(_UNDO_INDEX.format(t=table))
            samples.append(Sample(work, count, size, statistics.median(times)))
    return samples


def _size(connection: Connection, schema: str, table: str) -> int:
    row = connection.exec_driver_sql(
        "SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
        " WHERE TABLE_SCHEMA = %(s)s AND TABLE_NAME = %(t)s",
        {"s": schema, "t": table},
    ).first()
    return int(row[0] or 0) if row is not None else 0


def _commit(connection: Connection) -> None:
    from alembic_sentinel.engine.database import commit

    commit(connection)
