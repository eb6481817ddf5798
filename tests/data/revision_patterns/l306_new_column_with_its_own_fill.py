"""the ticket's free-text state becomes a numeric priority filled on its own

Revision ID: 06b1c0de0101
Revises: 06b1c0de0100
"""

import sqlalchemy as sa
from alembic import op

revision = "06b1c0de0101"
down_revision = "06b1c0de0100"


def upgrade():
    op.add_column("ticket", sa.Column("priority", sa.Integer(), nullable=True))
    op.execute("UPDATE ticket SET priority = 3")
    op.drop_column("ticket", "state")


def downgrade():
    op.add_column("ticket", sa.Column("state", sa.String(30), nullable=True))
    op.drop_column("ticket", "priority")
