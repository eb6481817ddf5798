"""archive tables mirror the live ones, created in a helper under computed names

Revision ID: 09b1c0de0040
Revises: 09b1c0de0039
"""

import sqlalchemy as sa
from alembic import op

revision = "09b1c0de0040"
down_revision = "09b1c0de0039"


def _mirror_tables(connection, suffix):
    meta = sa.MetaData()
    meta.reflect(bind=connection)
    for name in list(meta.tables):
        columns = [column.copy() for column in meta.tables[name].columns]
        op.create_table("archived_" + name, *columns)
        op.create_table(f"{name}_{suffix}", *columns)
    # the archive of invoices is looked up by number
    op.create_index("ux_archived_invoice_number", "archived_invoice", ["number"], unique=True)


def upgrade():
    bind = op.get_bind()
    _mirror_tables(bind, "history")
    op.create_unique_constraint("uq_receipt_history_code", "receipt_history", ["code"])
    # a table no computed name can give: it existed, its rows may repeat
    op.create_unique_constraint("uq_ledger_code", "ledger", ["code"])
    op.execute("UPDATE payment SET reference = UPPER(reference)")
    op.create_unique_constraint("uq_payment_reference", "payment", ["reference"])


def downgrade():
    pass
