"""reports on MySQL: sa.UUID, PostgreSQL's functions as server defaults, deferrable keys, SQL

Revision ID: 31b1c0de0010
Revises: 31b1c0de0009
"""

import sqlalchemy as sa
from alembic import op

revision = "31b1c0de0010"
down_revision = "31b1c0de0009"


def upgrade():
    op.create_table(
        "ledger",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("opened_at", sa.DateTime(), server_default=sa.func.clock_timestamp()),
        sa.PrimaryKeyConstraint("id"),
    )
    op.add_column("entry", sa.Column("ledger_id", sa.types.UUID(as_uuid=True), nullable=True))
    op.add_column("entry", sa.Column("bid", sa.Integer, sa.ForeignKey("b.id", deferrable=True)))
    op.alter_column("entry", "ref", existing_type=sa.UUID(), nullable=False)
    op.alter_column("entry", "tags", server_default=sa.text("'{}'::text"))
    op.create_foreign_key(
        "fk_entry_ledger",
        "entry",
        "ledger",
        ["ledger_id"],
        ["id"],
        initially="DEFERRED",
    )
    op.execute("ALTER TABLE entry DISABLE TRIGGER USER")
    op.execute("DELETE FROM entry USING ledger WHERE entry.ledger_id = ledger.id")
    op.execute("COMMENT ON TABLE ledger IS 'the books'")
    op.execute("SELECT setval('entry_id_seq', 100)")
    op.execute("CREATE FUNCTION touch() RETURNS trigger AS 'begin end' LANGUAGE plpgsql")


def downgrade():
    op.drop_constraint("fk_entry_ledger", "entry", type_="foreignkey")
    op.drop_column("entry", "bid")
    op.drop_column("entry", "ledger_id")
    op.drop_table("ledger")
