"""add electionId to candidate

Revision ID: e5a9c3f7d812
Revises: d21f6c8e4b13
Create Date: 2023-06-21 14:08:27.905613

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5a9c3f7d812"
down_revision = "d21f6c8e4b13"
branch_labels = None
depends_on = None

# Lightweight table constructs for the data step: they describe only the columns used here,
# so this revision does not depend on the application's models.
election = sa.table("election", sa.column("electionId", sa.Integer))
candidate = sa.table(
    "candidate",
    sa.column("candidateId", sa.Integer),
    sa.column("electionId", sa.Integer),
)


def upgrade():
    bind = op.get_bind()

    # Candidates were entered before they were tied to an election, while the system ran one
    # election at a time, so every existing candidate belongs to the first election (the lowest
    # electionId). If candidates exist but no election does, there is nothing they can honestly
    # be attached to: stop before any DDL rather than invent an election or delete people.
    first_election_id = bind.execute(sa.select(sa.func.min(election.c.electionId))).scalar()
    candidate_count = bind.execute(sa.select(sa.func.count()).select_from(candidate)).scalar()
    if candidate_count and first_election_id is None:
        raise RuntimeError(
            f"{candidate_count} candidate row(s) exist but the election table is empty: "
            "create the election they belong to, then run the upgrade again."
        )

    # 1. Add the column as nullable so existing rows can be filled.
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("electionId", sa.Integer(), nullable=True))

    # 2. Fill it.
    if candidate_count:
        op.execute(candidate.update().values(electionId=first_election_id))

    # 3. Make it NOT NULL and add the foreign key (batch: SQLite rebuilds the table).
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.alter_column("electionId", existing_type=sa.Integer(), nullable=False)
        # sentinel: ignore[L314] -- candidate holds a few thousand rows: the copy takes seconds
        batch_op.create_foreign_key(
            batch_op.f("fk_candidate_electionId_election"),
            "election",
            ["electionId"],
            ["electionId"],
        )


# The naming convention of this revision's time, frozen here rather than imported from the
# application. SQLAlchemy < 2.1 does not reflect this FK's name from SQLite, so batch mode needs
# the convention to give the reflected, unnamed constraint the name dropped below.
FK_NAMING_CONVENTION = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def downgrade():
    with op.batch_alter_table(
        "candidate", schema=None, naming_convention=FK_NAMING_CONVENTION
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_candidate_electionId_election"), type_="foreignkey")
        batch_op.drop_column("electionId")
