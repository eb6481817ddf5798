"""parcels: derived columns dropped; a stored value and an identity dropped with them

Revision ID: 06a1c0de0002
Revises: 06a1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "06a1c0de0002"
down_revision = "06a1c0de0001"


def upgrade():
    op.drop_column("parcel", "volume_cm3")
    op.drop_column("parcel", "label_upper")
    op.drop_column("parcel", "weight_note")
    op.drop_column("parcel_scan", "scan_no")


def downgrade():
    op.add_column("parcel_scan", sa.Column("scan_no", sa.Integer(), sa.Identity()))
    op.add_column("parcel", sa.Column("weight_note", sa.String(40), nullable=True))
    # a virtual and a stored generated column: the server computes them from the others
    op.add_column(
        "parcel",
        sa.Column("label_upper", sa.String(40), sa.Computed("UPPER(label)", persisted=True)),
    )
    op.add_column(
        "parcel", sa.Column("volume_cm3", sa.Integer(), sa.Computed("width * height * depth"))
    )
