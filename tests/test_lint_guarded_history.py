"""Round 39's false classes of guarded steps and temporary columns (issue 20). Our own
revisions.

- L304: a drop guarded by an existence test (`if has_table(NAME):`, NAME a module constant or
  a loop's variable over literal names) of a table an ancestor dropped the same way drops
  nothing. A project helper's `op.get_bind()` (an existence test reading the schema) makes no
  table unknown. A drop after a step lint cannot follow, or whose earlier drop was under an
  unrelated `if`, still loses rows.
- L319: a guarded create_table of a table the history leaves there owes no inverse, also when
  the table was first made by a guarded create (a baseline) and changed since by a helper's
  alter_column (its columns unknown, its presence not). After a drop, or SQL lint cannot
  read, it is still reported.
- L318: the first revision that does anything after a no-op base creates the first schema: an
  empty downgrade is right, as at the base itself. A revision whose every change is a guarded
  create of what the history has changes nothing. A revision after a base that does
  something, or one that also drops or alters, is still reported.
- L330: a column the same function drops a few steps after the restatement (renamed aside,
  copied, dropped) loses nothing that lasts. Dropped under an `if`, not dropped, or another
  column dropped: still reported.
"""

from __future__ import annotations

from pathlib import Path

from test_lint_round37_history import found, history
from test_lint_rules import revision

HELPERS = """
def has_table(name):
    bind = op.get_bind()
    return sa.inspect(bind).has_table(name)


def safe_alter_column(table, column, **kw):
    bind = op.get_bind()
    names = [c["name"] for c in sa.inspect(bind).get_columns(table)]
    if column in names:
        op.alter_column(table, column, **kw)
"""

ROOMS = revision(
    """
    op.create_table("rooms", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("room_tags", sa.Column("room_id", sa.Integer()),
                    sa.Column("tag", sa.String(20)))
    """,
    'op.drop_table("room_tags")\nop.drop_table("rooms")',
)
RECREATE = 'op.create_table("room_tags", sa.Column("room_id", sa.Integer()))'
OTHER_CREATE = 'op.create_table("rooms", sa.Column("id", sa.Integer(), primary_key=True))'


def helpers(upgrade: str, downgrade: str = RECREATE, header: str = "") -> str:
    return revision(upgrade, downgrade, header=HELPERS + header)


# L304: guarded drops of a table an ancestor dropped

DROP_BY_CONSTANT = helpers(
    """
    if has_table(_TAGS):
        op.drop_table(_TAGS)
    """,
    header='\n_TAGS = "room_tags"\n',
)


def test_a_guarded_drop_after_a_guarded_drop_by_a_constant_loses_nothing(
    tmp_path: Path,
) -> None:
    again = helpers(
        """
        if has_table("room_tags"):
            op.drop_table("room_tags")
        """
    )
    assert found(history(tmp_path, ROOMS, DROP_BY_CONSTANT, again), "L304") == ["r1.py"]


def test_a_guarded_drop_in_a_loop_over_names_counts_the_same(tmp_path: Path) -> None:
    first = revision(
        """
        names = sa.inspect(op.get_bind()).get_table_names()
        for table in ("room_tags",):
            if table in names:
                op.drop_table(table)
        """,
        RECREATE,
    )
    again = helpers(
        """
        if has_table("room_tags"):
            op.drop_table("room_tags")
        """
    )
    assert found(history(tmp_path, ROOMS, first, again), "L304") == ["r1.py"]


def test_a_drop_after_an_unrelated_guard_still_loses_rows(tmp_path: Path) -> None:
    first = revision(
        """
        if op.get_context().opts.get("drop_tags"):
            op.drop_table("room_tags")
        """,
        RECREATE,
    )
    again = helpers(
        """
        if has_table("room_tags"):
            op.drop_table("room_tags")
        """
    )
    assert found(history(tmp_path, ROOMS, first, again), "L304") == ["r1.py", "r2.py"]


def test_a_drop_after_sql_lint_cannot_read_still_loses_rows(tmp_path: Path) -> None:
    rebuilt = revision("op.execute(DDL)", header="DDL = open('schema.sql').read()")
    again = helpers(
        """
        if has_table("room_tags"):
            op.drop_table("room_tags")
        """
    )
    findings = history(tmp_path, ROOMS, DROP_BY_CONSTANT, rebuilt, again)
    assert found(findings, "L304") == ["r1.py", "r3.py"]


# L319: guarded creates of a table the history leaves there

NO_OP_BASE = revision("pass", "pass", down_revision="None")
BASELINE = helpers(
    """
    if not has_table("rooms"):
        op.create_table("rooms", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("label", sa.String(20), nullable=False))
    if not has_table("guests"):
        op.create_table("guests", sa.Column("id", sa.Integer(), primary_key=True))
    """,
    "pass",
)
ALTERED = helpers(
    """
    safe_alter_column("rooms", "label", existing_type=sa.String(20), type_=sa.String(40),
                      existing_nullable=False)
    """,
    """
    safe_alter_column("rooms", "label", existing_type=sa.String(40), type_=sa.String(20),
                      existing_nullable=False)
    """,
)
RESCUE = helpers(
    """
    if not has_table("rooms"):
        op.create_table("rooms", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("bookings", sa.Column("id", sa.Integer(), primary_key=True))
    """,
    'op.drop_table("bookings")',
)


