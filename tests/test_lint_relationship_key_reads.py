"""L305 and a column whose values the upgrade read under another face before dropping it
(issue 20, round 28): through an ORM relationship built on it (`member.mentor.email`, `for m in
club.members`), and under the name it had before a rename in the same upgrade (`rank` read,
renamed aside to `rank_old`, dropped). A relationship over another column, a read after the
drop, or a read of the name a different column was renamed into is no read of it: still
reported. Our own fixtures."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_histories import lint
from test_lint_rules import revision

MODELS = """
from sqlalchemy import orm
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Person(Base):
    __tablename__ = "person"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(200))


class Club(Base):
    __tablename__ = "club"
    id = sa.Column(sa.Integer, primary_key=True)
    members = orm.relationship("Member")


class Member(Base):
    __tablename__ = "member"
    id = sa.Column(sa.Integer, primary_key=True)
    mentor_id = sa.Column(sa.ForeignKey("person.id"))
    sponsor_id = sa.Column(sa.Integer, sa.ForeignKey("person.id"))
    club_id = sa.Column("club_ref", sa.Integer, sa.ForeignKey("club.id"))
    mentor = orm.relationship("Person", foreign_keys=[mentor_id])
    sponsor = orm.relationship(Person, foreign_keys="[Member.sponsor_id]", backref="sponsored")
    mentor_email = sa.Column(sa.String(200))
    clubs = sa.Column(sa.Text)
"""

SESSION = "session = orm.Session(bind=op.get_bind())\n"


def _l305(body: str) -> list[str]:
    found = lint(revision(SESSION + textwrap.dedent(body), header=MODELS))
    return [f.message for f in found if f.code == "L305"]


@pytest.mark.parametrize(
    "body",
    [
        # a many-to-one with foreign_keys=[...]: its key column read
        """
        for member in session.query(Member):
            if member.mentor:
                member.mentor_email = member.mentor.email
        session.commit()
        op.drop_column("member", "mentor_id")
        """,
        # foreign_keys given as a string; through the backref from the other side
        """
        for person in session.query(Person):
            for member in person.sponsored:
                member.mentor_email = person.email
        session.commit()
        op.drop_column("member", "sponsor_id")
        """,
        # a one-to-many from the parent: the children's key (a column named apart) read
        """
        for club in session.query(Club):
            for member in club.members:
                member.clubs = str(club.id)
        session.commit()
        op.drop_column("member", "club_ref")
        """,
    ],
)
def test_a_relationship_read_reads_its_key_column(body: str) -> None:
    assert _l305(body) == []


@pytest.mark.parametrize(
    "body",
    [
        # the relationship read is over another key column
        """
        for member in session.query(Member):
            member.mentor_email = member.mentor.email
        session.commit()
        op.drop_column("member", "sponsor_id")
        """,
        # read only after the drop
        """
        op.drop_column("member", "mentor_id")
        for member in session.query(Member):
            member.mentor_email = member.mentor.email
        session.commit()
        """,
        # nothing read at all
        'op.drop_column("member", "mentor_id")',
    ],
)
def test_no_read_of_the_key_column_is_reported(body: str) -> None:
    assert len(_l305(body)) == 1


RANK_MODEL = """
from sqlalchemy import orm
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Player(Base):
    __tablename__ = "player"
    id = sa.Column(sa.Integer, primary_key=True)
    rank = sa.Column(sa.Integer)
    rank_label = sa.Column(sa.String(20))
"""


def _renamed(read: str, renames: str) -> list[str]:
    body = f"""
    op.add_column("player", sa.Column("rank_label", sa.String(20)))
    session = orm.Session(bind=op.get_bind())
    {read}
    {renames}
    op.drop_column("player", "rank_old")
    """
    found = lint(revision(body, header=RANK_MODEL))
    return [f.message for f in found if f.code == "L305"]


READ = """for player in session.query(Player):
        player.rank_label = str(player.rank)
    session.commit()"""
ASIDE = """op.alter_column("player", "rank", new_column_name="rank_old", existing_type=sa.Integer)
    op.alter_column("player", "rank_label", new_column_name="rank", existing_type=sa.String(20))"""
RAW_ASIDE = 'op.execute("ALTER TABLE player RENAME COLUMN rank TO rank_old")'


@pytest.mark.parametrize("renames", [ASIDE, RAW_ASIDE])
def test_a_read_follows_the_column_through_its_renames(renames: str) -> None:
    assert _renamed(READ, renames) == []


def test_a_read_of_the_name_after_another_column_took_it_is_no_read() -> None:
    # `rank` read only after rank_label was renamed into it: rank_old's values were not read
    late = """for player in session.query(Player):
        player.rank_label = str(player.rank)"""
    renames = ASIDE + "\n    " + late
    assert len(_renamed("pass", renames)) == 1


def test_a_rename_without_any_read_is_reported() -> None:
    assert len(_renamed("pass", ASIDE)) == 1
