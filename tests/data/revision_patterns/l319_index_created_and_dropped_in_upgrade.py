"""fill the plan column with the help of a temporary index

Revision ID: 19b1c0de0002
Revises: 19b1c0de0001
"""

from alembic import op

revision = "19b1c0de0002"
down_revision = "19b1c0de0001"


def upgrade():
    op.create_index("ix_tmp_member_plan", "member", ["plan"])
    op.execute("UPDATE member SET plan = 'free' WHERE plan IS NULL")
    op.drop_index("ix_tmp_member_plan", table_name="member")
    op.create_index("ix_member_created", "member", ["created"])


def downgrade():
    op.execute("UPDATE member SET plan = NULL WHERE plan = 'free'")
