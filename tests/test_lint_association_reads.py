"""Rows of an association table read through a many-to-many relationship before the table is
dropped (round 22): a loop that reads `member.teams` for each member, the relationship declared
in the revision with `secondary=` (a Table of the file, a name, or set on a class inside
upgrade()), copies the association's rows first: no L304. Fixtures are our own."""

from __future__ import annotations

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_source

HEADER = '''"""keep each member's best team on the member"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session, declarative_base, relationship

revision = "4d5e6f708192"
down_revision = "3c4d5e6f7081"

Base = declarative_base()
'''
# the relationship in a class body over a Table the file defines, read through its backref
CLASS_BODY = """
membership = sa.Table(
    "membership",
    Base.metadata,
    sa.Column("member_id", sa.Integer, sa.ForeignKey("member.id")),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("team.id")),
)


class Member(Base):
    __tablename__ = "member"
    id = sa.Column(sa.Integer, primary_key=True)
    best_team = sa.Column(sa.Integer)


class Team(Base):
    __tablename__ = "team"
    id = sa.Column(sa.Integer, primary_key=True)
    members = relationship("Member", secondary=membership, backref="teams")


def upgrade():
    op.add_column("member", sa.Column("best_team", sa.Integer(), nullable=True))
    session = Session(bind=op.get_bind())
    for member in session.query(Member):
        if member.teams:
            member.best_team = max(team.id for team in member.teams)
    session.commit()
    op.drop_table("membership")


def downgrade():
    pass
"""
# set on an imported class at run time, the table given by name
AT_RUN_TIME = """
from club import orm


def upgrade():
    op.add_column("member", sa.Column("labels", sa.JSON(), nullable=True))
    orm.Member.tags = relationship("Tag", secondary="member_tag_map")
    session = Session(bind=op.get_bind())
    for member in session.query(orm.Member):
        member.labels = [tag.name for tag in member.tags]
    session.commit()
    op.drop_table("member_tag_map")


def downgrade():
    pass
"""


def codes(source: str) -> list[str]:
    report = lint_source(source, "versions/4d5e6f708192_best_team.py", LintOptions())
    return [f.code for f in report.findings]


@pytest.mark.parametrize("body", [CLASS_BODY, AT_RUN_TIME], ids=["class-body", "run-time"])
def test_rows_read_through_the_relationship_first_are_not_lost(body: str) -> None:
    assert "L304" not in codes(HEADER + body)


def test_a_loop_that_does_not_read_the_relationship_is_reported() -> None:
    unread = CLASS_BODY.replace(
        "        if member.teams:\n"
        "            member.best_team = max(team.id for team in member.teams)\n",
        "        member.best_team = 0\n",
    )
    assert "L304" in codes(HEADER + unread)


def test_another_association_table_dropped_is_reported() -> None:
    other = AT_RUN_TIME.replace('op.drop_table("member_tag_map")', 'op.drop_table("member_badge")')
    assert "L304" in codes(HEADER + other)


def test_a_relationship_read_after_the_drop_is_reported() -> None:
    late = AT_RUN_TIME.replace(
        '    session.commit()\n    op.drop_table("member_tag_map")\n',
        "    session.commit()\n",
    ).replace(
        "    orm.Member.tags = relationship",
        '    op.drop_table("member_tag_map")\n    orm.Member.tags = relationship',
    )
    assert "L304" in codes(HEADER + late)
