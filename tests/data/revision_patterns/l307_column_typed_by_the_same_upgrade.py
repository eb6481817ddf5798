"""tags get a slug: added, filled, then restated with its type; a narrowing the add does not cover

Revision ID: 06a1c0de0003
Revises: 06a1c0de0002
"""

import sqlalchemy as sa
from alembic import op

revision = "06a1c0de0003"
down_revision = "06a1c0de0002"


def upgrade():
    op.add_column("tag", sa.Column("slug", sa.String(40), nullable=True))
    op.execute("UPDATE tag SET slug = LOWER(name)")
    # the type this upgrade gave the column, or a wider one: nothing narrows
    op.alter_column("tag", "slug", type_=sa.String(40), nullable=False)
    op.alter_column("tag", "slug", type_=sa.String(60))
    # narrower than what this upgrade wrote: the notice stays
    op.add_column("tag", sa.Column("color", sa.String(32), nullable=True))
    op.alter_column("tag", "color", type_=sa.String(7))
    # a column this upgrade did not write: its type before is not known
    op.alter_column("tag", "name", type_=sa.String(80))


def downgrade():
    op.drop_column("tag", "color")
    op.drop_column("tag", "slug")
