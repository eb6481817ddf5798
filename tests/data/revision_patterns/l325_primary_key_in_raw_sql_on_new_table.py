"""a staging table created and keyed in raw SQL

Revision ID: 25a1c0de0004
Revises: 25a1c0de0003
"""

from alembic import op

revision = "25a1c0de0004"
down_revision = "25a1c0de0003"


def upgrade():
    op.execute("CREATE TABLE import_batch (batch_id INT NOT NULL, source VARCHAR(40) NOT NULL)")
    op.execute("ALTER TABLE import_batch ADD PRIMARY KEY (batch_id)")
    op.execute("ALTER TABLE order_line ADD INDEX ix_order_line_position (position)")


def downgrade():
    op.execute("DROP TABLE import_batch")
