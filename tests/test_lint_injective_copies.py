"""L309 with a key carried over to a column filled by a one-to-one image of an old key column,
and an old key dropped under a name found at run time (issue 20, round 37).

`UPDATE t SET entity_id = CAST(user_id AS CHAR), entity_type = 'user'` gives each row a value
only the rows with the same `user_id` share: a key over (entity_type, entity_id, ...) holds
where the old one over user_id did. A cast to a type with a length, a normalisation, two
columns concatenated or a hash of a second column is no such image and stays reported. Fixtures
are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_carried_keys import l309
from test_lint_rules import revision

_RESTORED = """
op.drop_constraint("uq_grant_member", "grant", type_="unique")
op.create_unique_constraint("uq_grant_member", "grant", ["resource_id", "user_id"])
"""

_FILLED = """
op.add_column("grant", sa.Column("entity_type", sa.String(20), nullable=False,
              server_default="user"))
op.add_column("grant", sa.Column("entity_id", sa.String(100), nullable=False,
              server_default=""))
op.execute("UPDATE `grant` SET entity_id = {value}, entity_type = 'user'")
op.drop_constraint("uq_grant_member", "grant", type_="unique")
op.create_unique_constraint("uq_grant_entity", "grant",
                            ["resource_id", "entity_type", "entity_id"])
"""


@pytest.mark.parametrize(
    "value",
    [
        "CAST(user_id AS CHAR)",
        "CAST(`user_id` AS TEXT)",
        "CONCAT('user-', user_id)",
        "'user:' || user_id",
        "SHA2(CONCAT('member:', user_id), 256)",
        "MD5(user_id)",
    ],
)
def test_a_one_to_one_image_of_a_key_column_carries_the_key(value: str) -> None:
    assert l309(revision(_FILLED.format(value=value), _RESTORED)) == []


@pytest.mark.parametrize(
    "value",
    [
        "CAST(user_id AS CHAR(2))",  # cut: two ids may share a prefix
        "CAST(user_id AS UNSIGNED)",  # '01' and '1' alike
        "LOWER(user_id)",
        "CONCAT(user_id, owner_id)",
        "MD5(owner_id)",
        "CONCAT('user-', owner_id)",
    ],
)
def test_other_values_stay_reported(value: str) -> None:
    assert len(l309(revision(_FILLED.format(value=value), _RESTORED))) == 1


# the old key dropped under the name the upgrade looks up, restored by the downgrade by name

_LOOKED_UP = """
old_name = unique_name_for(["source_url"])
op.add_column("wiki", sa.Column("kind_id", sa.Integer(), nullable=False, server_default="0"))
op.create_unique_constraint("uq_wiki_source_url_kind", "wiki", ["source_url", "kind_id"])
op.{drop}
"""


def test_a_key_dropped_by_a_looked_up_name_and_restored_is_known() -> None:
    upgrade = _LOOKED_UP.format(drop='drop_constraint(old_name, "wiki", type_="unique")')
    restore = 'op.create_unique_constraint("source_url", "wiki", ["source_url"])'
    assert l309(revision(upgrade, restore)) == []


@pytest.mark.parametrize(
    ("drop", "restore"),
    [
        # a foreign key dropped, not a unique one
        (
            'drop_constraint(old_name, "wiki", type_="foreignkey")',
            'op.create_unique_constraint("source_url", "wiki", ["source_url"])',
        ),
        # a unique key of another table
        (
            'drop_constraint(old_name, "page", type_="unique")',
            'op.create_unique_constraint("source_url", "wiki", ["source_url"])',
        ),
        # nothing restored unique on the column
        (
            'drop_constraint(old_name, "wiki", type_="unique")',
            'op.create_index("ix_source_url", "wiki", ["source_url"])',
        ),
    ],
)
def test_other_drops_leave_the_key_unknown(drop: str, restore: str) -> None:
    upgrade = _LOOKED_UP.format(drop=drop)
    assert len(l309(revision(upgrade, restore))) == 1
