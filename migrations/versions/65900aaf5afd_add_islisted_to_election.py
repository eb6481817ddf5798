"""add isListed to election

Revision ID: 65900aaf5afd
Revises: a8a2fc4e4c77
Create Date: 2023-04-03 15:47:09.631904

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session, declarative_base

# revision identifiers, used by Alembic.
revision = "65900aaf5afd"
down_revision = "a8a2fc4e4c77"
branch_labels = None
depends_on = None


def upgrade():
    # A model frozen as the table stands at this revision, on its own Base: importing the
    # application's orm.Election here would break as soon as that class changes again.
    # It maps only the columns this data migration reads or writes.
    Base = declarative_base()
    bind = op.get_bind()
    session = Session(bind=bind)

    class _Election(Base):
        __tablename__ = "election"

        electionId = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
        rootElectionId = sa.Column(sa.Integer, nullable=True)
        isListed = sa.Column(sa.Boolean, nullable=True)

    # 1. Add the column as nullable: the table may already hold rows, and a NOT NULL column
    #    without a server default cannot be added to them.
    op.add_column("election", sa.Column("isListed", sa.Boolean(), nullable=True))

    # 2. Fill it for every existing row: an election is listed when it is its own root.
    for election in session.query(_Election).all():
        election.isListed = election.rootElectionId == election.electionId
    session.flush()
    session.close()

    # 3. Only now make it NOT NULL. Batch mode so SQLite, which cannot ALTER a column,
    #    rebuilds the table; MySQL gets a plain ALTER TABLE ... MODIFY.
    with op.batch_alter_table("election") as batch_op:
        batch_op.alter_column("isListed", existing_type=sa.Boolean(), nullable=False)


def downgrade():
    with op.batch_alter_table("election") as batch_op:
        batch_op.drop_column("isListed")
