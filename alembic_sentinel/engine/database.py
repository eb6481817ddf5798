"""Connections to the configured database, and creating or dropping that database.

Every driver error is turned into a one-line `DatabaseUnreachable` here, with the password
scrubbed, so no caller has to know what PyMySQL or sqlite3 exceptions look like.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic_sentinel.errors import ConfigError, DatabaseUnreachable
from alembic_sentinel.redaction import redact
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

MYSQL_UNKNOWN_DATABASE = 1049
OLDEST_SQLALCHEMY = (1, 4)
# the server's own schemas: never created, dropped, migrated or used as a scratch
SYSTEM_SCHEMAS = frozenset({"mysql", "sys", "performance_schema", "information_schema"})


def parsed_url(settings: Settings) -> URL:
    from sqlalchemy.engine import make_url

    return make_url(settings.require_url())


_LOCAL_HOSTS = frozenset({None, "", "localhost", "127.0.0.1", "::1"})


def identity(url: str | URL) -> tuple[str, str, int | None, str]:
    """Which database a URL reaches, whatever the spelling: the backend, the host (every
    spelling of this machine alike), the port (MySQL's default filled in) and the database
    (a SQLite file by its real path)."""
    import os

    from sqlalchemy.engine import make_url

    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.get_backend_name()
    name = str(parsed.database or "")
    if backend == "sqlite":
        real = os.path.realpath(name) if name and name != ":memory:" else name
        return (backend, "", None, real)
    host = "local" if parsed.host in _LOCAL_HOSTS else str(parsed.host)
    port = parsed.port or (3306 if backend in ("mysql", "mariadb") else None)
    return ("mysql" if backend == "mariadb" else backend, host, port, name)


def database_name(settings: Settings) -> str:
    name = parsed_url(settings).database
    if not name:
        raise ConfigError(
            f"{settings.sources.get('url', 'url')}: the database URL names no database"
        )
    refuse_system_schema(settings)
    return name


def refuse_system_schema(settings: Settings) -> None:
    """A configured database that is one of the server's own schemas is refused, unconnected."""
    url = parsed_url(settings)
    if url.get_backend_name() in ("mysql", "mariadb") and (
        str(url.database or "").lower() in SYSTEM_SCHEMAS
    ):
        raise ConfigError(
            f"{settings.sources.get('url', 'url')}: {url.database!r} is a system schema of the "
            "server: alembic-sentinel never creates, drops or migrates it"
        )


def open_connection(engine: Engine, source: str) -> Connection:
    """`engine.connect()`; a URL option the driver does not take is a one-line ConfigError.

    Driver errors (DBAPIError) are left to the caller, which knows what it was connecting to.
    """
    from sqlalchemy.exc import DBAPIError

    try:
        return engine.connect()
    except DBAPIError:
        raise
    except Exception as exc:
        # the driver took the URL's options and failed on them before any server was asked:
        # connect() got an unexpected keyword (TypeError), int('abc') for connect_timeout
        # (ValueError), an unknown charset (AttributeError), a missing ssl_ca (OSError)
        engine.dispose()
        detail = str(exc).splitlines()[0] if str(exc) else ""
        shown = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        raise ConfigError(
            f"{source}: the database driver refused the URL's options: {shown}"
        ) from None


def sqlite_file(settings: Settings) -> Path | None:
    """The file of an SQLite database, or None for other backends and in-memory databases."""
    url = parsed_url(settings)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    return Path(url.database)


def make_engine(settings: Settings, url: URL | None = None) -> Engine:
    url = url if url is not None else parsed_url(settings)
    return engine_for(url, settings.sources.get("url", "url"), settings.password)


def require_supported_sqlalchemy(version: str) -> None:
    """The engine needs SQLAlchemy 1.4 or newer; older ones are refused in one line."""
    numbers = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    if numbers < OLDEST_SQLALCHEMY:
        raise ConfigError(
            f"SQLAlchemy {version} is installed: upgrade, migrate, check, ci and the other "
            "verbs that use the database need SQLAlchemy 1.4 or newer (heads, merge, lint and "
            "their hooks read files only and work with any version)"
        )


def engine_for(url: URL, source: str, password: str | None, **options: Any) -> Engine:
    """A NullPool engine; a missing dialect or driver is a one-line error naming `source`."""
    import sqlalchemy
    from sqlalchemy import create_engine

    require_supported_sqlalchemy(sqlalchemy.__version__)
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError
    from sqlalchemy.pool import NullPool

    try:
        return create_engine(url, poolclass=NullPool, **options)
    except NoSuchModuleError:
        raise ConfigError(f"{source}: SQLAlchemy has no dialect {url.drivername!r}") from None
    except ImportError as exc:
        raise ConfigError(
            f"{source}: the driver for {url.drivername!r} is not installed ({exc.name or exc})"
        ) from None
    except ArgumentError as exc:
        text = str(exc).replace(password, "***") if password else str(exc)
        raise ConfigError(f"{source}: {text}") from None
    except (ValueError, TypeError) as exc:
        # the dialect converts the URL's query options itself (connect_timeout=abc: ValueError)
        text = redact(str(exc), [password])
        detail = text.splitlines()[0] if text else type(exc).__name__
        raise ConfigError(f"{source}: the URL's options are refused: {detail}") from None


def scrub(text: str, settings: Settings) -> str:
    """Remove the configured password, in every spelling, from text that is about to be shown."""
    return redact(text, [settings.password])


def describe_driver_error(exc: BaseException, settings: Settings) -> str:
    return driver_message(exc, settings.password)


def driver_message(exc: BaseException, password: str | None) -> str:
    """The driver's own message ("(2003) Can't connect ..."), without SQLAlchemy's decoration
    and without the password."""
    original = getattr(exc, "orig", None) or exc
    args: tuple[object, ...] = tuple(getattr(original, "args", ()))
    if len(args) == 2 and isinstance(args[0], int):
        text = f"({args[0]}) {args[1]}"
    else:
        text = str(original).splitlines()[0] if str(original) else type(original).__name__
    return redact(text, [password])


def driver_error_code(exc: BaseException) -> int | None:
    args = getattr(getattr(exc, "orig", None), "args", ())
    return args[0] if args and isinstance(args[0], int) else None


@contextmanager
def connect(
    settings: Settings, *, create: bool = False, url: URL | None = None
) -> Iterator[Connection]:
    """Connect to the configured database (or `url`, e.g. its server), failing in one line.

    An SQLite file that does not exist is created only when `create` is true; otherwise asking
    about it would leave an empty file behind.
    """
    from sqlalchemy.exc import DBAPIError

    if url is None:
        refuse_system_schema(settings)
    path = sqlite_file(settings) if url is None else None
    if path is not None and not path.exists():
        if not create:
            raise DatabaseUnreachable(
                f"{settings.safe_url}: the database file does not exist "
                "(run `alembic-sentinel upgrade` or `alembic-sentinel create-database`)"
            )
        if not path.parent.is_dir():
            raise DatabaseUnreachable(
                f"{settings.safe_url}: directory {path.parent} does not exist"
            )
    engine = make_engine(settings, url)
    try:
        try:
            connection = open_connection(engine, settings.sources.get("url", "url"))
        except DBAPIError as exc:
            shown = engine.url.render_as_string(hide_password=True)
            message = f"cannot connect to {shown}: {describe_driver_error(exc, settings)}"
            if driver_error_code(exc) == MYSQL_UNKNOWN_DATABASE:
                message += " (run `alembic-sentinel create-database`)"
            raise DatabaseUnreachable(message) from None
        with connection:
            yield connection
    finally:
        engine.dispose()


def commit(connection: Connection) -> None:
    """Commit what the connection has begun, on SQLAlchemy 2 and 1.4 alike.

    2.0's connections (and 1.4's future ones) have `commit()`; a 1.4 legacy connection, which
    revisions run on there as Alembic runs them, commits through its transaction object and
    autocommits DDL and DML executed outside one.
    """
    if hasattr(connection, "commit"):
        connection.commit()
        return
    transaction = connection.get_transaction()
    if transaction is not None:
        transaction.commit()


def server_url(settings: Settings) -> URL:
    """The URL of the server itself, without a database, for CREATE/DROP DATABASE."""
    return parsed_url(settings).set(database="")


def require_mysql_or_sqlite(settings: Settings, verb: str) -> str:
    backend = parsed_url(settings).get_backend_name()
    if backend not in ("mysql", "mariadb", "sqlite"):
        raise ConfigError(
            f"{settings.sources.get('url', 'url')}: {verb} supports MySQL/MariaDB and SQLite, "
            f"not {backend}"
        )
    return backend


def database_exists(settings: Settings) -> bool:
    from sqlalchemy import text

    path = sqlite_file(settings)
    if require_mysql_or_sqlite(settings, "this command") == "sqlite":
        return path is not None and path.exists()
    with connect(settings, url=server_url(settings)) as connection:
        found = connection.execute(
            text("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name"),
            {"name": database_name(settings)},
        ).first()
    return found is not None


def create_database(settings: Settings) -> bool:
    """Create the configured database; False when it already existed."""

    backend = require_mysql_or_sqlite(settings, "create-database")
    name = database_name(settings)
    if database_exists(settings):
        return False
    if backend == "sqlite":
        with connect(settings, create=True):
            pass
        return True
    with connect(settings, url=server_url(settings)) as connection:
        quoted = connection.dialect.identifier_preparer.quote_identifier(name)
        # exec_driver_sql: text() would double a '%' in the name for PyMySQL's paramstyle
        connection.exec_driver_sql(f"CREATE DATABASE {quoted} CHARACTER SET utf8mb4")
    return True


def drop_database(settings: Settings) -> bool:
    """Drop the configured database; False when there was nothing to drop."""

    backend = require_mysql_or_sqlite(settings, "drop-database")
    name = database_name(settings)
    if not database_exists(settings):
        return False
    if backend == "sqlite":
        path = sqlite_file(settings)
        assert path is not None  # database_exists() said the file is there
        for companion in ("-journal", "-wal", "-shm"):
            Path(f"{path}{companion}").unlink(missing_ok=True)
        path.unlink()
        return True
    with connect(settings, url=server_url(settings)) as connection:
        quoted = connection.dialect.identifier_preparer.quote_identifier(name)
        connection.exec_driver_sql(f"DROP DATABASE {quoted}")
    return True
