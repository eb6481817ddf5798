"""rename member.mail to email, copying the values in SQL

Revision ID: 06b1c0de0001
Revises: 06b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "06b1c0de0001"
down_revision = "06b1c0de0000"


def upgrade():
    op.add_column("member", sa.Column("email", sa.String(120), nullable=True))
    op.execute("UPDATE member SET email = mail")
    op.drop_column("member", "mail")


def downgrade():
    op.add_column("member", sa.Column("mail", sa.String(120), nullable=True))
    op.execute("UPDATE member SET mail = email")
    op.drop_column("member", "email")
