"""notes with a searchable body

Revision ID: 23a1c0de0001
Revises: 23a1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "23a1c0de0001"
down_revision = "23a1c0de0000"


def upgrade():
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.Text(), nullable=False, unique=True),
        sa.Column("body", sa.Text(), nullable=True),
    )
    op.create_index("ix_note_body", "note", ["body"])


def downgrade():
    op.drop_index("ix_note_body", table_name="note")
    op.drop_table("note")
