"""L307 and L314 on two narrowings that lose nothing (issue 20, round 37).

- A revision that repeats an earlier one's alters word for word: its existing_type is stale,
  the revisions before already gave the column the type its type_= asks for. No narrowing
  (L307) and no copy (L314); the earlier revision's findings stay.
- A string key cut to a UUID's width (36 characters, or 32 as hex): the table's one-column
  primary key, a foreign key to one, or a column named for UUIDs. A notice to check, not an
  error; a column that is no key (`tenant_id` cut to 36) or a width that is no UUID's stays an
  error.

Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_history_types import findings
from test_lint_rules import revision

CREATES = revision(
    """
op.create_table(
    "team",
    sa.Column("id", sa.String(512), primary_key=True),
    sa.Column("title", sa.String(100), nullable=False),
    sa.Column("tenant_id", sa.String(255), nullable=False),
    sa.Column("external_uuid", sa.String(255), nullable=True),
)
op.create_table(
    "player",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("team_id", sa.String(512), sa.ForeignKey("team.id")),
    sa.Column("code", sa.String(512), nullable=True),
)
"""
)


def alter(table: str, column: str, old: int, new: int) -> str:
    return (
        f'op.alter_column("{table}", "{column}", existing_type=sa.String({old}), '
        f"type_=sa.String({new}))"
    )


# a stale existing_type: the history already made the column that type


def test_a_repeated_shortening_is_reported_once(tmp_path: Path) -> None:
    shorten = revision(alter("team", "title", 100, 20))
    found = findings(tmp_path, CREATES, shorten, shorten)
    assert found == [("r1.py", "L307", "error"), ("r1.py", "L314", "warning")]


def test_a_shortening_past_the_historys_type_is_still_reported(tmp_path: Path) -> None:
    # the history made it 50; the stale existing_type says 100; 20 still shortens it
    found = findings(
        tmp_path,
        CREATES,
        revision(alter("team", "title", 100, 50)),
        revision(alter("team", "title", 100, 20)),
    )
    assert ("r2.py", "L307", "error") in found
    assert ("r2.py", "L314", "warning") in found


def test_an_existing_type_the_history_does_not_contradict_is_read(tmp_path: Path) -> None:
    # no revision before retyped it: existing_type 100 agrees with the history
    found = findings(tmp_path, CREATES, revision(alter("team", "title", 100, 20)))
    assert ("r1.py", "L307", "error") in found


# a key cut to a UUID's width


@pytest.mark.parametrize(
    ("table", "column", "old", "new"),
    [
        ("team", "id", 512, 36),  # the table's primary key
        ("team", "id", 512, 32),  # uuid4().hex
        ("player", "team_id", 512, 36),  # a foreign key to that primary key
        ("team", "external_uuid", 255, 36),  # named for UUIDs
    ],
)
def test_a_uuid_key_cut_to_a_uuids_width_is_a_notice(
    tmp_path: Path, table: str, column: str, old: int, new: int
) -> None:
    found = findings(tmp_path, CREATES, revision(alter(table, column, old, new)))
    assert ("r1.py", "L307", "notice") in found
    assert ("r1.py", "L307", "error") not in found


@pytest.mark.parametrize(
    ("table", "column", "old", "new"),
    [
        ("team", "tenant_id", 255, 36),  # an identifier of another system, no key here
        ("player", "code", 512, 36),  # no key, no UUID in its name
        ("team", "id", 512, 40),  # a key, but not cut to a UUID's width
        ("team", "id", 512, 16),
    ],
)
def test_other_shortenings_stay_errors(
    tmp_path: Path, table: str, column: str, old: int, new: int
) -> None:
    found = findings(tmp_path, CREATES, revision(alter(table, column, old, new)))
    assert ("r1.py", "L307", "error") in found


def test_an_existing_type_the_history_never_gave_is_believed(tmp_path: Path) -> None:
    # created VARCHAR(100) here (the file edited after databases ran it with 120): the fix's
    # existing_type=120 speaks of those databases, and 120 -> 100 shortens it there
    found = findings(tmp_path, CREATES, revision(alter("team", "title", 120, 100)))
    assert ("r1.py", "L307", "error") in found
    assert ("r1.py", "L314", "warning") in found
