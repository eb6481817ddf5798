"""Atlas-style blocking changes on MySQL

Revision ID: 14b1c0de0001
Revises: 14b1c0de0000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "14b1c0de0001"
down_revision = "14b1c0de0000"


def upgrade():
    op.add_column(
        "member",
        sa.Column("name_length", sa.Integer(), sa.Computed("CHAR_LENGTH(name)", persisted=True)),
    )
    op.add_column("legacy_log", sa.Column("id", sa.Integer(), autoincrement=True, nullable=False))
    op.execute("ALTER TABLE legacy_log ENGINE=InnoDB")
    op.execute("ALTER TABLE event PARTITION BY HASH(id) PARTITIONS 4")
    op.alter_column(
        "member",
        "flags",
        type_=mysql.SET("a", "b", "c", "d", "e", "f", "g", "h", "i"),
        existing_type=mysql.SET("a", "b", "c", "d", "e", "f", "g", "h"),
    )


def downgrade():
    op.alter_column(
        "member",
        "flags",
        type_=mysql.SET("a", "b", "c", "d", "e", "f", "g", "h"),
        existing_type=mysql.SET("a", "b", "c", "d", "e", "f", "g", "h", "i"),
    )
    op.drop_column("legacy_log", "id")
    op.drop_column("member", "name_length")
