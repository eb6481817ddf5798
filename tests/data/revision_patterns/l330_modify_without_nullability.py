"""widen the sku and rename the label, the column restated without its nullability

Revision ID: 30b1c0de0001
Revises: 30b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "30b1c0de0001"
down_revision = "30b1c0de0000"


def upgrade():
    op.alter_column("product", "sku", type_=sa.String(64), existing_type=sa.String(32))
    op.alter_column(
        "product",
        "label",
        new_column_name="title",
        existing_type=sa.String(80),
        existing_nullable=False,
    )


def downgrade():
    op.alter_column(
        "product",
        "title",
        new_column_name="label",
        existing_type=sa.String(80),
        existing_nullable=False,
    )
    op.alter_column(
        "product",
        "sku",
        type_=sa.String(32),
        existing_type=sa.String(64),
        existing_nullable=False,
        existing_server_default="",
    )
