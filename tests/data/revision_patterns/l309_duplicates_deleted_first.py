"""one favorite per member and item: duplicates deleted first

Revision ID: 09b1c0de0003
Revises: 09b1c0de0002
"""

from alembic import op

revision = "09b1c0de0003"
down_revision = "09b1c0de0002"

TABLE = "favorite"


def upgrade():
    op.execute(
        "DELETE f1 FROM favorite f1 JOIN favorite f2 "
        "ON f1.member_id = f2.member_id AND f1.item_id = f2.item_id AND f1.id > f2.id"
    )
    op.create_unique_constraint("uq_favorite_member_item", TABLE, ["member_id", "item_id"])


def downgrade():
    op.drop_constraint("uq_favorite_member_item", TABLE, type_="unique")
