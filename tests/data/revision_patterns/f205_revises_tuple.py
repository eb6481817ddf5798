"""merge two heads

Revision ID: 05f1c0de0004
Revises: ('05f1c0de0002', '05f1c0de0003')
Create Date: 2024-01-01 00:00:00
"""

revision = "05f1c0de0004"
down_revision = ("05f1c0de0002", "05f1c0de0003")


def upgrade():
    pass


def downgrade():
    pass
