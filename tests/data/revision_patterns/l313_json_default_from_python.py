"""member settings, an empty JSON object by default

Revision ID: 13b1c0de0001
Revises: 13b1c0de0000
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "13b1c0de0001"
down_revision = "13b1c0de0000"


def upgrade():
    op.add_column(
        "member",
        sa.Column("settings", sa.JSON(), nullable=False, server_default=json.dumps({})),
    )


def downgrade():
    op.drop_column("member", "settings")
