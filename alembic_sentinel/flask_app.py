"""The Flask app as a settings source: what Flask-Migrate's env.py would read from it.

A Flask-Migrate project keeps its settings in code: `SQLALCHEMY_DATABASE_URI` in `app.config`,
the Flask-SQLAlchemy `db` whose metadata the models fill, and `Migrate(app, db, directory=...,
compare_type=..., render_as_batch=..., include_object=...)`. The app is loaded the way the
`flask` command loads it (FLASK_APP forms: `module`, `module:app`, `module:create_app()`, or
`wsgi.py` / `app.py` found in the working directory) and read inside an app context, exactly
what the stock env.py reads: `current_app.extensions['migrate']`.

Flask, Flask-SQLAlchemy and Flask-Migrate are the project's own; nothing here imports them
until an app is asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from alembic_sentinel.errors import ConfigError


class FlaskProject(NamedTuple):
    """What the loaded app says about its database and migrations."""

    shown: str  # how messages name the app, e.g. "the Flask app shop:create_app() (FLASK_APP)"
    url: str | None
    metadata: Any  # the MetaData of the db registered with Flask-Migrate, None without one
    directory: str | None  # Migrate(directory=...), None without Flask-Migrate
    configure_args: Mapping[str, Any]  # Migrate(**kwargs): what env.py passes to configure()
    migrate: Any  # the Migrate instance: its @migrate.configure callbacks, None without one
    binds: int  # how many metadata collections the db has (Flask-SQLAlchemy 3 binds)
    app: Any = None  # the Flask app itself: revisions and env.py run inside its app context
    db: Any = None  # the Flask-SQLAlchemy instance whose engine is bound to the shadow
    # the statements that changed the configured database while the app was loaded
    # (db.create_all() at start-up, a seed): the app, not alembic-sentinel, wrote them
    writes_at_load: tuple[str, ...] = ()
    # how messages name where `directory` came from
    directory_shown: str = "Migrate(directory=...)"
    # Flask-Alembic: ALEMBIC["version_locations"], absolute, besides the script location
    version_locations: tuple[str, ...] = ()

    def option_shown(self, name: str) -> str:
        """How messages name one of `configure_args`: Migrate's keyword or Flask-Alembic's key;
        a value equal to Flask-Migrate's own default may not be the app's choice at all (Migrate
        keeps no trace of what was passed), and is named as either."""
        if self.migrate is None and self.directory_shown.startswith("ALEMBIC"):
            return f"ALEMBIC_CONTEXT[{name!r}]"
        default = migrate_defaults(self.migrate).get(name, _NO_DEFAULT)
        if default is not _NO_DEFAULT and self.configure_args.get(name) == default:
            return f"Migrate({name}=...) or Flask-Migrate's default"
        return f"Migrate({name}=...)"


_NO_DEFAULT = object()


def migrate_defaults(migrate: Any) -> dict[str, Any]:
    """The keyword defaults of the app's Flask-Migrate `Migrate` (4.x sets compare_type=True
    and render_as_batch=True itself): what the app did not choose."""
    import inspect

    if migrate is None:
        return {}
    try:
        parameters = inspect.signature(type(migrate).__init__).parameters.values()
    except (TypeError, ValueError):
        return {}
    return {
        p.name: p.default
        for p in parameters
        if p.default is not inspect.Parameter.empty and p.name not in ("app", "db", "directory")
    }


def load_flask_project(spec: str | None, root: Path, source: str, app: Any = None) -> FlaskProject:
    """Load the app named by `spec` (or take `app`, already loaded by `flask sentinel`)."""
    shown = f"the Flask app {spec or 'found by flask'} ({source})"
    writes: list[str] = []
    if app is None:
        with _statements_that_write(writes):
            app = _load_app(spec, root, shown)
    try:
        with app.app_context():
            return _read_app(app, root, shown)._replace(app=app, writes_at_load=tuple(writes))
    except ConfigError:
        raise
    except Exception as exc:  # the project's code: its error, in one line
        raise ConfigError(f"{shown}: {type(exc).__name__}: {_first_line(exc)}") from None


def _load_app(spec: str | None, root: Path, shown: str) -> Any:
    # the project root first on sys.path, as `flask` puts its working directory
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        from flask.cli import NoAppException, ScriptInfo
    except ImportError:
        raise ConfigError(f"{shown}: Flask is not installed in this environment") from None
    try:
        # what `flask --app SPEC` does: find the module, call a factory, pick the instance
        return ScriptInfo(app_import_path=spec).load_app()
    except NoAppException as exc:
        raise ConfigError(f"{shown}: {_first_line(exc)}") from None
    except Exception as exc:  # raised by the project's own code while it was loaded
        raise ConfigError(f"{shown}: {type(exc).__name__}: {_first_line(exc)}") from None


def _read_app(app: Any, root: Path, shown: str) -> FlaskProject:
    migrate_state = app.extensions.get("migrate")
    db = getattr(migrate_state, "db", None) or _sqlalchemy_instance(app)
    url = _engine_url(db) if db is not None else app.config.get("SQLALCHEMY_DATABASE_URI")
    metadatas = getattr(db, "metadatas", None)  # Flask-SQLAlchemy 3: one per bind
    binds = len(metadatas) if isinstance(metadatas, Mapping) else 1
    directory = getattr(migrate_state, "directory", None)
    if directory is not None and not Path(directory).is_absolute():
        directory = str((root / directory).resolve())  # Flask-Migrate: relative to the cwd
    if migrate_state is None and "alembic" in app.extensions:
        return _flask_alembic_project(app, shown, url, db, binds)
    return FlaskProject(
        shown=shown,
        url=str(url) if url else None,
        metadata=getattr(db, "metadata", None),
        directory=directory,
        configure_args=MappingProxyType(dict(getattr(migrate_state, "configure_args", {}))),
        migrate=getattr(migrate_state, "migrate", None),
        binds=binds,
        db=db,
    )


def _flask_alembic_project(app: Any, shown: str, url: Any, db: Any, binds: int) -> FlaskProject:
    """Flask-Alembic keeps its settings in the app's config: `ALEMBIC` (`script_location`,
    default "migrations", and `version_locations`, both relative to the app's root path) and
    `ALEMBIC_CONTEXT`, the options it passes to `context.configure`."""
    settings = app.config.get("ALEMBIC") or {}
    context = app.config.get("ALEMBIC_CONTEXT") or {}
    app_root = Path(app.root_path)

    def absolute(path: Any) -> str:
        if isinstance(path, (tuple, list)):  # (branch name, path) entries: the path
            path = path[-1]
        text = str(path)
        if ":" in text and not Path(text).is_absolute():  # "package:directory", as Alembic
            package, _, inside = text.partition(":")
            import importlib.util

            spec = importlib.util.find_spec(package)
            locations = list(spec.submodule_search_locations or []) if spec else []
            if locations:
                return str(Path(locations[0]) / inside)
        return str((app_root / text).resolve())

    locations = settings.get("version_locations") or ()
    return FlaskProject(
        shown=shown,
        url=str(url) if url else None,
        metadata=getattr(db, "metadata", None),
        directory=absolute(settings.get("script_location", "migrations")),
        configure_args=MappingProxyType(dict(context)),
        migrate=None,
        binds=binds,
        db=db,
        directory_shown="ALEMBIC['script_location']",
        version_locations=tuple(absolute(location) for location in locations),
    )


def _sqlalchemy_instance(app: Any) -> Any:
    state = app.extensions.get("sqlalchemy")
    return getattr(state, "db", state)  # Flask-SQLAlchemy 2 registers a state holding `db`


def _engine_url(db: Any) -> str | None:
    """The URL the app's engine really uses: Flask-SQLAlchemy rewrites relative SQLite paths
    (into the instance folder in 3.x, the app's root in 2.x); no connection is opened."""
    engine = db.engine
    return engine.url.render_as_string(hide_password=False) if engine is not None else None


_WRITING_STATEMENTS = ("CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE", "REPLACE")


@contextmanager
def _statements_that_write(found: list[str]) -> Iterator[None]:
    """Record the first word pair of every writing statement any engine runs in this block:
    an app that calls `db.create_all()` when it is created writes its database before any
    verb runs, and the user should know the tool did not do it."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        words = statement.split()[:2]
        if words and words[0].upper() in _WRITING_STATEMENTS:
            found.append(" ".join(word.upper() for word in words))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@contextmanager
def bound_to_database(project: FlaskProject, url: str) -> Iterator[None]:
    """The app's context pushed, with its default engine (`db.engine`, `db.session`,
    `SQLALCHEMY_DATABASE_URI`) pointing at `url` for the duration: revisions that call the
    app's helpers, and Flask-Migrate's env.py, then work on the database being migrated (a
    shadow, a scratch schema), as `flask db upgrade` works on the app's own.

    Flask-SQLAlchemy 3 keeps its engines per app (`_app_engines`); 2.x builds them from the
    config each time the URI changes, so overriding the config is enough there.
    """
    app, db = project.app, project.db
    if app is None:
        yield
        return
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    missing = object()
    saved_uri = app.config.get("SQLALCHEMY_DATABASE_URI", missing)
    engines = getattr(db, "_app_engines", None)
    saved_engines = engines.get(app) if engines is not None else None
    context = app.app_context()
    context.push()
    try:
        _remove_session(db)  # a session opened before holds the configured database's bind
        app.config["SQLALCHEMY_DATABASE_URI"] = url
        if engines is not None and saved_engines is not None:
            engines[app] = {**saved_engines, None: engine}
        yield
    finally:
        _remove_session(db)
        _dispose_engines_built_for(app, url)
        if engines is not None and saved_engines is not None:
            engines[app] = saved_engines
        if saved_uri is missing:
            app.config.pop("SQLALCHEMY_DATABASE_URI", None)
        else:
            app.config["SQLALCHEMY_DATABASE_URI"] = saved_uri
        context.pop()
        engine.dispose()


def _dispose_engines_built_for(app: Any, url: str) -> None:
    """Flask-SQLAlchemy 2 built (and keeps) an engine for the overridden URI: close it."""
    state = app.extensions.get("sqlalchemy")
    connectors = getattr(state, "connectors", None)  # a 3.x db proxies sqlalchemy.connectors
    for connector in list(connectors.values()) if isinstance(connectors, dict) else []:
        built = getattr(connector, "_engine", None)
        if built is not None and built.url.render_as_string(hide_password=False) == url:
            built.dispose()


def _remove_session(db: Any) -> None:
    session = getattr(db, "session", None)
    remove = getattr(session, "remove", None)
    if callable(remove):
        remove()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
