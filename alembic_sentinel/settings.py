"""Resolve every setting once, from every source, into one `Settings` object.

Precedence, highest first (README, "Configuration"):
    1. command-line flags            (--url, --config, --migrations, --metadata, --run-env-py)
    2. environment variables         (SENTINEL_DATABASE_URL, ENV_CONFIG, SENTINEL_MIGRATIONS,
                                      SENTINEL_METADATA, FLASK_APP), then .env / .flaskenv
    3. the ENV_CONFIG file           (SQLALCHEMY_DATABASE_URI or DATABASE_*; PROD_ENV)
    4. [tool.alembic-sentinel] in pyproject.toml (url included)
    5. the Flask app                 (its URL, db.metadata, Migrate(...) or Flask-Alembic's config)
    6. alembic.ini                   (script_location, sqlalchemy.url, version_locations), then
                                      [tool.alembic] in pyproject.toml (Alembic 1.16+)
    7. built-in defaults

The ENV_CONFIG file is a Flask-style Python file executed like Flask's `Config.from_pyfile`:
only UPPERCASE names are kept.  SQLAlchemy is imported lazily so that commands which only read
files stay cheap.

Longer than 500 lines for a reason: the readers of the five sources share the key tables, the
validation and the names each value's source is shown by; apart, every reader would import the
resolver's constants and the resolver every reader.
"""

from __future__ import annotations

import configparser
import os
import re
import sys
import types
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from alembic_sentinel.errors import ConfigError, ProjectCodeError
from alembic_sentinel.redaction import redact, secret_values

if TYPE_CHECKING:
    from alembic_sentinel.flask_app import FlaskProject


