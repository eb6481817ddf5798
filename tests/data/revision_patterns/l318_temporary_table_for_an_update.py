"""point merged accounts' orders at the surviving account

Revision ID: 20b1c0de0005
Revises: 20b1c0de0004
"""

from alembic import op

revision = "20b1c0de0005"
down_revision = "20b1c0de0004"


def upgrade():
    op.execute(
        """
        CREATE TEMPORARY TABLE survivor AS
            SELECT id AS old_id, merged_into AS new_id FROM account WHERE merged_into IS NOT NULL;
        CREATE INDEX ix_survivor_old_id ON survivor (old_id);
        UPDATE orders SET account_id = survivor.new_id
            FROM survivor WHERE orders.account_id = survivor.old_id;
        DROP TABLE survivor;
        """
    )


def downgrade():
    pass
