"""The `lint` verb and the `alembic-lint` hook: pick the revision files, build the options, render.

Everything here reads files only (settings with `database=False`, the static linter): it runs in
pre-commit's isolated virtualenv, where the project's models cannot be imported.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from alembic_sentinel.errors import ConfigError
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.report.model import Finding, Report
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from alembic_sentinel.lint.linter import LintOptions
    from alembic_sentinel.lint.model_defaults import ApplicationCode
    from alembic_sentinel.lint.online_ddl import ServerVersion

FORMATS = ("text", "json", "github", "sarif")
_NAMING_CONVENTION = LazyPattern(rb"\bnaming_convention\b")


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """--format and --target-server, shared by the `lint` verb and the `alembic-lint` hook."""
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--target-server",
        metavar="SERVER",
        help="database to judge for: a MySQL/MariaDB release (mysql-8.0, mysql-5.7, "
        "mariadb-10.11) or postgresql / sqlite, which leave out the MySQL-only rules "
        "(default: target-server in pyproject.toml, else the project's database URL when it "
        "is PostgreSQL or SQLite, else mysql-8.0)",
    )


def project_url(settings: Settings) -> str | None:
    """The database URL the project names: a setting, the Flask app's, or alembic.ini's."""
    if settings.url:
        return settings.url
    if settings.flask is not None and settings.flask.url:
        return settings.flask.url
    return settings.alembic_options.get("sqlalchemy.url") or None


def url_dialect(url: str | None) -> str | None:
    """The target a URL's scheme names: "postgresql", "sqlite", or MariaDB's default release
    for `mariadb://` (SQLAlchemy's MariaDB dialect); None for MySQL's and unknown schemes."""
    if not url or ":" not in url:
        return None
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        return "postgresql"
    if scheme == "mariadb":
        from alembic_sentinel.lint.server_evidence import MARIADB_TARGET

        return MARIADB_TARGET
    return "sqlite" if scheme == "sqlite" else None


def lint_target(settings: Settings) -> tuple[ServerVersion, str]:
    """The server the review judges for and where that came from: target-server when set,
    else the project's database URL when it names PostgreSQL or SQLite, else the default."""
    from alembic_sentinel.lint.online_ddl import parse_server_version

    source = settings.sources.get("target_server", "default")
    text = settings.target_server
    if source == "default":
        dialect = url_dialect(project_url(settings))
        if dialect is not None:
            text, source = dialect, "the project's database URL"
    try:
        return parse_server_version(text), source
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def lint_options(settings: Settings) -> LintOptions:
    """LintOptions from the settings; every bad value names the setting it came from."""
    from alembic_sentinel.lint.catalogue import RULES
    from alembic_sentinel.lint.linter import LintOptions

    target, source = lint_target(settings)
    unknown = sorted(code for code in settings.lint_severity if code not in RULES)
    if unknown:
        raise ConfigError(
            f"pyproject.toml [tool.alembic-sentinel.lint-severity]: unknown rule "
            f"{', '.join(unknown)} (see `{settings.command} lint --explain CODE`)"
        )
    naming = settings.naming_convention
    if naming is None:
        naming = flask_naming_convention(settings)
    if naming is None:
        naming = metadata_has_naming_convention(settings)
    if naming is None:
        from alembic_sentinel.lint.env_convention import env_py_naming_convention

        naming = env_py_naming_convention(settings.migrations / "env.py")
    return LintOptions(
        target=target,
        target_guessed=source == "default",
        severities=dict(settings.lint_severity),
        naming_convention=naming,
        naming_templates=flask_naming_templates(settings) if naming is not False else None,
        local_packages=local_packages(settings),
        application_code=application_code(settings),
        migration_package=migration_package(settings),
        env_modules=loaded_before_revisions(settings.migrations / "env.py", settings.root),
    )


def loaded_before_revisions(env_py: Path, root: Path) -> frozenset[str]:
    """The modules loaded before a revision runs (L316): what env.py imports at module level,
    and when env.py needs the running Flask app, what that app's entry module (a file under
    the project `root`) has loaded; followed through the project's own modules, which load
    their module-level imports in turn (transitive_loads.py)."""
    from alembic_sentinel.lint.application_code import env_loaded_modules
    from alembic_sentinel.lint.flask_app_convention import project_top
    from alembic_sentinel.lint.flask_app_imports import app_loaded_modules
    from alembic_sentinel.lint.transitive_loads import followed_loads

    loaded = env_loaded_modules(env_py) | app_loaded_modules(env_py, root)
    if not loaded:
        return loaded
    # where the project's top packages sit: the root (or its src/), or the directory above
    # env.py's packages when that lies inside the root (`backend/app/...`)
    top, root = project_top(env_py.resolve()), root.resolve()
    roots = [root, root / "src"]
    if top != root and root in top.parents:
        roots.insert(0, top)
    return followed_loads(loaded, roots)


def migration_package(settings: Settings) -> str | None:
    """The dotted name of the migrations directory (env.py's) as a package under the project
    root (`airflow/migrations` -> `airflow.migrations`; a `src/` layout's `src` left out); None
    when it is not inside the project or a directory on the way is no package."""
    from alembic_sentinel.lint.application_code import is_namespace_package, is_package

    try:
        relative = settings.migrations.resolve().relative_to(settings.root.resolve())
    except (OSError, ValueError):
        return None
    base, parts = settings.root.resolve(), list(relative.parts)
    if parts[:1] == ["src"]:
        base, parts = base / "src", parts[1:]
    if len(parts) < 2 or not all(part.isidentifier() for part in parts):
        return None  # a top-level migrations directory is left out of local_packages already
    top = base / parts[0]
    if not (is_package(top) or is_namespace_package(top)):
        return None
    return ".".join(parts)


def local_packages(settings: Settings) -> frozenset[str]:
    """The application's own code: top-level modules and packages at the project root (also
    namespace packages), in the directories env.py puts on sys.path, less a migration-only
    package (application_code.py). A revision that imports one breaks when that code changes.
    """
    from alembic_sentinel.lint.application_code import application_names

    names: set[str] = set()
    if settings.metadata:
        names.add(settings.metadata.split(":", 1)[0].split(".", 1)[0])
    ini = settings.alembic_ini.resolve().parent if settings.alembic_ini is not None else None
    return application_names(settings.root, settings.migrations, ini, names)


def application_code(settings: Settings) -> ApplicationCode:
    """The project root and the entries holding the application's code, whose ORM models L301
    reads (only listed here; the files are read when a rule asks). When the migrations sit
    inside one of them (`cms/alembic` of a monorepo's `cms/`), that one is the application
    they migrate: the other applications' models may map another database's tables."""
    from alembic_sentinel.lint.application_code import application_entries
    from alembic_sentinel.lint.model_defaults import ApplicationCode

    ini = settings.alembic_ini.resolve().parent if settings.alembic_ini is not None else None
    entries = application_entries(settings.root, settings.migrations, ini)
    migrations = settings.migrations.resolve()
    owning = tuple(entry for entry in entries if entry.resolve() in migrations.parents)
    return ApplicationCode(settings.root.resolve(), owning or entries)


def flask_naming_convention(settings: Settings) -> bool | None:
    """Whether the Flask app's metadata names constraints (more than SQLAlchemy's default
    "ix" entry); None without an app's metadata."""
    metadata = settings.flask.metadata if settings.flask is not None else None
    convention = getattr(metadata, "naming_convention", None)
    if convention is None:
        return None
    return any(key != "ix" for key in convention)


def flask_naming_templates(settings: Settings) -> dict[str, str] | None:
    """The string templates of the Flask app's metadata naming_convention (the names an
    unnamed create gets); None without an app's metadata."""
    from alembic_sentinel.lint.naming_convention import string_templates

    metadata = settings.flask.metadata if settings.flask is not None else None
    convention = getattr(metadata, "naming_convention", None)
    return string_templates(convention) if isinstance(convention, Mapping) else None


def metadata_has_naming_convention(settings: Settings) -> bool | None:
    """Whether the package holding the target MetaData mentions `naming_convention`; None when
    no metadata is configured (unknown: the revisions' op.f() names may still show one).

    A textual look, because the models cannot be imported here; the `naming-convention`
    setting overrides it.
    """
    if not settings.metadata:
        return None
    top = settings.metadata.split(":", 1)[0].split(".", 1)[0]
    package = settings.root / top
    files = list(package.rglob("*.py")) if package.is_dir() else [package.with_suffix(".py")]
    for path in files:
        try:
            if _NAMING_CONVENTION.search(path.read_bytes()):
                return True
        except OSError:
            continue
    return False


def revision_files(
    settings: Settings, paths: Sequence[str], all_files: bool, base: str | None
) -> tuple[list[Path], list[Finding]]:
    """The files to lint: those named, every revision (`--all`), or those changed since base;
    and the entries of the version locations that cannot be read (FIFOs, loops, bytecode)."""
    from alembic_sentinel.graph.version_locations import (
        list_revision_files,
        require_versions,
        sourceless,
    )

    if paths:
        chosen = []
        for name in paths:
            # realpath, not resolve(): a symbolic link loop must not raise here
            path = Path(os.path.realpath(settings.root / name))
            if not path.is_file():
                raise ConfigError(f"{name}: no such file")
            chosen.append(path)
        return chosen, []
    require_versions(settings)
    if all_files:
        listing = list_revision_files(
            settings.version_locations,
            settings.recursive_version_locations,
            settings.root,
            sourceless(settings),
        )
        return [Path(p) for p in listing.paths], listing.findings
    from alembic_sentinel.lint.scope import changed_revision_files, default_base

    ref = base or default_base(settings.root)
    changed = changed_revision_files(
        settings.root, ref, settings.version_locations, settings.recursive_version_locations
    )
    return changed, []


def lint_report(
    settings: Settings,
    files: Sequence[Path],
    unreadable: Sequence[Finding] = (),
    whole_history: bool = False,
) -> Report:
    """The report on `files`; `whole_history`: they are every revision (`--all`), so the
    version locations are not listed again for the history's other files."""
    from alembic_sentinel.lint.linter import lint_files

    options = lint_options(settings)
    others = [] if whole_history else history_context(settings, files)
    context = [(settings.show(path), path) for path in others]
    report = lint_files([(settings.show(path), path) for path in files], options, context=context)
    target, source = lint_target(settings)
    shown = report.facts.pop("target_evidence", None)
    if isinstance(shown, str):  # the revisions showed the server (server_evidence.py)
        from alembic_sentinel.lint.online_ddl import parse_server_version
        from alembic_sentinel.lint.server_evidence import MARIADB_TARGET

        target, source = parse_server_version(MARIADB_TARGET), shown
        report.summary.append(
            f"target {target} ({source}; set target-server to judge for another server)"
        )
    report.facts["target_server"] = str(target)
    if not target.is_mysql:
        report.summary.append(
            f"target {target} ({source}): MySQL/MariaDB-only rules not applied "
            f"({', '.join(sorted(not_applied(target.flavor)))})"
        )
    if unreadable:
        report.findings = sorted(
            [*report.findings, *unreadable], key=lambda f: (f.path or "", f.line or 0, f.code)
        )
    return report


def history_context(settings: Settings, files: Sequence[Path]) -> list[Path]:
    """The revision files of the version locations that are not among `files`: a staged
    revision (the hook), the changed ones, the one `migrate` just wrote are judged against the
    history they join (what it states of columns, tables and keys), as `--all` judges them.
    None when the locations cannot be listed: the files are then judged on their own."""
    from alembic_sentinel.graph.version_locations import list_revision_files, sourceless

    if not settings.version_locations or not any(
        location.is_dir() for location in settings.version_locations
    ):
        return []
    try:
        listing = list_revision_files(
            settings.version_locations,
            settings.recursive_version_locations,
            settings.root,
            sourceless(settings),
        )
    except (ConfigError, OSError):
        return []
    linted = {os.path.realpath(path) for path in files}
    return [
        Path(path)
        for path in listing.paths
        if str(path).endswith(".py") and os.path.realpath(path) not in linted
    ]


def not_applied(flavor: str) -> list[str]:
    from alembic_sentinel.lint.catalogue import RULES, applies

    return [code for code in RULES if not applies(code, flavor)]


def render_lint(report: Report, fmt: str, out: TextIO, show_ddl: bool = False) -> str:
    if fmt == "sarif":
        from alembic_sentinel.lint.catalogue import RULES
        from alembic_sentinel.report.sarif import render_sarif

        return render_sarif(report, RULES)
    from alembic_sentinel.report.render import render

    if fmt == "text":
        report.summary[:0] = text_summary(report, show_ddl)
    return render(report, fmt, out)


def text_summary(report: Report, show_ddl: bool) -> list[str]:
    lines = []
    if show_ddl:
        for statement in report.facts.get("statements", []):
            lines.append(
                f"{statement['path']}:{statement['line']}: {statement['algorithm']:<7} "
                f"{statement['operation']}"
            )
    files = report.facts.get("files", 0)
    errors = len(report.errors)
    warnings = sum(1 for f in report.findings if f.severity == "warning")
    noun = "file" if files == 1 else "files"
    suppressed = len(report.suppressed or [])
    lines.append(
        f"linted {files} revision {noun}: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}, {suppressed} suppressed"
    )
    return lines


def lint(
    settings: Settings,
    paths: Sequence[str],
    *,
    all_files: bool,
    base: str | None,
    fmt: str,
    show_ddl: bool,
    out: TextIO,
) -> int:
    files, unreadable = revision_files(settings, paths, all_files, base)
    report = lint_report(settings, files, unreadable, whole_history=all_files and not paths)
    out.write(render_lint(report, fmt, out, show_ddl))
    return report.exit_code()


def explain(code: str, out: TextIO) -> int:
    from alembic_sentinel.lint.catalogue import RULES
    from alembic_sentinel.lint.catalogue import explain as explain_rule

    try:
        text = explain_rule(code.upper())
    except KeyError:
        known = ", ".join(sorted(RULES))
        raise ConfigError(f"--explain {code}: unknown rule (known: {known})") from None
    out.write(text if text.endswith("\n") else text + "\n")
    return 0
