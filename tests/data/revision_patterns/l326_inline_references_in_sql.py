"""owner column, written in SQL

Revision ID: 26a1c0de0001
Revises: 26a1c0de0000
"""

from alembic import op

revision = "26a1c0de0001"
down_revision = "26a1c0de0000"


def upgrade():
    op.execute("ALTER TABLE pet ADD COLUMN owner_id INT NULL REFERENCES member(id)")


def downgrade():
    op.execute("ALTER TABLE pet DROP COLUMN owner_id")
