"""Hook `alembic-merge-heads` (post-merge, post-rewrite): write the merge revision a merge needs.

After `git merge`/`git pull` brought in revisions from another branch, the history may have
several heads; this writes the merge revision with the project's script.py.mako, exactly once,
and says so. With --warn-only it only says what is needed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from alembic_sentinel.errors import EXIT_FINDINGS, EXIT_OK
from alembic_sentinel.graph.revision_check import working_tree_revisions
from alembic_sentinel.hooks.common import add_migrations_argument, run_hook
from alembic_sentinel.settings import Settings

PROG = "alembic-merge-heads"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    add_migrations_argument(parser)
    parser.add_argument(
        "--warn-only",
        action="store_true",
        help="do not write the merge revision; only say that one is needed",
    )
    parser.add_argument("-m", "--message", default="merge heads", help="revision message")
    # post-rewrite passes "amend" or "rebase"; post-merge passes the squash flag
    parser.add_argument("git_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def merge(settings: Settings) -> int:
        from alembic_sentinel.graph.merge_revision import merge_parents, write_merge_revision

        revisions = working_tree_revisions(settings)
        heads = merge_parents(revisions, ["heads"])
        if len(heads) < 2:
            return EXIT_OK
        if args.warn_only:
            print(
                f"{PROG}: {len(heads)} heads ({', '.join(heads)}): "
                "run `alembic-sentinel merge heads` and commit the merge revision"
            )
            return EXIT_FINDINGS
        path = write_merge_revision(settings, revisions, heads, args.message)
        print(
            f"{PROG}: the merge left {len(heads)} heads ({', '.join(heads)}); "
            f"wrote {settings.show(path)}: review it, then commit it"
        )
        return EXIT_OK

    return run_hook(PROG, args, merge)


if __name__ == "__main__":
    raise SystemExit(main())
