"""The shadow database: a scratch database the tool creates, migrates, compares and caches.

It is never the configured database. On MySQL/MariaDB it is a schema named
`sentinel_shadow_<project>` on the configured server (or on `--shadow-url`); on SQLite a file in
the cache directory. A lock per shadow (MySQL `GET_LOCK`, `flock` for SQLite files) serializes
concurrent runs, which pre-commit may start several of. `--no-cache` uses a uniquely named
shadow that is dropped at the end.

The cached shadow records, in its own `sentinel_shadow_state` table, a stamp (tool version and
project), the content hash of every revision applied to it and a fingerprint of its schema. If
an applied revision was edited or removed, or the stamp or schema do not match, it is rebuilt
from scratch; otherwise only new revisions are applied.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from alembic_sentinel import __version__
from alembic_sentinel.engine.database import commit, driver_message, engine_for, open_connection
from alembic_sentinel.errors import ConfigError, DatabaseUnreachable
from alembic_sentinel.graph.revision_cache import usable_cache_directory
from alembic_sentinel.settings import Settings, hide_password

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection

STATE_TABLE = "sentinel_shadow_state"
PREFIX = "sentinel_shadow_"
LOCK_TIMEOUT_SECONDS = 600


class Shadow(NamedTuple):
    url: str
    name: str
    backend: str
    cached: bool

    @property
    def safe_url(self) -> str:
        return hide_password(self.url)


def project_identity(settings: Settings) -> str:
    return identity_of(settings.root, settings.migrations)


def identity_of(root: Path, migrations: Path) -> str:
    """The shadow's name part for a project: its root and migrations directory, hashed."""
    return hashlib.sha256(f"{root}\0{migrations}".encode()).hexdigest()[:12]


def stamp(settings: Settings) -> str:
    return f"alembic-sentinel {__version__} {project_identity(settings)}"


def base_url(settings: Settings, shadow_url: str | None) -> URL:
    """The server (or SQLite) the shadow lives on: --shadow-url, else the configured database's."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    raw = shadow_url or settings.url
    if raw is None:
        return make_url("sqlite://")
    try:
        return make_url(raw)
    except ArgumentError:
        raise ConfigError("--shadow-url: not a valid database URL") from None


def plan_shadow(settings: Settings, shadow_url: str | None, cache: bool) -> Shadow:
    """Where the shadow goes; refuses anything that could be the configured database."""
    url = base_url(settings, shadow_url)
    backend = url.get_backend_name()
    identity = project_identity(settings)
    suffix = "" if cache else f"_{uuid.uuid4().hex[:8]}"
    if backend in ("mysql", "mariadb"):
        name = f"{PREFIX}{identity}{suffix}"
        configured = _configured_database(settings)
        if configured is not None and configured == (url.host, url.port, name):
            raise ConfigError(f"the shadow database {name!r} is the configured database")
        shadow = url.set(database=name)
    elif backend == "sqlite":
        directory = usable_cache_directory("shadow")
        name = str(directory / f"{identity}{suffix}.sqlite3")
        shadow = url.set(database=name)
    else:
        raise ConfigError(
            f"{settings.sources.get('url', '--shadow-url')}: the drift check supports "
            f"MySQL/MariaDB and SQLite shadows, not {backend} (pass --shadow-url)"
        )
    return Shadow(shadow.render_as_string(hide_password=False), name, backend, cache)


def _configured_database(settings: Settings) -> tuple[str | None, int | None, str] | None:
    if not settings.url:
        return None
    from sqlalchemy.engine import make_url

    url = make_url(settings.url)
    return (url.host, url.port, url.database or "")


@contextmanager
def opened_shadow(settings: Settings, shadow: Shadow) -> Iterator[Shadow]:
    """Hold the shadow's lock for the whole block; create it, and drop it after if uncached."""
    if shadow.backend == "sqlite":
        with _sqlite_shadow(shadow):
            yield shadow
    else:
        with _mysql_shadow(settings, shadow):
            yield shadow


