"""L325 and a primary key that replaces the dropped one one-to-one (issue 20, round r28): the
upgrade drops a table's primary key, fills a new column with a lookup of another table's key
through one of the old key's columns, and makes the new key over the old key's columns with
that one replaced. Two rows the old key kept apart get different keys, and the revision rules
NULLs out (the column made NOT NULL first, the rows nothing matched deleted, or a foreign key
of an earlier revision behind the old column): none of L325's failures can happen. Also a
key over one Integer column added as the primary key's on PostgreSQL (SERIAL: every row
numbered). Our own snippets; the same shapes with one piece missing stay reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import lint, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

# seat(venue_code, row_no) becomes seat(venue_id, row_no); venue.id is venue's primary key
TABLES = """
venue = sa.table("venue", sa.column("id", sa.Integer), sa.column("code", sa.String(20)))
seat = sa.Table(
    "seat",
    sa.MetaData(),
    sa.Column("venue_code", sa.String(20), nullable=False),
    sa.Column("row_no", sa.Integer, nullable=False),
    sa.Column("venue_id", sa.Integer, nullable=True),
    sa.PrimaryKeyConstraint("venue_code", "row_no"),
)
"""
VENUE_KEY = 'op.create_primary_key("pk_venue", "venue", ["id"])\n'
ADD = 'op.add_column("seat", sa.Column("venue_id", sa.Integer(), nullable=True))\n'
LOOKUP = (
    "op.execute(seat.update().values(venue_id=sa.select([venue.c.id])"
    ".where(venue.c.code == seat.c.venue_code).limit(1).as_scalar()))\n"
)
NOT_NULL = 'op.alter_column("seat", "venue_id", existing_type=sa.Integer(), nullable=False)\n'
DELETE = "op.execute(seat.delete().where(seat.c.venue_id == None))\n"
SWAP = (
    'op.drop_constraint("pk_seat", "seat", type_="primary")\n'
    'op.drop_column("seat", "venue_code")\n'
    'op.create_primary_key("pk_seat", "seat", ["venue_id", "row_no"])\n'
)
REPLACED = TABLES + VENUE_KEY + ADD + LOOKUP + NOT_NULL + SWAP


def l325(upgrade: str, table: str = "seat", **options: object) -> list[str]:
    """L325's findings on the table (venue's own key, made first, is the rule's case)."""
    found = lint(revision(upgrade), **options)
    return [f.message for f in found if f.code == "L325" and f" on {table}(" in f.message]


@pytest.mark.parametrize(
    "upgrade",
    [
        REPLACED,
        REPLACED.replace(NOT_NULL, DELETE),  # the rows nothing matched are deleted
        REPLACED.replace(NOT_NULL, 'op.execute("DELETE FROM seat WHERE venue_id IS NULL")\n'),
        REPLACED.replace(".limit(1)", ""),
        # UPDATE ... FROM: the statement's own WHERE matches the venue
        REPLACED.replace(
            LOOKUP,
            "op.execute(seat.update().values(venue_id=venue.c.id)"
            ".where(venue.c.code == seat.c.venue_code))\n",
        ),
    ],
)
def test_a_key_replaced_one_to_one_is_not_reported(upgrade: str) -> None:
    assert l325(upgrade) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        REPLACED.replace(NOT_NULL, ""),  # rows no venue matched keep NULL
        REPLACED.replace('op.drop_constraint("pk_seat", "seat", type_="primary")\n', ""),
        REPLACED.replace(VENUE_KEY, ""),  # venue.id may repeat: two seats, one id
        # the lookup matches through a column outside the old key: rows may collide
        REPLACED.replace("seat.c.venue_code", "seat.c.label"),
        # a constant, not a lookup
        REPLACED.replace(LOOKUP, "op.execute(seat.update().values(venue_id=1))\n"),
        # the delete keeps the NULL rows (AND narrows it)
        REPLACED.replace(
            NOT_NULL,
            'op.execute("DELETE FROM seat WHERE venue_id IS NULL AND row_no > 9")\n',
        ),
        # the same columns again: nothing replaced (the rule's own case)
        TABLES + 'op.drop_constraint("pk_seat", "seat", type_="primary")\n'
        'op.create_primary_key("pk_seat", "seat", ["venue_code", "row_no"])\n',
    ],
)
def test_a_key_not_shown_one_to_one_stays_reported(upgrade: str) -> None:
    assert len(l325(upgrade)) == 1


SERIAL = """
op.drop_constraint("venue_pkey", "venue", type_="primary")
op.add_column("venue", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True))
op.create_primary_key("venue_pkey", "venue", ["id"])
"""


