"""move member addresses into their own table

Revision ID: 06b1c0de0002
Revises: 06b1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "06b1c0de0002"
down_revision = "06b1c0de0001"


def upgrade():
    op.create_table(
        "address",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(200), nullable=False),
    )
    op.add_column("member", sa.Column("address_count", sa.Integer(), nullable=True))
    op.execute(
        """
        INSERT INTO address (member_id, line)
        SELECT m.id, m.street FROM member AS m WHERE m.street IS NOT NULL
        """
    )
    op.drop_column("member", "street")


def downgrade():
    op.add_column("member", sa.Column("street", sa.String(200), nullable=True))
    op.drop_column("member", "address_count")
    op.drop_table("address")