def _toml() -> types.ModuleType:
    """tomllib (tomli before Python 3.11), imported when a pyproject.toml is there to read:
    with its `re` patterns and `datetime`, about 3 ms that a project without one never pays."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    return tomllib


ENV_URL = "SENTINEL_DATABASE_URL"
ENV_CONFIG = "ENV_CONFIG"
ENV_MIGRATIONS = "SENTINEL_MIGRATIONS"
ENV_METADATA = "SENTINEL_METADATA"
ENV_FLASK_APP = "FLASK_APP"
ENV_LOCK_TIMEOUT = "SENTINEL_LOCK_TIMEOUT"
# the value of a setting that the Flask app holds as an object (its metadata, a filter)
FROM_FLASK_APP = "<from the Flask app>"

PYPROJECT_TABLE = "tool.alembic-sentinel"
# Every key [tool.alembic-sentinel] accepts, with its type; anything else is an error.
PYPROJECT_KEYS: dict[str, type] = {
    "migrations": str,
    "metadata": str,
    "flask-app": str,
    "config": str,
    "run-env-py": bool,
    "compare-type": bool,
    "compare-server-default": bool,
    "version-table": str,
    "include-object": str,
    "include-name": str,
    "ignore-tables": list,
    "version-locations": list,
    "render-as-batch": bool,
    "shadow-prepare": str,
    "url": str,
    "target-server": str,
    "naming-convention": bool,
    "lint-severity": dict,
    "table-stats": str,
    "max-blocking-seconds": int,
    "lock-timeout": int,
    "data-rows": dict,
}
LINT_SEVERITIES = ("error", "warning", "notice", "off")
DEFAULT_TARGET_SERVER = "mysql-8.0"

# the [alembic] options alembic-sentinel reads (the revision graph and `merge` need the last ones)
ALEMBIC_INI_KEYS = (
    "script_location",
    "sqlalchemy.url",
    "version_locations",
    "version_path_separator",
    "path_separator",
    "recursive_version_locations",
    "sourceless",
    "file_template",
    "truncate_slug_length",
    "timezone",
)

DATABASE_PART_KEYS = (
    "DATABASE_PLUGIN",
    "DATABASE_USERNAME",
    "DATABASE_PASSWORD",
    "DATABASE_HOST",
    "DATABASE_PORT",
    "DATABASE_NAME",
)


class Overrides(NamedTuple):
    """Values given on the command line; None means "not given"."""

    url: str | None = None
    config: str | None = None
    migrations: str | None = None
    metadata: str | None = None
    run_env_py: bool | None = None
    target_server: str | None = None
    flask_app: str | None = None
    # the app `flask sentinel` runs in, already loaded by Flask's own CLI
    flask_instance: Any = None


NOTHING: Mapping[str, str] = MappingProxyType({})


class Settings(NamedTuple):
    """The resolved configuration every command works from."""

    root: Path
    migrations: Path
    alembic_ini: Path | None
    version_locations: tuple[Path, ...]
    recursive_version_locations: bool
    metadata: str | None
    config_file: Path | None
    url: str | None
    prod_env: bool
    run_env_py: bool
    compare_type: bool
    compare_server_default: bool
    version_table: str
    include_object: str | None
    include_name: str | None
    # the MySQL/MariaDB release the lint rules judge revisions for, e.g. "mariadb-10.11"
    target_server: str = DEFAULT_TARGET_SERVER
    # rule code -> "error" | "warning" | "notice" | "off" ([tool.alembic-sentinel.lint-severity])
    lint_severity: Mapping[str, str] = MappingProxyType({})
    # whether the project's MetaData names constraints; None: look at the metadata module's source
    naming_convention: bool | None = None
    # tables the models do not own (a plugin's, another service's): names or fnmatch globs
    ignore_tables: tuple[str, ...] = ()
    # the Flask app the URL, metadata, directory or Migrate(...) options came from, if any
    flask: FlaskProject | None = None
    # autogenerate's batch mode: Migrate(render_as_batch=...); None: on SQLite only
    render_as_batch: bool | None = None
    # what makes the tables the app creates outside Alembic in an empty shadow or scratch,
    # before the first revision: "MODULE:METADATA" (create_all) or a .sql file
    shadow_prepare: str | None = None
    # setting name -> where its value came from, e.g. "ENV_CONFIG" or "env/dev.cfg"
    sources: Mapping[str, str] = NOTHING
    # the interpolated [alembic] options of alembic.ini that we read (ALEMBIC_INI_KEYS)
    alembic_options: Mapping[str, str] = NOTHING
    # the production tables' statistics (`alembic-sentinel stats`) the rollout plan reads
    table_stats: str | None = None
    # a revision blocking writes longer than this (estimated) is an R601 finding
    max_blocking_seconds: int = 10
    # lock_wait_timeout / innodb_lock_wait_timeout of the migrating session; None: the server's
    lock_timeout: int | None = None
    # table -> rows the data run generates for it, instead of --data-rows ([...] data-rows)
    data_rows: Mapping[str, int] = MappingProxyType({})

    def show(self, path: Path) -> str:
        """A path as users should read it: relative to the project root when inside it."""
        return display_path(path, self.root)

    @property
    def command(self) -> str:
        """The command the user is running the verbs with, for hints: `flask sentinel` when
        Flask's CLI loaded the app (`flask sentinel ...`), else `alembic-sentinel` (which reads
        a Flask app's settings just as well)."""
        running_flask = self.sources.get("flask_app") == "flask sentinel"
        return "flask sentinel" if running_flask else "alembic-sentinel"

    @property
    def target_server_given(self) -> bool:
        """Whether a setting chose the target server (not the default, nor the release the last
        connecting verb recorded: a verb that connects judges for the server it sees)."""
        source = self.sources.get("target_server", "default")
        return source != "default" and SERVER_RECORDED not in source

    @property
    def safe_url(self) -> str:
        """The database URL with the password replaced by ***."""
        return hide_password(self.url) if self.url else "(none)"

    @property
    def password(self) -> str | None:
        if not self.url:
            return None
        from sqlalchemy.engine import make_url

        password = make_url(self.url).password
        return None if password is None else str(password)

    def require_migrations(self) -> Path:
        if not self.migrations.is_dir():
            raise ConfigError(
                f"{self.show(self.migrations)}: migrations directory not found "
                f"(setting 'migrations' from {self.sources.get('migrations', 'default')})"
            )
        return self.migrations

    def require_url(self) -> str:
        if not self.url:
            raise ConfigError(
                "no database URL configured: set ENV_CONFIG to a config file, pass --url, "
                f"or set {ENV_URL}"
            )
        return self.url


