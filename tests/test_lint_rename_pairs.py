"""L306 and several columns renamed in one revision (issue 20, round 28): autogenerate writes
two adds and two drops for `date_created` -> `creation_date` and `date_modified` ->
`last_revision_date`. When as many columns are added as dropped and each dropped one (its type
read from the downgrade that adds it back) pairs with an added one of the same type as MySQL
stores it (`sa.DateTime(timezone=True)` is the `sa.DATETIME()` restored), each drop is reported
as a possible rename, naming its pair. Different types, a dropped column with no restored type,
unequal counts or values read before the drop: not. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target


def _l306(upgrade: str, downgrade: str) -> list[str]:
    found = lint(revision(upgrade, downgrade), target=target("mysql-8.0"))
    return [f.message for f in found if f.code == "L306"]


ADDS = """
op.add_column("ticket", sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))
op.add_column("ticket", sa.Column("closed_on", {second}, nullable=True))
"""
DROPS = """
op.drop_column("ticket", "close_date")
op.drop_column("ticket", "open_date")
"""
RESTORES = """
op.add_column("ticket", sa.Column("open_date", sa.DATETIME(), nullable=True))
op.add_column("ticket", sa.Column("close_date", {restored}, nullable=True))
op.drop_column("ticket", "closed_on")
op.drop_column("ticket", "opened_at")
"""


@pytest.mark.parametrize(
    ("second", "restored"),
    [
        ("sa.DateTime(timezone=True)", "sa.DATETIME()"),
        ("sa.String(40)", "sa.VARCHAR(length=40)"),
        ("sa.Text()", "mysql.TEXT()"),
    ],
)
def test_columns_pairing_up_by_type_are_renames(second: str, restored: str) -> None:
    messages = _l306(
        ADDS.format(second=second) + DROPS,
        "from sqlalchemy.dialects import mysql\n" + RESTORES.format(restored=restored),
    )
    assert len(messages) == 2
    assert any("drops ticket.open_date and adds opened_at" in m for m in messages)
    assert any("drops ticket.close_date and adds closed_on" in m for m in messages)


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # another type: a redesign
        (
            ADDS.format(second="sa.Integer()") + DROPS,
            RESTORES.format(restored="sa.DATETIME()"),
        ),
        # a VARCHAR of another length is another type
        (
            ADDS.format(second="sa.String(80)") + DROPS,
            RESTORES.format(restored="sa.String(40)"),
        ),
        # the downgrade does not say what the dropped columns were
        (ADDS.format(second="sa.DateTime()") + DROPS, "pass"),
        # three added for two dropped
        (
            ADDS.format(second="sa.DateTime()")
            + 'op.add_column("ticket", sa.Column("due", sa.DateTime(), nullable=True))\n'
            + DROPS,
            RESTORES.format(restored="sa.DATETIME()"),
        ),
        # the values read into the new columns first
        (
            ADDS.format(second="sa.DateTime()")
            + 'op.execute("UPDATE ticket SET opened_at = open_date, closed_on = close_date")\n'
            + DROPS,
            RESTORES.format(restored="sa.DATETIME()"),
        ),
    ],
)
def test_other_shapes_are_no_renames_in_pairs(upgrade: str, downgrade: str) -> None:
    assert _l306(upgrade, downgrade) == []
