"""Hook `alembic-merge-heads` (post-merge, post-rewrite): resolve the heads a merge or rebase left.

After `git merge`/`git pull` brought in revisions from another branch, the history may have
several heads: this writes the merge revision with the project's script.py.mako, adds it to the
index and, when the merge made a merge commit that is not published yet, to that commit (so the
merge ends with one head and nothing left to do). After a squash merge or a fast-forward it is
written and staged for the next commit.

After `git rebase` (or `git pull --rebase`) a merge revision would fork a linear history; this
re-parents the branch's own revisions onto the new base's head instead, as
`alembic-sentinel rebase --onto` does, and stages them; when it cannot, it says what to run.
With --warn-only it only says what is needed.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from alembic_sentinel.errors import EXIT_FINDINGS, EXIT_OK, ConfigError
from alembic_sentinel.graph.revision_check import Revisions, working_tree_revisions
from alembic_sentinel.hooks.common import add_migrations_argument, run_hook
from alembic_sentinel.settings import Settings

PROG = "alembic-merge-heads"


def rewrite_command(git_args: Sequence[str]) -> str | None:
    """`rebase` or `amend` in post-rewrite (pre-commit's variable, or git's own argument)."""
    command = os.environ.get("PRE_COMMIT_REWRITE_COMMAND") or (git_args[0] if git_args else "")
    return command if command in ("rebase", "amend") else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    add_migrations_argument(parser)
    parser.add_argument(
        "--warn-only",
        action="store_true",
        help="write nothing; only say what the merge or rebase needs",
    )
    parser.add_argument("-m", "--message", default="merge heads", help="revision message")
    # post-rewrite passes "amend" or "rebase"; post-merge passes the squash flag
    parser.add_argument("git_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def resolve(settings: Settings) -> int:
        revisions = working_tree_revisions(settings)
        if len(revisions.graph.heads()) < 2:
            return EXIT_OK
        command = rewrite_command(args.git_args)
        if command == "amend":
            return EXIT_OK  # the commit hooks checked the amended commit's graph
        if command == "rebase":
            return after_rebase(settings, revisions, args.warn_only)
        squash = os.environ.get("PRE_COMMIT_IS_SQUASH_MERGE", "".join(args.git_args)) == "1"
        return after_merge(settings, revisions, args.warn_only, args.message, squash)

    return run_hook(PROG, args, resolve)


def after_merge(
    settings: Settings, revisions: Revisions, warn_only: bool, message: str, squash: bool
) -> int:
    from alembic_sentinel.graph import git_revisions, git_workflow
    from alembic_sentinel.graph.merge_revision import merge_parents, write_merge_revision

    heads = merge_parents(revisions, ["heads"])
    if warn_only:
        print(
            f"{PROG}: {len(heads)} heads ({', '.join(heads)}): "
            "run `alembic-sentinel merge heads` and commit the merge revision"
        )
        return EXIT_FINDINGS
    path = write_merge_revision(settings, revisions, heads, message)
    shown = settings.show(path)
    left = f"{PROG}: the merge left {len(heads)} heads ({', '.join(heads)}); wrote {shown}"
    try:
        repo = git_revisions.open_repo(settings.root)
    except ConfigError:  # run by hand outside a repository: nothing to stage
        print(f"{left}: review it, then commit it")
        return EXIT_OK
    git_workflow.stage(repo, [path])
    if not squash and git_workflow.head_is_unpublished_merge(repo):
        git_workflow.add_index_to_head_merge(repo)
        print(f"{left} and added it to the merge commit: one head")
    else:
        print(f"{left} and staged it: commit it")
    return EXIT_OK


def after_rebase(settings: Settings, revisions: Revisions, warn_only: bool) -> int:
    from alembic_sentinel.errors import Refused
    from alembic_sentinel.graph import git_revisions, git_workflow
    from alembic_sentinel.graph.rebase import apply_reparent, plan_rebase

    command = "alembic-sentinel rebase --onto <the branch you rebased onto>"
    repo = git_revisions.open_repo(settings.root)
    own = git_workflow.rebased_away_revisions(settings, repo)
    if not own or not own & set(revisions.graph.revisions):
        print(
            f"{PROG}: the rebase left {len(revisions.graph.heads())} heads that are not this "
            f"branch's own: run `alembic-sentinel heads` to see them"
        )
        return EXIT_FINDINGS
    base = git_workflow.without(revisions, own)
    try:
        plan = plan_rebase(revisions, base, "the new base")
    except Refused as refused:
        print(f"{PROG}: the rebase left several heads; {refused}; then run `{command}`")
        return EXIT_FINDINGS
    if warn_only or not plan:
        print(f"{PROG}: the rebase left several heads: run `{command}` and commit")
        return EXIT_FINDINGS
    for step in plan:
        apply_reparent(settings.root, step)
    git_workflow.stage(repo, [settings.root / step.revision.path for step in plan])
    for step in plan:
        print(
            f"{PROG}: {step.revision.path}: down_revision {', '.join(step.old_parents)} -> "
            f"{', '.join(step.new_parents)} (re-parented onto the new base, no merge revision)"
        )
    after = sorted(working_tree_revisions(settings).graph.heads())
    print(f"{PROG}: heads now: {', '.join(after)}; the change is staged: commit it")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
