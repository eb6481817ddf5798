"""Rows copied through an ORM relationship or its backref before their table is dropped (issue
20, round 15; lint/orm_relations.py): `a.checks[0].kind`, `for child in parent.children:`
read the related class's table. Our own fixtures."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_histories import lint
from test_lint_rules import revision

BACKREF = """
from sqlalchemy import orm
from sqlalchemy.ext.declarative import declarative_base, declared_attr

Base = declarative_base()


class Survey(Base):
    __tablename__ = "survey"
    id = sa.Column(sa.Integer, primary_key=True)
    rule = sa.Column(sa.Text)
    owner = sa.Column(sa.Text)


class Rule(Base):
    __tablename__ = "survey_rule"
    id = sa.Column(sa.Integer, primary_key=True)
    body = sa.Column(sa.Text)
    survey_id = sa.Column(sa.Integer, sa.ForeignKey("survey.id"))

    @declared_attr
    def survey(cls):
        return orm.relationship("Survey", backref=orm.backref("rules", cascade="all"))


class Owner(Base):
    __tablename__ = "survey_owner"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.Text)
    survey_id = sa.Column(sa.Integer, sa.ForeignKey("survey.id"))
    survey = orm.relationship(Survey, backref="owners")
"""

FORWARD = """
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Rule(Base):
    __tablename__ = "survey_rule"
    id = sa.Column(sa.Integer, primary_key=True)
    body = sa.Column(sa.Text)
    survey_id = sa.Column(sa.Integer, sa.ForeignKey("survey.id"))


class Survey(Base):
    __tablename__ = "survey"
    id = sa.Column(sa.Integer, primary_key=True)
    rule = sa.Column(sa.Text)
    rules = relationship("app.models.Rule")
"""


@pytest.mark.parametrize(
    ("header", "copy"),
    [
        # through the backref, first child
        (
            BACKREF,
            """
            session = orm.Session(bind=op.get_bind())
            for survey in session.query(Survey).all():
                if survey.rules:
                    survey.rule = survey.rules[0].body
            session.commit()
            """,
        ),
        # a loop over the children, from a list of parents held in a name
        (
            BACKREF,
            """
            session = orm.Session(bind=op.get_bind())
            surveys = session.query(Survey).all()
            for survey in surveys:
                for rule in survey.rules:
                    survey.rule = rule.body
            """,
        ),
        # a forward relationship named by a dotted path
        (
            FORWARD,
            """
            session = sa.orm.Session(bind=op.get_bind())
            for survey in session.query(Survey):
                survey.rule = ", ".join(r.body for r in survey.rules)
            """,
        ),
    ],
)
def test_rows_read_through_a_relationship_were_copied(header: str, copy: str) -> None:
    source = revision(textwrap.dedent(copy) + '\nop.drop_table("survey_rule")', header=header)
    assert "L318" in [f.code for f in lint(source)]  # the file parsed
    assert [f for f in lint(source) if f.code == "L304"] == []


@pytest.mark.parametrize(
    "copy",
    [
        # another relationship's table was read
        """
        session = orm.Session(bind=op.get_bind())
        for survey in session.query(Survey).all():
            survey.owner = survey.owners[0].name
        """,
        # the children are only counted, no value taken
        """
        session = orm.Session(bind=op.get_bind())
        for survey in session.query(Survey).all():
            survey.rule = str(len(survey.rules))
        """,
        # read after the drop
        None,
    ],
)
def test_a_table_not_read_through_its_relationship_is_reported(copy: str | None) -> None:
    if copy is None:
        body = """
        op.drop_table("survey_rule")
        session = orm.Session(bind=op.get_bind())
        for survey in session.query(Survey).all():
            survey.rule = survey.rules[0].body
        """
    else:
        body = textwrap.dedent(copy) + '\nop.drop_table("survey_rule")'
    source = revision(body, header=BACKREF)
    assert len([f for f in lint(source) if f.code == "L304"]) == 1


# round 30: an attribute mapped to a column of another name, a scalar relationship's row
RENAMED = """
from sqlalchemy.orm import declarative_base, relationship, Session

Base = declarative_base()


class Member(Base):
    __tablename__ = "member"
    id = sa.Column(sa.Integer, primary_key=True)
    _joined = sa.Column("joined_at", sa.DateTime)
    nick = sa.Column(sa.String(20))
    badge = relationship("Badge", uselist=False)


class Badge(Base):
    __tablename__ = "badge"
    member_id = sa.Column(sa.Integer, sa.ForeignKey("member.id"), primary_key=True)
    points = sa.Column(sa.Integer)
"""


@pytest.mark.parametrize(
    ("loop", "dropped", "flagged"),
    [
        # `_joined = Column("joined_at")`: the attribute reads joined_at before its drop
        ("cache.set(m.id, m._joined.isoformat())", 'op.drop_column("member", "joined_at")', False),
        # another column was read: joined_at's values are lost
        ("cache.set(m.id, m.nick)", 'op.drop_column("member", "joined_at")', True),
        # the scalar relationship loads each member's badge row before badge is dropped
        ("cache.incr(m.id, m.badge.points)", 'op.drop_table("badge")', False),
        # only the member's own columns are read: the badge rows are lost
        ("cache.incr(m.id, m.nick)", 'op.drop_table("badge")', True),
    ],
)
def test_mapped_column_names_and_scalar_relationships(
    loop: str, dropped: str, flagged: bool
) -> None:
    body = f"""
session = Session(bind=op.get_bind())
for m in session.query(Member):
    if m.id:
        {loop}
{dropped}
"""
    source = revision(body, header=RENAMED)
    assert "L318" in [f.code for f in lint(source)]  # the file parsed
    assert bool([f for f in lint(source) if f.code in ("L304", "L305")]) is flagged