def display_path(path: Path, root: Path) -> str:
    # the common case by string (lint shows each of a thousand files; relative_to is slower)
    text, base = str(path), str(root)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if text.startswith(prefix) and len(text) > len(prefix):
        return text[len(prefix) :]
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def resolve_settings(
    overrides: Overrides | None = None,
    environ: Mapping[str, str] | None = None,
    root: Path | None = None,
    *,
    database: bool = True,
) -> Settings:
    """Resolve the settings for the project at `root` (default: the current directory).

    With `database=False` (commands that only read revision files) the ENV_CONFIG file is not
    executed and no URL is resolved, so nothing heavier than the standard library is imported.
    """
    overrides = overrides or Overrides()
    process_environ = environ is None
    environ = os.environ if environ is None else environ
    root = (root or Path.cwd()).resolve()
    sources: dict[str, str] = {}
    # .env and .flaskenv, as `flask` reads them: under the environment, .env over .flaskenv
    dotenv_files = read_dotenv_files(root, environ)
    dotenv = {name: value for name, (value, _) in dotenv_files.items()}

    def env(name: str) -> str | None:
        value = environ.get(name) or dotenv.get(name)
        return value if value else None

    def env_source(name: str) -> str:
        """Where env(name) came from: the variable, or the dotenv file that set it."""
        if environ.get(name) or name not in dotenv_files:
            return name
        return f"{dotenv_files[name][1]} {name}"

    project = read_pyproject(root / "pyproject.toml")

    def pick(name: str, *candidates: tuple[Any, str]) -> Any:
        for value, source in candidates:
            if value is not None:
                sources[name] = source
                return value
        return None

    root_ini = root / "alembic.ini"
    root_ini_values = read_alembic_ini(root_ini, root) if root_ini.is_file() else {}
    # Alembic 1.16+'s [tool.alembic]: alembic.ini's [alembic] options win where both set one
    toml_values = read_tool_alembic(root / "pyproject.toml", root)
    root_ini_values = {**toml_values, **root_ini_values}

    def ini_source(key: str, ini_name: str = "alembic.ini") -> str:
        in_toml = key in toml_values and root_ini_values.get(key) == toml_values[key]
        return f"{TOOL_ALEMBIC} {key}" if in_toml else f"{ini_name} {key}"

    # the Flask app: loaded only for the verbs that use the database (it imports the project)
    flask_spec = pick(
        "flask_app",
        (overrides.flask_app, "--flask-app"),
        (environ.get(ENV_FLASK_APP) or None, ENV_FLASK_APP),
        (project.get("flask-app"), f"pyproject.toml [{PYPROJECT_TABLE}] flask-app"),
        # as `flask` reads them: .env first, then .flaskenv; no shell export needed
        (dotenv.get(ENV_FLASK_APP) or None, env_source(ENV_FLASK_APP)),
    )
    flask: FlaskProject | None = None
    if overrides.flask_instance is not None or database:
        # only a verb that loads the app pays for importing how it is read
        from alembic_sentinel.flask_app import load_flask_project
    if database and process_environ and dotenv:
        for name, value in dotenv.items():  # what `flask` does before it loads the app
            os.environ.setdefault(name, value)
    if overrides.flask_instance is not None:
        # `flask sentinel` loaded the app already: reading it costs nothing, even for the
        # verbs that only read files (lint takes its metadata's naming convention)
        sources["flask_app"] = "flask sentinel"
        flask = load_flask_project(flask_spec, root, "flask sentinel", overrides.flask_instance)
    elif database and flask_spec is not None:
        flask = load_flask_project(flask_spec, root, sources["flask_app"])
    elif database and not (overrides.metadata or env(ENV_METADATA) or project.get("metadata")):
        # no FLASK_APP: `flask` itself finds app.py or wsgi.py; do the same for a Flask-Migrate
        # app there, the only other place its settings can be
        found = discovered_flask_app(root)
        if found is not None:
            sources["flask_app"] = f"{found} (found as flask finds it)"
            flask = load_flask_project(None, root, sources["flask_app"])

    def from_app(what: str) -> str:
        return f"{flask.shown}: {what}" if flask else ""

    migrations_raw = pick(
        "migrations",
        (overrides.migrations, "--migrations"),
        (env(ENV_MIGRATIONS), ENV_MIGRATIONS),
        (project.get("migrations"), f"pyproject.toml [{PYPROJECT_TABLE}] migrations"),
        (flask.directory if flask else None, from_app(flask.directory_shown if flask else "")),
        (root_ini_values.get("script_location"), ini_source("script_location")),
        ("migrations", "default"),
    )
    migrations = (root / migrations_raw).resolve()
    recorded = None
    if not database and sources["migrations"] == "default" and not migrations.is_dir():
        # the static verbs never import the app: the directory only the app names is the one
        # the last engine verb recorded
        recorded = read_layout_record(root)
        if recorded is not None:
            migrations = Path(recorded["migrations"])
            sources["migrations"] = LAYOUT_RECORDED

    alembic_ini: Path | None = None
    ini_values: dict[str, str] = {}
    if root_ini.is_file():
        alembic_ini, ini_values = root_ini, root_ini_values
    elif (migrations / "alembic.ini").is_file():
        alembic_ini = migrations / "alembic.ini"
        ini_values = {**toml_values, **read_alembic_ini(alembic_ini, root)}
    else:
        ini_values = dict(toml_values)
    ini_shown = display_path(alembic_ini, root) if alembic_ini else "alembic.ini"

    metadata = pick(
        "metadata",
        (overrides.metadata, "--metadata"),
        (env(ENV_METADATA), ENV_METADATA),
        (project.get("metadata"), f"pyproject.toml [{PYPROJECT_TABLE}] metadata"),
    )
    if metadata is not None:
        check_metadata_spec(metadata, sources["metadata"])
    elif flask is not None and flask.metadata is not None:
        metadata = pick("metadata", (FROM_FLASK_APP, from_app("db.metadata")))

    config_raw = pick(
        "config",
        (overrides.config, "--config"),
        (env(ENV_CONFIG), ENV_CONFIG),
        (project.get("config"), f"pyproject.toml [{PYPROJECT_TABLE}] config"),
    )
    config_file = (root / config_raw).resolve() if config_raw is not None else None
    config_values: dict[str, Any] = {}
    config_shown = ""
    if config_file is not None and database:
        config_shown = display_path(config_file, root)
        config_values = read_env_config(config_file, config_shown, sources["config"])

    # the config file's URL is only required when nothing above it gives one
    url = pick("url", (overrides.url, "--url"), (env(ENV_URL), ENV_URL)) if database else None
    if url is None and config_file is not None and database:
        url = pick("url", (url_from_env_config(config_values, config_shown), config_shown))
    if url is None and database:
        url = pick("url", (project.get("url"), f"pyproject.toml [{PYPROJECT_TABLE}] url"))
    if url is None and flask is not None:
        url = pick("url", (flask.url, from_app("SQLALCHEMY_DATABASE_URI")))
    if url is None and database:
        url = pick("url", (ini_values.get("sqlalchemy.url"), f"{ini_shown} sqlalchemy.url"))
    if url is not None:
        url = normalize_url(url, root, sources["url"])

    prod_env = truthy(config_values.get("PROD_ENV", False))
    if config_file is not None and database:
        sources["prod_env"] = config_shown

    def project_value(key: str, default: Any) -> Any:
        name = key.replace("-", "_")
        if key in project:
            sources[name] = f"pyproject.toml [{PYPROJECT_TABLE}] {key}"
            return project[key]
        if flask is not None and name in flask.configure_args:
            sources[name] = from_app(flask.option_shown(name))
            return flask.configure_args[name]
        sources[name] = "default"
        return default

    def include_filter(key: str) -> str | None:
        name = key.replace("-", "_")
        spec = project.get(key)
        if spec is not None:
            sources[name] = f"pyproject.toml [{PYPROJECT_TABLE}] {key}"
            check_metadata_spec(spec, sources[name])
        elif flask is not None and flask.configure_args.get(name) is not None:
            sources[name] = from_app(flask.option_shown(name))
            spec = FROM_FLASK_APP
        return spec

    run_env_py = project_value("run-env-py", False)
    if overrides.run_env_py is not None:
        run_env_py = overrides.run_env_py
        sources["run_env_py"] = "--run-env-py" if run_env_py else "--no-run-env-py"

    locations = resolve_version_locations(
        project.get("version-locations"),
        ini_values,
        migrations,
        root,
        sources,
        from_toml=ini_values.get("version_locations") is not None
        and ini_values.get("version_locations") == toml_values.get("version_locations"),
        flask_locations=flask.version_locations if flask is not None else (),
    )
    if recorded is not None and sources["version_locations"] == "default":
        locations = tuple(Path(location) for location in recorded["version_locations"])
        sources["version_locations"] = LAYOUT_RECORDED
    if flask is not None and sources["migrations"].startswith(flask.shown):
        write_layout_record(root, migrations, locations)
    return Settings(
        root=root,
        migrations=migrations,
        alembic_ini=alembic_ini,
        version_locations=locations,
        # Alembic's get_alembic_boolean_option takes only the exact string "true"
        recursive_version_locations=ini_values.get("recursive_version_locations") == "true",
        metadata=metadata,
        config_file=config_file,
        url=url,
        prod_env=prod_env,
        run_env_py=run_env_py,
        compare_type=project_value("compare-type", True),
        compare_server_default=project_value("compare-server-default", False),
        version_table=project_value("version-table", "alembic_version"),
        include_object=include_filter("include-object"),
        include_name=include_filter("include-name"),
        target_server=pick(
            "target_server",
            (overrides.target_server, "--target-server"),
            (project.get("target-server"), f"pyproject.toml [{PYPROJECT_TABLE}] target-server"),
            *recorded_target(root),
            (DEFAULT_TARGET_SERVER, "default"),
        ),
        lint_severity=MappingProxyType(project_value("lint-severity", {})),
        naming_convention=project_value("naming-convention", None),
        ignore_tables=tuple(project_value("ignore-tables", [])),
        flask=flask,
        render_as_batch=project_value("render-as-batch", None),
        shadow_prepare=project_value("shadow-prepare", None),
        sources=sources,
        alembic_options=ini_values,
        table_stats=project_value("table-stats", None),
        max_blocking_seconds=project_value("max-blocking-seconds", 10),
        lock_timeout=lock_timeout(env(ENV_LOCK_TIMEOUT), project.get("lock-timeout"), sources),
        data_rows=MappingProxyType(project_value("data-rows", {})),
    )


