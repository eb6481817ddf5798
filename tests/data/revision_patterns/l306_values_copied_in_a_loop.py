"""split member.name into first and last name, row by row

Revision ID: 06b1c0de0003
Revises: 06b1c0de0002
"""

import sqlalchemy as sa
from alembic import op

revision = "06b1c0de0003"
down_revision = "06b1c0de0002"

member = sa.table(
    "member",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String(200)),
    sa.column("first_name", sa.String(100)),
)


def upgrade():
    op.add_column("member", sa.Column("first_name", sa.String(100), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(sa.select(member.c.id, member.c.name)):
        first = row.name.split(" ")[0]
        bind.execute(member.update().where(member.c.id == row.id).values(first_name=first))
    op.drop_column("member", "name")


def downgrade():
    op.add_column("member", sa.Column("name", sa.String(200), nullable=True))
    op.drop_column("member", "first_name")
