"""L306 and a drop and add that hold other values (issue 20, rounds 36-37): a JSON document
column is no string renamed (a project's type named JSON too); a reference whose foreign key
moves to another table is no rename even when the names share a word
(`publication_id` -> `catalog_publication_id`); two links of a row to its own kind (`next_id`,
`parent_id`) are two relations; a table that replaces another keyed by a value the old rows
never held (`user_name` for `auth_string`) is a redesign. Renames beside them stay L306. Our
own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

_HEADER = "from sqlalchemy.dialects import postgresql\nfrom app.db import fields"


def _codes(upgrade: str, downgrade: str) -> list[str]:
    source = revision(upgrade, downgrade, header=_HEADER)
    found = lint(source, target=target("mysql-8.0"))
    return [f.code for f in found if f.code in ("L304", "L305", "L306")]


def _pair(old: str, old_type: str, new: str, new_type: str) -> tuple[str, str]:
    upgrade = (
        f'op.add_column("node", sa.Column("{new}", {new_type}, nullable=True))\n'
        f'op.drop_column("node", "{old}")\n'
    )
    downgrade = (
        f'op.add_column("node", sa.Column("{old}", {old_type}, nullable=True))\n'
        f'op.drop_column("node", "{new}")\n'
    )
    return upgrade, downgrade


@pytest.mark.parametrize(
    ("old", "old_type", "new", "new_type"),
    [
        ("fqdn", "sa.String(length=255)", "network_template", "sa.JSON()"),
        ("fqdn", "sa.String(length=255)", "network_template", "fields.JSON()"),
        ("notes", "sa.TEXT()", "layout", "postgresql.JSONB()"),
        ("layout", "sa.JSON()", "notes", "sa.Text()"),
        # two links of a row to its own kind
        ("next_id", "sa.VARCHAR(length=128)", "parent_id", "sa.String(length=128)"),
        ("parent_id", "sa.INTEGER()", "root_id", "sa.Integer()"),
    ],
)
def test_other_values_are_no_rename(old: str, old_type: str, new: str, new_type: str) -> None:
    codes = _codes(*_pair(old, old_type, new, new_type))
    assert "L306" not in codes
    assert "L305" in codes  # the loss is still reported


@pytest.mark.parametrize(
    ("old", "old_type", "new", "new_type"),
    [
        ("settings", "sa.JSON()", "config", "sa.JSON()"),
        ("notes", "sa.TEXT()", "remarks", "sa.Text()"),
        ("prev_id", "sa.INTEGER()", "previous_id", "sa.Integer()"),
        ("parent_id", "sa.INTEGER()", "parent_node_id", "sa.Integer()"),
    ],
)
def test_a_rename_of_the_same_values_stays_flagged(
    old: str, old_type: str, new: str, new_type: str
) -> None:
    assert "L306" in _codes(*_pair(old, old_type, new, new_type))


def _moved_reference(new_target: str, rename: str = "") -> tuple[str, str]:
    upgrade = (
        rename + 'op.add_column("source", sa.Column("catalog_publication_id", sa.Integer(), '
        "nullable=False))\n"
        'op.drop_constraint("source_ibfk_1", "source", type_="foreignkey")\n'
        f'op.create_foreign_key(None, "source", "{new_target}", ["catalog_publication_id"], '
        '["id"])\n'
        'op.drop_column("source", "publication_id")\n'
    )
    downgrade = (
        'op.add_column("source", sa.Column("publication_id", sa.INTEGER(), nullable=False))\n'
        'op.create_foreign_key("source_ibfk_1", "source", "publication", ["publication_id"], '
        '["id"])\n'
        'op.drop_column("source", "catalog_publication_id")\n'
    )
    return upgrade, downgrade


def test_a_reference_moved_to_another_table_is_no_rename() -> None:
    codes = _codes(*_moved_reference("catalog_publication"))
    assert "L306" not in codes
    assert "L305" in codes


@pytest.mark.parametrize(
    ("new_target", "rename"),
    [
        ("publication", ""),  # the same table: the references may be renamed
        ("catalog_publication", 'op.rename_table("publication", "catalog_publication")\n'),
    ],
)
def test_a_reference_to_the_same_table_stays_a_rename(new_target: str, rename: str) -> None:
    assert "L306" in _codes(*_moved_reference(new_target, rename))


def _replaced_table(key: str) -> tuple[str, str]:
    upgrade = (
        'op.create_table("user_sessions",\n'
        "    sa.Column('user_name', sa.String(length=64), nullable=False),\n"
        "    sa.Column('id', sa.Integer(), nullable=False),\n"
        "    sa.Column('token', sa.CHAR(length=32), nullable=False),\n"
        "    sa.Column('last_access', sa.DateTime(), nullable=False),\n"
        f"    sa.PrimaryKeyConstraint('{key}'))\n"
        'op.drop_table("sessions")\n'
    )
    downgrade = (
        'op.create_table("sessions",\n'
        "    sa.Column('auth_string', sa.CHAR(length=64), nullable=False),\n"
        "    sa.Column('token', sa.CHAR(length=32), nullable=False),\n"
        "    sa.Column('last_access', sa.DATETIME(), nullable=False),\n"
        "    sa.PrimaryKeyConstraint('auth_string'))\n"
        'op.drop_table("user_sessions")\n'
    )
    return upgrade, downgrade


def test_a_table_keyed_by_a_value_the_old_rows_never_held_is_no_rename() -> None:
    assert "L306" not in _codes(*_replaced_table("user_name"))


@pytest.mark.parametrize("key", ["id", "token"])
def test_a_table_keyed_by_a_surrogate_or_an_old_column_stays_a_rename(key: str) -> None:
    assert "L306" in _codes(*_replaced_table(key))
