"""the loop reads other columns, or rows of another table, before the drops

Revision ID: 05b1c0de0051
Revises: 05b1c0de0050
"""

import sqlalchemy as sa
from alembic import op

revision = "05b1c0de0051"
down_revision = "05b1c0de0050"

NOTED = "invoice"
KEPT = "receipt"

receipts = sa.Table(KEPT, sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("memo", sa.Text))


def upgrade():
    connection = op.get_bind()
    accounts = sa.table("account", sa.column("id"), sa.column("plan"), sa.column("tier"))
    subscriptions = sa.table("subscription", sa.column("id"), sa.column("account_id"))
    for subscription in connection.execute(subscriptions.select()):
        owner = connection.execute(
            accounts.select().where(accounts.c.id == subscription.account_id)
        ).first()
        connection.execute(
            subscriptions.update()
            .where(subscriptions.c.id == subscription.id)
            .values(tier=owner._mapping["tier"])
        )
        created = connection.execute(accounts.insert().values(tier="trial"))
        print(created.plan)
    op.drop_column("account", "plan")
    for row in connection.execute(receipts.select()):
        print(row[1])
    op.drop_column(NOTED, "note")


def downgrade():
    op.add_column(NOTED, sa.Column("note", sa.String(255), nullable=True))
    op.add_column("account", sa.Column("plan", sa.String(20), nullable=True))
