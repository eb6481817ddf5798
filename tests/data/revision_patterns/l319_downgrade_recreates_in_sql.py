"""drop the old lookup index and its column

Revision ID: 19b1c0de0001
Revises: 19b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "19b1c0de0001"
down_revision = "19b1c0de0000"


def upgrade():
    op.create_index("ix_member_email", "member", ["email"], unique=True)
    op.drop_index("ix_member_mail", table_name="member")
    op.add_column("member", sa.Column("plan", sa.String(20), nullable=True))


def downgrade():
    op.execute("ALTER TABLE member DROP COLUMN plan")
    op.execute("CREATE INDEX ix_member_mail ON member (mail)")
    op.execute("DROP INDEX ix_member_email ON member")
