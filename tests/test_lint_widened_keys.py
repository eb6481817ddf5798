"""L325 and a new primary key that cannot meet a NULL or a duplicate (issue 20, round 32):

- the key dropped just before, widened by NOT NULL columns: rows the old key (as the revision
  that made it shows) kept apart stay apart over more columns, and no column can hold NULL;
- raw `ALTER TABLE t DROP PRIMARY KEY, ADD COLUMN seq ... AUTO_INCREMENT, ADD PRIMARY KEY
  (seq)`: the server numbers every row of the one key column as it adds it.

The same key again, a widening by a column that may be NULL, a key column written or given a
new type first, the old key kept, or a raw key over a column the server does not number (or
over more columns) stay reported. Our own snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import lint, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

CREATED = """
op.create_table(
    "reading",
    sa.Column("sensor", sa.String(40), nullable=False),
    sa.Column("taken_at", sa.DateTime(), nullable=False),
    sa.Column("origin", sa.String(100), nullable=False),
    sa.Column("value", sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint("sensor", "taken_at", name="pk_reading"),
)
"""
DROP = 'op.drop_constraint("pk_reading", "reading", type_="primary")\n'
WIDENED = 'op.create_primary_key("pk_reading", "reading", ["sensor", "taken_at", "origin"])\n'


def l325_after(tmp_path: Path, first: str, upgrade: str) -> list[int]:
    (tmp_path / "a_first.py").write_text(chained(revision(first), "bbbb0001", "base0000"))
    (tmp_path / "b_then.py").write_text(chained(revision(upgrade), "bbbb0002", "bbbb0001"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [f.line for f in report.findings if f.code == "L325"]


@pytest.mark.parametrize(
    "upgrade",
    [
        DROP + WIDENED,
        # an index kept for a foreign key meanwhile, the widened column's type shortened
        'op.create_index("ix_sensor", "reading", ["sensor"])\n'
        + DROP
        + 'op.alter_column("reading", "origin", type_=sa.String(60), existing_nullable=False)\n'
        + WIDENED,
        # widened by a column the upgrade made NOT NULL first
        DROP
        + 'op.alter_column("reading", "value", existing_type=sa.Float(), nullable=False)\n'
        + WIDENED.replace('"origin"]', '"origin", "value"]'),
    ],
)
def test_the_dropped_key_widened_by_not_null_columns_cannot_fail(
    tmp_path: Path, upgrade: str
) -> None:
    assert l325_after(tmp_path, CREATED, upgrade) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        DROP + WIDENED.replace('"origin"]', '"value"]'),  # value may be NULL
        DROP + 'op.create_primary_key("pk_reading", "reading", ["sensor", "taken_at"])\n',
        WIDENED,  # the old key kept: a second primary key
        DROP + WIDENED.replace('"taken_at", ', ""),  # not over the old key's columns
        # a key column rewritten first: two rows may now be alike
        DROP + 'op.execute("UPDATE reading SET taken_at = DATE(taken_at)")\n' + WIDENED,
        DROP
        + 'op.alter_column("reading", "taken_at", type_=sa.Date(), existing_nullable=False)\n'
        + WIDENED,
    ],
)
def test_a_key_not_shown_safe_stays_reported(tmp_path: Path, upgrade: str) -> None:
    assert len(l325_after(tmp_path, CREATED, upgrade)) == 1


def test_a_widening_of_a_key_the_history_does_not_show_stays_reported(tmp_path: Path) -> None:
    first = CREATED.replace(
        '    sa.PrimaryKeyConstraint("sensor", "taken_at", name="pk_reading"),\n', ""
    )
    assert len(l325_after(tmp_path, first, DROP + WIDENED)) == 1


RAW = (
    'op.execute("ALTER TABLE reading DROP PRIMARY KEY, '
    "ADD COLUMN seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT FIRST, ADD PRIMARY KEY (seq), "
    'ADD UNIQUE INDEX uq_sensor_taken (sensor, taken_at)")\n'
)


def l325(upgrade: str) -> list[str]:
    return [f.message for f in lint(revision(upgrade)) if f.code == "L325"]


@pytest.mark.parametrize(
    "upgrade",
    [
        RAW,
        RAW.replace("BIGINT UNSIGNED NOT NULL AUTO_INCREMENT FIRST", "SERIAL"),
        RAW.replace("ADD PRIMARY KEY (seq)", "ADD CONSTRAINT pk_reading PRIMARY KEY (`seq`)"),
    ],
)
def test_a_raw_key_over_a_column_the_server_numbers_cannot_fail(upgrade: str) -> None:
    assert l325(upgrade) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        RAW.replace("DROP PRIMARY KEY, ", ""),  # the old key kept: ERROR 1068
        RAW.replace(" AUTO_INCREMENT", ""),  # every row 0
        RAW.replace("PRIMARY KEY (seq)", "PRIMARY KEY (seq, sensor)"),
        RAW.replace("PRIMARY KEY (seq)", "PRIMARY KEY (sensor)"),
    ],
)
def test_a_raw_key_the_server_does_not_number_stays_reported(upgrade: str) -> None:
    assert len(l325(upgrade)) == 1


# Round 34: the old key widened by NOT NULL columns, read from raw SQL, from an add_column of
# the same upgrade, or from the key the downgrade restores (a table made before the history).

SLOTS = """
op.create_table(
    "slot",
    sa.Column("shelf", sa.String(20), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("label", sa.String(40), nullable=True),
    sa.PrimaryKeyConstraint("shelf", "position"),
)
"""
ADD_SIDE = (
    'op.add_column("slot", sa.Column("side", sa.String(10), nullable=False, '
    'server_default="front"))\n'
)
RAW_WIDENED = (
    'op.execute("ALTER TABLE slot DROP PRIMARY KEY, ADD PRIMARY KEY (shelf, position, side)")\n'
)
NAMED_DROP = 'op.drop_constraint("slot_pkey", "slot")\n'
OPS_WIDENED = 'op.create_primary_key("slot_pkey", "slot", ["shelf", "position", "side"])\n'
RESTORES_OLD_KEY = (
    'op.drop_constraint("slot_pkey", "slot")\n'
    'op.create_primary_key("slot_pkey", "slot", ["shelf", "position"])\n'
    'op.drop_column("slot", "side")\n'
)
RAW_RESTORES_OLD_KEY = (
    'op.execute("ALTER TABLE slot DROP PRIMARY KEY, ADD PRIMARY KEY (shelf, position)")\n'
)


def l325_in_history(tmp_path: Path, *steps: tuple[str, str]) -> list[str]:
    """L325's findings on a history of revisions, each (upgrade, downgrade)."""
    down = "base0000"
    for n, (upgrade, downgrade) in enumerate(steps, 1):
        name = f"r{n:04d}"
        (tmp_path / f"{name}.py").write_text(chained(revision(upgrade, downgrade), name, down))
        down = name
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [f"{f.path}:{f.line}" for f in report.findings if f.code == "L325"]


@pytest.mark.parametrize(
    "steps",
    [
        # raw SQL; the added column NOT NULL by an earlier revision
        [(SLOTS, "pass"), (ADD_SIDE, "pass"), (RAW_WIDENED, "pass")],
        # the column added NOT NULL by the same upgrade (the rows get its default)
        [(SLOTS, "pass"), (ADD_SIDE + RAW_WIDENED, "pass")],
        [(SLOTS, "pass"), (ADD_SIDE + NAMED_DROP + OPS_WIDENED, RESTORES_OLD_KEY)],
        # a table made before the history: the old key is the one the downgrade restores
        [(ADD_SIDE + NAMED_DROP + OPS_WIDENED, RESTORES_OLD_KEY)],
        [(ADD_SIDE + RAW_WIDENED, RAW_RESTORES_OLD_KEY)],
        # r35 leftovers: the old key known nowhere, but the downgrade drops the added column and
        # makes no key, which on MySQL shrinks the key back to (shelf, position): the key the
        # table had, widened by a column holding one default in every row
        [(ADD_SIDE + RAW_WIDENED, 'op.drop_column("slot", "side")')],
        [(ADD_SIDE + NAMED_DROP + OPS_WIDENED, 'op.drop_column("slot", "side")')],
    ],
)
def test_the_old_key_widened_by_not_null_columns_cannot_fail(
    tmp_path: Path, steps: list[tuple[str, str]]
) -> None:
    assert l325_in_history(tmp_path, *steps) == []


NULLABLE_SIDE = ADD_SIDE.replace("nullable=False", "nullable=True")


@pytest.mark.parametrize(
    "steps",
    [
        # the added column may hold NULL
        [(SLOTS, "pass"), (NULLABLE_SIDE + RAW_WIDENED, "pass")],
        [(NULLABLE_SIDE + NAMED_DROP + OPS_WIDENED, RESTORES_OLD_KEY)],
        [(SLOTS, "pass"), (RAW_WIDENED.replace("side", "label"), "pass")],
        # made nullable again before the key
        [
            (
                ADD_SIDE
                + 'op.alter_column("slot", "side", existing_type=sa.String(10), nullable=True)\n'
                + RAW_WIDENED,
                RAW_RESTORES_OLD_KEY,
            )
        ],
        # the old key known nowhere (no history, the downgrade neither restores it nor drops
        # the added column, which on MySQL would shrink the key back: round 35's leftovers)
        [(ADD_SIDE + RAW_WIDENED, "pass")],
        [(ADD_SIDE + NAMED_DROP + OPS_WIDENED, "pass")],
        [(NULLABLE_SIDE + NAMED_DROP + OPS_WIDENED, 'op.drop_column("slot", "side")')],
        # not over every column of the old key
        [(SLOTS, "pass"), (ADD_SIDE + RAW_WIDENED.replace("position, ", ""), "pass")],
        # the old key kept: a second primary key
        [(SLOTS, "pass"), (ADD_SIDE + RAW_WIDENED.replace("DROP PRIMARY KEY, ", ""), "pass")],
        # a column of the old key rewritten first
        [
            (SLOTS, "pass"),
            (ADD_SIDE + 'op.execute("UPDATE slot SET position = 0")\n' + RAW_WIDENED, "pass"),
        ],
    ],
)
def test_a_widening_not_shown_free_of_null_stays_reported(
    tmp_path: Path, steps: list[tuple[str, str]]
) -> None:
    assert len(l325_in_history(tmp_path, *steps)) == 1
