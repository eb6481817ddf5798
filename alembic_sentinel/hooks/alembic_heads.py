"""Hook `alembic-heads`: fail on several heads or a broken revision graph.

At the pre-push stage it also reports the heads a merge with the upstream branch would leave.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from alembic_sentinel.graph.revision_check import heads_report
from alembic_sentinel.hooks.common import add_migrations_argument, run_hook
from alembic_sentinel.report.render import FORMATS, render
from alembic_sentinel.settings import Settings

PROG = "alembic-heads"


def pre_push_ref(settings: Settings) -> str | None:
    """The ref to check a push against: the branch's upstream, else the pushed-to branch."""
    remote = os.environ.get("PRE_COMMIT_REMOTE_NAME")
    if not remote:
        return None
    from alembic_sentinel.graph import git_revisions

    repo = git_revisions.open_repo(settings.root)
    upstream = git_revisions.upstream_ref(repo)
    if upstream is not None:
        return upstream
    branch = os.environ.get("PRE_COMMIT_REMOTE_BRANCH", "").removeprefix("refs/heads/")
    candidate = f"{remote}/{branch}"
    try:
        repo.commit(candidate)
    except Exception:  # a new remote branch: nothing to collide with yet
        return None
    return candidate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    add_migrations_argument(parser)
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--against",
        metavar="REF",
        help="also report the heads a merge with REF would leave (pre-push: the upstream)",
    )
    parser.add_argument("filenames", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def check(settings: Settings) -> int:
        against = args.against or pre_push_ref(settings)
        report = heads_report(settings, "heads", against)
        if report.errors and args.format == "text":
            report.summary.insert(0, f"{PROG}: the revision graph needs attention")
        sys.stdout.write(render(report, args.format, sys.stdout))
        return report.exit_code()

    return run_hook(PROG, args, check)


if __name__ == "__main__":
    raise SystemExit(main())
