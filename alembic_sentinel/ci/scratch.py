"""The scratch database of a CI run: wait for the server, create it, snapshot it, drop it.

One fresh, uniquely named scratch per run: a `sentinel_ci_<8 hex>` schema on a MySQL/MariaDB
server, or an SQLite file in a temporary directory. It is never the configured database and is
always dropped when the run ends, whatever happened inside it.

Snapshots describe the schema (tables, columns, indexes, unique and foreign keys) as a flat
mapping, so comparing the schema before a revision's upgrade with the schema after its
downgrade is a dictionary comparison, and each difference reads as one line.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from alembic_sentinel.drift.shadow import create_mysql, drop_orphans
from alembic_sentinel.engine.database import driver_error_code, driver_message, open_connection
from alembic_sentinel.errors import ConfigError, DatabaseUnreachable
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

PREFIX = "sentinel_ci_"
_SCRATCH_NAME = re.compile(rf"{PREFIX}[0-9a-f]{{8}}")
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 5.0
# connecting again will not fix a wrong user or password
MYSQL_ACCESS_DENIED = (1044, 1045, 1698)


class Scratch(NamedTuple):
    url: str  # the scratch database's URL, password included: never print it
    name: str  # the schema name, or the SQLite file's name
    backend: str  # "mysql" | "sqlite"
    server_version: str  # e.g. "10.11.19-MariaDB"; "" for SQLite
    # how far the run's code reaches (docs/security.md): "account" (an account of its own, this
    # schema only); "fallback: <why>" (the configured account: it may not create users);
    # "none: <why>" (the run made its own scratch: no server URL given to ci); "sqlite"
    confinement: str = ""

    def as_json(self) -> str:
        return json.dumps(self._asdict())

    @classmethod
    def from_json(cls, text: str) -> Scratch:
        values = json.loads(text)
        return cls(**{field: str(values[field]) for field in cls._fields})


def server_url(settings: Settings, given: str | None) -> URL | None:
    """The MySQL/MariaDB server the scratch goes on; None for an SQLite scratch file.

    `given` (--database-url) wins; its database part is ignored. Without it the configured
    URL's server is used, and an SQLite or missing URL means an SQLite scratch.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    raw = given or settings.url
    if raw is None:
        return None
    source = "--database-url" if given else settings.sources.get("url", "url")
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise ConfigError(f"{source}: not a valid database URL") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        return None
    if backend not in ("mysql", "mariadb"):
        raise ConfigError(f"{source}: ci supports MySQL/MariaDB and SQLite, not {backend}")
    return url.set(database="")


@contextmanager
def opened_scratch(
    settings: Settings, given_url: str | None, wait_seconds: float, prepared: Scratch | None = None
) -> Iterator[Scratch]:
    """A fresh scratch database for the block; dropped at the end even when the block raises.

    `prepared`: a scratch the parent process made (`prepared_scratch`) and will drop; used as
    it is. Without one, the run makes its own with the configured account (unconfined).
    """
    if prepared is not None:
        yield prepared
        return
    server = server_url(settings, given_url)
    source = "--database-url" if given_url else settings.sources.get("url", "url")
    if server is None:
        with sqlite_scratch() as scratch:
            yield scratch
        return
    with prepared_scratch(server, wait_seconds, source, confine=False) as scratch:
        yield scratch


