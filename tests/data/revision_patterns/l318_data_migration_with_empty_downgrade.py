"""give every member without a plan the free plan

Revision ID: 18b1c0de0001
Revises: 18b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "18b1c0de0001"
down_revision = "18b1c0de0000"

member = sa.table("member", sa.column("plan", sa.String(20)))


def upgrade():
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE member SET plan = 'free' WHERE plan IS NULL"))
    op.execute(member.update().where(member.c.plan == "").values(plan="free"))


def downgrade():
    pass
