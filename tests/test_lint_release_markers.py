"""L317 and a revision whose message is only a release and its version (issue 20, round 15).

Some projects add an empty revision at every release ("Release [0.98.0]."); the newest one
sits at the head, where nothing was built on it yet. Fixtures are our own snippets."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_rules import lint


def _empty_revision(message: str) -> str:
    return textwrap.dedent(
        f'''\
        """{message}

        Revision ID: 1234abcd5678
        Revises: a8a2fc4e4c77
        """

        from alembic import op

        revision = "1234abcd5678"
        down_revision = "a8a2fc4e4c77"


        def upgrade():
            pass


        def downgrade():
            pass
        '''
    )


def l317(message: str) -> list[str]:
    return [f.message for f in lint(_empty_revision(message)) if f.code == "L317"]


@pytest.mark.parametrize(
    "message",
    ["Release [0.98.0].", "Release 1.4.2", "release v2.10", "Release (3.0.1)", "  Release [12.0]"],
)
def test_an_empty_release_marker_is_not_reported(message: str) -> None:
    assert l317(message) == []


@pytest.mark.parametrize(
    "message",
    [
        "Release locks held by old workers",  # a verb, no version
        "Release 1.4.2: add the invoice table",  # a release that was to change something
        "Add index for release 2.0",
        "Release notes table",
    ],
)
def test_other_empty_revisions_are_still_reported(message: str) -> None:
    assert len(l317(message)) == 1
