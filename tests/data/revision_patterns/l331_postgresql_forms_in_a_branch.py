"""reports on both servers: PostgreSQL forms in their own branch

Revision ID: 31b1c0de0002
Revises: 31b1c0de0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "31b1c0de0002"
down_revision = "31b1c0de0001"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("report", sa.Column("payload", postgresql.JSONB(), nullable=True))
        op.execute("UPDATE report SET score = raw_score::numeric")
    else:
        op.add_column("report", sa.Column("payload", sa.JSON(), nullable=True))
        op.execute("UPDATE report SET score = CAST(raw_score AS DECIMAL(10, 2))")
    op.execute("UPDATE report SET note = 'a::b ILIKE' WHERE id = 1")


def downgrade():
    op.drop_column("report", "payload")