def lock_timeout(
    variable: str | None, configured: int | None, sources: dict[str, str]
) -> int | None:
    """SENTINEL_LOCK_TIMEOUT, else [tool.alembic-sentinel] lock-timeout, else None."""
    if variable is not None:
        if not variable.isdigit() or int(variable) < 1:
            raise ConfigError(
                f"{ENV_LOCK_TIMEOUT}: {variable!r} is not a whole number of seconds from 1"
            )
        sources["lock_timeout"] = ENV_LOCK_TIMEOUT
        return int(variable)
    if configured is not None:
        sources["lock_timeout"] = f"pyproject.toml [{PYPROJECT_TABLE}] lock-timeout"
        return configured
    sources["lock_timeout"] = "default"
    return None


# where a version location of ours, not alembic.ini's, came from: alembic_config() tells Alembic
VERSIONS_FROM_PYPROJECT = f"pyproject.toml [{PYPROJECT_TABLE}] version-locations"
VERSIONS_IN_MIGRATIONS = "Flask-Alembic layout (revision files in the migrations directory)"
VERSIONS_FROM_TOOL_ALEMBIC = "pyproject.toml [tool.alembic] version_locations"
VERSIONS_FROM_FLASK_APP = "the Flask app's ALEMBIC['version_locations']"


