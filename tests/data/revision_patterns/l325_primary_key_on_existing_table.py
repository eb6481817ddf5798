"""give the legacy log table a primary key

Revision ID: 25a1c0de0001
Revises: 25a1c0de0000
"""

from alembic import op

revision = "25a1c0de0001"
down_revision = "25a1c0de0000"


def upgrade():
    op.create_primary_key("pk_legacy_log", "legacy_log", ["log_id"])


def downgrade():
    op.drop_constraint("pk_legacy_log", "legacy_log", type_="primary")
