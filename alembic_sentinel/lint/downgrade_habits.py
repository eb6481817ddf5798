"""How the revisions linted together write their downgrade(): a forward-only convention (L318).

A run of revisions whose downgrade() undoes nothing shows a project that does not write
inverses there; an empty downgrade inside such a run follows the convention (lint.history
keeps each revision's kind at its graph depth).
"""

from __future__ import annotations

from typing import NamedTuple

from alembic_sentinel.lint.revision_model import RevisionModule

# a run of revisions without an undoing downgrade shows a forward-only convention when it is the
# whole history and holds this many revisions, or, in a history that undoes things elsewhere, when
# it holds the larger number: there a short run is as likely forgotten inverses as a policy
WHOLE_HISTORY_RUN = 3
PART_HISTORY_RUN = 5


class DowngradeHabits(NamedTuple):
    """How the revisions linted together write their downgrade(): the graph depths of those
    that undo something and of those that do not (no downgrade() or an empty one)."""

    undoing: tuple[int, ...] = ()
    quiet: tuple[int, ...] = ()

    def forward_only_at(self, depth: int) -> bool:
        """The revision at `depth` sits in a forward-only stretch: the run of depths between
        the nearest undoing revisions before and after it holds none that undoes anything and
        enough revisions to show a convention (WHOLE_HISTORY_RUN when nothing in the history
        undoes, PART_HISTORY_RUN when a history that did downgrades stopped or paused: an
        empty downgrade there follows the convention and is no omission). An undoing revision
        at the same depth (another branch) leaves the revision no such run."""
        if depth in self.undoing:
            return False
        before = max((d for d in self.undoing if d < depth), default=-1)
        after = min((d for d in self.undoing if d > depth), default=None)
        run = sum(1 for d in self.quiet if d > before and (after is None or d < after))
        needed = WHOLE_HISTORY_RUN if not self.undoing else PART_HISTORY_RUN
        return run >= needed


def downgrade_kind(module: RevisionModule) -> str:
    """absent, empty or undoing: how the module writes its downgrade()."""
    if module.downgrade is None:
        return "absent"
    return "empty" if module.downgrade.empty else "undoing"
