"""L305 (and L306, which asks the same question) and a column a looped-over query chooses its
rows by (issue 20, round 28): `for w in session.query(Widget).filter(Widget.featured == True):`
copying each chosen row into a new table moves the flag's information there, as reading
`w.featured` in the body would. The condition counts in `.filter()`, `.where()`, `.having()`,
`.filter_by(featured=True)`, also through a name the query was bound to. A query whose rows are
not copied (the body reads nothing of them), one not looped over (`.count()`), or a condition
over another column leaves the drop reported. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

HEADER = """
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Widget(Base):
    __tablename__ = "widget"
    id = sa.Column(sa.Integer, primary_key=True)
    featured = sa.Column(sa.Boolean)


class Spotlight(Base):
    __tablename__ = "spotlight"
    id = sa.Column(sa.Integer, primary_key=True)
    widget_id = sa.Column(sa.Integer)


widgets = sa.table("widget", sa.column("id"), sa.column("featured"))
"""

COPY = "session.add(Spotlight(widget_id=w.id))"


def _dropped(loop: str) -> list[str]:
    body = "\n".join(
        [
            "session = Session(bind=op.get_bind())",
            loop,
            "session.commit()",
            'op.drop_column("widget", "featured")',
        ]
    )
    return [f.code for f in lint(revision(body, header=HEADER), target=target("mysql-8.0"))]


@pytest.mark.parametrize(
    "loop",
    [
        f"for w in session.query(Widget).filter(Widget.featured == True).all():\n    {COPY}",
        f"for w in session.query(Widget).filter_by(featured=True):\n    {COPY}",
        f"for w in session.query(Widget).where(Widget.featured.is_(True)):\n    {COPY}",
        "chosen = session.query(Widget).filter(Widget.featured.is_(True), Widget.id > 0)\n"
        f"for w in chosen.all():\n    {COPY}",
        "for w in op.get_bind().execute(sa.select(widgets.c.id).where(widgets.c.featured)):\n"
        "    op.execute(sa.text('INSERT INTO spotlight (widget_id) VALUES (:i)')"
        ".bindparams(i=w.id))",
    ],
)
def test_a_column_the_copied_rows_were_chosen_by_counts_as_read(loop: str) -> None:
    assert "L305" not in _dropped(loop)


@pytest.mark.parametrize(
    "loop",
    [
        # the rows are walked, nothing of them copied
        "for w in session.query(Widget).filter(Widget.featured == True):\n    pass",
        # chosen by another column
        f"for w in session.query(Widget).filter(Widget.id > 3):\n    {COPY}",
        f"for w in session.query(Widget).filter_by(id=3):\n    {COPY}",
        # counted, not copied
        "n = session.query(Widget).filter(Widget.featured == True).count()",
    ],
)
def test_other_queries_leave_the_drop_reported(loop: str) -> None:
    assert "L305" in _dropped(loop)


def test_the_rename_question_shares_the_exemption() -> None:
    loop = f"for w in session.query(Widget).filter(Widget.featured == True):\n    {COPY}"
    body = "\n".join(
        [
            'op.add_column("widget", sa.Column("promoted", sa.Boolean(), nullable=True))',
            "session = Session(bind=op.get_bind())",
            loop,
            'op.drop_column("widget", "featured")',
        ]
    )
    found = [f.code for f in lint(revision(body, header=HEADER), target=target("mysql-8.0"))]
    assert "L305" not in found and "L306" not in found
