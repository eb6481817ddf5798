"""copies plans to members: a PostgreSQL join update, SQLite pragmas and partial indexes

Revision ID: 31b1c0de0012
Revises: 31b1c0de0011
"""

import sqlalchemy as sa
from alembic import op

revision = "31b1c0de0012"
down_revision = "31b1c0de0011"


def upgrade():
    op.execute("PRAGMA foreign_keys=OFF")
    op.execute("UPDATE member SET plan_id = plan.id FROM plan WHERE plan.code = member.plan_code")
    op.execute(
        "UPDATE member SET plan_name = (SELECT name FROM plan WHERE plan.id = member.plan_id)"
    )
    op.execute(
        "UPDATE member JOIN plan ON plan.id = member.plan_id SET member.plan_name = plan.name"
    )
    op.execute("UPDATE member SET joined_year = EXTRACT(YEAR FROM joined)")
    op.execute("INSERT OR IGNORE INTO plan (code, name) VALUES ('free', 'Free')")
    op.execute("INSERT IGNORE INTO plan (code, name) VALUES ('free', 'Free')")
    op.create_index(
        "uq_member_active_mail",
        "member",
        ["mail"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index("ix_member_trial", "member", ["plan_id"], sqlite_where=sa.text("plan_id = 1"))
    op.create_index(
        "uq_member_ref",
        "member",
        ["ref"],
        unique=True,
        postgresql_where=sa.text("ref IS NOT NULL"),
        sqlite_where=sa.text("ref IS NOT NULL"),
    )
    op.execute("PRAGMA foreign_keys=ON")


def downgrade():
    op.drop_index("uq_member_ref", table_name="member")
    op.drop_index("ix_member_trial", table_name="member")
    op.drop_index("uq_member_active_mail", table_name="member")
