"""wider tenant ids: each unique key dropped and created again by name from a map

Revision ID: 09b1c0de0110
Revises: 09b1c0de0109
"""

import sqlalchemy as sa
from alembic import op

revision = "09b1c0de0110"
down_revision = "09b1c0de0109"

KEYS = {
    "price_rule": {"uq_price_rule_code": (["code", "tenant_id"], ["code"])},
    "price_tier": {"uq_price_tier_level": (["level", "tenant_id"], ["level"])},
}


def upgrade():
    for table in ("price_rule", "price_tier"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("tenant_id", type_=sa.String(255), existing_nullable=True)
            for key, (columns, _) in KEYS[table].items():
                batch_op.drop_constraint(key, type_="unique")
                batch_op.create_unique_constraint(key, columns)


def downgrade():
    for table in ("price_rule", "price_tier"):
        with op.batch_alter_table(table) as batch_op:
            for key, (_, columns) in KEYS[table].items():
                batch_op.drop_constraint(key, type_="unique")
                batch_op.create_unique_constraint(key, columns)
