"""feature flags: booleans with string defaults as PostgreSQL reads them

Revision ID: 29b1c0de0001
Revises: 29b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "29b1c0de0001"
down_revision = "29b1c0de0000"


def upgrade():
    op.add_column("shop", sa.Column("open", sa.Boolean(), server_default="true", nullable=False))
    op.create_table(
        "flag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("on", sa.Boolean(), server_default="FALSE", nullable=False),
    )
    op.alter_column("shop", "hidden", existing_type=sa.Boolean(), server_default="false")


def downgrade():
    op.drop_table("flag")
    op.drop_column("shop", "open")