@contextmanager
def _sqlite_shadow(shadow: Shadow) -> Iterator[None]:
    import fcntl

    path = Path(shadow.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if not shadow.cached:
                drop_sqlite(path)
            fcntl.flock(lock, fcntl.LOCK_UN)
    if not shadow.cached:
        Path(f"{path}.lock").unlink(missing_ok=True)


def drop_sqlite(path: Path) -> None:
    for companion in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{companion}").unlink(missing_ok=True)


@contextmanager
def _mysql_shadow(settings: Settings, shadow: Shadow) -> Iterator[None]:
    from sqlalchemy import text

    with server_connection(shadow) as server:
        got = server.execute(
            text("SELECT GET_LOCK(:name, :timeout)"),
            {"name": shadow.name, "timeout": LOCK_TIMEOUT_SECONDS},
        ).scalar()
        if got != 1:
            raise DatabaseUnreachable(
                f"{shadow.safe_url}: another check held the shadow's lock for "
                f"{LOCK_TIMEOUT_SECONDS}s"
            )
        try:
            if not shadow.cached:
                drop_orphans(server, PREFIX, _UNCACHED_NAME)
            create_mysql(server, shadow.name)
            yield
        finally:
            if not shadow.cached:
                drop_mysql(server, shadow.name)
            server.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": shadow.name})


@contextmanager
def server_connection(shadow: Shadow) -> Iterator[Connection]:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    url = make_url(shadow.url).set(database="")
    password = None if url.password is None else str(url.password)
    engine = engine_for(url, "shadow database URL", password, isolation_level="AUTOCOMMIT")
    try:
        try:
            connection = open_connection(engine, "shadow database URL")
        except DBAPIError as exc:
            raise DatabaseUnreachable(
                f"cannot connect to {url.render_as_string(hide_password=True)} for the shadow "
                f"database: {driver_message(exc, url.password)}"
            ) from None
        with connection:
            yield connection
    finally:
        engine.dispose()


# a `--no-cache` shadow: the project's identity and a per-run suffix (a cached one has none)
_UNCACHED_NAME = re.compile(rf"{PREFIX}[0-9a-f]{{12}}_[0-9a-f]{{8}}")


def drop_orphans(server: Connection, prefix: str, name: re.Pattern[str]) -> list[str]:
    """Drop the schemas named like `name` that no live run holds: a run killed outright
    (SIGKILL, a lost runner) leaves its scratch behind, and the next run removes it.

    Every run holds a lock named after its schema for as long as the schema exists, so a
    schema whose lock we can take at once belongs to no one.
    """
    from sqlalchemy import text

    like = prefix.replace("_", "\\_") + "%"
    candidates = server.execute(
        text("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE :like"),
        {"like": like},
    ).scalars()
    dropped = []
    for schema in [str(c) for c in candidates if name.fullmatch(str(c))]:
        if server.execute(text("SELECT GET_LOCK(:n, 0)"), {"n": schema}).scalar() != 1:
            continue  # a live run's
        try:
            quoted = server.dialect.identifier_preparer.quote_identifier(schema)
            server.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}")
            dropped.append(schema)
        finally:
            server.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": schema})
    return dropped


def create_mysql(server: Connection, name: str) -> None:
    from sqlalchemy import text

    quoted = server.dialect.identifier_preparer.quote_identifier(name)
    server.execute(text(f"CREATE DATABASE IF NOT EXISTS {quoted} CHARACTER SET utf8mb4"))


def drop_mysql(server: Connection, name: str) -> None:
    from sqlalchemy import text

    if not name.startswith(PREFIX):  # belt and braces: only ever drop our own schemas
        raise ConfigError(f"refusing to drop {name!r}: not a shadow database")
    quoted = server.dialect.identifier_preparer.quote_identifier(name)
    server.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))


def drop_cached(shadow: Shadow) -> bool:
    """Drop a cached shadow (for `cache clear`), under its lock; whether there was one."""
    if shadow.backend == "sqlite":
        existed = Path(shadow.name).exists()
        drop_sqlite(Path(shadow.name))
        Path(f"{shadow.name}.lock").unlink(missing_ok=True)
        return existed
    from sqlalchemy import text

    with server_connection(shadow) as server:
        found = server.execute(
            text("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name"),
            {"name": shadow.name},
        ).first()
        drop_mysql(server, shadow.name)
    return found is not None


