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


# round 34: doing nothing, with its reason, in a comment of the empty downgrade

INDEX_DROPS = """
op.drop_index("ix_gizmo_name", table_name="gizmo")
"""


def l318_commented(comment: str) -> bool:
    return "L318" in codes(revision(INDEX_DROPS, f"# {comment}\npass"))


@pytest.mark.parametrize(
    "comment",
    [
        "do nothing here because it might cause a long outage",
        "Nothing to do on downgrade, since old code never reads the index",
        "leave it, as rebuilding the index locks the table for hours",
        "we do nothing on downgrade due to the size of the gizmo table",
        "leaving them for fear of a lock on the gizmo table",
    ],
)
def test_doing_nothing_for_a_stated_reason_is_a_decision(comment: str) -> None:
    assert not l318_commented(comment)


@pytest.mark.parametrize(
    "comment",
    [
        "do nothing",
        "do nothing here",
        "TODO: do nothing for now because it is not implemented yet",
        "do nothing as yet",
        "leave it",
    ],
)
def test_doing_nothing_without_a_reason_decides_nothing(comment: str) -> None:
    assert l318_commented(comment)
