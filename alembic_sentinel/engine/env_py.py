"""What the project's env.py does that the hermetic environment does not reproduce.

`check`, `migrate` and `ci` configure Alembic themselves instead of running env.py (see
engine/migration_env.py). That is exact for the stock templates (Alembic's generic one,
Flask-Migrate's), but an env.py can do more: pass `render_item` or its own
`process_revision_directives` to `context.configure`, filter objects, migrate several databases.
Silently dropping that would make `migrate` write something other than `flask db migrate`, so
each such thing is named once, with the setting that covers it or `--run-env-py`.

env.py is read as syntax, never run (it needs Flask's `current_app`).
"""

from __future__ import annotations

import ast
from typing import Any, NamedTuple

from alembic_sentinel.report.model import NOTICE, Finding
from alembic_sentinel.settings import FROM_FLASK_APP, PYPROJECT_TABLE, Settings

# context.configure(...) keywords the hermetic environment applies itself, from the settings
APPLIED = frozenset(
    {
        "connection",
        "url",
        "target_metadata",
        "literal_binds",
        "dialect_opts",
        "compare_type",
        "compare_server_default",
        "render_as_batch",
        "version_table",
        "on_version_apply",
    }
)
# context.configure(...) keywords the settings own when they are set explicitly; a literal
# value in env.py is used when the setting is left at its default
SETTING_OF_OPTION = {
    "compare_type": "compare_type",
    "compare_server_default": "compare_server_default",
    "render_as_batch": "render_as_batch",
    "version_table": "version_table",
}
# never taken from env.py: the connection is ours, and the metadata is chosen separately
# (engine/target_metadata.py says which env.py gives)
_NOT_PASSED = frozenset(
    {
        "connection",
        "url",
        "target_metadata",
        "literal_binds",
        "dialect_opts",
        "on_version_apply",
        "version_table",  # the settings' own: `current` and the shadow read the same table
    }
)
# settings that take over what env.py would pass (the hermetic mode reads them)
COVERED_BY = {
    "include_object": 'include-object = "MODULE:FUNCTION" in [tool.alembic-sentinel]',
    "include_name": 'include-name = "MODULE:FUNCTION" in [tool.alembic-sentinel]',
}
# what the stock templates' process_revision_directives uses: drop an empty autogenerate
_STOCK_DIRECTIVES_NAMES = frozenset(
    {
        "getattr",
        "config",
        "cmd_opts",
        "autogenerate",
        "script",
        "directives",
        "upgrade_ops",
        "upgrade_ops_list",
        "is_empty",
        "all",
        "logger",
        "info",
        "context",
        "revision",
        "op",
        "False",
    }
)
_MULTIPLE_DATABASES = ("bind_names", "get_engine_url(bind", 'get_main_option("databases"')
# the multi-database templates' own plumbing: part of "several databases", not said again
_MULTIDB_PLUMBING = frozenset({"output_buffer", "upgrade_token", "downgrade_token"})


class Gap(NamedTuple):
    line: int
    what: str  # e.g. "render_item"
    advice: str


def _parsed_env_py(settings: Settings) -> ast.Module | None:
    path = settings.migrations / "env.py"
    if not path.is_file():
        return None
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None  # Alembic reports a broken env.py itself where it runs it


def env_py_literal_options(settings: Settings) -> dict[str, Any]:
    """The options env.py (or the Flask app's `Migrate(...)`, which the stock env.py passes on)
    gives `context.configure` that the migration must reproduce: `transaction_per_migration`,
    `render_as_batch`, `include_schemas`, `user_module_prefix`, ... A setting given explicitly
    (pyproject.toml, Migrate) still wins over env.py, as context_options applies it after."""
    options: dict[str, Any] = {}
    tree = _parsed_env_py(settings)
    if tree is not None:
        for call in _configure_calls(tree):
            for keyword in call.keywords:
                name = keyword.arg
                if name is None or name in _NOT_PASSED:
                    continue
                if isinstance(keyword.value, ast.Constant):
                    options[name] = keyword.value.value
    if settings.flask is not None:
        for name, value in settings.flask.configure_args.items():
            if name not in _NOT_PASSED and name not in ("include_object", "include_name"):
                options[name] = value
    for name, setting in SETTING_OF_OPTION.items():
        if settings.sources.get(setting, "default") == "default":
            continue  # env.py's literal (if any) stands
        options.pop(name, None)  # the setting's value is applied by context_options
    return options


