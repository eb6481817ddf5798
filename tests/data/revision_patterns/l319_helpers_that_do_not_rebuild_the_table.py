"""shipment notes and labels: helpers that add columns or describe a table

Revision ID: 19b1c0de0011
Revises: 19b1c0de0010
"""

import sqlalchemy as sa
from alembic import op
from shipping.db import rebuild as rebuild_helpers

revision = "19b1c0de0011"
down_revision = "19b1c0de0010"


def upgrade():
    op.create_index("ix_shipment_label", "shipment", ["label"])
    op.create_index("ix_parcel_code", "parcel", ["code"])
    op.create_index("ix_crate_code", "crate", ["code"])


def downgrade():
    # adds a column: a helper given no primary key does not rebuild the table
    rebuild_helpers.add_columns("shipment", sa.Column("legacy", sa.String(20)))
    # a SQLAlchemy Table is a description, not a rebuild
    sa.Table("parcel", sa.MetaData(), sa.Column("id", sa.Integer(), primary_key=True))
    # a helper of this file lint cannot follow to a rebuild
    describe("crate", sa.Column("id", sa.Integer(), primary_key=True))


def describe(name, *columns):
    return name, columns
