"""Import the project's target MetaData from a `module:attribute` path (`orm:Base.metadata`)."""

from __future__ import annotations

import fnmatch
import importlib
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Union

from alembic_sentinel.engine.tracebacks import innermost_frame
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.settings import FROM_FLASK_APP, Settings

if TYPE_CHECKING:
    from sqlalchemy import MetaData

    TargetMetadata = Union[MetaData, "list[MetaData]"]


def metadata_choice(settings: Settings) -> tuple[str | None, str]:
    """Which metadata is compared, and where that choice came from: a setting given explicitly
    (flag, variable, pyproject.toml); else the one env.py gives Alembic (`target_metadata =
    models.Base.metadata`, followed through its import), even when the Flask app's
    `Migrate(app, db)` offers another; else the Flask app's `db.metadata`."""
    explicit = settings.metadata is not None and settings.metadata != FROM_FLASK_APP
    if not explicit:
        from alembic_sentinel.engine.env_py import env_py_metadata

        given = env_py_metadata(settings)
        if given is not None and given.spec is not None:
            shown = settings.show(settings.migrations / "env.py")
            return given.spec, f"{shown}:{given.line} target_metadata"
    return settings.metadata, settings.sources.get("metadata", "default")


def load_target_metadata(settings: Settings) -> TargetMetadata:
    """The MetaData (or list of MetaData) autogenerate compares against."""
    from sqlalchemy import MetaData

    spec, source = metadata_choice(settings)
    if spec is None:
        raise ConfigError(
            'no target metadata configured: set metadata = "MODULE:ATTRIBUTE" in '
            "[tool.alembic-sentinel], SENTINEL_METADATA, or pass --metadata; a Flask-Migrate "
            "app: set FLASK_APP (or flask-app, --flask-app) and its db.metadata is used"
        )
    if spec == FROM_FLASK_APP and settings.flask is not None:
        target: object = settings.flask.metadata
    else:
        target = import_object(spec, settings.root, source)
    if isinstance(target, MetaData):
        return target
    if (
        isinstance(target, (list, tuple))
        and target
        and all(isinstance(m, MetaData) for m in target)
    ):
        return list(target)
    raise ConfigError(f"{source}: {spec} is a {type(target).__name__}, not a SQLAlchemy MetaData")


def refuse_empty_models(settings: Settings, metadata: TargetMetadata, diffs: list[Any]) -> None:
    """Models with no table at all, against a database with tables, mean the models module was
    never imported (a factory app's `db.metadata` before `app.models` is loaded), not that every
    table should go: say so, rather than report, or write, a drop_table for each."""
    tables = sum(len(m.tables) for m in (metadata if isinstance(metadata, list) else [metadata]))
    if tables or not diffs or any(diff[0] != "remove_table" for diff in diffs):
        return
    spec, source = metadata_choice(settings)
    shown = "the Flask app's db.metadata" if spec == FROM_FLASK_APP else spec
    raise ConfigError(
        f"{source}: {shown} has no tables, so every table the "
        "revisions create would read as removed: point metadata at the module that defines the "
        "models (e.g. app.models:db.metadata), which imports them"
    )


# the arguments Alembic passes each filter (EnvironmentContext.configure's documentation)
FILTER_PARAMETERS = {
    "include_object": ("object", "name", "type_", "reflected", "compare_to"),
    "include_name": ("name", "type_", "parent_names"),
}


def autogenerate_filters(settings: Settings) -> dict[str, Callable[..., bool]]:
    """`include_object` / `include_name` for autogenerate: the project's own filters, and the
    tables of `ignore-tables` left out, so they are neither reported nor dropped by `migrate`."""
    include_object = load_filter(settings, "include_object")
    include_name = load_filter(settings, "include_name")
    ignored = settings.ignore_tables
    if not ignored:
        found = {"include_object": include_object, "include_name": include_name}
        return {name: function for name, function in found.items() if function is not None}

    def name_filter(name: str | None, type_: str, parent_names: Any) -> bool:
        if type_ == "table" and name is not None and is_ignored_table(name, ignored):
            return False
        return include_name is None or include_name(name, type_, parent_names)

    def object_filter(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        if table is not None and is_ignored_table(table, ignored):
            return False
        return include_object is None or include_object(obj, name, type_, reflected, other)

    return {"include_object": object_filter, "include_name": name_filter}


def is_ignored_table(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def load_filter(settings: Settings, name: str) -> Callable[..., bool] | None:
    """The project's `include_object`/`include_name` callable named in the settings, if any."""
    spec = getattr(settings, name)
    if spec is None:
        return None
    source = settings.sources[name]
    if spec == FROM_FLASK_APP and settings.flask is not None:
        target = settings.flask.configure_args[name]  # Migrate(include_object=...)
    else:
        target = import_object(spec, settings.root, source)
    if not callable(target):
        raise ConfigError(f"{source}: {spec} is a {type(target).__name__}, not a function")
    parameters = FILTER_PARAMETERS[name]
    try:
        inspect.signature(target).bind(*parameters)
    except TypeError:
        raise ConfigError(
            f"{source}: {spec} cannot be called as Alembic calls {name}({', '.join(parameters)})"
        ) from None
    except ValueError:  # no signature to read (some builtins): Alembic's call will tell
        pass
    return target


def import_object(spec: str, root: Path, source: str) -> object:
    """`MODULE:ATTR.PATH` imported with the project root on sys.path; one-line errors."""
    module_name, _, attribute_path = spec.partition(":")
    target: object = _import_from_project(module_name, root, source)
    for part in attribute_path.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ConfigError(
                f"{source}: module {module_name!r} has no attribute {attribute_path!r}"
            ) from None
    return target


def put_project_on_sys_path(root: Path) -> None:
    """The project root first on sys.path, as `flask` puts the working directory and Alembic's
    template (`prepend_sys_path = .`) does: revisions and models import the app by its name."""
    root_entry = str(root)
    if root_entry not in sys.path:
        sys.path.insert(0, root_entry)


def _import_from_project(module_name: str, root: Path, source: str) -> object:
    put_project_on_sys_path(root)
    try:
        return importlib.import_module(module_name)
    except Exception as exc:
        where = innermost_frame(exc, root, root, skip=(".venv", "site-packages"))
        prefix = f"{where}: " if where else ""
        raise ConfigError(
            f"{source}: cannot import {module_name!r}: {prefix}{type(exc).__name__}: {exc}"
        ) from None