@contextmanager
def sqlite_scratch() -> Iterator[Scratch]:
    name = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    directory = Path(tempfile.mkdtemp(prefix=PREFIX))
    try:
        path = directory / f"{name}.sqlite3"
        yield Scratch(f"sqlite:///{path}", path.name, "sqlite", "", "sqlite")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def prepared_scratch(
    server: URL, wait_seconds: float, source: str, *, confine: bool = True
) -> Iterator[Scratch]:
    """A `sentinel_ci_*` schema on `server` for the block, and with `confine` an account that
    reaches that schema only (ci/scratch_account.py); the scratch's URL uses that account.
    Both are dropped at the end, whatever happened. When the configured account may not
    create users, the URL keeps the configured account and `confinement` says why."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from alembic_sentinel.ci.scratch_account import (
        create_account,
        drop_account,
        drop_orphan_accounts,
    )

    name = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    with waited_connection(server, wait_seconds, source) as connection:
        version = str(connection.execute(text("SELECT VERSION()")).scalar() or "")
        drop_orphans(connection, PREFIX, _SCRATCH_NAME)
        if confine:
            drop_orphan_accounts(connection)
        # held while the scratch exists: what tells another run's drop_orphans it is ours
        connection.execute(text("SELECT GET_LOCK(:name, 0)"), {"name": name})
        account = None
        try:
            create_mysql(connection, name)
            url = server.set(database=name)
            confinement = "none: no server URL given to ci (--database-url)"
            if confine:
                try:
                    account = create_account(connection, name)
                except DBAPIError as exc:
                    reason = driver_message(exc, server.password)
                    confinement = f"fallback: the configured account cannot create one ({reason})"
                else:
                    url = url.set(username=account.user, password=account.password)
                    confinement = "account"
            yield Scratch(
                url.render_as_string(hide_password=False), name, "mysql", version, confinement
            )
        finally:
            try:
                if account is not None:
                    drop_account(connection, account)
            finally:
                drop_scratch(connection, name)
                connection.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": name})


def drop_scratch(server: Connection, name: str) -> None:
    from sqlalchemy import text

    if not name.startswith(PREFIX):  # only ever drop a schema this module created
        raise ConfigError(f"refusing to drop {name!r}: not a CI scratch database")
    quoted = server.dialect.identifier_preparer.quote_identifier(name)
    server.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))


def backoff_delays() -> Iterator[float]:
    """The pauses between attempts: 0.5 s, 1 s, 2 s, 4 s, then 5 s for ever."""
    delay = FIRST_DELAY_SECONDS
    while True:
        yield delay
        delay = min(delay * 2, MAX_DELAY_SECONDS)


@contextmanager
def waited_connection(server: URL, wait_seconds: float, source: str) -> Iterator[Connection]:
    """An AUTOCOMMIT connection to the server, retried while it does not accept connections yet
    (a CI service container starts slowly); DatabaseUnreachable once `wait_seconds` are spent.

    A wrong user or password is reported at once: waiting will not fix it.
    """
    from sqlalchemy.exc import DBAPIError

    shown = server.render_as_string(hide_password=True)
    started = time.monotonic()
    deadline = started + wait_seconds
    delays = backoff_delays()
    attempts = 0
    while True:
        attempts += 1
        # an unroutable host must not hold one attempt much longer than the whole wait
        timeout = max(1, min(10, math.ceil(deadline - time.monotonic())))
        engine = _server_engine(server, timeout, source)
        try:
            connection = open_connection(engine, source)
        except DBAPIError as exc:
            engine.dispose()
            pause = min(next(delays), deadline - time.monotonic())
            if pause <= 0 or driver_error_code(exc) in MYSQL_ACCESS_DENIED:
                elapsed = time.monotonic() - started
                raise DatabaseUnreachable(
                    f"cannot connect to {shown} (waited {elapsed:.1f}s, {attempts} "
                    f"attempt{'s' * (attempts != 1)}): {driver_message(exc, server.password)}"
                ) from None
            time.sleep(pause)
            continue
        try:
            with connection:
                yield connection
        finally:
            engine.dispose()
        return


def _server_engine(server: URL, timeout: int, source: str) -> Engine:
    from alembic_sentinel.engine.database import engine_for

    # PyMySQL's and mysqlclient's name for it; other drivers keep their own default
    connect_args = (
        {"connect_timeout": timeout} if server.get_driver_name() in ("pymysql", "mysqldb") else {}
    )
    return engine_for(
        server,
        source,
        None if server.password is None else str(server.password),
        isolation_level="AUTOCOMMIT",
        connect_args=connect_args,
    )


# A snapshot: (kind, table, name) -> description, e.g.
# ("index", "party", "ix_party_code") -> "(partyCode) unique". Tables are ("table", t, t).
Snapshot = Mapping[tuple[str, str, str], str]


def snapshot(connection: Connection, version_table: str) -> Snapshot:
    """The schema the connection's database holds, without Alembic's version table."""
    if connection.dialect.name == "sqlite":
        return _sqlite_snapshot(connection, version_table)
    return _mysql_snapshot(connection, version_table)


def _mysql_snapshot(connection: Connection, version_table: str) -> Snapshot:
    """Four queries on information_schema: reflecting table by table costs a dozen per table."""
    from sqlalchemy import text

    shape: dict[tuple[str, str, str], str] = {}
    params = {"version": version_table}
    for table, column, type_, nullable, default, extra in connection.execute(
        text(
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA "
            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME != :version"
        ),
        params,
    ):
        shape[("table", table, table)] = ""
        null = "NULL" if nullable == "YES" else "NOT NULL"
        default_part = f" DEFAULT {default}" if default is not None else ""
        shape[("column", table, column)] = f"{type_} {null}{default_part} {extra}".strip()
    indexes: dict[tuple[str, str, str], list[str]] = {}
    unique: dict[tuple[str, str, str], bool] = {}
    for table, index, column, non_unique in connection.execute(
        text(
            "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE "
            "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME != :version ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
        ),
        params,
    ):
        key = ("index", table, index)
        indexes.setdefault(key, []).append(column or "(expression)")
        unique[key] = not int(non_unique)
    for key, columns in indexes.items():
        shape[key] = _index_description(columns, unique[key])
    # two queries joined here: MariaDB takes ten times longer to join the two views itself
    rules = {
        (table, name): _rules(on_update, on_delete)
        for table, name, on_update, on_delete in connection.execute(
            text(
                "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE "
                "FROM information_schema.REFERENTIAL_CONSTRAINTS "
                "WHERE CONSTRAINT_SCHEMA = DATABASE()"
            )
        )
    }
    foreign: dict[tuple[str, str, str], list[Any]] = {}
    for table, name, column, referred, referred_column in connection.execute(
        text(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, "
            "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
            "WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL "
            "AND TABLE_NAME != :version ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"
        ),
        params,
    ):
        entry = foreign.setdefault(
            ("foreign key", table, name), [[], referred, [], rules.get((table, name), "")]
        )
        entry[0].append(column)
        entry[2].append(referred_column)
    for key, (columns, referred, referred_columns, rules) in foreign.items():
        shape[key] = _foreign_key_description(columns, referred, referred_columns, rules)
    return shape


def _sqlite_snapshot(connection: Connection, version_table: str) -> Snapshot:
    """SQLite's catalog is per table pragmas; the inspector reads them (fast on a local file)."""
    from sqlalchemy import inspect

    inspector = inspect(connection)
    shape: dict[tuple[str, str, str], str] = {}
    for table in inspector.get_table_names():
        if table == version_table:
            continue
        shape[("table", table, table)] = ""
        for column in inspector.get_columns(table):
            null = "NULL" if column["nullable"] else "NOT NULL"
            default = column.get("default")
            default_part = f" DEFAULT {default}" if default is not None else ""
            shape[("column", table, column["name"])] = f"{column['type']} {null}{default_part}"
        for index in inspector.get_indexes(table):
            columns = [str(c) for c in index["column_names"]]
            shape[("index", table, str(index["name"]))] = _index_description(
                columns, bool(index["unique"])
            )
        for constraint in inspector.get_unique_constraints(table):
            shape[("unique constraint", table, str(constraint["name"]))] = (
                f"({', '.join(constraint['column_names'])})"
            )
        for fk in inspector.get_foreign_keys(table):
            options = fk.get("options") or {}
            shape[("foreign key", table, str(fk["name"]))] = _foreign_key_description(
                fk["constrained_columns"],
                fk["referred_table"],
                fk["referred_columns"],
                _rules(options.get("onupdate"), options.get("ondelete")),
            )
    return shape


