"""member nickname

Revision ID: 24a1c0de0001
Revises: 24a1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "24a1c0de0001"
down_revision = "24a1c0de0000"


def upgrade():
    op.add_column("member", sa.Column("nickname", sa.String(), nullable=True))
    op.alter_column("member", "bio", type_=sa.String(), existing_type=sa.Text())


def downgrade():
    op.alter_column("member", "bio", type_=sa.Text(), existing_type=sa.String(500))
    op.drop_column("member", "nickname")
