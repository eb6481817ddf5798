"""L309 with a key moved to a column a raw ALTER TABLE added and an UPDATE ... JOIN filled from
another table's key (issue 20, round 43; lint/carried_keys.py, lint/joined_copies.py).

`ALTER TABLE entry ADD COLUMN owner_id INTEGER`, then `UPDATE entry JOIN owner ON
entry.account_id = owner.account_id SET entry.owner_id = owner.id`: every entry gets the id of
an owner whose account is its own; owner ids are distinct, so two entries with different
accounts get different owners. The new column is a one-to-one image of `account_id`, and a
unique key moved from (uid, account_id) to (uid, owner_id) holds as the old one did. The added
column starts NULL (no NOT NULL, no DEFAULT), so rows the JOIN misses never collide. A column
added NOT NULL or with a default, a copied source column that may repeat, or a value that is
not the column as it is keep L309. Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

_DOWNGRADE = """
op.drop_constraint("uq_entry", "entry", type_="unique")
op.create_unique_constraint("uq_entry", "entry", ["uid", "account_id"])
"""

_RAW_KEY = 'op.execute("ALTER TABLE entry ADD CONSTRAINT uq_entry_owner UNIQUE (uid, owner_id)")'
_OP_KEY = 'op.create_unique_constraint("uq_entry_owner", "entry", ["uid", "owner_id"])'


def _l309(added: str, update: str, key: str = _RAW_KEY) -> int:
    upgrade = f"""
    op.execute(\"\"\"{added}\"\"\")
    op.execute(\"\"\"{update}\"\"\")
    op.drop_constraint("uq_entry", "entry", type_="unique")
    {key}
    """
    return sum(1 for f in lint(revision(upgrade, _DOWNGRADE)) if f.code == "L309")


_ADD = "ALTER TABLE entry ADD COLUMN owner_id INTEGER"
_JOIN = (
    "UPDATE entry JOIN owner ON entry.account_id = owner.account_id SET entry.owner_id = owner.id"
)


@pytest.mark.parametrize(
    ("added", "update"),
    [
        (_ADD, _JOIN),
        # a foreign key in the same statement, quoted names, an alias for the source
        (
            "ALTER TABLE entry ADD COLUMN `owner_id` INTEGER, "
            "ADD FOREIGN KEY (owner_id) REFERENCES owner (id)",
            "UPDATE entry INNER JOIN owner o ON o.account_id = entry.account_id "
            "SET entry.`owner_id` = o.id",
        ),
        # PostgreSQL's UPDATE ... FROM, the column declared NULL in words
        (
            "ALTER TABLE entry ADD owner_id BIGINT NULL",
            "UPDATE entry SET owner_id = o.id FROM owner o WHERE entry.account_id = o.account_id",
        ),
    ],
)
@pytest.mark.parametrize("key", [_RAW_KEY, _OP_KEY])
def test_a_key_moved_through_a_join_on_another_tables_id_is_no_l309(
    added: str, update: str, key: str
) -> None:
    assert _l309(added, update, key) == 0


@pytest.mark.parametrize(
    ("added", "update"),
    [
        # NOT NULL / a default: the rows the JOIN misses hold one value alike
        ("ALTER TABLE entry ADD COLUMN owner_id INTEGER NOT NULL", _JOIN),
        ("ALTER TABLE entry ADD COLUMN owner_id INTEGER DEFAULT 0", _JOIN),
        # a source column that may repeat
        (
            _ADD,
            "UPDATE entry JOIN owner ON entry.account_id = owner.account_id "
            "SET entry.owner_id = owner.region_id",
        ),
        # not the column as it is
        (
            _ADD,
            "UPDATE entry JOIN owner ON entry.account_id = owner.account_id "
            "SET entry.owner_id = owner.id % 10",
        ),
        # matched on a column that is not in the old key
        (
            _ADD,
            "UPDATE entry JOIN owner ON entry.region = owner.region SET entry.owner_id = owner.id",
        ),
    ],
)
@pytest.mark.parametrize("key", [_RAW_KEY, _OP_KEY])
def test_l309_stays_when_the_moved_key_may_meet_duplicates(
    added: str, update: str, key: str
) -> None:
    assert _l309(added, update, key) == 1


# A key over an image of a column a raw unique key made earlier in the upgrade (altair:
# `ADD UNIQUE (user_name)`, then `email` made of user_name and a constant, `ADD UNIQUE (email)`).
# Once the first key is made the rows hold distinct user names, so their images are distinct.


def _image_l309(first: str, fill: str, last: str = "") -> list[int]:
    upgrade = f"""
    op.add_column("operator", sa.Column("email", sa.String(120), nullable=True))
    {first}
    op.execute(\"\"\"{fill}\"\"\")
    op.execute("ALTER TABLE operator ADD UNIQUE (email)")
    {last}
    """
    source = revision(upgrade)
    return [f.line for f in lint(source) if f.code == "L309" and "email" in f.message]


_RAW_FIRST = 'op.execute("ALTER TABLE operator ADD UNIQUE (user_name)")'
_CONCAT = "UPDATE operator SET email = CONCAT(user_name, '@example.com')"


@pytest.mark.parametrize(
    ("first", "fill"),
    [
        (_RAW_FIRST, _CONCAT),
        (_RAW_FIRST, "UPDATE operator SET email = user_name || '@example.com'"),
        ('op.execute("CREATE UNIQUE INDEX ix_user ON operator (user_name)")', _CONCAT),
        (
            'op.execute("ALTER TABLE operator ADD CONSTRAINT uq_user UNIQUE (user_name)")',
            "UPDATE operator SET email = MD5(user_name)",
        ),
        ('op.create_unique_constraint("uq_user", "operator", ["user_name"])', _CONCAT),
    ],
)
def test_an_image_of_a_column_made_unique_before_is_no_l309(first: str, fill: str) -> None:
    assert _image_l309(first, fill) == []


@pytest.mark.parametrize(
    ("first", "fill"),
    [
        # not one-to-one: two user names may give one email
        (_RAW_FIRST, "UPDATE operator SET email = LOWER(user_name)"),
        (_RAW_FIRST, "UPDATE operator SET email = SUBSTRING(user_name, 1, 8)"),
        (_RAW_FIRST, "UPDATE operator SET email = 'nobody@example.com'"),
        # the key made before is over another column
        ('op.execute("ALTER TABLE operator ADD UNIQUE (phone)")', _CONCAT),
        # a key on another table
        ('op.execute("ALTER TABLE account ADD UNIQUE (user_name)")', _CONCAT),
    ],
)
def test_l309_stays_when_the_value_may_repeat(first: str, fill: str) -> None:
    assert len(_image_l309(first, fill)) == 1


def test_l309_stays_when_the_column_is_made_unique_only_after() -> None:
    assert len(_image_l309("", _CONCAT, _RAW_FIRST)) == 1
