"""a ratio declared as FLOAT(53), which MySQL and MariaDB store as DOUBLE

Revision ID: 07b1c0de0003
Revises: 07b1c0de0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "07b1c0de0003"
down_revision = "07b1c0de0002"


def upgrade():
    op.alter_column("member", "ratio", existing_type=mysql.DOUBLE(), type_=sa.Float(53))
    op.alter_column("member", "score", existing_type=mysql.DOUBLE(), type_=sa.Float(10))


def downgrade():
    op.alter_column("member", "score", existing_type=sa.Float(10), type_=mysql.DOUBLE())
    op.alter_column("member", "ratio", existing_type=sa.Float(53), type_=mysql.DOUBLE())
