"""L309 with a key column copied from another table's unique column by UPDATE ... FROM / JOIN
(issue 20, round 18; lint/joined_copies.py).

`UPDATE item SET digest = s.digest FROM (SELECT * FROM stored) AS s WHERE item.id = s.id`: each
item gets the digest of the stored rows whose id is its own, rows matching none keep NULL. When
`stored.digest` is unique and `item.id` is item's key, two items never get the same digest, so
a unique key over it holds. A source column that may repeat, a match on a column that is no
key, a value that is not the column as it is, or more than one condition keep L309. Fixtures
are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

_TABLES = """
item = sa.Table(
    "item",
    sa.MetaData(),
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("code", sa.String(20)),
    sa.Column("digest", sa.String(64)),
)
stored = sa.Table(
    "stored",
    sa.MetaData(),
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("digest", sa.String(64), unique=True),
    sa.Column("size", sa.Integer()),
)
"""


def _l309(update: str, added: str = 'sa.Column("digest", sa.String(64), nullable=True)') -> int:
    upgrade = f"""
    op.add_column("item", {added})
    op.execute(\"\"\"{update}\"\"\")
    op.create_index("ix_item_digest", "item", ["digest"], unique=True)
    """
    source = revision(upgrade, 'op.drop_index("ix_item_digest", "item")', header=_TABLES)
    return sum(1 for f in lint(source) if f.code == "L309")


@pytest.mark.parametrize(
    "update",
    [
        # PostgreSQL, the source a SELECT * subquery, more columns copied alongside
        "UPDATE item SET digest = s.digest, code = s.size FROM (SELECT * FROM stored) AS s "
        "WHERE item.id = s.id;",
        # the source table by name with an alias, the equality the other way round
        "UPDATE item SET digest = st.digest FROM stored st WHERE st.id = item.id",
        # the source not aliased
        "UPDATE item SET digest = stored.digest FROM stored WHERE item.id = stored.id",
        # MySQL's multi-table form, a qualified and quoted target column
        "UPDATE item INNER JOIN stored AS s ON item.id = s.id SET item.`digest` = s.digest",
    ],
)
def test_a_copy_of_a_unique_column_matched_by_the_rows_key_is_no_l309(update: str) -> None:
    assert _l309(update) == 0


@pytest.mark.parametrize(
    "update",
    [
        # a source column that may repeat
        "UPDATE item SET digest = s.size FROM stored s WHERE item.id = s.id",
        # matched on a column of item that is no key: two items with one code get one digest
        "UPDATE item SET digest = s.digest FROM stored s WHERE item.code = s.id",
        # not the column as it is
        "UPDATE item SET digest = LOWER(s.digest) FROM stored s WHERE item.id = s.id",
        # more than one condition
        "UPDATE item SET digest = s.digest FROM stored s WHERE item.id = s.id OR s.size = 0",
        # a subquery that chooses rows
        "UPDATE item SET digest = s.digest FROM (SELECT * FROM stored WHERE size > 0) s "
        "WHERE item.id = s.id",
        # MySQL, a source column that may repeat
        "UPDATE item JOIN stored s ON item.id = s.id SET item.digest = s.size",
    ],
)
def test_l309_stays_when_the_copy_may_repeat_values(update: str) -> None:
    assert _l309(update) == 1


def test_rows_left_unmatched_hold_the_default_not_null() -> None:
    added = 'sa.Column("digest", sa.String(64), nullable=True, server_default="none")'
    update = "UPDATE item SET digest = s.digest FROM stored s WHERE item.id = s.id"
    assert _l309(update, added) == 1
