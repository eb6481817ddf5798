"""rename the member column with its type; a default alone needs none

Revision ID: 22a1c0de0002
Revises: 22a1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "22a1c0de0002"
down_revision = "22a1c0de0001"


def upgrade():
    op.alter_column(
        "member", "mail", new_column_name="email", existing_type=sa.String(120), nullable=False
    )
    op.alter_column("member", "status", server_default="active")


def downgrade():
    op.alter_column("member", "status", server_default=None)
    op.alter_column(
        "member", "email", new_column_name="mail", existing_type=sa.String(120), nullable=True
    )
