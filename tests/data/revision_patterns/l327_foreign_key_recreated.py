"""orders: the member foreign key now cascades

Revision ID: 27b1c0de0002
Revises: 27b1c0de0001
"""

from alembic import op

revision = "27b1c0de0002"
down_revision = "27b1c0de0001"


def upgrade():
    op.drop_constraint("fk_order_member_id_member", "order", type_="foreignkey")
    op.create_foreign_key(
        "fk_order_member_id_member", "order", "member", ["member_id"], ["id"], ondelete="CASCADE"
    )


def downgrade():
    op.drop_constraint("fk_order_member_id_member", "order", type_="foreignkey")
    op.create_foreign_key("fk_order_member_id_member", "order", "member", ["member_id"], ["id"])
