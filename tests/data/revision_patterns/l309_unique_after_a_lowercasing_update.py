"""a unique key on an existing column whose rows may collide

Revision ID: 09b1c0de0102
Revises: 09b1c0de0101
"""

from alembic import op

revision = "09b1c0de0102"
down_revision = "09b1c0de0101"


def upgrade():
    op.execute("UPDATE account SET nickname = LOWER(nickname) WHERE nickname IS NOT NULL")
    op.create_unique_constraint("uq_account_region_nickname", "account", ["region", "nickname"])


def downgrade():
    op.drop_constraint("uq_account_region_nickname", "account", type_="unique")
