"""ticket kind becomes a lookup: the old text column is kept as legacy_kind, a new kind added

Revision ID: 28b1c0de0003
Revises: 28b1c0de0002
"""

import sqlalchemy as sa
from alembic import op

revision = "28b1c0de0003"
down_revision = "28b1c0de0002"


def upgrade():
    # the running version still reads `kind`: after this revision a column of that name exists
    op.alter_column("ticket", "kind", new_column_name="legacy_kind", existing_type=sa.String(20))
    op.add_column("ticket", sa.Column("kind", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("ticket", "kind")
    op.alter_column("ticket", "legacy_kind", new_column_name="kind", existing_type=sa.String(20))
