"""ledger columns retyped: NOT NULL restated on columns that hold no NULL, and on two that may

Revision ID: 06a1c0de0001
Revises: 06a1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "06a1c0de0001"
down_revision = "06a1c0de0000"


def upgrade():
    # the alter_column says the column is NOT NULL already: a retype, no NULL to fail on
    op.alter_column(
        "ledger", "account", type_=sa.String(64), existing_nullable=False, nullable=False
    )
    # added NOT NULL with a default by this upgrade, then widened
    op.add_column(
        "ledger", sa.Column("currency", sa.String(3), nullable=False, server_default="EUR")
    )
    op.alter_column("ledger", "currency", type_=sa.String(8), nullable=False)
    # made the primary key first (MySQL makes its columns NOT NULL), then retyped
    op.create_primary_key("pk_ledger_entry", "ledger_entry", ["entry_id"])
    op.alter_column("ledger_entry", "entry_id", type_=sa.BigInteger(), nullable=False)
    # made nullable by this upgrade, then NOT NULL again: the rows written between may be NULL
    op.alter_column("ledger", "memo", existing_type=sa.String(80), nullable=True)
    op.alter_column("ledger", "memo", existing_type=sa.String(80), nullable=False)
    # nothing says what the column was: it may hold NULLs
    op.alter_column("ledger", "booked_at", existing_type=sa.DateTime(), nullable=False)


def downgrade():
    op.alter_column("ledger", "booked_at", existing_type=sa.DateTime(), nullable=True)
