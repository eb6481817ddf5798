"""L319 and the index MySQL makes for a foreign key (issue 20, round 34).

An upgrade drops a foreign key and then the index MySQL made for it (named as the key, or as
its first column when the key has no name); its downgrade recreates the key, and MySQL makes
the index again under that name: the inverse is there. A dropped index of another name, or a
downgrade that recreates no key, is still reported. The names are checked on the MariaDB of the
test suite; revisions are our own snippets."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_lint_rules import codes, revision

DROP_NAMED = """
op.drop_constraint("fk_voucher_shop_id", "voucher", type_="foreignkey")
op.drop_index("fk_voucher_shop_id", "voucher")
op.drop_column("voucher", "shop_id")
"""
DROP_UNNAMED = """
op.drop_constraint("voucher_ibfk_1", "voucher", type_="foreignkey")
op.drop_index("shop_id", "voucher")
op.drop_column("voucher", "shop_id")
"""
ADD_BACK = 'op.add_column("voucher", sa.Column("shop_id", sa.Integer(), nullable=True))\n'


def test_mysql_names_a_foreign_keys_index_as_the_key_or_its_first_column(mysql_url: str) -> None:
    engine = sa.create_engine(mysql_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE shop (id INT PRIMARY KEY)")
            connection.exec_driver_sql(
                "CREATE TABLE voucher (id INT PRIMARY KEY, shop_id INT, owner_id INT)"
            )
            connection.exec_driver_sql(
                "ALTER TABLE voucher ADD CONSTRAINT fk_voucher_shop_id "
                "FOREIGN KEY (shop_id) REFERENCES shop (id)"
            )
            connection.exec_driver_sql(
                "ALTER TABLE voucher ADD FOREIGN KEY (owner_id) REFERENCES shop (id)"
            )
            indexes = {i["name"] for i in sa.inspect(connection).get_indexes("voucher")}
    finally:
        engine.dispose()
    assert {"fk_voucher_shop_id", "owner_id"} <= indexes


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            DROP_NAMED,
            ADD_BACK + 'op.create_foreign_key("fk_voucher_shop_id", "voucher", "shop", '
            '["shop_id"], ["id"])',
        ),
        (
            DROP_UNNAMED,
            ADD_BACK + 'op.create_foreign_key(None, "voucher", "shop", ["shop_id"], ["id"])',
        ),
        (
            DROP_NAMED,
            'op.add_column("voucher", sa.Column("shop_id", sa.Integer(), '
            'sa.ForeignKey("shop.id", name="fk_voucher_shop_id"), nullable=True))',
        ),
        (
            DROP_UNNAMED,
            'op.add_column("voucher", sa.Column("shop_id", sa.Integer(), '
            'sa.ForeignKey("shop.id"), nullable=True))',
        ),
    ],
)
def test_a_recreated_key_recreates_the_index_mysql_made_for_it(
    upgrade: str, downgrade: str
) -> None:
    assert "L319" not in codes(revision(upgrade, downgrade))


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (DROP_NAMED, ADD_BACK),  # the key is not recreated
        (
            DROP_NAMED.replace('drop_index("fk_voucher_shop_id"', 'drop_index("ix_voucher_shop"'),
            ADD_BACK + 'op.create_foreign_key("fk_voucher_shop_id", "voucher", "shop", '
            '["shop_id"], ["id"])',
        ),  # an index of its own name: MySQL makes one named as the key
        (
            DROP_UNNAMED,
            ADD_BACK + 'op.create_foreign_key("fk_voucher_shop", "voucher", "shop", '
            '["shop_id"], ["id"])',
        ),  # a named key: its index is named as the key, not as the column
    ],
)
def test_an_index_the_recreated_key_does_not_bring_back_is_still_reported(
    upgrade: str, downgrade: str
) -> None:
    assert "L319" in codes(revision(upgrade, downgrade))
