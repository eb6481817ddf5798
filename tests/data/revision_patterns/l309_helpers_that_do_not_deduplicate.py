"""unique pairs after a clean-up that removes old rows only, and a normalised title

Revision ID: 09b1c0de0011
Revises: 09b1c0de0010
"""

import sqlalchemy as sa
from alembic import op

revision = "09b1c0de0011"
down_revision = "09b1c0de0010"

TABLES = ["shelf_books", "reader_books"]


def _purge_old_rows(bind, table):
    # rows older than a year go; two recent rows with the same pair both stay
    bind.execute(sa.text(f"DELETE FROM {table} WHERE created_at < NOW() - INTERVAL 1 YEAR"))


def _tidy_titles(bind):
    bind.execute(sa.text("UPDATE shop SET title = TRIM(title)"))


def upgrade():
    bind = op.get_bind()
    for table in TABLES:
        _purge_old_rows(bind, table)
    _tidy_titles(bind)
    op.create_unique_constraint("uq_shop_owner_title", "shop", ["owner_id", "title"])


def downgrade():
    op.drop_constraint("uq_shop_owner_title", "shop", type_="unique")
