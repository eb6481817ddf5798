"""the same changes, done online

Revision ID: 14b1c0de0002
Revises: 14b1c0de0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "14b1c0de0002"
down_revision = "14b1c0de0001"


def upgrade():
    op.add_column(
        "member",
        sa.Column("name_length", sa.Integer(), sa.Computed("CHAR_LENGTH(name)", persisted=False)),
    )
    op.execute("ALTER TABLE member ADD COLUMN nickname VARCHAR(40) NULL AFTER name")
    op.alter_column(
        "member", "flags", type_=mysql.SET("a", "b", "c"), existing_type=mysql.SET("a", "b")
    )


def downgrade():
    op.alter_column(
        "member", "flags", type_=mysql.SET("a", "b"), existing_type=mysql.SET("a", "b", "c")
    )
    op.drop_column("member", "nickname")
    op.drop_column("member", "name_length")