TOOL_ALEMBIC = "pyproject.toml [tool.alembic]"
LAYOUT_RECORDED = "the directory the Flask app named, recorded by the last engine verb"


def cache_directory() -> Path:
    """$XDG_CACHE_HOME/alembic-sentinel, else ~/.cache/alembic-sentinel. A relative
    XDG_CACHE_HOME is ignored, as the XDG Base Directory specification says (it would put a
    cache inside whatever project the command runs in)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "alembic-sentinel"


def project_key(root: Path) -> str:
    """A short name for a project root in the names of its cache and record files.

    Two zlib checksums, not a cryptographic hash: importing hashlib loads OpenSSL, about 3 ms of
    every hook run. A collision is harmless: each of these files names the root it belongs to,
    and one written for another root is read as absent (and rewritten)."""
    import zlib

    data = str(root).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _layout_record_path(root: Path, kind: str = "layout") -> Path:
    return cache_directory() / f"{kind}-{project_key(root)}.json"


def _read_record(root: Path, kind: str) -> dict[str, Any] | None:
    """The record of `kind` written for this very root (see project_key), else None."""
    import json

    try:
        document = json.loads(_layout_record_path(root, kind).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("root") != str(root):
        return None
    return document


SERVER_RECORDED = "recorded by the last verb that connected"


def recorded_target(root: Path) -> list[tuple[str, str]]:
    """The recorded server's target as a settings candidate (none without a record)."""
    recorded = read_server_record(root)
    if recorded is None:
        return []
    target, version = recorded
    return [(target, f"the server ({version}, {SERVER_RECORDED})")]


def write_server_record(root: Path, server_version: str, target: str) -> None:
    """Leave, for the verbs that do not connect (lint and its hook, settings), the release of
    the server the project's database runs on, so every verb judges for the same one."""
    import json

    path = _layout_record_path(root, "server")
    document = {"root": str(root), "server_version": server_version, "target": target}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(document), encoding="utf-8")
        os.replace(temporary, path)  # never a half-written record
    except OSError:
        pass  # a cache: without it the default target is used


def read_server_record(root: Path) -> tuple[str, str] | None:
    """(target, server version) the last connecting verb recorded, if any."""
    document = _read_record(root, "server")
    if document is None:
        return None
    target, version = document.get("target"), document.get("server_version")
    if not isinstance(target, str) or not isinstance(version, str) or not target:
        return None
    return target, version


def write_layout_record(root: Path, migrations: Path, locations: tuple[Path, ...]) -> None:
    """Leave, for the static verbs, the migrations directory and version locations the Flask
    app gave (`Migrate(directory=...)`, Flask-Alembic's `ALEMBIC`): they never import the app."""
    import json

    path = _layout_record_path(root)
    document = {
        "root": str(root),
        "migrations": str(migrations),
        "version_locations": [str(p) for p in locations],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() and json.loads(path.read_text(encoding="utf-8")) == document:
            return
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(document), encoding="utf-8")
        os.replace(temporary, path)  # never a half-written record
    except (OSError, ValueError):
        pass  # a cache: the static verbs then fall back to the default directory


