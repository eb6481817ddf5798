"""member plans, with no way back

Revision ID: 18b1c0de0002
Revises: 18b1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "18b1c0de0002"
down_revision = "18b1c0de0001"


def upgrade():
    op.get_bind()
    op.add_column("member", sa.Column("tier", sa.String(20), nullable=True))


def downgrade():
    pass
