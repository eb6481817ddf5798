"""member nickname (added, then renamed in the same revision)

Revision ID: 28b1c0de0002
Revises: 28b1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "28b1c0de0002"
down_revision = "28b1c0de0001"


def upgrade():
    op.add_column("member", sa.Column("nick", sa.String(40), nullable=True))
    op.alter_column("member", "nick", new_column_name="nickname", existing_type=sa.String(40))


def downgrade():
    op.drop_column("member", "nickname")
