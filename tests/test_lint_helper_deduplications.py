"""A unique key made after a function of the project's own modules removed the duplicates it
would meet (issue 20, round 26): lint reads the function's body where the project keeps it. A
duplicate search there grouping by columns of the key, or (with no search in SQL to read) a
name or a self-joined DELETE saying it removes duplicates, on the key's table, before the key
and after every write of its columns, keeps L309 quiet. Projects of our own writing in
tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_projects import lint_in_project
from test_lint_rules import revision

CLEANUP = '''
import sqlalchemy as sa

seat = sa.table("seat", sa.column("id"), sa.column("code"))


def demote_extra_primaries(bind):
    """One primary address per member: the rest become NULL (history)."""
    members = [
        row[0]
        for row in bind.execute(
            sa.text(
                "SELECT member_id FROM address WHERE is_primary = 1 "
                "GROUP BY member_id HAVING COUNT(*) > 1"
            )
        )
    ]
    for member in members:
        ids = [
            row[0]
            for row in bind.execute(
                sa.text("SELECT id FROM address WHERE member_id = :m AND is_primary = 1"),
                {"m": member},
            )
        ]
        bind.execute(
            sa.text("UPDATE address SET is_primary = NULL WHERE id IN :ids"),
            {"ids": tuple(ids[1:])},
        )


def remove_duplicate_handles(bind):
    seen = set()
    for row in bind.execute(sa.text("SELECT id, handle FROM profile ORDER BY id")):
        if row.handle in seen:
            bind.execute(sa.text("DELETE FROM profile WHERE id = :id"), {"id": row.id})
        seen.add(row.handle)


def tidy_profiles(bind):
    bind.execute(
        sa.text(
            "DELETE p1 FROM profile p1 JOIN profile p2 "
            "ON p1.handle = p2.handle AND p1.id > p2.id"
        )
    )


def drop_repeated_codes(bind):
    repeated = bind.execute(
        sa.select(seat.c.code).group_by(seat.c.code).having(sa.func.count() > 1)
    ).all()
    for (code,) in repeated:
        bind.execute(
            sa.text("UPDATE seat SET code = CONCAT(code, '-', id) WHERE code = :c"), {"c": code}
        )


def dedupe_by_region(bind):
    """Keeps one profile per region: nothing about handles."""
    for (region,) in bind.execute(
        sa.text("SELECT region FROM profile GROUP BY region HAVING COUNT(*) > 1")
    ):
        bind.execute(sa.text("DELETE FROM profile WHERE region = :r LIMIT 1"), {"r": region})


def dedupe_tags(bind):
    seen = set()
    for row in bind.execute(sa.text("SELECT id, label FROM tag")):
        if row.label in seen:
            bind.execute(sa.text("DELETE FROM tag WHERE id = :id"), {"id": row.id})
        seen.add(row.label)


def mark_primaries(bind):
    bind.execute(sa.text("UPDATE address SET is_primary = 1 WHERE kind = 'home'"))
'''

HEADER = "from club.migrations.cleanup import {names}"
MODULE_HEADER = "from club.migrations import cleanup"

BACKFILL = "op.execute(\"UPDATE address SET is_primary = 1 WHERE kind = 'home'\")"
PRIMARY_KEY = (
    'op.create_unique_constraint("uq_address_primary", "address", ["member_id", "is_primary"])'
)
HANDLE_FILL = 'op.execute("UPDATE profile SET handle = LOWER(handle)")'
HANDLE_KEY = 'op.create_unique_constraint("uq_profile_handle", "profile", ["handle"])'
CODE_FILL = 'op.execute("UPDATE seat SET code = TRIM(code)")'
CODE_KEY = 'op.create_index("ix_seat_code", "seat", ["code"], unique=True)'


def _l309(tmp_path: Path, body: str, header: str) -> list[str]:
    findings = lint_in_project(
        tmp_path / "proj",
        {
            "club/__init__.py": "",
            "club/migrations/__init__.py": "",
            "club/migrations/cleanup.py": CLEANUP,
        },
        "club/migrations/versions/1234abcd5678_keys.py",
        revision(body, header=header),
    )
    return [f.message for f in findings if f.code == "L309" and f.severity == "warning"]


@pytest.mark.parametrize(
    ("names", "body"),
    [
        # a search grouping by a column of the key, then all but one set to NULL (which never
        # collides), after the backfill that made the duplicates
        (
            "demote_extra_primaries",
            [BACKFILL, "demote_extra_primaries(op.get_bind())", PRIMARY_KEY],
        ),
        # the same, the backfill itself a project function too
        (
            "demote_extra_primaries, mark_primaries",
            ["mark_primaries(op.get_bind())", "demote_extra_primaries(op.get_bind())", PRIMARY_KEY],
        ),
        # rows grouped in Python: the name says what the SQL cannot
        (
            "remove_duplicate_handles",
            [HANDLE_FILL, "remove_duplicate_handles(op.get_bind())", HANDLE_KEY],
        ),
        # a neutral name, but its DELETE removes each row another row of the table matches
        ("tidy_profiles", [HANDLE_FILL, "tidy_profiles(op.get_bind())", HANDLE_KEY]),
        # a Core search, the duplicates renamed
        ("drop_repeated_codes", [CODE_FILL, "drop_repeated_codes(op.get_bind())", CODE_KEY]),
    ],
)
def test_a_project_function_removing_the_duplicates_first_is_not_reported(
    tmp_path: Path, names: str, body: list[str]
) -> None:
    assert _l309(tmp_path, "\n".join(body), HEADER.format(names=names)) == []


def test_a_function_reached_through_its_module_counts_too(tmp_path: Path) -> None:
    body = [BACKFILL, "cleanup.demote_extra_primaries(op.get_bind())", PRIMARY_KEY]
    assert _l309(tmp_path, "\n".join(body), MODULE_HEADER) == []


@pytest.mark.parametrize(
    ("names", "body"),
    [
        # named for de-duplicating, but of another table
        ("dedupe_tags", [HANDLE_FILL, "dedupe_tags(op.get_bind())", HANDLE_KEY]),
        # its search groups by a column the key does not have: other duplicates
        ("dedupe_by_region", [HANDLE_FILL, "dedupe_by_region(op.get_bind())", HANDLE_KEY]),
        # run before the backfill that writes the key's column again
        (
            "demote_extra_primaries",
            ["demote_extra_primaries(op.get_bind())", BACKFILL, PRIMARY_KEY],
        ),
        # after the key: too late
        (
            "demote_extra_primaries",
            [BACKFILL, PRIMARY_KEY, "demote_extra_primaries(op.get_bind())"],
        ),
        # a function that only writes: nothing says it removes anything
        ("mark_primaries", ["mark_primaries(op.get_bind())", PRIMARY_KEY]),
    ],
)
def test_a_function_that_does_not_remove_the_keys_duplicates_is_still_reported(
    tmp_path: Path, names: str, body: list[str]
) -> None:
    assert len(_l309(tmp_path, "\n".join(body), HEADER.format(names=names))) == 1
