"""a wider member.bio: a new column, the values copied, then renamed over the old one

Revision ID: 19b1c0de0003
Revises: 19b1c0de0002
"""

import sqlalchemy as sa
from alembic import op

revision = "19b1c0de0003"
down_revision = "19b1c0de0002"


def upgrade():
    op.add_column("member", sa.Column("bio_new", sa.String(2000), nullable=True))
    op.execute("UPDATE member SET bio_new = bio")
    op.drop_column("member", "bio")
    op.alter_column("member", "bio_new", new_column_name="bio", existing_type=sa.String(2000))


def downgrade():
    op.add_column("member", sa.Column("bio_old", sa.String(500), nullable=True))
    op.execute("UPDATE member SET bio_old = LEFT(bio, 500)")
    op.drop_column("member", "bio")
    op.alter_column("member", "bio_old", new_column_name="bio", existing_type=sa.String(500))
