"""discount on orders, with its checks and lookups

Revision ID: 20b1c0de0003
Revises: 20b1c0de0002
"""

import sqlalchemy as sa
from alembic import op

revision = "20b1c0de0003"
down_revision = "20b1c0de0002"


def upgrade():
    op.add_column("orders", sa.Column("discount", sa.Numeric(5, 2), nullable=True))
    op.add_column("orders", sa.Column("coupon_id", sa.Integer(), nullable=True))
    op.create_check_constraint("discount_range", "orders", "discount BETWEEN 0 AND 100")
    op.create_index("ix_orders_discount", "orders", ["discount"])
    op.create_index("ix_orders_lower_coupon", "orders", [sa.text("lower(coupon_id)")])
    op.create_foreign_key("fk_orders_coupon", "orders", "coupon", ["coupon_id"], ["id"])


def downgrade():
    # dropping the columns takes their checks, indexes and keys with them on PostgreSQL;
    # MySQL drops an index with its last column and a check over that column alone, but
    # refuses a foreign key's column
    op.drop_column("orders", "coupon_id")
    op.drop_column("orders", "discount")
