"""L325 and a primary key that swaps part of the dropped one for an id filled from it (issue
20, round 35's leftovers): the old key dropped first, its kept columns unchanged, the
columns it leaves out
carried into the table's other columns by an earlier revision's per-row loop (the id looked up
through them), no column able to hold NULL. And L301's integer counters on MySQL. Fixtures are
our own snippets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import codes, revision, target

from alembic_sentinel.lint.linter import LintOptions, lint_files

CREATED = """
op.create_table(
    "shelf",
    sa.Column("id", sa.String(36), nullable=False),
    sa.Column("region", sa.String(20), nullable=False),
    sa.Column("code", sa.String(20), nullable=False),
    sa.PrimaryKeyConstraint("region", "code"),
)
op.create_table(
    "slot",
    sa.Column("region", sa.String(20), nullable=False),
    sa.Column("code", sa.String(20), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("label", sa.String(40), nullable=True),
    sa.PrimaryKeyConstraint("region", "code", "position"),
    sa.ForeignKeyConstraint(["region", "code"], ["shelf.region", "shelf.code"]),
)
"""
ADD_SHELF_ID = 'op.add_column("slot", sa.Column("shelf_id", sa.String(36), nullable=True))\n'
FILL_LOOP = textwrap.dedent(
    """
    bind = op.get_bind()
    shelves = bind.execute("SELECT * FROM shelf")
    for shelf in shelves:
        bind.execute(
            "UPDATE slot SET shelf_id = '"
            + shelf.id
            + "' WHERE (region = '"
            + shelf.region
            + "') and (code = '"
            + shelf.code
            + "');"
        )
    """
)
DROP = 'op.drop_constraint("PRIMARY", "slot", type_="primary")\n'
SWAPPED = 'op.create_primary_key("pk_slot", "slot", ["shelf_id", "position"])\n'
RESTORES = 'op.drop_constraint("pk_slot", "slot", type_="primary")\n' + (
    'op.create_primary_key("pk_slot", "slot", ["region", "code", "position"])\n'
)


def l325_lines(tmp_path: Path, *steps: tuple[str, str]) -> list[int]:
    """L325's lines in the last of a history of revisions, each (upgrade, downgrade)."""
    down = "base0000"
    for n, (upgrade, downgrade) in enumerate(steps, 1):
        name = f"r{n:04d}"
        (tmp_path / f"{name}.py").write_text(chained(revision(upgrade, downgrade), name, down))
        down = name
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions())
    return [f.line for f in report.findings if f.code == "L325" and f.path == f"{down}.py"]


@pytest.mark.parametrize(
    "steps",
    [
        # the history shows the old key; the id filled by a loop matching on the columns it
        # replaces, one revision before the key
        [(CREATED, "pass"), (ADD_SHELF_ID + FILL_LOOP, "pass"), (DROP + SWAPPED, RESTORES)],
        # a table made before the history: the old key is the one the downgrade restores
        [(ADD_SHELF_ID + FILL_LOOP, "pass"), (DROP + SWAPPED, RESTORES)],
        # two columns kept, and the id made NOT NULL meanwhile
        [
            (CREATED, "pass"),
            (ADD_SHELF_ID + FILL_LOOP, "pass"),
            (
                'op.alter_column("slot", "shelf_id", existing_type=sa.String(36), '
                "nullable=False)\n" + DROP + SWAPPED.replace('"position"]', '"position", "code"]'),
                RESTORES,
            ),
        ],
    ],
    ids=["history", "before-the-history", "two-kept"],
)
def test_a_key_swapping_old_columns_for_the_id_filled_from_them_is_not_reported(
    tmp_path: Path, steps: list[tuple[str, str]]
) -> None:
    assert l325_lines(tmp_path, *steps) == []


@pytest.mark.parametrize(
    "steps",
    [
        # nothing carried the left-out columns: the new column may be coarser than them
        [(CREATED, "pass"), (ADD_SHELF_ID, "pass"), (DROP + SWAPPED, RESTORES)],
        # the loop matched on other columns than those the key leaves out
        [
            (CREATED, "pass"),
            (ADD_SHELF_ID + FILL_LOOP.replace("(code = ", "(label = "), "pass"),
            (DROP + SWAPPED.replace('["shelf_id", ', '["shelf_id", "region", '), RESTORES),
        ],
        # narrowed: a subset of the old key's columns
        [
            (CREATED, "pass"),
            (ADD_SHELF_ID + FILL_LOOP, "pass"),
            (DROP + SWAPPED.replace('"shelf_id", ', '"code", '), RESTORES),
        ],
        # no column of the old key kept: a new key, not the old one re-keyed
        [
            (CREATED, "pass"),
            (ADD_SHELF_ID + FILL_LOOP, "pass"),
            (DROP + SWAPPED.replace(', "position"', ""), RESTORES),
        ],
        # the old key kept: a second primary key
        [(CREATED, "pass"), (ADD_SHELF_ID + FILL_LOOP, "pass"), (SWAPPED, RESTORES)],
        # a kept column rewritten first: rows the old key kept apart may be alike now
        [
            (CREATED, "pass"),
            (ADD_SHELF_ID + FILL_LOOP, "pass"),
            (DROP + 'op.execute("UPDATE slot SET position = 0")\n' + SWAPPED, RESTORES),
        ],
        # the id added by the key's own upgrade: it holds NULL, nothing filled it
        [(CREATED, "pass"), (FILL_LOOP, "pass"), (ADD_SHELF_ID + DROP + SWAPPED, RESTORES)],
    ],
    ids=[
        "not-carried",
        "other-match",
        "narrowed",
        "disjoint",
        "old-kept",
        "rewritten",
        "added-here",
    ],
)
def test_a_swap_not_shown_safe_stays_reported(tmp_path: Path, steps: list[tuple[str, str]]) -> None:
    assert len(l325_lines(tmp_path, *steps)) == 1


# --- L301: an integer counter added NOT NULL without a default, on MySQL ---------------------

MYSQL = "mysql-8.0"


@pytest.mark.parametrize("name", ["version_id", "lock_version", "retries", "attempt_count"])
def test_an_integer_counter_starting_at_mysql_s_zero_is_not_l301(name: str) -> None:
    body = f'op.add_column("invoice", sa.Column("{name}", sa.Integer(), nullable=False))'
    assert "L301" not in codes(revision(body), target=target(MYSQL))


@pytest.mark.parametrize(
    ("column", "server"),
    [
        # the guide's isListed: a Boolean MySQL gives 0 is no counter
        ('sa.Column("isListed", sa.Boolean(), nullable=False)', MYSQL),
        # a count of things the rows already have: 0 is wrong for them (round 19's warre)
        ('sa.Column("instance_count", sa.Integer(), nullable=False)', MYSQL),
        # a counter's name on a string column: MySQL gives ''
        ('sa.Column("version", sa.String(20), nullable=False)', MYSQL),
        # PostgreSQL and SQLite refuse the ADD whatever the column counts
        ('sa.Column("version_id", sa.Integer(), nullable=False)', "postgresql-16"),
        ('sa.Column("version_id", sa.Integer(), nullable=False)', "sqlite"),
    ],
    ids=["boolean", "a-count", "string", "postgresql", "sqlite"],
)
def test_other_not_null_columns_keep_l301(column: str, server: str) -> None:
    source = revision(f'op.add_column("invoice", {column})')
    assert "L301" in codes(source, target=target(server))