def read_layout_record(root: Path) -> dict[str, Any] | None:
    document = _read_record(root, "layout")
    try:
        if (
            document is not None
            and Path(document["migrations"]).is_dir()
            and isinstance(document["version_locations"], list)
        ):
            return document
    except (KeyError, TypeError, ValueError):
        pass
    return None


DOTENV_FILES = (".env", ".flaskenv")  # the first one read wins, as in Flask's load_dotenv


def read_dotenv_files(root: Path, environ: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """The variables `flask` takes from `.env` and `.flaskenv` in the project root (none with
    FLASK_SKIP_DOTENV), each with the file it came from. Parsed by python-dotenv when it is
    installed, as Flask does; without it by a minimal reader: `KEY=VALUE` lines, `export`,
    quotes and `#` comments."""
    if truthy(environ.get("FLASK_SKIP_DOTENV", "")):
        return {}
    values: dict[str, tuple[str, str]] = {}
    for name in DOTENV_FILES:
        path = root / name
        if not path.is_file():
            continue
        for key, value in _dotenv_file(path).items():
            values.setdefault(key, (value, name))
    return values


def _dotenv_file(path: Path) -> dict[str, str]:
    try:
        from dotenv import dotenv_values
    except ImportError:
        pass
    else:
        return {k: v for k, v in dotenv_values(path).items() if v is not None}
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return values
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("export "):
            stripped = stripped[len("export ") :].lstrip()
        key, equals, value = stripped.partition("=")
        if not equals or stripped.startswith("#") or not key.strip().isidentifier():
            continue
        value = value.strip()
        if value[:1] in ("'", '"') and value.count(value[0]) >= 2:
            value = value[1 : value.index(value[0], 1)]  # a comment may follow the quotes
        else:
            value = value.split(" #", 1)[0].rstrip()
        values[key.strip()] = value
    return values


def read_tool_alembic(path: Path, root: Path) -> dict[str, str]:
    """Alembic 1.16+'s `[tool.alembic]` (`alembic init -t pyproject`), as the [alembic] options
    alembic.ini would give: `%(here)s` is the pyproject's directory, lists are joined with the
    OS path separator (and `path_separator = "os"` said), like Alembic reads them."""
    if not path.is_file():
        return {}
    tomllib = _toml()
    try:
        with path.open("rb") as stream:
            tool = tomllib.load(stream).get("tool", {})
    except (tomllib.TOMLDecodeError, OSError):
        return {}  # read_pyproject reports a broken pyproject.toml
    table = tool.get("alembic") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return {}
    here = str(path.parent)

    def expand(value: object) -> str:
        return str(value).replace("%(here)s", here).replace("%%", "%")

    values: dict[str, str] = {}
    for key in ALEMBIC_INI_KEYS:
        value = table.get(key)
        if isinstance(value, list):
            values[key] = os.pathsep.join(expand(item) for item in value)
            values["path_separator"] = "os"
        elif isinstance(value, bool):
            values[key] = "true" if value else "false"
        elif value is not None and value != "":
            values[key] = expand(value)
    return values


def discovered_flask_app(root: Path) -> str | None:
    """wsgi.py or app.py in the root when it sets up Flask-Migrate, as `flask` would find it."""
    for name in ("wsgi.py", "app.py"):
        try:
            if "Migrate(" in (root / name).read_text(encoding="utf-8", errors="replace"):
                return name
        except OSError:
            continue
    return None


def resolve_version_locations(
    configured: list[str] | None,
    ini_values: Mapping[str, str],
    migrations: Path,
    root: Path,
    sources: dict[str, str],
    from_toml: bool = False,
    flask_locations: tuple[str, ...] = (),
) -> tuple[Path, ...]:
    """[tool.alembic-sentinel] version-locations, else alembic.ini's, else `versions/`, else
    (Flask-Alembic's layout: no versions/, no env.py) the migrations directory itself."""
    if configured:
        sources["version_locations"] = VERSIONS_FROM_PYPROJECT
        return tuple((root / location).resolve() for location in configured)
    if flask_locations:
        # Flask-Alembic: the script location holds revisions too, then the app's list
        sources["version_locations"] = VERSIONS_FROM_FLASK_APP
        return (migrations, *(Path(location) for location in flask_locations))
    if ini_values.get("version_locations"):
        sources["version_locations"] = (
            VERSIONS_FROM_TOOL_ALEMBIC if from_toml else "alembic.ini version_locations"
        )
        return version_locations(ini_values, migrations, root)
    if (
        not (migrations / "versions").is_dir()
        and not (migrations / "env.py").is_file()
        and any(migrations.glob("*.py"))
    ):
        sources["version_locations"] = VERSIONS_IN_MIGRATIONS
        return (migrations,)
    sources["version_locations"] = "default"
    return version_locations(ini_values, migrations, root)


def version_locations(
    ini_values: Mapping[str, str], migrations: Path, root: Path
) -> tuple[Path, ...]:
    """Where revision files live, split the way Alembic splits `version_locations`."""
    raw = ini_values.get("version_locations")
    if not raw:
        return (migrations / "versions",)
    separator = ini_values.get("path_separator") or ini_values.get("version_path_separator")
    named = {"os": os.pathsep, "space": " ", "newline": "\n", ";": ";", ":": ":"}
    if separator is None:
        # Alembic's legacy rule: commas and/or spaces
        parts = re.split(r", *|(?: +)", raw)
    else:
        parts = raw.split(named.get(separator, separator))
    return tuple((root / part.strip()).resolve() for part in parts if part.strip())


def read_pyproject(path: Path) -> dict[str, Any]:
    """The [tool.alembic-sentinel] table, validated; {} when there is no pyproject.toml."""
    if not path.is_file():
        return {}
    tomllib = _toml()
    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"pyproject.toml: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"pyproject.toml: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
            f"{exc.start}): TOML files are UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"pyproject.toml: cannot read: {exc.strerror}") from None
    tool = document.get("tool", {})
    table = tool.get("alembic-sentinel", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"pyproject.toml: [{PYPROJECT_TABLE}] must be a table")
    for key, value in table.items():
        expected = PYPROJECT_KEYS.get(key)
        if expected is None:
            known = ", ".join(PYPROJECT_KEYS)
            raise ConfigError(
                f"pyproject.toml: [{PYPROJECT_TABLE}] unknown setting {key!r} (known: {known})"
            )
        if (
            not isinstance(value, expected)
            or (isinstance(value, list) and not all(isinstance(item, str) for item in value))
            or (
                expected is int
                and (isinstance(value, bool) or not isinstance(value, int) or value < 1)
            )
        ):
            kind = {
                bool: "true or false",
                dict: "a table",
                list: "a list of strings",
                int: "a whole number of seconds from 1",
            }.get(expected, "a string")
            raise ConfigError(f"pyproject.toml: [{PYPROJECT_TABLE}] {key} must be {kind}")
    for code, severity in table.get("lint-severity", {}).items():
        if severity not in LINT_SEVERITIES:
            raise ConfigError(
                f"pyproject.toml: [{PYPROJECT_TABLE}.lint-severity] {code} = {severity!r}: "
                f"expected one of {', '.join(LINT_SEVERITIES)}"
            )
    for name, rows in table.get("data-rows", {}).items():
        if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1:
            raise ConfigError(
                f"pyproject.toml: [{PYPROJECT_TABLE}] data-rows: {name} = {rows!r}: "
                "expected a number of rows from 1"
            )
    return table


def read_alembic_ini(path: Path, root: Path) -> dict[str, str]:
    """The [alembic] options we use, interpolated the way Alembic does (with %(here)s)."""
    shown = display_path(path, root)
    # a '%' in the project's path must not read as interpolation inside %(here)s
    parser = configparser.ConfigParser(defaults={"here": str(path.parent).replace("%", "%%")})
    try:
        with path.open(encoding="utf-8") as stream:
            parser.read_file(stream)
    except configparser.ParsingError as exc:
        # MissingSectionHeaderError is a ParsingError without .errors; it has .lineno
        errors = getattr(exc, "errors", None)
        line = errors[0][0] if errors else getattr(exc, "lineno", None) or "?"
        raise ConfigError(f"{shown}:{line}: invalid ini syntax") from None
    except configparser.Error as exc:
        lineno = getattr(exc, "lineno", None)
        where = f"{shown}:{lineno}" if lineno else shown
        raise ConfigError(f"{where}: invalid ini file: {str(exc).splitlines()[0]}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot read: {exc}") from None
    if not parser.has_section("alembic"):
        return {}
    values: dict[str, str] = {}
    for key in ALEMBIC_INI_KEYS:
        try:
            value = parser.get("alembic", key, fallback=None)
        except configparser.InterpolationSyntaxError:
            # configparser's message quotes the rest of the value: part of a URL's password
            raise ConfigError(
                f"{shown}: [alembic] {key}: a '%' must be written '%%' "
                "(ini interpolation, as Alembic reads the file)"
            ) from None
        except configparser.InterpolationError as exc:
            name = getattr(exc, "reference", None) or "?"
            if key == "sqlalchemy.url" and isinstance(
                exc, configparser.InterpolationMissingOptionError
            ):
                # `sqlalchemy.url = %(DB_URL)s` whose name env.py defines at run time
                # (`config.set_section_option("alembic", "DB_URL", os.environ[...])`): Alembic
                # reads the option only after env.py ran, so the ini gives no URL of its own
                continue
            raise ConfigError(
                f"{shown}: [alembic] {key}: %({name})s is not defined "
                "(Alembic defines only %(here)s)"
            ) from None
        if value:
            values[key] = value
    return values


def read_env_config(path: Path, shown: str, source: str) -> dict[str, Any]:
    """Execute a Flask-style config file and return its UPPERCASE names."""
    try:
        code_bytes = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{shown}: config file not found (from {source})") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read config file: {exc.strerror}") from None
    try:
        code = compile(code_bytes, str(path), "exec")
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None) or "?"
        msg = getattr(exc, "msg", str(exc))
        raise ConfigError(f"{shown}:{line}: invalid Python in config file: {msg}") from None
    module = types.ModuleType("config")
    module.__file__ = str(path)
    try:
        exec(code, module.__dict__)
    except SystemExit as exc:
        raise ProjectCodeError(
            f"{shown}:{_line_in_file(exc, str(path))}: config file exited "
            f"(sys.exit({redact(repr(exc.code), secret_values(vars(module)))}))"
        ) from None
    except Exception as exc:
        line = _line_in_file(exc, str(path))
        # the message may quote a value derived from a password (int(DATABASE_PASSWORD))
        message = redact(str(exc), secret_values(vars(module)))
        raise ConfigError(
            f"{shown}:{line}: config file raised {type(exc).__name__}: {message}"
        ) from None
    return {name: value for name, value in vars(module).items() if name.isupper()}


