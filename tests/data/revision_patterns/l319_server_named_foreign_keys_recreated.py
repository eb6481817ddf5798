"""cascade deletes from invoices

Revision ID: 20b1c0de0004
Revises: 20b1c0de0003
"""

from alembic import op

revision = "20b1c0de0004"
down_revision = "20b1c0de0003"


def upgrade():
    # the keys were created unnamed: MySQL called them invoice_ibfk_1 and invoice_ibfk_2
    op.drop_constraint("invoice_ibfk_1", "invoice", type_="foreignkey")
    op.drop_constraint("invoice_ibfk_2", "invoice", type_="foreignkey")
    op.drop_constraint("payment_ibfk_1", "payment", type_="foreignkey")
    op.create_foreign_key(
        "fk_invoice_customer", "invoice", "customer", ["customer_id"], ["id"], ondelete="CASCADE"
    )
    op.create_foreign_key(
        "fk_invoice_seller", "invoice", "seller", ["seller_id"], ["id"], ondelete="CASCADE"
    )


def downgrade():
    op.drop_constraint("fk_invoice_seller", "invoice", type_="foreignkey")
    op.drop_constraint("fk_invoice_customer", "invoice", type_="foreignkey")
    op.create_foreign_key(
        "fk_invoice_customer_plain", "invoice", "customer", ["customer_id"], ["id"]
    )
    op.create_foreign_key("fk_invoice_seller_plain", "invoice", "seller", ["seller_id"], ["id"])
    # payment_ibfk_1 is the key L319 reports here (a test note)
