"""unique price codes: keys named from a map, over an index or another key dropped before

Revision ID: 09b1c0de0111
Revises: 09b1c0de0110
"""

from alembic import op

revision = "09b1c0de0111"
down_revision = "09b1c0de0110"

KEYS = {"uq_price_rule_code": ["code"]}
OLD = {"uq_price_rule_label": ["label"]}


def upgrade():
    for key, columns in KEYS.items():
        # an index of that name may not have been unique
        op.drop_index(key, table_name="price_rule")
        op.create_unique_constraint(key, "price_rule", columns)
    for old, new in zip(OLD, KEYS):
        # the key dropped is another one than the key created
        op.drop_constraint(old, "price_tier", type_="unique")
        op.create_unique_constraint(new, "price_tier", KEYS[new])


def downgrade():
    pass
