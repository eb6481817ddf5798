"""event times from epoch decimals to DATETIME: each converted into a new column that takes its name

Revision ID: 05b1c0de0030
Revises: 05b1c0de0029
"""

import sqlalchemy as sa
from alembic import op

revision = "05b1c0de0030"
down_revision = "05b1c0de0029"


def upgrade():
    for table, name in (("event", "happened_at"), ("event_log", "logged_at")):
        old = sa.Column(name, sa.Numeric(20, 6))
        new = sa.Column(name + "_new", sa.DateTime)
        op.add_column(table, new)
        rows = sa.table(table, old, new)
        op.execute(rows.update().values(**{name + "_new": sa.func.from_unixtime(old)}))
        op.drop_column(table, name)
        op.alter_column(table, name + "_new", new_column_name=name, existing_type=sa.DateTime)
    # a column dropped and another renamed to its name, nothing converted: its values are gone
    op.add_column("visit", sa.Column("seen_new", sa.DateTime))
    op.drop_column("visit", "seen")
    op.alter_column("visit", "seen_new", new_column_name="seen", existing_type=sa.DateTime)


def downgrade():
    raise NotImplementedError("one way: the decimals are not restored")
