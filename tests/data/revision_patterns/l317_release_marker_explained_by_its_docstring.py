"""dogwood

Revision ID: dogwood
Revises: 20b1c0de0008
"""

revision = "dogwood"
down_revision = "20b1c0de0008"


def upgrade():
    """Nothing changes: this revision marks the Dogwood release in the history."""
    pass


def downgrade():
    pass