def hermetic_gaps(settings: Settings) -> list[Gap]:
    """What env.py does that the hermetic environment would drop; [] with --run-env-py."""
    path = settings.migrations / "env.py"
    if settings.run_env_py or not path.is_file():
        return []
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return []  # Alembic reports a broken env.py itself where it runs it
    gaps: list[Gap] = []
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    several = any(marker in source for marker in _MULTIPLE_DATABASES)
    for call in _configure_calls(tree):
        for keyword in call.keywords:
            name = keyword.arg
            if name is None or (several and name in _MULTIDB_PLUMBING):
                continue
            literal = isinstance(keyword.value, ast.Constant)
            if name in SETTING_OF_OPTION and name != "version_table":
                if not literal and settings.sources.get(name, "default") == "default":
                    option = name.replace("_", "-")
                    gaps.append(
                        Gap(
                            keyword.value.lineno,
                            f"{name} to a computed value",
                            f"set {option} = true or false in [tool.alembic-sentinel]",
                        )
                    )
                continue
            if name in APPLIED:
                continue
            if literal:
                continue  # passed to context.configure as env.py passes it
            if name == "process_revision_directives" and _is_stock(keyword.value, functions):
                continue  # dropping an empty autogenerate: `migrate` does the same
            if name in COVERED_BY:
                if getattr(settings, name) is None:
                    gaps.append(Gap(keyword.value.lineno, name, f"set {COVERED_BY[name]}"))
                continue
            gaps.append(Gap(keyword.value.lineno, name, "pass --run-env-py to run env.py as-is"))
    for marker in _MULTIPLE_DATABASES:
        index = source.find(marker)
        if index >= 0:
            line = source.count("\n", 0, index) + 1
            gaps.append(Gap(line, "several databases", "only one is checked: pass --run-env-py"))
            break
    if "naming_convention" in source:
        index = source.index("naming_convention")
        gaps.append(
            Gap(
                source.count("\n", 0, index) + 1,
                "a naming convention",
                "set it on the models' MetaData, where every verb sees it",
            )
        )
    return sorted(set(gaps))


def describe(settings: Settings, gap: Gap) -> str:
    shown = settings.show(settings.migrations / "env.py")
    return (
        f"{shown}:{gap.line}: env.py sets {gap.what}, which alembic-sentinel does not run "
        f"without env.py: {gap.advice}"
    )


def _configure_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "configure"
    ]


def _is_stock(value: ast.expr, functions: dict[str, ast.FunctionDef]) -> bool:
    """A process_revision_directives that only drops an empty autogenerate, as the templates'."""
    if not isinstance(value, ast.Name) or value.id not in functions:
        return False
    used = set()
    for node in ast.walk(functions[value.id]):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.arg):
            used.add(node.arg)
    return used <= _STOCK_DIRECTIVES_NAMES


def hermetic_notices(settings: Settings) -> list[Finding]:
    """One D403 notice per thing env.py does that the hermetic environment does not."""
    notices = [
        Finding("D403", "env-py-not-reproduced", NOTICE, describe(settings, gap))
        for gap in hermetic_gaps(settings)
    ]
    said = metadata_notice(settings)
    if said is not None:
        notices.append(Finding("D403", "env-py-not-reproduced", NOTICE, said))
    if settings.flask is not None and settings.flask.writes_at_load:
        kinds = ", ".join(dict.fromkeys(settings.flask.writes_at_load))
        notices.append(
            Finding(
                "D406",
                "app-writes-at-load",
                NOTICE,
                f"{settings.flask.shown}: loading the Flask app ran {kinds} on its database "
                "before any verb ran (e.g. db.create_all() at start-up): the app wrote it, not "
                "alembic-sentinel; the shadow is built by the revisions alone (see "
                "shadow-prepare)",
            )
        )
    return notices


