"""an old audit table is dropped with its rows

Revision ID: 04b1c0de0003
Revises: 04b1c0de0002
"""

import sqlalchemy as sa
from alembic import op

revision = "04b1c0de0003"
down_revision = "04b1c0de0002"


def upgrade():
    op.drop_table("audit_trail")


def downgrade():
    op.create_table("audit_trail", sa.Column("id", sa.Integer(), primary_key=True))
