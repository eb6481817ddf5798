"""price checks and sku lookups under the shop's naming convention

Revision ID: 20b1c0de0001
Revises: 20b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "20b1c0de0001"
down_revision = "20b1c0de0000"


def upgrade():
    # the MetaData's convention makes these "ck_product_price_positive" and
    # "ck_product_stock_known"; the downgrade drops them by those names
    op.create_check_constraint("price_positive", "product", "price > 0")
    op.create_check_constraint("stock_known", "product", sa.text("stock IS NOT NULL"))
    op.drop_index("ix_product_sku", table_name="product")
    op.drop_constraint("uq_product_code", "product", type_="unique")
    op.drop_index("ix_flag_product_archived", table_name="product")


def downgrade():
    op.create_index(None, "product", ["archived"])
    op.create_unique_constraint(None, "product", ["code"])
    op.create_index(op.f("ix_product_sku"), "product", ["sku"])
    op.drop_constraint("ck_product_stock_known", "product", type_="check")
    op.drop_constraint(op.f("ck_product_price_positive"), "product")
