"""feature flags: booleans with defaults every server reads

Revision ID: 29b1c0de0002
Revises: 29b1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "29b1c0de0002"
down_revision = "29b1c0de0001"


def upgrade():
    op.add_column("shop", sa.Column("open", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("shop", sa.Column("closed", sa.Boolean(), server_default="0", nullable=False))
    op.add_column("shop", sa.Column("motto", sa.String(10), server_default="true", nullable=True))


def downgrade():
    op.drop_column("shop", "motto")
    op.drop_column("shop", "closed")
    op.drop_column("shop", "open")
