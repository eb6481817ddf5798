"""plan moves from account to subscription; notes move to the shared attributes table

Revision ID: 05b1c0de0050
Revises: 05b1c0de0049
"""

import sqlalchemy as sa
from alembic import op

revision = "05b1c0de0050"
down_revision = "05b1c0de0049"

NOTED = "invoice"

invoices = sa.Table(
    NOTED,
    sa.MetaData(),
    sa.Column("id", sa.Integer),
    sa.Column("note", sa.String(255)),
    sa.Column("attribute_id", sa.Integer),
)
attributes = sa.Table(
    "attribute", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("note", sa.String(255))
)


def move_notes(connection):
    for row in connection.execute(invoices.select()):
        created = connection.execute(attributes.insert().values(note=row[1]))
        connection.execute(
            invoices.update()
            .where(invoices.c.id == row[0])
            .values(attribute_id=created.inserted_primary_key[0])
        )


def upgrade():
    op.add_column("subscription", sa.Column("plan", sa.String(20), nullable=True))
    connection = op.get_bind()
    accounts = sa.table("account", sa.column("id"), sa.column("plan"))
    subscriptions = sa.table("subscription", sa.column("id"), sa.column("account_id"))
    for subscription in connection.execute(subscriptions.select()):
        owner = connection.execute(
            accounts.select().where(accounts.c.id == subscription.account_id)
        ).first()
        connection.execute(
            subscriptions.update()
            .where(subscriptions.c.id == subscription.id)
            .values(plan=owner._mapping["plan"])
        )
    op.drop_column("account", "plan")
    op.add_column(NOTED, sa.Column("attribute_id", sa.Integer, nullable=True))
    move_notes(connection)
    op.drop_column(NOTED, "note")


def downgrade():
    op.add_column(NOTED, sa.Column("note", sa.String(255), nullable=True))
    op.drop_column(NOTED, "attribute_id")
    op.add_column("account", sa.Column("plan", sa.String(20), nullable=True))
    op.drop_column("subscription", "plan")
