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
