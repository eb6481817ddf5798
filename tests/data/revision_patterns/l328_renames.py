"""member.mail is email now; the table is account

Revision ID: 28b1c0de0001
Revises: 28b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "28b1c0de0001"
down_revision = "28b1c0de0000"


def upgrade():
    op.alter_column("member", "mail", new_column_name="email", existing_type=sa.String(120))
    op.rename_table("member", "account")


def downgrade():
    op.rename_table("account", "member")
    op.alter_column("member", "email", new_column_name="mail", existing_type=sa.String(120))
