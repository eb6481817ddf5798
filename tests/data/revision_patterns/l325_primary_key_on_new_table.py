"""a link table, its primary key added after the columns

Revision ID: 25a1c0de0002
Revises: 25a1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "25a1c0de0002"
down_revision = "25a1c0de0001"


def upgrade():
    op.create_table(
        "member_group",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
    )
    op.create_primary_key("pk_member_group", "member_group", ["member_id", "group_id"])


def downgrade():
    op.drop_table("member_group")
