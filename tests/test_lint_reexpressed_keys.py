"""L325 and two more shapes of a primary key that replaces the dropped one (issue 20, round
32; lint/replaced_keys.py), our own fixtures:

- the new key is the old key widened by a column whose NULL rows are deleted (or that is made
  NOT NULL) before it: the old key's columns keep every row apart, so no duplicate, and no
  NULL is left;
- a key column re-expressed row by row by a function of the revision's file from the old key
  column it replaces (`plan.slot_date = next_date(plan.weekday)`, the old column dropped), the
  old key dropped by the name the revision gives the table's primary key.

The same shapes with one piece missing stay reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

# --- a key widened by a column ------------------------------------------------------------------

CREATED = """op.create_table(
    "saved_arg",
    sa.Column("host_id", sa.Integer(), nullable=False),
    sa.Column("routine_id", sa.Integer(), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("value", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("host_id", "routine_id", "position"),
)"""
ADD = 'op.add_column("saved_arg", sa.Column("owner_id", sa.Integer(), nullable=True))\n'
FILL = (
    'op.execute("UPDATE saved_arg SET owner_id = h.owner_id FROM host h '
    'WHERE saved_arg.host_id = h.id")\n'
)
ORPHANS = 'op.execute("DELETE FROM saved_arg WHERE owner_id IS NULL")\n'
NOT_NULL = 'op.alter_column("saved_arg", "owner_id", nullable=False)\n'
SWAP = (
    'op.drop_constraint("saved_arg_pkey", "saved_arg", type_="primary")\n'
    'op.create_primary_key("saved_arg_pkey", "saved_arg", '
    '["owner_id", "host_id", "routine_id", "position"])\n'
)
WIDENED = ADD + FILL + ORPHANS + NOT_NULL + SWAP


def l325_in_history(tmp_path: Path, bodies: list[tuple[str, str]], target: str) -> list[str]:
    """L325's findings on the last of a chain of revisions."""
    down = "a8a2fc4e4c77"
    for number, (upgrade, downgrade) in enumerate(bodies):
        revision_id = f"e3{number:010d}"
        source = chained(revision(upgrade, downgrade), revision_id, down)
        (tmp_path / f"{revision_id}.py").write_text(source)
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(target=parse_server_version(target))
    findings = lint_files(files, options).findings
    return [f.message for f in findings if f.code == "L325" and f.path == f"{down}.py"]


def widened(tmp_path: Path, upgrade: str, target: str = "mysql-8.0") -> list[str]:
    bodies = [(CREATED, 'op.drop_table("saved_arg")'), (upgrade, "pass")]
    return l325_in_history(tmp_path, bodies, target)


@pytest.mark.parametrize("target", ["mysql-8.0", "postgresql"])
@pytest.mark.parametrize(
    "upgrade",
    [
        WIDENED,
        WIDENED.replace(NOT_NULL, ""),  # the NULL rows deleted is enough
        WIDENED.replace(ORPHANS, ""),  # NOT NULL first: a NULL fails that step, not the key
    ],
)
def test_a_key_widened_by_a_column_free_of_nulls_is_not_reported(
    tmp_path: Path, upgrade: str, target: str
) -> None:
    assert widened(tmp_path, upgrade, target) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        WIDENED.replace(ORPHANS, "").replace(NOT_NULL, ""),  # rows no host matched keep NULL
        # the old key is not dropped: a second primary key
        WIDENED.replace('op.drop_constraint("saved_arg_pkey", "saved_arg", type_="primary")\n', ""),
        # a column of the old key left out: rows it kept apart may now collide
        WIDENED.replace(
            '["owner_id", "host_id", "routine_id", "position"]', '["owner_id", "host_id"]'
        ),
        # a column of the old key rewritten first: rows it kept apart may be alike now
        WIDENED.replace(SWAP, 'op.execute("UPDATE saved_arg SET position = 0")\n' + SWAP),
        WIDENED.replace(
            NOT_NULL,
            NOT_NULL + 'op.alter_column("saved_arg", "routine_id", type_=sa.SmallInteger())\n',
        ),
        # the very columns of the old key: nothing replaced, the rule's own case
        WIDENED.replace(
            '["owner_id", "host_id", "routine_id", "position"]',
            '["host_id", "routine_id", "position"]',
        ),
    ],
)
def test_a_key_widened_with_a_piece_missing_is_reported(tmp_path: Path, upgrade: str) -> None:
    assert len(widened(tmp_path, upgrade)) == 1


# --- a key column re-expressed by a function of the file ---------------------------------------

