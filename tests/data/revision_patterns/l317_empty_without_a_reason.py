"""add the shipment's tracking number

Revision ID: 20b1c0de0007
Revises: 20b1c0de0006
"""

revision = "20b1c0de0007"
down_revision = "20b1c0de0006"
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
