"""tables created under names held in a variable: no literal part to tell which

Revision ID: 09b1c0de0041
Revises: 09b1c0de0040
"""

import sqlalchemy as sa
from alembic import op

revision = "09b1c0de0041"
down_revision = "09b1c0de0040"


def upgrade():
    bind = op.get_bind()
    meta = sa.MetaData()
    meta.reflect(bind=bind)
    for name in list(meta.tables):
        op.create_table(name, sa.Column("id", sa.Integer, primary_key=True))
    op.execute("UPDATE payment SET reference = UPPER(reference)")
    op.create_unique_constraint("uq_payment_reference", "payment", ["reference"])


def downgrade():
    pass
