"""a counter becomes a flag

Revision ID: 07b1c0de0002
Revises: 07b1c0de0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "07b1c0de0002"
down_revision = "07b1c0de0001"


def upgrade():
    op.alter_column(
        "member", "logins", existing_type=mysql.INTEGER(display_width=11), type_=sa.Boolean()
    )


def downgrade():
    op.alter_column(
        "member", "logins", existing_type=sa.Boolean(), type_=mysql.INTEGER(display_width=11)
    )
