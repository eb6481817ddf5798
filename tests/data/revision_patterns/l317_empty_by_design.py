"""placeholder keeping the contract branch in step with expand

Revision ID: 20b1c0de0006
Revises: 20b1c0de0005
"""

revision = "20b1c0de0006"
down_revision = "20b1c0de0005"
depends_on = "20b1c0de00e1"


def upgrade():
    pass


def downgrade():
    pass
