"""Hook `alembic-lint`: review the staged revision files for MySQL/MariaDB hazards.

Runs in pre-commit's isolated virtualenv: the revisions are read as syntax, never imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from alembic_sentinel.hooks.common import add_migrations_argument
from alembic_sentinel.settings import Overrides, Settings, resolve_settings

PROG = "alembic-lint"


def main(argv: Sequence[str] | None = None) -> int:
    from alembic_sentinel.lint.commands import add_output_arguments

    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    add_migrations_argument(parser)
    add_output_arguments(parser)
    parser.add_argument(
        "--all", action="store_true", help="lint every revision, not only the files given"
    )
    parser.add_argument("filenames", nargs="*", help="revision files (pre-commit passes them)")
    args = parser.parse_args(argv)

    def lint(settings: Settings) -> int:
        from alembic_sentinel.lint.commands import lint_report, render_lint, revision_files

        if not args.filenames and not args.all:
            return 0
        files, unreadable = revision_files(
            settings, [] if args.all else args.filenames, args.all, None
        )
        report = lint_report(settings, files, unreadable, whole_history=args.all)
        if report.errors and args.format == "text":
            report.summary.append(
                f"{PROG}: fix the revision, or suppress a finding with a reason: "
                "# sentinel: ignore[CODE] -- why it is safe"
            )
        sys.stdout.write(render_lint(report, args.format, sys.stdout))
        return report.exit_code()

    from alembic_sentinel.error_handler import guarded

    overrides = Overrides(migrations=args.migrations, target_server=args.target_server)
    return guarded(PROG, lambda: resolve_settings(overrides, database=False), lint)


if __name__ == "__main__":
    raise SystemExit(main())
