"""tags move from a join table into a JSON column on the post: rows read first

Revision ID: 04b1c0de0001
Revises: 04b1c0de0000
"""

import sqlalchemy as sa
from alembic import op

revision = "04b1c0de0001"
down_revision = "04b1c0de0000"


def upgrade():
    op.add_column("post", sa.Column("tag_names", sa.Text(), nullable=True))
    op.execute(
        "UPDATE post SET tag_names = (SELECT GROUP_CONCAT(pt.tag) FROM post_tag pt "
        "WHERE pt.post_id = post.id)"
    )
    op.drop_table("post_tag")


def downgrade():
    op.create_table(
        "post_tag",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(40), nullable=False),
    )
    op.drop_column("post", "tag_names")
