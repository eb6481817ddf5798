"""The verbs that only read revision files: heads, graph, merge, rebase.

They work where the project's code cannot be imported (pre-commit's isolated virtualenv), so they
use the static reader and never Alembic's `ScriptDirectory`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from alembic_sentinel.errors import EXIT_OK
from alembic_sentinel.graph.answer_cache import graph_answer
from alembic_sentinel.report.render import render
from alembic_sentinel.settings import Settings

# The graph machinery (revision_check and the readers) is imported by the verbs that need it:
# a `heads` or `graph` whose answer is recorded (answer_cache) reads no revision file.


def heads(settings: Settings, fmt: str, against: str | None, out: TextIO) -> int:
    report = graph_answer(settings, "heads", against)
    out.write(render(report, fmt, out))
    return report.exit_code()


def graph(settings: Settings, fmt: str, out: TextIO) -> int:
    report = graph_answer(settings, "graph")
    out.write(render(report, fmt, out))
    return report.exit_code()


def merge(settings: Settings, requested: Sequence[str], message: str | None, out: TextIO) -> int:
    from alembic_sentinel.graph.merge_revision import merge_parents, write_merge_revision
    from alembic_sentinel.graph.revision_check import working_tree_revisions

    revisions = working_tree_revisions(settings)
    parents = merge_parents(revisions, requested)
    if len(parents) < 2:
        print(f"nothing to merge: single head {', '.join(parents) or '(none)'}", file=out)
        return EXIT_OK
    path = write_merge_revision(settings, revisions, parents, message or "merge heads")
    print(f"wrote {settings.show(path)} (merges {', '.join(parents)})", file=out)
    return EXIT_OK


def rebase(settings: Settings, onto: str, out: TextIO) -> int:
    from alembic_sentinel.graph.rebase import apply_reparent, plan_rebase, require_rewritable
    from alembic_sentinel.graph.revision_check import ref_revisions, working_tree_revisions

    ours = working_tree_revisions(settings)
    theirs = ref_revisions(settings, onto)
    plan = plan_rebase(ours, theirs, onto)
    if not plan:
        print(f"nothing to rebase: this branch's revisions already build on {onto}", file=out)
        return EXIT_OK
    require_rewritable(settings.root, plan)
    for step in plan:
        apply_reparent(settings.root, step)
        print(
            f"{step.revision.path}: down_revision {', '.join(step.old_parents)} -> "
            f"{', '.join(step.new_parents)}",
            file=out,
        )
    target = plan[0].new_parents[-1]
    if target not in ours.graph.revisions:
        print(
            f"note: {onto}'s head {target} is not in this branch yet; until you bring it in "
            f"(`git rebase {onto}` or `git merge {onto}`), `heads` reports it as a missing parent",
            file=out,
        )
    else:
        after = working_tree_revisions(settings).graph.heads()
        print(f"heads now: {', '.join(sorted(after))}", file=out)
    print("review and commit the rewritten files", file=out)
    return EXIT_OK