def _index_description(columns: list[str], is_unique: bool) -> str:
    return f"({', '.join(columns)}){' unique' if is_unique else ''}"


def _foreign_key_description(
    columns: list[str], referred: str, referred_columns: list[str], rules: str
) -> str:
    return f"({', '.join(columns)}) -> {referred}({', '.join(referred_columns)}){rules}"


def _rules(on_update: str | None, on_delete: str | None) -> str:
    # MySQL reports the default as RESTRICT, SQLite as nothing: neither is worth a difference
    parts = [
        f" ON {verb} {rule}"
        for verb, rule in (("UPDATE", on_update), ("DELETE", on_delete))
        if rule and rule.upper() not in ("RESTRICT", "NO ACTION")
    ]
    return "".join(parts)


def differences(expected: Snapshot, actual: Snapshot, extra: str = "left behind") -> list[str]:
    """What `actual` has that `expected` lacks (`extra`), lacks, or has differently; one line each.

    The parts of a table that is there or missing as a whole are not listed again.
    """
    extra_tables = {t for kind, t, _ in actual if kind == "table"} - {
        t for kind, t, _ in expected if kind == "table"
    }
    missing_tables = {t for kind, t, _ in expected if kind == "table"} - {
        t for kind, t, _ in actual if kind == "table"
    }
    lines = []
    for key in sorted(set(expected) | set(actual)):
        kind, table, name = key
        if kind != "table" and (table in extra_tables or table in missing_tables):
            continue
        what = f"table {table}" if kind == "table" else f"{kind} {name} on {table}"
        if kind == "column":
            what = f"column {table}.{name}"
        if key not in expected:
            lines.append(f"{what} {extra}")
        elif key not in actual:
            lines.append(f"{what} missing")
        elif expected[key] != actual[key]:
            lines.append(f"{what} is {actual[key]}, was {expected[key]}")
    return lines