def test_a_rescue_create_of_a_baseline_table_owes_no_inverse(tmp_path: Path) -> None:
    findings = history(tmp_path, NO_OP_BASE, BASELINE, ALTERED, RESCUE)
    assert "r3.py" not in found(findings, "L319")


def test_a_rescue_create_spelled_with_the_inspector_counts_the_same(tmp_path: Path) -> None:
    rescue = revision(
        """
        if "rooms" not in sa.inspect(op.get_bind()).get_table_names():
            op.create_table("rooms", sa.Column("id", sa.Integer(), primary_key=True))
        op.create_table("bookings", sa.Column("id", sa.Integer(), primary_key=True))
        """,
        'op.drop_table("bookings")',
    )
    findings = history(tmp_path, NO_OP_BASE, BASELINE, ALTERED, rescue)
    assert "r3.py" not in found(findings, "L319")


def test_a_rescue_create_after_the_table_was_dropped_is_still_reported(tmp_path: Path) -> None:
    dropped = revision('op.drop_table("rooms")', OTHER_CREATE)
    findings = history(tmp_path, NO_OP_BASE, BASELINE, dropped, RESCUE)
    assert "r3.py" in found(findings, "L319")


def test_a_rescue_create_after_sql_lint_cannot_read_is_still_reported(tmp_path: Path) -> None:
    unread = revision("op.execute(DDL)", header="DDL = open('schema.sql').read()")
    findings = history(tmp_path, NO_OP_BASE, BASELINE, unread, RESCUE)
    assert "r3.py" in found(findings, "L319")


# L318: the effective base, and revisions of guarded creates only


def test_the_first_revision_after_a_no_op_base_is_the_first_schema(tmp_path: Path) -> None:
    for number, later in enumerate((BASELINE, revision(OTHER_CREATE))):
        place = tmp_path / str(number)
        place.mkdir()
        assert "r1.py" not in found(history(place, NO_OP_BASE, later), "L318")


def test_a_revision_of_rescue_creates_only_owes_no_downgrade(tmp_path: Path) -> None:
    rescue = helpers(
        """
        if not has_table("rooms"):
            op.create_table("rooms", sa.Column("id", sa.Integer(), primary_key=True))
        if not has_table("guests"):
            op.create_table("guests", sa.Column("id", sa.Integer(), primary_key=True))
        """,
        "pass",
    )
    findings = history(tmp_path, NO_OP_BASE, BASELINE, ALTERED, rescue)
    assert "r3.py" not in found(findings, "L318")


def test_creates_after_a_base_that_does_something_are_still_reported(tmp_path: Path) -> None:
    base = revision(OTHER_CREATE, 'op.drop_table("rooms")', down_revision="None")
    later = revision('op.create_table("guests", sa.Column("id", sa.Integer(), primary_key=True))')
    (tmp_path / "a").mkdir()
    assert "r1.py" in found(history(tmp_path / "a", base, later), "L318")
    altering = revision(
        OTHER_CREATE + '\nop.drop_column("guests", "legacy")',
    )
    (tmp_path / "b").mkdir()
    assert "r1.py" in found(history(tmp_path / "b", NO_OP_BASE, altering), "L318")


def test_a_revision_with_creates_on_a_history_without_a_no_op_base_is_reported(
    tmp_path: Path,
) -> None:
    # r0 revises a revision not linted with it: lint cannot say it is the first schema
    assert found(history(tmp_path, revision(OTHER_CREATE)), "L318") == ["r0.py"]


# L330: temporary columns

BOOKS = revision(
    """
    op.create_table("book_config", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("key", sa.String(255), nullable=False),
                    sa.Column("value", sa.Text(), nullable=False))
    """,
    'op.drop_table("book_config")',
)


def reorder(drop: str) -> str:
    """A downgrade that renames key aside, makes a new key, copies it and drops the old one
    with `drop`."""
    return revision(
        'op.add_column("book_config", sa.Column("extra", sa.Integer()))',
        f"""
        op.drop_column("book_config", "extra")
        op.alter_column("book_config", "key", new_column_name="key2",
                        existing_type=sa.String(255))
        op.add_column("book_config", sa.Column("key", sa.String(255), nullable=False))
        op.execute("UPDATE book_config SET `key` = key2")
        {drop}
        """,
    )


def test_a_column_renamed_aside_and_dropped_loses_nothing(tmp_path: Path) -> None:
    for number, drop in enumerate(
        (
            'op.drop_column("book_config", "key2")',
            'op.execute("ALTER TABLE book_config DROP COLUMN key2")',
            'with op.batch_alter_table("book_config") as batch_op:\n'
            '            batch_op.drop_column("key2")',
        )
    ):
        place = tmp_path / str(number)
        place.mkdir()
        assert found(history(place, BOOKS, reorder(drop)), "L330") == [], drop


def test_a_restated_column_kept_or_dropped_under_a_guard_is_still_reported(
    tmp_path: Path,
) -> None:
    for number, drop in enumerate(
        (
            "pass",
            'op.drop_column("book_config", "value")',
            'if op.get_context().opts.get("x"):\n            op.drop_column("book_config", "key2")',
        )
    ):
        place = tmp_path / str(number)
        place.mkdir()
        assert found(history(place, BOOKS, reorder(drop)), "L330") == ["r1.py"], drop
