"""member nickname, with lengths

Revision ID: 24a1c0de0002
Revises: 24a1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "24a1c0de0002"
down_revision = "24a1c0de0001"

NAME_LENGTH = 80


def upgrade():
    op.add_column("member", sa.Column("nickname", sa.String(NAME_LENGTH), nullable=True))
    op.add_column("member", sa.Column("initial", sa.CHAR(), nullable=True))
    op.alter_column("member", "bio", type_=sa.String(length=500), existing_type=sa.Text())


def downgrade():
    op.alter_column("member", "bio", type_=sa.Text(), existing_type=sa.String(500))
    op.drop_column("member", "initial")
    op.drop_column("member", "nickname")
