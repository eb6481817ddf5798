"""What a revision says in words about a column it drops (issue 20, round 32).

L305: a remark that the column never held values of its own (never written, never set, always
NULL), naming it, in the upgrade's comments, its docstring or the revision's message: nothing
is lost. A column said to be unused or unread still held values, and a TODO decides nothing:
still reported.

L306: a message that states the removal of the dropped column and the addition of the new one
as two acts ("Add label_text to the panel table and delete label_kind") speaks of a redesign,
not a rename; a message of one change ("Rename ...", "Change x to y", "fix the name") or one that
states only one side leaves it reported. Our own revisions."""

from __future__ import annotations

import pytest
from test_lint_rules import codes, revision

from alembic_sentinel.lint.stated_intent import says_never_written, stated_separately

DROP = 'op.drop_column("panel", "legacy_scale")'


def _with_message(message: str, upgrade: str, downgrade: str = "pass") -> str:
    return revision(upgrade, downgrade).replace("a test revision", message, 1)


# --- L305: never written -------------------------------------------------------------------


@pytest.mark.parametrize(
    "upgrade",
    [
        f"# legacy_scale was never written by the application: nothing to keep\n{DROP}",
        f"# Drop legacy_scale. It was never populated outside the test fixtures.\n{DROP}",
        f"# nothing ever wrote legacy_scale, the column is always NULL\n{DROP}",
        f'"""Drops legacy_scale, which no code path ever set: it has always been NULL."""\n{DROP}',
        'op.execute("ALTER TABLE panel DROP COLUMN legacy_scale")  # legacy_scale: never set\n',
    ],
)
def test_a_column_said_never_written_is_no_loss(upgrade: str) -> None:
    assert "L305" not in codes(revision(upgrade))


def test_the_message_may_say_it() -> None:
    message = "Drop legacy_scale\n\nThe column legacy_scale was never writable by panel owners."
    assert "L305" not in codes(_with_message(message, DROP))


@pytest.mark.parametrize(
    "upgrade",
    [
        # unused, unread: values it held are still lost
        f"# it was not used, so we do not need to migrate legacy_scale's data\n{DROP}",
        f"# remove unused column legacy_scale\n{DROP}",
        f"# legacy_scale is never read anywhere\n{DROP}",
        # another column never written
        f"# old_scale was never written\n{DROP}",
        # a TODO decides nothing
        f"# TODO: check legacy_scale was never written\n{DROP}",
        # a remark about something else
        f"# we do not need to set a default for legacy_scale\n{DROP}",
    ],
)
def test_a_column_said_unused_unread_or_another_one_is_still_reported(upgrade: str) -> None:
    assert "L305" in codes(revision(upgrade))


def test_a_sentence_naming_another_dropped_column_speaks_of_that_one() -> None:
    remark = "We drop legacy_scale and old_scale. old_scale was never written."
    assert says_never_written([remark], "old_scale", ["legacy_scale"])
    assert not says_never_written([remark], "legacy_scale", ["old_scale"])


# --- L306: the message states a removal and an addition -------------------------------------

NUMBERED = "\n".join(
    [
        *(f'op.add_column("panel", sa.Column("label_{n}_text", sa.Text()))' for n in (1, 2, 3)),
        *(f'op.drop_column("panel", "label_{n}_kind")' for n in (1, 2, 3)),
    ]
)
NUMBERED_DOWN = "\n".join(
    [
        *(f'op.add_column("panel", sa.Column("label_{n}_kind", sa.Text()))' for n in (1, 2, 3)),
        *(f'op.drop_column("panel", "label_{n}_text")' for n in (1, 2, 3)),
    ]
)
ONE = 'op.add_column("panel", sa.Column("caption", sa.String(80)))\n' + DROP.replace(
    "legacy_scale", "title"
)
ONE_DOWN = (
    'op.add_column("panel", sa.Column("title", sa.String(80)))\nop.drop_column("panel", "caption")'
)


@pytest.mark.parametrize(
    ("message", "upgrade", "downgrade"),
    [
        ("Add label_text to panel table and delete label_kind", NUMBERED, NUMBERED_DOWN),
        ("Remove the label kinds (label_kind); add a new label_text", NUMBERED, NUMBERED_DOWN),
        ("Drop title. Add caption for the new gallery view", ONE, ONE_DOWN),
    ],
)
def test_a_message_stating_a_removal_and_an_addition_is_no_rename(
    message: str, upgrade: str, downgrade: str
) -> None:
    found = codes(_with_message(message, upgrade, downgrade))
    assert "L306" not in found
    assert "L305" in found  # the removal still loses the values


@pytest.mark.parametrize(
    ("message", "upgrade", "downgrade"),
    [
        # one change: perhaps a rename
        ("Rename label_kind to label_text", NUMBERED, NUMBERED_DOWN),
        ("Change label_kind to label_text", NUMBERED, NUMBERED_DOWN),
        ("Drop title, add caption instead", ONE, ONE_DOWN),
        ("Fix the name: delete title, add caption", ONE, ONE_DOWN),
        # only one side stated
        ("Delete label_kind", NUMBERED, NUMBERED_DOWN),
        ("Add caption", ONE, ONE_DOWN),
        # nothing stated
        ("update", ONE, ONE_DOWN),
        # names of other columns
        ("Add subtitle and delete heading", ONE, ONE_DOWN),
    ],
)
def test_a_message_of_one_change_or_one_side_leaves_the_rename_reported(
    message: str, upgrade: str, downgrade: str
) -> None:
    assert "L306" in codes(_with_message(message, upgrade, downgrade))


def test_alembic_header_lines_state_nothing() -> None:
    message = "panel\n\nRevision ID: 1234abcd5678\nRevises: a8a2fc4e4c77\nCreate Date: 2024-01-01"
    assert not stated_separately(message, "date", removed=False)
    assert stated_separately("Create date, drop day", "date", removed=False)
