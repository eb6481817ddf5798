"""Hook `alembic-drift`: fail a commit whose model changes have no revision.

Runs in the project's own environment (`language: system`): it imports the models. pre-commit
passes every staged Python file; a commit that stages no revision file and no module the last
check imported for the models returns at once, without importing SQLAlchemy. The models
are compared with a shadow database migrated to head (never the configured database); the
missing change is shown as the `op.*` code `migrate` would write. `--staged-only` needs no
database at all: model files staged without any new revision file staged fails.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from alembic_sentinel.drift.relevance import may_change_the_check
from alembic_sentinel.error_handler import guarded
from alembic_sentinel.errors import EXIT_FINDINGS, EXIT_OK
from alembic_sentinel.hooks.common import add_migrations_argument
from alembic_sentinel.report.render import FORMATS
from alembic_sentinel.settings import Overrides, Settings, resolve_settings

PROG = "alembic-drift"
RUN_THE_CHECK = -1  # not an exit code: the fast path could not rule the commit out


def staged_files(root: Path, diff_filter: str) -> list[Path]:
    """Files staged in the index with git's --diff-filter (A: added; ACMR: added, copied,
    modified, renamed), absolute."""
    from alembic_sentinel.graph.git_revisions import open_repo

    repo = open_repo(root)
    listed = repo.git.diff("--cached", "--name-only", f"--diff-filter={diff_filter}", "-z")
    top = Path(repo.working_tree_dir or root)
    return [(top / name).resolve() for name in listed.split("\0") if name]


def check_staged_only(settings: Settings, filenames: Sequence[str]) -> int:
    """Model files staged but no new revision staged: fail, without any database. Without
    file names (run by hand, or by a hook that passes none) the staged files are read from git."""
    locations = [location.resolve() for location in settings.version_locations]

    def in_versions(path: Path) -> bool:
        return any(location in path.parents for location in locations)

    if filenames:
        changed = [Path(name).resolve() for name in filenames if name.endswith(".py")]
    else:
        changed = [path for path in staged_files(settings.root, "ACMR") if path.suffix == ".py"]
    models = [path for path in changed if not in_versions(path)]
    if not models:
        return EXIT_OK
    if any(in_versions(path) for path in staged_files(settings.root, "A")):
        return EXIT_OK
    for path in models:
        print(
            f"{settings.show(path)}: error: D402 model file changed but no new revision is staged"
        )
    print(f'    fix: {migrate_command(settings)} -m "describe the change", review the revision,')
    print("         then stage it with the model change")
    return EXIT_FINDINGS


def migrate_command(settings: Settings) -> str:
    """The migrate command the project's users run: the project's own `python db migrate`
    script (the guide's layout) when it has one, else `flask sentinel migrate` under a Flask
    app, else `alembic-sentinel migrate`."""
    if (settings.root / "db").is_file() or (settings.root / "db.py").is_file():
        return "python db migrate"
    return f"{settings.command} migrate"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    add_migrations_argument(parser)
    parser.add_argument("--metadata", help="target MetaData as MODULE:ATTRIBUTE")
    parser.add_argument(
        "--flask-app", metavar="APP", help="the Flask app to read the settings from (FLASK_APP)"
    )
    parser.add_argument("--config", help="ENV_CONFIG file (its server hosts the shadow)")
    parser.add_argument("--url", help="database URL (its server hosts the shadow)")
    parser.add_argument("--shadow-url", metavar="URL", help="server for the shadow database")
    parser.add_argument("--no-cache", action="store_true", help="fresh shadow, dropped after")
    parser.add_argument("--staged-only", action="store_true", help="no database: staged files")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("filenames", nargs="*", help="staged files (passed by pre-commit)")
    args = parser.parse_args(argv)
    overrides = Overrides(
        migrations=args.migrations,
        metadata=args.metadata,
        config=args.config,
        url=args.url,
        flask_app=args.flask_app,
    )

    def drift(settings: Settings) -> int:
        if args.staged_only:
            return check_staged_only(settings, args.filenames)
        from alembic_sentinel.commands import check

        return check(settings, args.format, args.shadow_url, not args.no_cache, sys.stdout)

    if args.filenames and not args.staged_only:
        # pre-commit passes every staged Python file: decide from files alone (no SQLAlchemy,
        # no database settings) whether any can change the answer (drift/relevance.py)
        decided = guarded(
            PROG,
            lambda: resolve_settings(overrides, database=False),
            lambda settings: (
                RUN_THE_CHECK if may_change_the_check(settings, args.filenames) else EXIT_OK
            ),
        )
        if decided != RUN_THE_CHECK:
            return decided
    return guarded(PROG, lambda: resolve_settings(overrides, database=not args.staged_only), drift)


if __name__ == "__main__":
    raise SystemExit(main())
