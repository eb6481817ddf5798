"""moves plans: each database's own SQL in its own branch, and ANSI quotes set

Revision ID: 31b1c0de0013
Revises: 31b1c0de0012
"""

import sqlalchemy as sa
from alembic import op

revision = "31b1c0de0013"
down_revision = "31b1c0de0012"


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("PRAGMA foreign_keys=OFF")
        op.execute("INSERT OR REPLACE INTO plan (code, name) VALUES ('free', 'Free')")
        op.create_index(
            "uq_member_active_mail",
            "member",
            ["mail"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
    elif bind.dialect.name == "postgresql":
        op.execute(
            'UPDATE "member" SET plan_id = plan.id FROM plan WHERE plan.code = "member".code'
        )
    else:
        op.execute(
            "UPDATE member JOIN plan ON plan.code = member.code SET member.plan_id = plan.id"
        )


def downgrade():
    op.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
    op.execute('UPDATE "member" SET "plan_id" = NULL')
