"""rename the member column, make it required

Revision ID: 22a1c0de0001
Revises: 22a1c0de0000
"""

from alembic import op

revision = "22a1c0de0001"
down_revision = "22a1c0de0000"


def upgrade():
    op.alter_column("member", "mail", new_column_name="email")
    op.alter_column("member", "email", nullable=False)


def downgrade():
    op.alter_column("member", "email", nullable=True)
    op.alter_column("member", "email", new_column_name="mail")