class EnvMetadata(NamedTuple):
    """What env.py assigns to `target_metadata`, read as syntax."""

    line: int
    spec: str | None  # MODULE:ATTRIBUTE when env.py imports it by a name we can follow
    from_flask: bool  # the stock Flask-Migrate env.py: the Migrate db's metadata
    text: str  # the expression as written, for messages


def env_py_metadata(settings: Settings) -> EnvMetadata | None:
    """The metadata env.py gives Alembic; None without env.py or without the assignment."""
    tree = _parsed_env_py(settings)
    if tree is None:
        return None
    imported = _module_imports(tree)
    # a module-level `target_metadata = ...` (the last one wins), else what configure() is given
    values: list[ast.expr] = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "target_metadata" for t in node.targets)
    ][-1:]
    if not values:
        values = [
            keyword.value
            for call in _configure_calls(tree)
            for keyword in call.keywords
            if keyword.arg == "target_metadata"
        ][-1:]
    if not values:
        return None
    value = values[0]
    text = ast.unparse(value)
    from_flask = "current_app" in text or "get_metadata" in text
    spec = None if from_flask else _spec_of(value, imported)
    return EnvMetadata(value.lineno, spec, from_flask, text)


def _module_imports(tree: ast.Module) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, attribute or None) for env.py's module-level imports; `import
    a.b` binds `a`, and records `a.b` under its dotted name for the chains that use it."""
    names: dict[str, tuple[str, str | None]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = (alias.name, None)
                else:
                    names[alias.name.split(".")[0]] = (alias.name.split(".")[0], None)
                    names[alias.name] = (alias.name, None)
    return names


def _spec_of(value: ast.expr, imported: dict[str, tuple[str, str | None]]) -> str | None:
    chain: list[str] = []
    while isinstance(value, ast.Attribute):
        chain.insert(0, value.attr)
        value = value.value
    if not isinstance(value, ast.Name) or value.id not in imported:
        return None
    module, attribute = imported[value.id]
    if attribute is not None:
        return f"{module}:{'.'.join([attribute, *chain])}"
    if value.id != module:  # `import app.models as models`
        return f"{module}:{'.'.join(chain)}" if chain else None
    # `import app.models`: the longest dotted prefix that was imported is the module
    parts = [value.id, *chain]
    for split in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:split])
        if prefix in imported:
            return f"{prefix}:{'.'.join(parts[split:])}"
    return None


def metadata_notice(settings: Settings) -> str | None:
    """Which metadata is compared when env.py's `target_metadata` and another are offered."""
    given = env_py_metadata(settings)
    if given is None or given.from_flask or given.text == "None":
        return None
    where = f"{settings.show(settings.migrations / 'env.py')}:{given.line}"
    explicit = settings.metadata is not None and settings.metadata != FROM_FLASK_APP
    if explicit and given.spec != settings.metadata:
        return (
            f"{where}: env.py gives Alembic target_metadata = {given.text}; the models compared "
            f"are {settings.metadata} ({settings.sources.get('metadata')}), set explicitly"
        )
    if given.spec is None:
        used = "the Flask app's db.metadata" if settings.metadata else "no metadata"
        return (
            f"{where}: target_metadata = {given.text} cannot be followed without running "
            f'env.py; {used} is compared: set metadata = "MODULE:ATTRIBUTE" in '
            f"[{PYPROJECT_TABLE}]"
        )
    if settings.metadata == FROM_FLASK_APP:
        return (
            f"{where}: env.py gives Alembic target_metadata = {given.text}, not the Flask "
            f"app's db.metadata: {given.spec} is compared, as Alembic compares it"
        )
    return None
