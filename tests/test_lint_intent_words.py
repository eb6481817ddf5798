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
