"""Hook `alembic-heads`: fail on several heads or a broken revision graph.

At the pre-push stage it also reports the heads a merge with the branch's upstream and with the
remote's default branch would leave (`--push-against REF` chooses the refs instead). Inside
`git merge` (pre-merge-commit), several heads that the merge itself brings together are left to
the `alembic-merge-heads` post-merge hook when it is installed: it writes the merge revision
and adds it to the merge commit.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from alembic_sentinel.graph.answer_cache import graph_answer
from alembic_sentinel.hooks.common import add_migrations_argument, run_hook
from alembic_sentinel.report.model import Report
from alembic_sentinel.report.render import FORMATS, render
from alembic_sentinel.settings import Settings

PROG = "alembic-heads"
SEVERAL_HEADS = "G101"


def pre_push_refs(settings: Settings, configured: Sequence[str]) -> list[str]:
    """The refs to check a push against (none outside pre-push): see git_workflow.push_refs."""
    remote = os.environ.get("PRE_COMMIT_REMOTE_NAME")
    if not remote:
        return []
    from alembic_sentinel.graph import git_revisions, git_workflow

    repo = git_revisions.open_repo(settings.root)
    pushed = os.environ.get("PRE_COMMIT_REMOTE_BRANCH", "")
    return git_workflow.push_refs(repo, remote, pushed, configured)


def leave_merge_heads_to_post_merge(settings: Settings, report: Report) -> None:
    """Inside `git merge` with the merge-heads hook installed, several heads are what the merge
    brings together and the post-merge hook resolves: not a reason to refuse the merge."""
    if not any(f.code == SEVERAL_HEADS for f in report.findings):
        return
    from alembic_sentinel.graph import git_revisions, git_workflow

    if not git_workflow.in_git_merge():
        return
    if not git_workflow.merge_heads_hook_installed(git_revisions.open_repo(settings.root)):
        return
    heads = report.facts.get("heads", [])
    report.findings = [f for f in report.findings if f.code != SEVERAL_HEADS]
    report.summary.append(
        f"the merge brings together {len(heads)} heads; the {git_workflow.MERGE_HEADS_HOOK} "
        "post-merge hook writes the merge revision into the merge commit"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    add_migrations_argument(parser)
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--against",
        metavar="REF",
        help="also report the heads a merge with REF would leave",
    )
    parser.add_argument(
        "--push-against",
        metavar="REF",
        action="append",
        default=[],
        help="at pre-push, check against REF (repeatable) instead of the branch's upstream and "
        "the remote's default branch (origin/HEAD, else origin/main, origin/master)",
    )
    parser.add_argument("filenames", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def check(settings: Settings) -> int:
        against = [args.against] if args.against else pre_push_refs(settings, args.push_against)
        report = graph_answer(settings, "heads", against)
        leave_merge_heads_to_post_merge(settings, report)
        if report.errors and args.format == "text":
            report.summary.insert(0, f"{PROG}: the revision graph needs attention")
        sys.stdout.write(render(report, args.format, sys.stdout))
        return report.exit_code()

    return run_hook(PROG, args, check)


if __name__ == "__main__":
    raise SystemExit(main())
