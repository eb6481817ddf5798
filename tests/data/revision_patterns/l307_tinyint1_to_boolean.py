"""autogenerate on MySQL: flags reflected as TINYINT(1) become Boolean

Revision ID: 07b1c0de0001
Revises: 07b1c0de0000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "07b1c0de0001"
down_revision = "07b1c0de0000"


def upgrade():
    op.alter_column(
        "member",
        "is_active",
        existing_type=mysql.TINYINT(display_width=1),
        type_=sa.Boolean(),
        existing_nullable=True,
    )
    with op.batch_alter_table("member") as batch_op:
        batch_op.alter_column(
            "is_admin", existing_type=mysql.TINYINT(1), type_=sa.Boolean(), nullable=False
        )


def downgrade():
    with op.batch_alter_table("member") as batch_op:
        batch_op.alter_column(
            "is_admin", existing_type=sa.Boolean(), type_=mysql.TINYINT(1), nullable=True
        )
    op.alter_column(
        "member",
        "is_active",
        existing_type=sa.Boolean(),
        type_=mysql.TINYINT(display_width=1),
        existing_nullable=True,
    )
