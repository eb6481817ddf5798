"""emails shortened to fit a utf8mb4 key: the downgrade shows the old width

Revision ID: 07b1c0de0101
Revises: 07b1c0de0100
"""

import sqlalchemy as sa
from alembic import op

revision = "07b1c0de0101"
down_revision = "07b1c0de0100"


def upgrade():
    op.alter_column("member", "email", type_=sa.String(191))


def downgrade():
    op.alter_column("member", "email", type_=sa.String(254))