MAPPED = """
from sqlalchemy import orm
from datetime import date, timedelta

Base = orm.declarative_base()


class Slot(Base):
    __tablename__ = "slot"
    course_id = sa.Column(sa.Integer, primary_key=True)
    weekday = sa.Column(sa.Integer, primary_key=True)
    slot_date = sa.Column(sa.Date)


def next_date(weekday: int) -> date:
    if weekday < 0:
        return date.min
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7)
"""
ADD_DATE = (
    'with op.batch_alter_table("slot") as batch_op:\n'
    '    batch_op.add_column(sa.Column("slot_date", sa.Date(), nullable=True))\n'
)
LOOP = (
    "session = orm.Session(bind=op.get_bind())\n"
    "slots = session.query(Slot).all()\n"
    "for slot in slots:\n"
    "    slot.slot_date = next_date(slot.weekday)\n"
    "session.bulk_save_objects(slots)\n"
    "session.commit()\n"
)
DROP_KEY = '    batch_op.drop_constraint("pk_slot")\n'
REKEYED = (
    ADD_DATE
    + LOOP
    + 'with op.batch_alter_table("slot") as batch_op:\n'
    + '    batch_op.alter_column("slot_date", nullable=False)\n'
    + DROP_KEY
    + '    batch_op.create_primary_key("pk_slot", ["course_id", "slot_date"])\n'
    + '    batch_op.drop_column("weekday")\n'
)
RESTORED = (
    'with op.batch_alter_table("slot") as batch_op:\n'
    '    batch_op.add_column(sa.Column("weekday", sa.Integer(), nullable=False))\n'
    '    batch_op.drop_constraint("pk_slot")\n'
    '    batch_op.create_primary_key("pk_slot", ["course_id", "weekday"])\n'
    '    batch_op.drop_column("slot_date")'
)


SLOTS = """op.create_table(
    "slot",
    sa.Column("course_id", sa.Integer(), nullable=False),
    sa.Column("weekday", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("course_id", "weekday", name="pk_slot"),
)"""


def rekeyed(
    tmp_path: Path, upgrade: str, downgrade: str = RESTORED, target: str = "mysql-8.0"
) -> list[str]:
    down = "a8a2fc4e4c77"
    sources = [
        revision(SLOTS, 'op.drop_table("slot")'),
        revision(upgrade, downgrade, header=MAPPED),
    ]
    for number, source in enumerate(sources):
        revision_id = f"e4{number:010d}"
        (tmp_path / f"{revision_id}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    findings = lint_files(files, LintOptions(target=parse_server_version(target))).findings
    return [f.message for f in findings if f.code == "L325" and f.path == f"{down}.py"]


@pytest.mark.parametrize("target", ["mysql-8.0", "sqlite"])
@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (REKEYED, RESTORED),
        # the loaded objects saved by the session's commit alone
        (REKEYED.replace("session.bulk_save_objects(slots)\n", ""), RESTORED),
        # the old key dropped by its type; the downgrade says nothing of its name
        (
            REKEYED.replace(DROP_KEY, '    batch_op.drop_constraint("pk_slot", type_="primary")\n'),
            "pass",
        ),
        # a keyword literal beside the column
        (REKEYED.replace("next_date(slot.weekday)", "next_date(weekday=slot.weekday)"), RESTORED),
    ],
)
def test_a_key_column_re_expressed_from_the_one_it_replaces_is_not_reported(
    tmp_path: Path, upgrade: str, downgrade: str, target: str
) -> None:
    assert rekeyed(tmp_path, upgrade, downgrade, target) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # the old column stays: the new one is a second column, not its replacement
        (REKEYED.replace('    batch_op.drop_column("weekday")\n', ""), RESTORED),
        # computed from two columns
        (
            REKEYED.replace("next_date(slot.weekday)", "next_date(slot.weekday + slot.course_id)"),
            RESTORED,
        ),
        # a function of no file of the revision's (a builtin may merge values)
        (REKEYED.replace("next_date(slot.weekday)", "abs(slot.weekday)"), RESTORED),
        # a row NULL where nothing is written: not made NOT NULL
        (REKEYED.replace('    batch_op.alter_column("slot_date", nullable=False)\n', ""), RESTORED),
        # a constraint of another name dropped: the primary key may still be there
        (REKEYED.replace('drop_constraint("pk_slot")', 'drop_constraint("uq_slot")'), "pass"),
        # objects of unknown origin saved: they may hold anything
        (
            REKEYED.replace(
                "session.bulk_save_objects(slots)", "session.bulk_save_objects(others)"
            ),
            RESTORED,
        ),
    ],
)
def test_a_re_expressed_key_with_a_piece_missing_is_reported(
    tmp_path: Path, upgrade: str, downgrade: str
) -> None:
    assert len(rekeyed(tmp_path, upgrade, downgrade)) == 1
