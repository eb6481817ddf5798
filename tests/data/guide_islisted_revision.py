# The isListed revision from the project's developer guide, indented into a valid file and
# otherwise as the guide writes it: quotes, line lengths and unused imports are kept, since this is
# the code people copy. tests/test_lint_rules.py expects L301 (NOT NULL without a default) and L303 (a bool
# assigned to the String(100) column).
# ruff: noqa
# fmt: off
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Session, relationship
from sqlalchemy.ext.declarative import declarative_base

# revision identifiers, used by Alembic.
revision = '65900aaf5afd'
down_revision = 'a8a2fc4e4c77'
branch_labels = None
depends_on = None

db = sa


def upgrade():
    Base = declarative_base()
    bind = op.get_bind()
    session = Session(bind=bind)

    class _Election(Base):
        __tablename__ = 'election'

        electionId = db.Column(db.Integer, primary_key=True, autoincrement=True)
        rootElectionId = db.Column(db.Integer,
                                   db.ForeignKey("election.electionId", name="fk_election_root_election_id"),
                                   nullable=True)
        parentElectionId = db.Column(db.Integer, db.ForeignKey("election.electionId"), nullable=True)
        isListed = db.Column(db.String(100), nullable=False)

    op.add_column('election', db.Column('isListed', db.String(length=100), nullable=False))

    existing_elections = session.query(_Election).all()

    for election in existing_elections:
        election.isListed = election.rootElectionId == election.electionId


def downgrade():
    op.drop_column('election', 'isListed')
