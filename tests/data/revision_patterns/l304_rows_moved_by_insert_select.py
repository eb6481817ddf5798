"""archived invoices copied by INSERT ... SELECT, then their table dropped

Revision ID: 04b1c0de0002
Revises: 04b1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "04b1c0de0002"
down_revision = "04b1c0de0001"


def upgrade():
    op.execute(
        "INSERT INTO invoice (number, total, archived) SELECT number, total, 1 FROM invoice_archive"
    )
    op.drop_table("invoice_archive")


def downgrade():
    op.create_table(
        "invoice_archive",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("total", sa.Numeric(10, 2)),
    )
