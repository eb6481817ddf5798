"""reports nothing on MySQL: sa.Uuid, MySQL's own defaults, PostgreSQL's forms in a branch

Revision ID: 31b1c0de0011
Revises: 31b1c0de0010
"""

import sqlalchemy as sa
from alembic import op

revision = "31b1c0de0011"
down_revision = "31b1c0de0010"


def upgrade():
    op.create_table(
        "ledger",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.UUID().with_variant(sa.String(36), "mysql")),
        sa.Column("opened_at", sa.DateTime(), server_default=sa.text("now()")),
        sa.Column("closed_at", sa.DateTime(), server_default=sa.func.current_timestamp()),
        sa.Column("note", sa.String(40), server_default="gen_random_uuid()"),
        sa.Column("book_id", sa.Integer(), sa.ForeignKey("book.id", deferrable=None)),
        sa.PrimaryKeyConstraint("id"),
    )
    # the type is not restated: ALTER COLUMN ... SET DEFAULT
    op.alter_column("entry", "ref", existing_type=sa.UUID(), server_default=sa.text("(uuid())"))
    op.create_foreign_key("fk_entry_ledger", "entry", "ledger", ["ledger_id"], ["id"])
    op.execute("DELETE FROM entry USING entry JOIN ledger ON entry.ledger_id = ledger.id")
    op.execute("DELETE entry FROM entry JOIN ledger USING (id) WHERE ledger.closed_at IS NULL")
    op.execute("ALTER TABLE ledger COMMENT = 'the books'")
    op.execute("ALTER TABLE ledger DISABLE KEYS")
    if op.get_bind().dialect.name == "postgresql":
        op.add_column(
            "entry", sa.Column("key", sa.UUID(), server_default=sa.text("gen_random_uuid()"))
        )
        op.create_foreign_key(
            "fk_entry_book", "entry", "book", ["book_id"], ["id"], deferrable=True
        )
        op.execute("ALTER TABLE entry DISABLE TRIGGER USER")
        op.execute("COMMENT ON TABLE ledger IS 'the books'")


def downgrade():
    op.drop_constraint("fk_entry_ledger", "entry", type_="foreignkey")
    op.drop_table("ledger")
