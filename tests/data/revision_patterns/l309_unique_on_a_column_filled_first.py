"""member handles: a new column filled from the email, then unique

Revision ID: 09b1c0de0002
Revises: 09b1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "09b1c0de0002"
down_revision = "09b1c0de0001"


def upgrade():
    op.add_column("member", sa.Column("handle", sa.String(40), nullable=True))
    op.execute("UPDATE member SET handle = LEFT(email, 40)")
    op.create_unique_constraint("uq_member_handle", "member", ["handle"])


def downgrade():
    op.drop_constraint("uq_member_handle", "member", type_="unique")
    op.drop_column("member", "handle")
