"""longer shipment notes: the table is rebuilt by our migration helper

Revision ID: 19b1c0de0010
Revises: 19b1c0de0009
"""

import sqlalchemy as sa
from alembic import op
from shipping.db import rebuild as rebuild_helpers
from shipping.db.rebuild import copy_into_new_table

revision = "19b1c0de0010"
down_revision = "19b1c0de0009"

SHIPMENT = "shipment"


def upgrade():
    rebuild_helpers.recreate(
        "shipment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_shipment_note", "shipment", ["note"], mysql_length=64)
    copy_into_new_table(
        "parcel",
        sa.Column("id", sa.Integer()),
        sa.Column("weight", sa.Numeric(8, 2)),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_unique_constraint("uq_parcel_weight", "parcel", ["id", "weight"])


def downgrade():
    # both tables come back whole from their old definitions, without the new keys
    rebuild_helpers.recreate(
        SHIPMENT,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("note", sa.String(255), nullable=True),
    )
    copy_into_new_table(
        "parcel",
        sa.Column("id", sa.Integer()),
        sa.Column("weight", sa.Integer()),
        sa.PrimaryKeyConstraint("id"),
    )
