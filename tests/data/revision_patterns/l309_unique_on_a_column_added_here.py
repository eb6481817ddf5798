"""member handles: a new column, unique from the start

Revision ID: 09b1c0de0001
Revises: 09b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "09b1c0de0001"
down_revision = "09b1c0de0000"


def upgrade():
    op.add_column("member", sa.Column("handle", sa.String(40), nullable=True))
    op.create_unique_constraint("uq_member_handle", "member", ["handle"])


def downgrade():
    op.drop_constraint("uq_member_handle", "member", type_="unique")
    op.drop_column("member", "handle")
