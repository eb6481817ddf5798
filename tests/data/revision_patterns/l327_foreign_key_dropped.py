"""orders no longer checked against members

Revision ID: 27b1c0de0001
Revises: 27b1c0de0000
"""

from alembic import op

revision = "27b1c0de0001"
down_revision = "27b1c0de0000"


def upgrade():
    op.drop_constraint("fk_order_member_id_member", "order", type_="foreignkey")


def downgrade():
    op.create_foreign_key("fk_order_member_id_member", "order", "member", ["member_id"], ["id"])
