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
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from alembic_sentinel.errors import ConfigError

# Migrate(...) options the hermetic environment applies itself (settings.py maps them)
APPLIED_OPTIONS = frozenset(
    {"compare_type", "compare_server_default", "render_as_batch", "include_object", "include_name"}
)


class FlaskProject(NamedTuple):
    """What the loaded app says about its database and migrations."""

    shown: str  # how messages name the app, e.g. "the Flask app shop:create_app() (FLASK_APP)"
    url: str | None
    metadata: Any  # the MetaData of the db registered with Flask-Migrate, None without one
    directory: str | None  # Migrate(directory=...), None without Flask-Migrate
    configure_args: Mapping[str, Any]  # Migrate(**kwargs): what env.py passes to configure()
    migrate: Any  # the Migrate instance: its @migrate.configure callbacks, None without one
    binds: int  # how many metadata collections the db has (Flask-SQLAlchemy 3 binds)

    def extra_options(self) -> list[str]:
        """Migrate(...) options env.py would pass that the hermetic environment does not."""
        return sorted(set(self.configure_args) - APPLIED_OPTIONS)


def load_flask_project(spec: str | None, root: Path, source: str, app: Any = None) -> FlaskProject:
    """Load the app named by `spec` (or take `app`, already loaded by `flask sentinel`)."""
    shown = f"the Flask app {spec or 'found by flask'} ({source})"
    if app is None:
        app = _load_app(spec, root, shown)
    try:
        with app.app_context():
            return _read_app(app, root, shown)
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
    return FlaskProject(
        shown=shown,
        url=str(url) if url else None,
        metadata=getattr(db, "metadata", None),
        directory=directory,
        configure_args=MappingProxyType(dict(getattr(migrate_state, "configure_args", {}))),
        migrate=getattr(migrate_state, "migrate", None),
        binds=binds,
    )


def _sqlalchemy_instance(app: Any) -> Any:
    state = app.extensions.get("sqlalchemy")
    return getattr(state, "db", state)  # Flask-SQLAlchemy 2 registers a state holding `db`


def _engine_url(db: Any) -> str | None:
    """The URL the app's engine really uses: Flask-SQLAlchemy rewrites relative SQLite paths
    (into the instance folder in 3.x, the app's root in 2.x); no connection is opened."""
    engine = db.engine
    return engine.url.render_as_string(hide_password=False) if engine is not None else None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
