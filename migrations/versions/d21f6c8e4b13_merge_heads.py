"""merge heads

Revision ID: d21f6c8e4b13
Revises: 3f1c0d2b9e7a, b7e4a91c5d20
Create Date: 2023-05-10 10:31:48.319402

"""

# revision identifiers, used by Alembic.
revision = "d21f6c8e4b13"
down_revision = ("3f1c0d2b9e7a", "b7e4a91c5d20")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
