"""price checks and name lookups whose downgrade restores other objects

Revision ID: 20b1c0de0002
Revises: 20b1c0de0001
"""

from alembic import op

revision = "20b1c0de0002"
down_revision = "20b1c0de0001"


def upgrade():
    op.create_check_constraint("weight_positive", "parcel", "weight > 0")
    op.drop_index("ix_parcel_label", table_name="parcel")
    op.drop_constraint("uq_parcel_code", "parcel", type_="unique")


def downgrade():
    # another table's check, another column's index, another kind of key
    op.drop_constraint("ck_shipment_weight_positive", "shipment", type_="check")
    op.create_index(None, "parcel", ["label_text"])
    op.create_index(None, "parcel", ["code"])