def test_a_serial_column_added_as_the_key_is_numbered_on_postgresql() -> None:
    postgresql = parse_server_version("postgresql")
    assert l325(SERIAL, "venue", target=postgresql) == []
    identity = SERIAL.replace('"id", sa.Integer', '"id", sa.Integer, sa.Identity()')
    assert l325(identity, "venue", target=postgresql) == []
    # autoincrement=False: every row holds the same value; and the old key kept
    assert len(l325(SERIAL.replace("=True)", "=False)"), "venue", target=postgresql)) == 1
    kept = SERIAL.replace('op.drop_constraint("venue_pkey", "venue", type_="primary")\n', "")
    assert len(l325(kept, "venue", target=postgresql)) == 1
    # MySQL: no SERIAL (an AUTO_INCREMENT added without a key is refused, L332), no identity
    assert len(l325(SERIAL, "venue")) == 1
    assert len(l325(identity, "venue")) == 1


# an earlier revision: the old key column NOT NULL with a foreign key to venue.code
CREATED = """
op.create_table(
    "seat",
    sa.Column("venue_code", sa.String(20), sa.ForeignKey("venue.code"), primary_key=True),
    sa.Column("row_no", sa.Integer, primary_key=True),
)
"""


def lint_after(tmp_path: Path, first: str, upgrade: str) -> list[str]:
    (tmp_path / "a_first.py").write_text(chained(revision(first), "aaaa0001", "base0000"))
    (tmp_path / "b_then.py").write_text(chained(revision(upgrade), "aaaa0002", "aaaa0001"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [f.path for f in report.findings if f.code == "L325" and " on seat(" in f.message]


def test_a_foreign_key_of_an_earlier_revision_rules_nulls_out(tmp_path: Path) -> None:
    upgrade = REPLACED.replace(NOT_NULL, "")
    assert lint_after(tmp_path, CREATED, upgrade) == []


@pytest.mark.parametrize(
    "first",
    [
        CREATED.replace(', sa.ForeignKey("venue.code")', ""),  # no foreign key
        CREATED.replace('sa.ForeignKey("venue.code")', 'sa.ForeignKey("venue.name")'),
        # the foreign key dropped since (a name lint reads or not)
        CREATED + 'op.drop_constraint(fk_name, "seat", type_="foreignkey")\n',
    ],
)
def test_without_that_foreign_key_nulls_may_stay(tmp_path: Path, first: str) -> None:
    upgrade = REPLACED.replace(NOT_NULL, "")
    assert len(lint_after(tmp_path, first, upgrade)) == 1


# round 32: seat has a second foreign key (zone_id -> zone.id); a later revision drops, in a
# loop over the foreign keys reflection reports, those its test picks by their columns
TWO_KEYS = CREATED.replace(
    '    sa.Column("row_no", sa.Integer, primary_key=True),\n',
    '    sa.Column("row_no", sa.Integer, primary_key=True),\n'
    '    sa.Column("zone_id", sa.Integer, sa.ForeignKey("zone.id"), nullable=True),\n',
)
REFLECTED_DROP = """
insp = sa.inspect(op.get_bind())
for fk in insp.get_foreign_keys("seat"):
    if fk["referred_columns"] == ["id"]:
        op.drop_constraint(fk["name"], "seat", type_="foreignkey")
"""


def lint_after_drop(tmp_path: Path, dropping: str, same_revision: bool = False) -> list[str]:
    bodies = [TWO_KEYS + dropping] if same_revision else [TWO_KEYS, dropping]
    bodies.append(REPLACED.replace(NOT_NULL, ""))
    down = "base0000"
    for number, body in enumerate(bodies):
        revision_id = f"aaaa{number + 1:04d}"
        path = tmp_path / f"{chr(ord('a') + number)}_{revision_id}.py"
        path.write_text(chained(revision(body), revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [f.path for f in report.findings if f.code == "L325" and " on seat(" in f.message]


@pytest.mark.parametrize("same_revision", [False, True])
@pytest.mark.parametrize(
    "dropping",
    [
        REFLECTED_DROP,
        # by the other key's own column
        REFLECTED_DROP.replace(
            'fk["referred_columns"] == ["id"]', '"zone_id" in fk["constrained_columns"]'
        ),
    ],
)
def test_a_reflected_drop_picking_another_foreign_key_leaves_this_one(
    tmp_path: Path, dropping: str, same_revision: bool
) -> None:
    assert lint_after_drop(tmp_path, dropping, same_revision) == []


@pytest.mark.parametrize("same_revision", [False, True])
@pytest.mark.parametrize(
    "dropping",
    [
        # the test picks venue's key by its referred column
        REFLECTED_DROP.replace('["id"]', '["code"]'),
        # by a name: the name lint does not keep may be this key's
        REFLECTED_DROP.replace('fk["referred_columns"] == ["id"]', 'fk["name"] == "fk_seat_x"'),
        # by a value lint cannot read
        REFLECTED_DROP.replace('["id"]', "[wanted]"),
        # every foreign key of the table
        REFLECTED_DROP.replace('    if fk["referred_columns"] == ["id"]:\n    ', ""),
    ],
)
def test_a_reflected_drop_that_may_take_this_foreign_key(
    tmp_path: Path, dropping: str, same_revision: bool
) -> None:
    assert len(lint_after_drop(tmp_path, dropping, same_revision)) == 1
