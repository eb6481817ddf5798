"""L317 and an upgrade emptied because its work moved to another revision (issue 20, round 23).

A history that folds a revision's change into a later one keeps the emptied revision as a link
of the chain and says so in its message ("Absorbed by <revision id>"). Fixtures are our own
snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint


def _empty_revision(message: str, docstring: str = "", downgrade: str = "pass") -> str:
    # built line by line, not dedented: a message of several lines starts some at column 0
    inner = f'"""{docstring}"""\n    ' if docstring else ""
    return (
        f'"""{message}\n\nRevision ID: 5e6f7a8b9c0d\nRevises: 0b1c2d3e4f5a\n"""\n\n'
        "from alembic import op\n\n"
        'revision = "5e6f7a8b9c0d"\ndown_revision = "0b1c2d3e4f5a"\n\n\n'
        f"def upgrade():\n    {inner}pass\n\n\n"
        f"def downgrade():\n    {downgrade}\n"
    )


def l317(message: str, docstring: str = "", downgrade: str = "pass") -> list[str]:
    findings = lint(_empty_revision(message, docstring, downgrade))
    assert not [f for f in findings if f.code == "F201"]
    return [f.message for f in findings if f.code == "L317"]


@pytest.mark.parametrize(
    "message",
    [
        "backfill_invoice_totals\n\nAbsorbed by 9a8b7c6d5e4f_backfill_invoice_totals_v2",
        "rebuild ledger indexes\n\nAbsorbed by 3c4d5e6f7a8b and 4d5e6f7a8b9c",
        "add audit trail\n\nMerged into 'a1b2c3d4e5f6'.",
        "add audit trail\n\nThe change was moved to revision 7f00aa11bb22.",
        "normalise phone numbers\n\nSuperseded by 0f1e2d3c4b5a, kept for the chain.",
        "split names\n\nFolded into the next migration.",
        "split names\n\nreplaced by a later revision",
    ],
)
def test_an_upgrade_whose_work_moved_to_a_named_revision_is_not_reported(message: str) -> None:
    assert l317(message) == []
    # also when the downgrade refuses to run (forward-only project)
    assert l317(message, downgrade="raise NotImplementedError()") == []


def test_the_upgrade_docstring_may_say_it_too() -> None:
    assert l317("backfill totals", docstring="Absorbed by 9a8b7c6d5e4f.") == []


@pytest.mark.parametrize(
    "message",
    [
        "backfill totals",  # says nothing
        "TODO: absorb into 9a8b7c6d5e4f",  # work still to do
        "backfill totals\n\nTODO: merged into 9a8b7c6d5e4f?",  # a TODO note decides nothing
        "moved to the archive table",  # a change named, no revision
        "handled by the scheduler",  # no revision named
        "merge into decade",  # hex-looking word without a digit: not a revision id
        "replaced by 12345",  # too short for a revision id
    ],
)
def test_other_empty_upgrades_are_still_reported(message: str) -> None:
    assert len(l317(message)) == 1
