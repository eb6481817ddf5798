"""member settings, an empty JSON object by default, as an expression

Revision ID: 13b1c0de0002
Revises: 13b1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "13b1c0de0002"
down_revision = "13b1c0de0001"


def upgrade():
    op.add_column(
        "member",
        sa.Column("settings", sa.JSON(), nullable=False, server_default=sa.text("(JSON_OBJECT())")),
    )


def downgrade():
    op.drop_column("member", "settings")
