"""the first revision: tables created, then columns widened for MySQL, one after its rows

Revision ID: 07b1c0de0020
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "07b1c0de0020"
down_revision = None


def upgrade():
    op.create_table(
        "heartbeat",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seen_at", sa.DateTime),
    )
    op.create_table(
        "usage",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resource", sa.String(255)),
    )
    with op.batch_alter_table("heartbeat") as batch_op:
        batch_op.alter_column("seen_at", type_=sa.DateTime(timezone=True))
    op.alter_column("usage", "resource", type_=sa.String(300))
    usage = sa.table("usage", sa.column("resource", sa.String))
    op.bulk_insert(usage, [{"resource": "gigabytes"}])
    op.alter_column("usage", "resource", type_=sa.String(120))


def downgrade():
    op.drop_table("usage")
    op.drop_table("heartbeat")
