"""An empty downgrade whose docstring states a wish not to undo (issue 20, round r28a): "We're
not interested in recreating these tables", "not planning on restoring them" are decisions
(L318 quiet, as for "we are not going to recreate"); a docstring saying the opposite, or a
TODO, still leaves the finding. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import codes, revision

DROPS = """
op.drop_table("gizmo_history")
op.drop_table("gizmo_snapshot")
"""


def l318(docstring: str) -> bool:
    downgrade = f'"""{docstring}"""\npass'
    return "L318" in codes(revision(DROPS, downgrade))


@pytest.mark.parametrize(
    "docstring",
    [
        "No-op.\n\nWe're not interested in recreating these tables.",
        "We are not interested in restoring the old history.",
        "Not planning on bringing the snapshots back... not planning on re-adding them.",
        "not intending to undo this",
    ],
)
def test_a_stated_wish_not_to_undo_is_a_decision(docstring: str) -> None:
    assert not l318(docstring)


@pytest.mark.parametrize(
    "docstring",
    [
        "We are interested in recreating these tables later.",
        "TODO: not interested in recreating them yet",
        "Not interested in the details.",
    ],
)
def test_other_words_leave_the_empty_downgrade_reported(docstring: str) -> None:
    assert l318(docstring)
