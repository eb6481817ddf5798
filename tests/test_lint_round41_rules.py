"""Round 41's false classes of one revision (issue 20).

- L318 / L319: an alter_column naming only its column (`op.alter_column("t", "c")`, with
  existing_* at most, plain or in a batch) sets nothing: Alembic writes no SQL for it (its
  offline SQL on MySQL is empty), so the downgrade owes nothing. One that sets anything (a
  type, nullability, a default, a new name) or passes a keyword lint does not know is still a
  change.
"""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import revision


@pytest.mark.parametrize(
    "alters",
    [
        'op.alter_column("keywords", "value")\nop.alter_column("users", "password")',
        'op.alter_column("keywords", "value", schema="app")',
        'op.alter_column(table_name="keywords", column_name="value")',
        'op.alter_column("keywords", "value", existing_type=sa.String(40))',
        'with op.batch_alter_table("keywords") as batch_op:\n    batch_op.alter_column("value")',
    ],
)
def test_an_alter_naming_only_its_column_is_no_schema_change(alters: str) -> None:
    found = codes(revision(alters, "pass"))
    assert "L318" not in found, found
    found = codes(revision(alters, 'op.drop_index("ix_other", table_name="other")'))
    assert "L319" not in found, found


@pytest.mark.parametrize(
    "alter",
    [
        'op.alter_column("keywords", "value", existing_type=sa.String(40), nullable=False)',
        'op.alter_column("keywords", "value", type_=sa.String(80))',
        'op.alter_column("keywords", "value", new_column_name="text")',
        'op.alter_column("keywords", "value", server_default="x")',
        'op.alter_column("keywords", "value", mysql_charset="utf8mb4")',
        'op.alter_column("keywords", "value", **changes)',
    ],
)
def test_an_alter_that_sets_something_is_still_a_change(alter: str) -> None:
    assert "L318" in codes(revision(alter, "pass"))


# L306: names sharing nothing but the table's own name are no rename evidence; a reference
# dropped for a plain value of another name is a redesign (round 41)

STAMPED = """
op.add_column("file", sa.Column("{added}", sa.Integer(), nullable=False))
op.create_foreign_key(None, "file", "stamp", ["{added}"], ["stampId"])
op.drop_column("file", "{dropped}")
"""
RESTORED = 'op.add_column("file", sa.Column("{dropped}", sa.Integer(), nullable=False))'


@pytest.mark.parametrize(
    ("dropped", "added", "reported"),
    [
        ("fileCreatedBy", "fileStampId", False),
        ("file_created_by", "file_stamp_id", False),
        ("createdBy", "stampId", False),
        ("fileStamp", "fileStampId", True),  # a word besides the table's: perhaps renamed
        ("file_stamp", "stamp_ref", True),
    ],
)
def test_a_new_reference_sharing_only_the_tables_name_is_a_redesign(
    dropped: str, added: str, reported: bool
) -> None:
    source = revision(
        STAMPED.format(dropped=dropped, added=added), RESTORED.format(dropped=dropped)
    )
    assert ("L306" in codes(source)) is reported


FEED = """
op.add_column("feed", sa.Column("{added}", sa.String(length=20), nullable=True))
op.drop_constraint("feed_ibfk_1", "feed", type_="foreignkey")
op.drop_column("feed", "stock_id")
"""


@pytest.mark.parametrize(
    ("added", "downgrade", "reported"),
    [
        (
            "source",
            'op.add_column("feed", sa.Column("stock_id", sa.String(6), nullable=False))\n'
            'op.create_foreign_key("feed_ibfk_1", "feed", "stocks", ["stock_id"], ["id"])',
            False,
        ),
        (
            "source",
            'op.add_column("feed", sa.Column("stock_id", sa.String(6), '
            'sa.ForeignKey("stocks.id"), nullable=False))',
            False,
        ),
        # no key restored: a plain column, judged as before
        ("source", 'op.add_column("feed", sa.Column("stock_id", sa.String(6)))', True),
        # a shared word: perhaps the same stock codes renamed
        (
            "stock_code",
            'op.add_column("feed", sa.Column("stock_id", sa.String(6), nullable=False))\n'
            'op.create_foreign_key("feed_ibfk_1", "feed", "stocks", ["stock_id"], ["id"])',
            True,
        ),
    ],
)
def test_a_reference_dropped_for_a_plain_value_of_another_name_is_a_redesign(
    added: str, downgrade: str, reported: bool
) -> None:
    source = revision(FEED.format(added=added), downgrade)
    assert ("L306" in codes(source)) is reported


# L307: a narrowing whose upgrade first bounds the column's values (round 41)

NARROW = """
op.alter_column("power_schedule", "timezone", existing_type=sa.String(length=36),
                type_={new}, existing_nullable=False)
"""


@pytest.mark.parametrize(
    "bound",
    [
        "op.execute(\"UPDATE power_schedule SET timezone = 'Unknown' "
        'WHERE LENGTH(timezone) > 32")',
        'op.execute("UPDATE power_schedule SET timezone = LEFT(timezone, 32)")',
        'op.execute("UPDATE power_schedule SET timezone = SUBSTRING(timezone, 1, 32)")',
        """
        ps = sa.table("power_schedule", sa.column("id", sa.String(36)),
                      sa.column("timezone", sa.String(36)))
        rows = op.get_bind().execute(
            sa.select(ps.c.id).where(sa.func.char_length(ps.c.timezone) > 32))
        for ps_id, in rows:
            op.execute(ps.update().where(ps.c.id == ps_id).values(timezone="Unknown"))
        """,
    ],
)
def test_a_narrowing_after_a_write_bounding_the_values_loses_nothing(bound: str) -> None:
    import textwrap

    source = revision(textwrap.dedent(bound) + NARROW.format(new="sa.String(length=32)"))
    assert "L307" not in codes(source)


@pytest.mark.parametrize(
    ("before", "new"),
    [
        ("", "sa.String(length=32)"),
        # a write of other values, a length only read
        (
            "op.execute(\"UPDATE power_schedule SET timezone = 'UTC' WHERE id = 1\")",
            "sa.String(length=32)",
        ),
        (
            'n = op.get_bind().execute(sa.text("SELECT MAX(LENGTH(timezone)) '
            'FROM power_schedule")).scalar()',
            "sa.String(length=32)",
        ),
        # the length of another column bounded
        (
            "op.execute(\"UPDATE power_schedule SET timezone = 'UTC' WHERE LENGTH(name) > 32\")",
            "sa.String(length=32)",
        ),
    ],
)
def test_a_narrowing_without_a_bounding_write_is_still_reported(before: str, new: str) -> None:
    source = revision(before + NARROW.format(new=new))
    assert "L307" in codes(source)
