"""a revision whose docstring names another parent

Revision ID: 05f1c0de0005
Revises: 05f1c0de0002
Create Date: 2024-01-01 00:00:00
"""

revision = "05f1c0de0005"
down_revision = "05f1c0de0004"


def upgrade():
    pass


def downgrade():
    pass
