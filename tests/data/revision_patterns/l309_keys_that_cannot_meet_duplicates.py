"""account numbers unique: a superset of the primary key, a uuid per row, duplicates renamed

Revision ID: 09b1c0de0101
Revises: 09b1c0de0100
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "09b1c0de0101"
down_revision = "09b1c0de0100"

account = sa.Table(
    "account",
    sa.MetaData(),
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("public_id", sa.String(36)),
)


def upgrade():
    op.create_unique_constraint("uq_account_id_region", "account", ["id", "region"])
    op.add_column("account", sa.Column("public_id", sa.String(36), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(sa.select(account.c.id)):
        bind.execute(
            account.update().where(account.c.id == row.id).values(public_id=str(uuid.uuid4()))
        )
    op.alter_column("account", "public_id", existing_type=sa.String(36), nullable=False)
    op.create_unique_constraint("uq_account_public_id", "account", ["public_id"])
    op.execute(
        "UPDATE account a JOIN account b ON a.email = b.email AND a.id > b.id "
        "SET a.email = CONCAT(a.email, '+', a.id)"
    )
    op.create_unique_constraint("uq_account_email", "account", ["email"])
    op.add_column(
        "account",
        sa.Column("token", sa.String(36), server_default=sa.text("(UUID())"), nullable=False),
    )
    op.create_index("ix_account_token", "account", ["token"], unique=True)


def downgrade():
    op.drop_index("ix_account_token", table_name="account")
    op.drop_column("account", "token")
    op.drop_constraint("uq_account_email", "account", type_="unique")
    op.drop_constraint("uq_account_public_id", "account", type_="unique")
    op.drop_column("account", "public_id")
    op.drop_constraint("uq_account_id_region", "account", type_="unique")