def rebuild(settings: Settings, shadow: Shadow) -> None:
    """Empty the shadow completely (drop and recreate)."""
    if shadow.backend == "sqlite":
        drop_sqlite(Path(shadow.name))
        return
    with server_connection(shadow) as server:
        drop_mysql(server, shadow.name)
        create_mysql(server, shadow.name)


class ShadowState(NamedTuple):
    stamp: str
    applied: Mapping[str, str]  # revision -> sha256 of its file
    schema: str  # fingerprint of the schema as last left


def read_state(connection: Connection) -> ShadowState | None:
    """The recorded state, or None when there is none or it cannot be trusted."""
    from sqlalchemy import inspect, text

    if STATE_TABLE not in inspect(connection).get_table_names():
        return None
    try:
        row = connection.execute(text(f"SELECT state FROM {STATE_TABLE}")).scalar_one()
        document = json.loads(row)
        return ShadowState(document["stamp"], dict(document["applied"]), document["schema"])
    except Exception:
        return None


def write_state(connection: Connection, state: ShadowState) -> None:
    from sqlalchemy import text

    document = json.dumps(
        {"stamp": state.stamp, "applied": dict(state.applied), "schema": state.schema}
    )
    commit(connection)  # what the comparison left open
    # one explicit transaction: SQLAlchemy 1.4's legacy connections would otherwise autocommit
    # each statement, with a 2.0 deprecation warning on the user's terminal
    with connection.begin():
        connection.execute(text(f"DROP TABLE IF EXISTS {STATE_TABLE}"))
        # MySQL's TEXT stops at 64 KiB, about 760 revisions' worth of hashes
        column_type = "TEXT" if connection.dialect.name == "sqlite" else "LONGTEXT"
        connection.execute(text(f"CREATE TABLE {STATE_TABLE} (state {column_type} NOT NULL)"))
        connection.execute(text(f"INSERT INTO {STATE_TABLE} (state) VALUES (:s)"), {"s": document})


def schema_fingerprint(connection: Connection, version_table: str) -> str:
    """A hash of the shadow's schema from the catalog, in one or two cheap queries, and of the
    revisions its version table says it is at: a row deleted or changed by hand means the
    schema and the revisions no longer agree, and the shadow is rebuilt rather than trusted."""
    from sqlalchemy import inspect, text

    rows: list[Any] = []
    if connection.dialect.name == "sqlite":
        queries = [
            "SELECT type, name, sql FROM sqlite_master WHERE name != :state ORDER BY 1, 2",
        ]
    else:
        queries = [
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
            "COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME != :state ORDER BY TABLE_NAME, ORDINAL_POSITION",
            "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE "
            "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME != :state ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        ]
    for query in queries:
        rows.extend(connection.execute(text(query), {"state": STATE_TABLE}).all())
    if inspect(connection).has_table(version_table):
        quoted = connection.dialect.identifier_preparer.quote_identifier(version_table)
        rows.extend(connection.execute(text(f"SELECT * FROM {quoted} ORDER BY 1")).all())
    return hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()


def revision_hashes(settings: Settings, paths: Mapping[str, str]) -> dict[str, str]:
    """revision id -> sha256 of its file's bytes, for the revisions the static reader found."""
    hashes = {}
    for revision, path in paths.items():
        with open(os.path.join(settings.root, path), "rb") as stream:
            hashes[revision] = hashlib.sha256(stream.read()).hexdigest()
    return hashes


def reusable(state: ShadowState | None, expected_stamp: str, hashes: Mapping[str, str]) -> bool:
    """Whether a cached shadow can be brought to head by applying only new revisions."""
    if state is None or state.stamp != expected_stamp:
        return False
    return all(hashes.get(revision) == digest for revision, digest in state.applied.items())
