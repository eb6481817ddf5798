"""store times as timezone-aware through the application's UTC type

Revision ID: 20b1c0de0008
Revises: 20b1c0de0007
"""

import shop.db.types
import sqlalchemy as sa
from alembic import op

revision = "20b1c0de0008"
down_revision = "20b1c0de0007"


def upgrade():
    # a TypeDecorator: which server type it stores is the application's business
    op.alter_column(
        "orders",
        "placed_at",
        existing_type=sa.DateTime(),
        type_=shop.db.types.UtcTime(timezone=True),
        existing_nullable=True,
    )
    op.alter_column("orders", "note", existing_type=sa.String(40), type_=sa.Text())


def downgrade():
    op.alter_column("orders", "note", existing_type=sa.Text(), type_=sa.String(40))
    op.alter_column(
        "orders",
        "placed_at",
        existing_type=shop.db.types.UtcTime(timezone=True),
        type_=sa.DateTime(),
        existing_nullable=True,
    )
