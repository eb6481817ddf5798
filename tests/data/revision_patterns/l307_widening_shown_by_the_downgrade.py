"""emails widened: the downgrade shows the old width

Revision ID: 07b1c0de0102
Revises: 07b1c0de0101
"""

import sqlalchemy as sa
from alembic import op

revision = "07b1c0de0102"
down_revision = "07b1c0de0101"


def upgrade():
    op.alter_column("member", "email", type_=sa.String(320))


def downgrade():
    op.alter_column("member", "email", type_=sa.String(254))