def _line_in_file(exc: BaseException, filename: str) -> int | str:
    line: int | str = "?"
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def url_from_env_config(values: Mapping[str, Any], shown: str) -> str:
    """The database URL a config file names, in either of the two forms teams use."""
    uri = values.get("SQLALCHEMY_DATABASE_URI")
    if uri is not None:
        if not isinstance(uri, str) or not uri:
            raise ConfigError(f"{shown}: SQLALCHEMY_DATABASE_URI must be a non-empty string")
        return uri
    if "DATABASE_PLUGIN" not in values:
        raise ConfigError(
            f"{shown}: no database settings: set SQLALCHEMY_DATABASE_URI, or DATABASE_PLUGIN "
            "with DATABASE_HOST and DATABASE_NAME"
        )
    for key in DATABASE_PART_KEYS:
        value = values.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise ConfigError(f"{shown}: {key} must be a string")
    plugin = str(values["DATABASE_PLUGIN"])
    required = (
        ("DATABASE_NAME",) if plugin.startswith("sqlite") else ("DATABASE_HOST", "DATABASE_NAME")
    )
    for key in required:
        if not values.get(key):
            raise ConfigError(f"{shown}: {key} is not set (needed with DATABASE_PLUGIN)")
    port = values.get("DATABASE_PORT")
    if port not in (None, ""):
        try:
            port = int(port)
        except ValueError:
            raise ConfigError(f"{shown}: DATABASE_PORT must be a number") from None
    else:
        port = None

    from sqlalchemy.engine import URL

    try:
        url = URL.create(
            drivername=plugin,
            username=_optional_str(values.get("DATABASE_USERNAME")),
            password=_optional_str(values.get("DATABASE_PASSWORD")),
            host=_optional_str(values.get("DATABASE_HOST")),
            port=port,
            database=str(values["DATABASE_NAME"]),
        )
    except Exception as exc:
        raise ConfigError(f"{shown}: invalid DATABASE_* settings: {exc}") from None
    return url.render_as_string(hide_password=False)


def truthy(value: Any) -> bool:
    """PROD_ENV = True, but also the "true"/"1" strings an env-var-driven cfg produces."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _optional_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def normalize_url(url: str, root: Path, source: str) -> str:
    """Validate a URL and anchor a relative SQLite path at the project root."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        # the value may hold a password: name the setting, never echo it
        raise ConfigError(f"{source}: not a valid database URL") from None
    database = parsed.database
    if (
        parsed.get_backend_name() == "sqlite"
        and database
        and database != ":memory:"
        and not database.startswith("file:")
        and not Path(database).is_absolute()
    ):
        parsed = parsed.set(database=str(root / database))
    return parsed.render_as_string(hide_password=False)


def check_metadata_spec(spec: str, source: str) -> None:
    module, sep, attribute = spec.partition(":")
    if not sep or not module or not attribute:
        raise ConfigError(
            f"{source}: metadata must look like MODULE:ATTRIBUTE (e.g. orm:Base.metadata), "
            f"got {spec!r}"
        )
