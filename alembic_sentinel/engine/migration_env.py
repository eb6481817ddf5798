"""Run Alembic's commands against our settings instead of the project's env.py.

`alembic.command.*` ends every database-facing verb with `ScriptDirectory.run_env()`, which
executes the project's env.py.  The usual env.py (Flask-Migrate's) needs a Flask `current_app`,
so instead, for the duration of one command, `run_env` configures Alembic's active
`EnvironmentContext` from our settings: URL, target metadata, compare options, version table.
Everything else (revision planning, autogenerate, rendering with script.py.mako) stays Alembic's.
With `run-env-py` the project's env.py runs as it is.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, Callable, TextIO, cast

from alembic_sentinel.engine import database
from alembic_sentinel.engine.env_py import env_py_literal_options
from alembic_sentinel.engine.target_metadata import put_project_on_sys_path
from alembic_sentinel.errors import ConfigError, ShadowNotBuilt
from alembic_sentinel.report.render import TerminalSafeStream, terminal_safe
from alembic_sentinel.settings import (
    VERSIONS_FROM_FLASK_APP,
    VERSIONS_FROM_PYPROJECT,
    VERSIONS_FROM_TOOL_ALEMBIC,
    VERSIONS_IN_MIGRATIONS,
    Settings,
    hide_password,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationInfo

    from alembic_sentinel.engine.target_metadata import TargetMetadata

OnVersionApply = Callable[..., None]
# how Alembic names and reads revision files: alembic.ini's, or [tool.alembic]'s
_REVISION_OPTIONS = (
    "file_template",
    "truncate_slug_length",
    "timezone",
    "sourceless",
    "recursive_version_locations",
)


def alembic_config(settings: Settings, stdout: TextIO | None = None) -> Config:
    """An Alembic Config for the project: its alembic.ini if any, our script_location."""
    from alembic.config import Config

    # every verb that gets here may run the project's code (revisions importing the app);
    # alembic.ini's prepend_sys_path is applied by Alembic's ScriptDirectory.from_config
    put_project_on_sys_path(settings.root)
    config = Config(
        file_=str(settings.alembic_ini) if settings.alembic_ini else None,
        # what Alembic prints itself (history) holds revision text: no control characters
        stdout=cast(TextIO, TerminalSafeStream(stdout if stdout is not None else sys.stdout)),
    )
    # ConfigParser interpolates option values: a '%' in the project's path must be doubled
    config.set_main_option("script_location", str(settings.migrations).replace("%", "%%"))
    if settings.sources.get("version_locations") in (
        VERSIONS_FROM_PYPROJECT,
        VERSIONS_IN_MIGRATIONS,
        VERSIONS_FROM_TOOL_ALEMBIC,
        VERSIONS_FROM_FLASK_APP,
    ):
        # ours, not alembic.ini's: Alembic must look there too
        locations = os.pathsep.join(str(path) for path in settings.version_locations)
        config.set_main_option("version_locations", locations.replace("%", "%%"))
        # Alembic 1.16 reads path_separator; older releases version_path_separator
        separator = "path_separator" if hasattr(config, "get_version_locations_list") else None
        config.set_main_option(separator or "version_path_separator", "os")
    for key in _REVISION_OPTIONS:  # [tool.alembic]'s, where no alembic.ini gave them
        if config.get_main_option(key) is None and settings.alembic_options.get(key):
            config.set_main_option(key, settings.alembic_options[key].replace("%", "%%"))
    if settings.run_env_py and settings.url:
        # a stock env.py reads the URL from here; ConfigParser needs % doubled
        config.set_main_option("sqlalchemy.url", settings.url.replace("%", "%%"))
    if settings.flask is not None and settings.flask.migrate is not None:
        # the app's @migrate.configure callbacks, as Flask-Migrate applies them to its Config
        config = settings.flask.migrate.call_configure_callbacks(config)
    return config


@contextmanager
def migration_environment(
    settings: Settings,
    *,
    metadata: TargetMetadata | None = None,
    on_version_apply: OnVersionApply | None = None,
    create: bool = False,
    protected_url: str | None = None,
) -> Iterator[None]:
    """Within this block, alembic.command runs migrations configured from `settings`, the way
    the app's own tooling runs them: with the target metadata (its naming convention names the
    constraints a revision leaves unnamed), env.py's options, and inside the Flask app's
    context with the app's engine bound to `settings.url` (helpers using `db` see it).

    `protected_url` is the configured database when `settings.url` is a shadow or a scratch:
    any statement sent to it in this block, by env.py or a revision, is refused before it runs.
    """
    from alembic.script import ScriptDirectory

    if metadata is None:
        metadata = migration_metadata(settings)
    with protected(protected_url, settings.url), bound_app(settings):
        if protected_url is not None and settings.shadow_prepare is not None:
            prepared(settings, create)  # a shadow: the tables the app makes outside Alembic
        if settings.run_env_py:
            yield
            return

        def run_env(script_directory: ScriptDirectory) -> None:
            _run_configured(settings, metadata, on_version_apply, create)

        original = ScriptDirectory.run_env
        ScriptDirectory.run_env = run_env  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            ScriptDirectory.run_env = original  # type: ignore[method-assign]


def prepared(settings: Settings, create: bool) -> None:
    """`shadow-prepare` run on the database at `settings.url` if it has no table yet; a
    failure is `D405 shadow could not be built` (exit 2), naming the setting."""
    from sqlalchemy.exc import DBAPIError

    from alembic_sentinel.engine.shadow_prepare import prepare_if_empty

    with database.connect(settings, create=create) as connection:
        try:
            prepare_if_empty(connection, settings)
        except DBAPIError as exc:
            raise ShadowNotBuilt(
                f"D405 shadow could not be built: shadow-prepare = {settings.shadow_prepare!r} "
                f"({settings.sources.get('shadow_prepare')}): "
                f"{database.describe_driver_error(exc, settings)}"
            ) from None


def migration_metadata(settings: Settings) -> TargetMetadata | None:
    """The MetaData env.py hands Alembic when it migrates; None when none is configured (nor
    named by env.py's own `target_metadata`)."""
    from alembic_sentinel.engine.target_metadata import load_target_metadata, metadata_choice

    if metadata_choice(settings)[0] is None:
        return None
    return load_target_metadata(settings)


@contextmanager
def bound_app(settings: Settings) -> Iterator[None]:
    """The Flask app's context, its engine bound to the database being migrated."""
    if settings.flask is None or settings.flask.app is None or not settings.url:
        yield
        return
    from alembic_sentinel.flask_app import bound_to_database

    with bound_to_database(settings.flask, settings.url):
        yield


@contextmanager
def protected(configured_url: str | None, working_url: str | None) -> Iterator[None]:
    """Refuse every statement sent to the configured database while a shadow is migrated,
    whoever sends it: an env.py that takes its URL from the app, a revision with its own
    engine. The first one raises before it reaches the server, so nothing is written."""
    if not configured_url or not working_url:
        yield
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    configured = database.identity(configured_url)
    if configured == database.identity(working_url):
        yield
        return

    def refuse(connection: Any, *args: Any) -> None:
        if database.identity(connection.engine.url) == configured:
            raise ConfigError(
                "env.py or a revision connected to the configured database "
                f"({hide_password(configured_url)}) while the shadow was migrated: "
                "refused before any statement ran (bind it to the URL Alembic is given)"
            )

    event.listen(Engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", refuse)


def context_options(
    settings: Settings,
    metadata: TargetMetadata | None,
    on_version_apply: OnVersionApply | None,
) -> dict[str, Any]:
    backend = database.parsed_url(settings).get_backend_name()
    options: dict[str, Any] = {
        "compare_type": settings.compare_type,
        "compare_server_default": settings.compare_server_default,
        # SQLite can only alter tables by copying them; Flask-Migrate 4 sets it everywhere
        "render_as_batch": backend == "sqlite"
        if settings.render_as_batch is None
        else settings.render_as_batch,
        # what env.py (or Migrate(...)) gives Alembic besides the connection: its literal
        # options (transaction_per_migration, ...); a setting given explicitly is not among them
        **env_py_literal_options(settings),
        "target_metadata": metadata,
        "version_table": settings.version_table,
    }
    if on_version_apply is not None:
        options["on_version_apply"] = on_version_apply
    if metadata is not None:  # autogenerate: the project's own filters and ignore-tables apply
        from alembic_sentinel.engine.target_metadata import autogenerate_filters

        options.update(autogenerate_filters(settings))
    return options


def _run_configured(
    settings: Settings,
    metadata: TargetMetadata | None,
    on_version_apply: OnVersionApply | None,
    create: bool,
) -> None:
    from alembic import context

    options = context_options(settings, metadata, on_version_apply)
    if context.is_offline_mode():
        context.configure(url=settings.require_url(), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    with database.connect(settings, create=create) as connection:
        if settings.lock_timeout is not None:
            options["on_version_apply"] = _with_lock_timeout(connection, settings, on_version_apply)
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()


def _with_lock_timeout(
    connection: Any, settings: Settings, on_version_apply: OnVersionApply | None
) -> OnVersionApply:
    """Set the session's lock timeout now (before the first revision) and after each step
    (before the next one), whatever a revision did to it."""
    from alembic_sentinel.engine.lock_timeout import set_lock_timeout

    set_lock_timeout(connection, settings.lock_timeout)

    def applied(**kwargs: Any) -> None:
        if on_version_apply is not None:
            on_version_apply(**kwargs)
        set_lock_timeout(kwargs["ctx"].connection, settings.lock_timeout)

    return applied


class Progress:
    """Prints `[n/N] revision message (seconds)` as each migration step finishes."""

    def __init__(self, total: int, stream: IO[str] | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.perf_counter()
        self.timings: list[tuple[str, float]] = []

    def __call__(self, *, ctx: Any, step: MigrationInfo, heads: Any, run_args: Any) -> None:
        now = time.perf_counter()
        elapsed, self.started = now - self.started, now
        self.done += 1
        # for both directions the step's "up" revision is the one applied or removed
        verb = "upgrade" if step.is_upgrade else "downgrade"
        revision, script = step.up_revision_id, step.up_revision
        doc = (getattr(script, "doc", None) or "").strip()
        message = terminal_safe(doc.splitlines()[0] if doc else "")
        self.timings.append((revision or "base", elapsed))
        print(
            f"[{self.done}/{self.total}] {verb} {terminal_safe(str(revision))} {message} "
            f"({elapsed:.2f}s)",
            file=self.stream,
            flush=True,
        )
