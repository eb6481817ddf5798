"""An empty downgrade that says the change cannot be re-added (issue 20, round 14): "re-add"
is "add back" in one word, a stated decision for L318 as "cannot be recreated" is. Our own
snippets: quiet when the words say so, reported when they do not."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source

DROPS_A_KEY = 'op.drop_constraint("uq_tables_name", "tables", type_="unique")'


def codes(downgrade: str) -> set[str]:
    source = revision(DROPS_A_KEY, downgrade)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return {finding.code for finding in report.findings}


@pytest.mark.parametrize(
    "downgrade",
    [
        "# One cannot simply re-add the unique key: it may not have existed.\npass",
        '"""The key can\'t be readded, rows may now repeat."""\npass',
        "# we do not re-add the constraint\npass",
        "# the old key will never be re-added\npass",
    ],
)
def test_a_downgrade_that_says_it_does_not_re_add_is_a_decision(downgrade: str) -> None:
    assert "L318" not in codes(downgrade)


@pytest.mark.parametrize(
    "downgrade",
    [
        "# re-add the unique key\npass",
        "# TODO: cannot re-add yet\npass",
        '"""Re-added by hand when needed."""\npass',
    ],
)
def test_words_that_decide_nothing_are_still_reported(downgrade: str) -> None:
    assert "L318" in codes(downgrade)


# round 17: "go back" and "back out" say the same as "revert" (our own wording)
@pytest.mark.parametrize(
    "downgrade",
    [
        "# Don't go back to the old type, it fails once a value was set.\npass",
        '"""We do not want to go back in fact."""\npass',
        '"""There isn\'t really anything to back out."""\npass',
        "# the key is not backed out: we never back out a unique key\npass",
        # round 22
        '"""No way back from here, sorry."""\npass',
    ],
)
def test_a_downgrade_that_says_it_does_not_go_back_is_a_decision(downgrade: str) -> None:
    assert "L318" not in codes(downgrade)


@pytest.mark.parametrize(
    "downgrade",
    [
        "# go back to the old key\npass",
        "# TODO: don't go back yet\npass",
        '"""Back out the key."""\npass',
        '"""Is there anything to back out?"""\npass',
        '"""Find a way back later."""\npass',
    ],
)
def test_go_back_words_that_decide_nothing_are_still_reported(downgrade: str) -> None:
    assert "L318" in codes(downgrade)


# round 22: more words between the negation and the verb, an inverse said to live in another
# revision, and a revision message saying the revision cannot be undone (our own wording)
@pytest.mark.parametrize(
    "downgrade",
    [
        "# these may have existed before, so we don't do anything to reverse them\npass",
        "# Undoing this is handled by 9f3c2a1b7d40\npass",
        '"""Reverted in the next migration."""\npass',
        "# covered by revision 0a1b2c3d4e5f\npass",
    ],
)
def test_a_downgrade_that_points_elsewhere_or_refuses_is_a_decision(downgrade: str) -> None:
    assert "L318" not in codes(downgrade)


@pytest.mark.parametrize(
    "downgrade",
    [
        "# the values are handled by the application\npass",
        "# done in a hurry\npass",
        "# TODO: handled by 9f3c2a1b7d40?\npass",
        "# we do reverse this somewhere, later\npass",
    ],
)
def test_words_that_point_nowhere_are_still_reported(downgrade: str) -> None:
    assert "L318" in codes(downgrade)


def _with_message(message: str) -> set[str]:
    source = revision(DROPS_A_KEY, "pass").replace("a test revision", message)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return {finding.code for finding in report.findings}


@pytest.mark.parametrize(
    "message",
    [
        "Drop the old keys.\n\nThe earlier step kept them; this is the irreversible part.",
        "Remove stale keys (cannot be undone)",
        "Non-reversible: drop the unique key",
    ],
)
def test_a_revision_message_saying_it_is_irreversible_is_a_decision(message: str) -> None:
    assert "L318" not in _with_message(message)


@pytest.mark.parametrize(
    "message",
    [
        "Remove the unnecessary unique key",
        "Drop the key, no need for it anymore",
        "TODO: irreversible? check before release",
        "Make the reversible part of the change",
    ],
)
def test_a_revision_message_that_decides_nothing_is_still_reported(message: str) -> None:
    assert "L318" in _with_message(message)
