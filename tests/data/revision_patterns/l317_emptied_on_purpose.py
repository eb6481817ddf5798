"""backfill member plans (the backfill was moved to a job)

Revision ID: 17b1c0de0001
Revises: 17b1c0de0000
"""

revision = "17b1c0de0001"
down_revision = "17b1c0de0000"


def upgrade():
    # the backfill moved to the nightly job; the revision stays for the history
    pass


def downgrade():
    pass
