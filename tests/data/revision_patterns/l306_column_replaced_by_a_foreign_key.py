"""member groups: a table instead of a free-text column

Revision ID: 06b1c0de0005
Revises: 06b1c0de0004
"""

import sqlalchemy as sa
from alembic import op

revision = "06b1c0de0005"
down_revision = "06b1c0de0004"


def upgrade():
    op.add_column("member", sa.Column("group_id", sa.Integer(), nullable=True))
    op.drop_column("member", "group")


def downgrade():
    op.add_column("member", sa.Column("group", sa.String(40), nullable=True))
    op.drop_column("member", "group_id")
