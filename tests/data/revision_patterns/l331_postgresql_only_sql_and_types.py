"""reports on PostgreSQL: casts, a partial unique index, JSONB

Revision ID: 31b1c0de0001
Revises: 31b1c0de0000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "31b1c0de0001"
down_revision = "31b1c0de0000"


def upgrade():
    op.add_column("report", sa.Column("payload", postgresql.JSONB(), nullable=True))
    op.execute("UPDATE report SET score = raw_score::numeric WHERE title ILIKE '%draft%'")
    op.create_index(
        "uq_report_open_title",
        "report",
        ["title"],
        unique=True,
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_index("ix_report_title", "report", ["title"], postgresql_using="gin")


def downgrade():
    op.drop_index("ix_report_title", table_name="report")
    op.drop_index("uq_report_open_title", table_name="report")
    op.drop_column("report", "payload")
