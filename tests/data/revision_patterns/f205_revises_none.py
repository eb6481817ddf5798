"""first revision

Revision ID: 05f1c0de0001
Revises: None
Create Date: 2024-01-01 00:00:00
"""

revision = "05f1c0de0001"
down_revision = None


def upgrade():
    pass


def downgrade():
    pass
