"""notes with a prefix index on the body

Revision ID: 23a1c0de0002
Revises: 23a1c0de0001
"""

import sqlalchemy as sa
from alembic import op

revision = "23a1c0de0002"
down_revision = "23a1c0de0001"


def upgrade():
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(190), nullable=False, unique=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Index("ix_note_body", "body", mysql_length={"body": 191}),
    )
    op.create_index("ix_note_body_head", "note", ["body"], mysql_length=64)


def downgrade():
    op.drop_index("ix_note_body_head", table_name="note")
    op.drop_table("note")
