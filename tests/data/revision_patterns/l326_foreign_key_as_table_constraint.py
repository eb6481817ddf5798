"""owner column, written in SQL with a real foreign key

Revision ID: 26a1c0de0002
Revises: 26a1c0de0001
"""

from alembic import op

revision = "26a1c0de0002"
down_revision = "26a1c0de0001"


def upgrade():
    op.execute(
        "ALTER TABLE pet ADD COLUMN owner_id INT NULL, "
        "ADD CONSTRAINT fk_pet_owner_id_member FOREIGN KEY (owner_id) REFERENCES member(id)"
    )


def downgrade():
    op.execute("ALTER TABLE pet DROP FOREIGN KEY fk_pet_owner_id_member, DROP COLUMN owner_id")
