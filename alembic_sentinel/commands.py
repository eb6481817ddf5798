"""The seed's database workflow as plain functions over Alembic's own commands.

Each verb takes the resolved `Settings`, prints what a user should read to `out`, and returns an
exit code; problems a user can fix are raised as `SentinelError` and rendered by the CLI.

Longer than 500 lines: one short function per verb of the guide (migrate, upgrade, downgrade,
current, history, check, cache, create/drop database, settings) and the checks they share.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from alembic_sentinel.engine import database, lock_timeout
from alembic_sentinel.engine.env_py import hermetic_notices
from alembic_sentinel.engine.migration_env import Progress, alembic_config, migration_environment
from alembic_sentinel.engine.target_metadata import load_target_metadata, refuse_empty_models
from alembic_sentinel.errors import EXIT_OK, ConfigError, Refused
from alembic_sentinel.report.model import NOTICE, Finding
from alembic_sentinel.report.render import terminal_safe
from alembic_sentinel.settings import Settings, write_server_record

if TYPE_CHECKING:
    from alembic.script import Script, ScriptDirectory


def script_directory(settings: Settings) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    settings.require_migrations()
    require_complete_history(settings)
    return ScriptDirectory.from_config(alembic_config(settings))


def require_complete_history(settings: Settings) -> None:
    from alembic_sentinel.graph.revision_check import (
        refuse_missing_parents,
        working_tree_revisions,
    )

    refuse_missing_parents(settings, working_tree_revisions(settings))


def current_heads(settings: Settings, *, create: bool = False) -> tuple[str, ...]:
    """The revisions the database is at (empty for a database Alembic has never touched)."""
    from alembic.runtime.migration import MigrationContext

    with database.connect(settings, create=create) as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": settings.version_table}
        )
        return tuple(context.get_current_heads())


def describe_revisions(revisions: Sequence[str]) -> str:
    return terminal_safe(", ".join(revisions)) if revisions else "no revision"


def independent_branch_labels(settings: Settings, script: ScriptDirectory) -> list[str]:
    """The labels of the heads when they are independent labelled branches (Alembic's
    deliberate multiple branches: no merge needed), else [] (heads that need a merge)."""
    from alembic_sentinel.graph.revision_check import working_tree_revisions
    from alembic_sentinel.graph.revision_graph import unmerged_heads

    heads = script.get_heads()
    if len(heads) < 2 or unmerged_heads(working_tree_revisions(settings).graph):
        return []
    labels = []
    for head in heads:
        revision = script.get_revision(head)
        labels.extend(sorted(revision.branch_labels) if revision is not None else [])
    return sorted(set(labels))


def require_at_head(
    settings: Settings, script: ScriptDirectory, verb: str, head: str | None = None
) -> None:
    heads = script.get_heads()
    if len(heads) > 1 and head is None:
        labels = independent_branch_labels(settings, script)
        if labels:
            raise Refused(
                f"independent branches ({', '.join(labels)}): name the one the revision goes "
                f"on, `{verb} --head LABEL@head` (e.g. --head {labels[0]}@head)"
            )
        raise Refused(
            f"multiple heads ({', '.join(sorted(heads))}): "
            f"run `alembic-sentinel merge heads` before `{verb}`"
        )
    current = current_heads(settings)
    require_known_revisions(settings, script, current)
    if set(current) != set(heads):
        raise Refused(
            f"database {settings.safe_url} is at {describe_revisions(current)}, not at head "
            f"{describe_revisions(heads)}: run `alembic-sentinel upgrade` before `{verb}`"
        )


def require_known_revisions(
    settings: Settings, script: ScriptDirectory, current: Sequence[str]
) -> None:
    """One explanation, in every verb, for a database at a revision this history lacks
    (Alembic's own answer is "Can't locate revision identified by ...")."""
    unknown = [revision for revision in current if not _in_history(script, revision)]
    if unknown:
        command = settings.command
        raise Refused(
            f"database {settings.safe_url} is at {describe_revisions(unknown)}, which is not in "
            "this history (applied on another branch, or rebased away): on the branch that has "
            f"it, `{command} downgrade` to a revision both branches share, or start over "
            f"with `{command} drop-database` and `{command} upgrade`"
        )


def _in_history(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def history(settings: Settings, out: TextIO) -> int:
    from alembic import command

    script_directory(settings)
    command.history(alembic_config(settings, out))
    return EXIT_OK


def current(settings: Settings, out: TextIO) -> int:
    script = script_directory(settings)
    head_set = set(script.get_heads())
    revisions = current_heads(settings)
    require_known_revisions(settings, script, revisions)
    if not revisions:
        print(f"{settings.safe_url}: no revision applied", file=out)
    for revision in revisions:
        marker = " (head)" if revision in head_set else ""
        message = _message(script.get_revision(revision)).splitlines()[:1]
        shown = terminal_safe(f"{revision}{marker} {' '.join(message)}".rstrip())
        print(shown, file=out)
    return EXIT_OK


def upgrade(settings: Settings, revision: str, out: TextIO) -> int:
    from alembic import command

    script = script_directory(settings)
    if revision == "head" and len(script.get_heads()) > 1:
        labels = independent_branch_labels(settings, script)
        if labels:  # not "merge them": independent branches are meant to stay apart
            raise Refused(
                f"independent branches ({', '.join(labels)}): `upgrade heads` applies every "
                f"branch, `upgrade LABEL@head` one (e.g. upgrade {labels[0]}@head)"
            )
    # a new SQLite file is created only once the plan is known to be valid
    new_file = database.sqlite_file(settings)
    before = () if new_file is not None and not new_file.exists() else current_heads(settings)
    require_known_revisions(settings, script, before)
    # the same plan alembic.command.upgrade executes; counted up front for "n of N" progress
    steps = script._upgrade_revs(revision, before)  # type: ignore[arg-type]
    if not steps:
        if new_file is not None and not new_file.exists():
            # no revisions yet: the empty database is at head, and `migrate` needs it to exist
            with database.connect(settings, create=True):
                pass
            print(f"created {settings.safe_url}: no revision to apply", file=out)
            return EXIT_OK
        print(f"already at {describe_revisions(before)}: nothing to upgrade", file=out)
        return EXIT_OK
    progress = Progress(len(steps))
    try:
        with migration_environment(settings, on_version_apply=progress, create=True):
            command.upgrade(alembic_config(settings, out), revision)
    except Exception as exc:
        stopped = lock_timeout.blocked(
            exc, settings.lock_timeout, _step_name(settings, steps, progress.done)
        )
        if stopped is not None:
            raise stopped from None
        raise
    print(
        f"upgraded {settings.safe_url} to {describe_revisions(current_heads(settings))}", file=out
    )
    judged_for_the_server(settings)  # records the server's release for the lint and its hook
    return EXIT_OK


def _step_name(settings: Settings, steps: Sequence[Any], done: int) -> str:
    """`path: revision R`, the step that was running when `done` steps had finished."""
    if done >= len(steps):
        return "upgrade"
    script = steps[done].revision
    return f"{settings.show(Path(script.path))}: revision {script.revision}"


def downgrade(settings: Settings, revision: str, out: TextIO) -> int:
    from alembic import command

    script = script_directory(settings)
    before = current_heads(settings)
    require_known_revisions(settings, script, before)
    steps = script._downgrade_revs(revision, before)  # type: ignore[arg-type]
    if not steps:
        print(f"already at {describe_revisions(before)}: nothing to downgrade", file=out)
        return EXIT_OK
    progress = Progress(len(steps))
    with migration_environment(settings, on_version_apply=progress):
        command.downgrade(alembic_config(settings, out), revision)
    after = current_heads(settings)
    print(f"downgraded {settings.safe_url} to {describe_revisions(after)}", file=out)
    return EXIT_OK


def migrate(settings: Settings, message: str | None, out: TextIO, head: str | None = None) -> int:
    """`alembic revision --autogenerate` against the configured database at head."""
    from alembic import command

    from alembic_sentinel.drift.compare import (
        describe_diff,
        without_false_positives_in_revision,
    )

    metadata = load_target_metadata(settings)
    script = script_directory(settings)
    require_at_head(settings, script, "migrate", head)
    changes: list[str] = []

    def collect_changes(context: Any, revision: Any, directives: list[Any]) -> None:
        upgrade_ops = directives[0].upgrade_ops
        refuse_empty_models(settings, metadata, upgrade_ops.as_diffs())
        # the very filters check and ci apply: what check calls noise is not written
        without_false_positives_in_revision(directives[0], context.dialect, metadata)
        # types as the database's dialect writes them (ENUM('a','b'), not VARCHAR(9))
        changes.extend(describe_diff(diff, context.dialect) for diff in upgrade_ops.as_diffs())
        if upgrade_ops.is_empty():
            # like Flask-Migrate's env.py: no model change, no revision file
            directives[:] = []

    for notice in hermetic_notices(settings):
        print(f"alembic-sentinel: note: {notice.message}", file=sys.stderr)
    config = alembic_config(settings, io.StringIO())
    # quiet: Alembic would print "Generating <the file> ... done" beside our own "wrote <the file>"
    config.cmd_opts = argparse.Namespace(quiet=True, x=None, autogenerate=True)
    template = settings.migrations / "script.py.mako"
    if not template.is_file():
        raise ConfigError(
            f"{settings.show(template)}: not found: Alembic writes every new revision from this "
            "template (restore it, e.g. from `alembic init` or `flask db init`)"
        )
    before = _revision_files(settings)
    try:
        with migration_environment(settings, metadata=metadata):
            written = command.revision(
                config,
                message=message,
                autogenerate=True,
                head=head or "head",
                process_revision_directives=collect_changes,
            )
    except Exception as exc:
        hooks = _post_write_hooks(config)
        added = sorted(_revision_files(settings) - before)
        if not hooks or not added:
            raise
        # the revision was written, then a post-write hook failed (its tool is not installed,
        # or it refused the file): remove it rather than leave it unreviewed and unformatted
        for path in added:
            path.unlink()
        lines = str(exc).strip().splitlines()
        error = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
        where = settings.show(settings.alembic_ini) if settings.alembic_ini else "pyproject.toml"
        raise ConfigError(
            f"{where} [post_write_hooks] {hooks}: {error}: the revision "
            f"{', '.join(settings.show(path) for path in added)} was removed (install the "
            "hook's tool, or remove the hook, and run migrate again)"
        ) from None
    scripts = [s for s in (written if isinstance(written, list) else [written]) if s is not None]
    if not scripts:
        print("no changes detected in the models: no revision written", file=out)
        return EXIT_OK
    for written_script in scripts:
        print(f"wrote {settings.show(_path(written_script))}", file=out)
    for change in changes:
        print(f"  {change}", file=out)
    review_written(settings, [Path(_path(s)) for s in scripts], out)
    return EXIT_OK


def _revision_files(settings: Settings) -> set[Path]:
    found: set[Path] = set()
    for location in settings.version_locations:
        pattern = "**/*.py" if settings.recursive_version_locations else "*.py"
        found.update(location.glob(pattern))
    return found


def _post_write_hooks(config: Any) -> str:
    """The names of the post-write hooks Alembic runs after writing a revision ("" for none)."""
    section = config.get_section("post_write_hooks") or {}
    names = section.get("hooks", "")
    toml = getattr(config, "toml_alembic_config", None)
    if not names and isinstance(toml, dict):
        names = ", ".join(str(h.get("name", "?")) for h in toml.get("post_write_hooks", []))
    return ", ".join(part.strip() for part in str(names).replace(",", " ").split())


def review_written(settings: Settings, paths: Sequence[Path], out: TextIO) -> None:
    """Lint the revision `migrate` just wrote: the guide's "pay attention" step, done for you."""
    from alembic_sentinel.lint.commands import lint_report, render_lint

    settings = judged_for_the_server(settings)
    report = lint_report(settings, paths)
    target = f"for {report.facts.get('target_server', settings.target_server)}"
    if not report.findings:
        print(
            f"review: no hazards found in the new revision {target} (alembic-sentinel lint)",
            file=out,
        )
        return
    print(f"review the new revision before committing ({target}):", file=out)
    report.summary.clear()
    out.write(render_lint(report, "text", out))


def judged_for_the_server(settings: Settings) -> Settings:
    """Without a target-server setting, the lint judges for the configured MySQL/MariaDB
    server's own release rather than the default mysql-8.0."""
    from sqlalchemy import text

    from alembic_sentinel.lint.online_ddl import server_target

    if settings.target_server_given or not settings.url:
        return settings
    if database.parsed_url(settings).get_backend_name() not in ("mysql", "mariadb"):
        return settings
    with database.connect(settings) as connection:
        version = str(connection.execute(text("SELECT VERSION()")).scalar() or "")
    target = server_target(version)
    if target is None:
        return settings
    # the lint hook and `settings` cannot connect: they read the release recorded here
    write_server_record(settings.root, version, str(target))
    sources = {**settings.sources, "target_server": f"the server ({version})"}
    return settings._replace(target_server=str(target), sources=sources)


def check(settings: Settings, fmt: str, shadow_url: str | None, cache: bool, out: TextIO) -> int:
    """The drift check, on a shadow database: the configured database is never touched."""
    from alembic_sentinel.drift.check import check_drift
    from alembic_sentinel.report.render import render

    report = check_drift(settings, shadow_url=shadow_url, cache=cache)
    report.findings.extend(hermetic_notices(settings))  # D403
    if not settings.url and shadow_url is None:
        report.findings.append(
            Finding(
                "D404",
                "sqlite-shadow",
                NOTICE,
                "no database is configured, so the shadow is an SQLite file: differences only "
                "MySQL/MariaDB would show are not seen",
                fix="configure the database (ENV_CONFIG, --url, FLASK_APP) or pass --shadow-url",
            )
        )
    out.write(render(report, fmt, out))
    return report.exit_code()


def clear_cache(settings: Settings, shadow_url: str | None, out: TextIO) -> int:
    from alembic_sentinel.drift.shadow import drop_cached, plan_shadow
    from alembic_sentinel.graph.answer_cache import ANSWERED_COMMANDS, AnswerCache
    from alembic_sentinel.graph.revision_cache import ParseCache

    shadow = plan_shadow(settings, shadow_url, cache=True)
    dropped = drop_cached(shadow)
    # the parse cache and the answers read from it (graph/answer_cache.py) go together
    parse_cache = ParseCache(settings.root).path
    answers = [AnswerCache(settings, command).path for command in ANSWERED_COMMANDS]
    had_parse_cache_files = any(path.exists() for path in (parse_cache, *answers))
    for path in (parse_cache, *answers):
        path.unlink(missing_ok=True)
    what = [
        f"the shadow database {shadow.safe_url}" if dropped else "",
        "the parse cache" if had_parse_cache_files else "",
    ]
    if any(what):
        print(f"dropped {' and '.join(filter(None, what))}", file=out)
    else:
        print(
            f"nothing to clear: no shadow database ({shadow.safe_url}) and no parse cache", file=out
        )
    return EXIT_OK


def create_database(settings: Settings, out: TextIO) -> int:
    name = database.database_name(settings)
    if database.create_database(settings):
        print(f"created database {name!r} ({settings.safe_url})", file=out)
    else:
        print(f"database {name!r} already exists ({settings.safe_url})", file=out)
    return EXIT_OK


def drop_database(
    settings: Settings, yes: bool, out: TextIO, answers: IO[str] | None = None
) -> int:
    name = database.database_name(settings)
    database.require_mysql_or_sqlite(settings, "drop-database")
    if settings.prod_env:
        shown = settings.sources.get("prod_env", "config")
        raise Refused(f"{shown}: PROD_ENV is true: refusing to drop database {name!r}")
    if not database.database_exists(settings):
        print(f"database {name!r} does not exist: nothing dropped", file=out)
        return EXIT_OK
    if not yes:
        answers = answers if answers is not None else sys.stdin
        if answers is None or answers.closed:
            raise Refused(
                f"no input to confirm on: database {name!r} was not dropped (--yes skips asking)"
            )
        print(
            f"Drop database {name!r} at {settings.safe_url} and all its data? [y/N] ",
            end="",
            file=out,
            flush=True,
        )
        reply = answers.readline().strip().lower()
        if reply not in ("y", "yes"):
            raise Refused(f"not confirmed: database {name!r} was not dropped (--yes skips asking)")
    database.drop_database(settings)
    print(f"dropped database {name!r}", file=out)
    return EXIT_OK


def show_settings(settings: Settings, out: TextIO) -> int:
    rows = [
        ("root", str(settings.root), "current directory"),
        ("config", _optional_path(settings, settings.config_file), _src(settings, "config")),
        ("url", settings.safe_url, _src(settings, "url")),
        ("prod_env", str(settings.prod_env), _src(settings, "prod_env")),
        ("migrations", settings.show(settings.migrations), _src(settings, "migrations")),
        ("alembic_ini", _optional_path(settings, settings.alembic_ini), "found"),
        (
            "version_locations",
            ", ".join(settings.show(p) for p in settings.version_locations),
            _src(settings, "version_locations"),
        ),
        ("metadata", settings.metadata or "(none)", _src(settings, "metadata")),
        ("run_env_py", str(settings.run_env_py), _src(settings, "run_env_py")),
        ("compare_type", str(settings.compare_type), _src(settings, "compare_type")),
        (
            "compare_server_default",
            str(settings.compare_server_default),
            _src(settings, "compare_server_default"),
        ),
        ("version_table", settings.version_table, _src(settings, "version_table")),
        (
            "render_as_batch",
            "on SQLite only" if settings.render_as_batch is None else str(settings.render_as_batch),
            _src(settings, "render_as_batch"),
        ),
        (
            "shadow_prepare",
            settings.shadow_prepare or "(none)",
            _src(settings, "shadow_prepare"),
        ),
        (
            "ignore_tables",
            ", ".join(settings.ignore_tables) or "(none)",
            _src(settings, "ignore_tables"),
        ),
        (
            "flask_app",
            settings.flask.shown if settings.flask else "(none)",
            _src(settings, "flask_app"),
        ),
        ("include_object", settings.include_object or "(none)", _src(settings, "include_object")),
        ("include_name", settings.include_name or "(none)", _src(settings, "include_name")),
        ("target_server", settings.target_server, _src(settings, "target_server")),
        (
            "naming_convention",
            "detect" if settings.naming_convention is None else str(settings.naming_convention),
            _src(settings, "naming_convention"),
        ),
        (
            "lint_severity",
            ", ".join(f"{k}={v}" for k, v in sorted(settings.lint_severity.items())) or "(none)",
            _src(settings, "lint_severity"),
        ),
        (
            "data_rows",
            ", ".join(f"{k}={v}" for k, v in sorted(settings.data_rows.items())) or "(--data-rows)",
            _src(settings, "data_rows"),
        ),
        ("table_stats", settings.table_stats or "(none)", _src(settings, "table_stats")),
        (
            "max_blocking_seconds",
            str(settings.max_blocking_seconds),
            _src(settings, "max_blocking_seconds"),
        ),
        (
            "lock_timeout",
            "(the server's)" if settings.lock_timeout is None else f"{settings.lock_timeout} s",
            _src(settings, "lock_timeout"),
        ),
    ]
    for name, value, source in rows:
        print(f"{name:<24}{value:<48} [{source}]", file=out)
    return EXIT_OK


def _src(settings: Settings, name: str) -> str:
    return settings.sources.get(name, "unset")


def _optional_path(settings: Settings, path: Any) -> str:
    return settings.show(path) if path is not None else "(none)"


def _path(script: Script) -> Any:
    from pathlib import Path

    return Path(script.path)


def _message(script: Script | None) -> str:
    return (script.doc or "").strip() if script is not None else ""
