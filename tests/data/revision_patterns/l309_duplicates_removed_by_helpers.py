"""unique pairs on the link tables and unique names per shop: duplicates removed by helpers

Revision ID: 09b1c0de0010
Revises: 09b1c0de0003
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "09b1c0de0010"
down_revision = "09b1c0de0003"

LINKS = [("shelf_books", "shelf_id", "book_id"), ("reader_books", "reader_id", "book_id")]


def _drop_repeated_links(bind, table, left, right):
    # keep the first row of each pair: a later row with the same pair goes
    bind.execute(
        sa.text(
            f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM {table} other "
            f"WHERE other.{left} = {table}.{left} AND other.{right} = {table}.{right} "
            f"AND other.id < {table}.id)"
        )
    )


def _merge_duplicate_shops(bind):
    seen = defaultdict(list)
    for shop_id, owner_id, title in bind.execute(sa.text("SELECT id, owner_id, title FROM shop")):
        seen[(owner_id, title)].append(shop_id)
    for ids in seen.values():
        for extra in ids[1:]:
            bind.execute(sa.text("DELETE FROM shop WHERE id = :id"), {"id": extra})


def upgrade():
    bind = op.get_bind()
    for table, left, right in LINKS:
        _drop_repeated_links(bind, table, left, right)
    _merge_duplicate_shops(bind)
    op.create_unique_constraint("uq_shelf_books", "shelf_books", ["shelf_id", "book_id"])
    op.create_unique_constraint("uq_reader_books", "reader_books", ["reader_id", "book_id"])
    op.create_unique_constraint("uq_shop_owner_title", "shop", ["owner_id", "title"])


def downgrade():
    op.drop_constraint("uq_shop_owner_title", "shop", type_="unique")
    op.drop_constraint("uq_reader_books", "reader_books", type_="unique")
    op.drop_constraint("uq_shelf_books", "shelf_books", type_="unique")
