"""Round r41's false classes of L301 and L302: ORM loop fills lint did not read (issue 20;
lint/revision_reader.py, lint/row_fills.py).

- L301: an ORM loop writing the added column, flushed after, whose rows come through a wrapper
  that hands them on (`tqdm(rows)`, `list(rows)`, `sorted(rows)`) or are queried by a class of
  the project's modules imported at the file's top (`from shop.models import Order`), also
  when the loop commits before its assignment and a commit follows the loop. Without a flush
  after the loop, or writing another column, still reported.
- L302: an earlier revision's ORM loop over every row of the table (an unfiltered query)
  setting the column, flushed, counts as that revision's fill, as its raw `UPDATE t SET c = v`
  does; a filtered query, a write under an `if`, a loop that may `continue`, a value of None or
  no flush after it keep the finding.

Projects and revisions of our own in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_round37_history import found, history
from test_lint_rules import revision, target

from alembic_sentinel.lint.linter import LintOptions, lint_files

_MODELS = """
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Order(Base):
    __tablename__ = "shop_order"
    id = Column(Integer, primary_key=True)
"""

_SESSION = """
bind = op.get_bind()
session = Session(bind=bind)
"""


def _l301_lines(tmp_path: Path, body: str, header: str = "") -> list[int]:
    """The lines of L301 findings on a revision of a project whose `shop.models` defines
    Order (table shop_order); `header` goes at the file's top, after the imports."""
    root = tmp_path / f"project{len(list(tmp_path.iterdir()))}"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "models.py").write_text(_MODELS)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    source = textwrap.dedent(
        '''
        """number the orders"""
        import sqlalchemy as sa
        from alembic import op
        from sqlalchemy.orm import Session, declarative_base
        from tqdm import tqdm
        from shop.models import Order
        #HEADER#

        revision = "77aa00bb11cc"
        down_revision = "66aa00bb11cc"


        def upgrade():
        #BODY#


        def downgrade():
            pass
        '''
    )
    source = source.replace("#HEADER#", textwrap.dedent(header))
    source = source.replace("#BODY#", textwrap.indent(textwrap.dedent(body), "    "))
    path = versions / "77aa00bb11cc_numbers.py"
    path.write_text(source)
    report = lint_files([(path.name, path)], LintOptions(target=target("mysql-8.0")))
    return [f.line for f in report.findings if f.code == "L301"]


_ADD_NUMBER = 'op.add_column("shop_order", sa.Column("number", sa.String(20), nullable=False))'
_OWN_CLASS = """
Base = declarative_base()

class _Order(Base):
    __tablename__ = "shop_order"
    id = sa.Column(sa.Integer, primary_key=True)
    number = sa.Column(sa.String(20), nullable=False)
"""


@pytest.mark.parametrize(
    "loop",
    [
        # the rows behind a progress bar, a copy, an order
        "rows = session.query(_Order).all()\nfor row in tqdm(rows):\n    row.number = str(row.id)",
        "rows = session.query(_Order).all()\nfor row in list(rows):\n    row.number = str(row.id)",
        "for row in sorted(session.query(_Order).all(), key=lambda r: r.id):\n"
        "    row.number = str(row.id)",
    ],
)
def test_a_loop_over_wrapped_rows_fills_the_added_column(tmp_path: Path, loop: str) -> None:
    body = f"{_ADD_NUMBER}\n{_OWN_CLASS}\n{_SESSION}\n{loop}\nsession.commit()"
    assert _l301_lines(tmp_path, body) == []


def test_a_module_level_session_and_base_fill_the_added_column(tmp_path: Path) -> None:
    # the session and the declarative base made at the file's top, the class in upgrade()
    header = "Base = declarative_base()\nsession = Session(bind=op.get_bind())\n"
    body = f"""
{_ADD_NUMBER}

class _Order(Base):
    __tablename__ = "shop_order"
    id = sa.Column(sa.Integer, primary_key=True)

for row in tqdm(session.query(_Order).all()):
    row.number = str(row.id)
    session.add(row)
session.commit()
"""
    assert _l301_lines(tmp_path, body, header) == []


@pytest.mark.parametrize(
    "loop",
    [
        "for row in session.query(Order).all():\n    row.number = str(row.id)\nsession.commit()",
        "for row in session.query(Order).order_by(Order.id):\n    row.number = 'n'\n"
        "session.flush()",
        # the commit inside the loop comes before the assignment; the one after writes it
        "for row in session.query(Order).all():\n    session.commit()\n"
        "    row.number = str(row.id)\nsession.commit()",
    ],
)
def test_a_loop_over_an_imported_class_fills_the_added_column(tmp_path: Path, loop: str) -> None:
    body = f"{_ADD_NUMBER}\n{_SESSION}\n{loop}"
    assert _l301_lines(tmp_path, body) == []


@pytest.mark.parametrize(
    "loop",
    [
        # no flush or commit after the loop: the session writes nothing
        "for row in session.query(Order).all():\n    row.number = str(row.id)",
        "for row in tqdm(session.query(Order).all()):\n    row.number = str(row.id)",
        # another column written
        "for row in session.query(Order).all():\n    row.label = str(row.id)\nsession.commit()",
    ],
)
def test_loops_that_do_not_write_the_added_column_keep_l301(tmp_path: Path, loop: str) -> None:
    body = f"{_ADD_NUMBER}\n{_SESSION}\n{loop}"
    assert _l301_lines(tmp_path, body) == [_line_of_add()]


def _line_of_add() -> int:
    # the add is the first statement of upgrade(): after the docstring, the imports, the empty
    # header line, the identifiers and `def upgrade():`
    return 15


# L302: an earlier revision's ORM loop over every row counts as its fill

_STAMPS = revision(
    """
    op.create_table("stamp", sa.Column("id", sa.Integer(), primary_key=True))
    """
)
_CLASS = """
from sqlalchemy.orm import Session, declarative_base
from tqdm import tqdm
Base = declarative_base()

class _Stamp(Base):
    __tablename__ = "stamp"
    id = sa.Column(sa.Integer, primary_key=True)
    code = sa.Column(sa.Integer, nullable=True)
"""


def _filling(loop: str) -> str:
    body = 'op.add_column("stamp", sa.Column("code", sa.Integer(), nullable=True))\n'
    body += "session = Session(bind=op.get_bind())\n" + textwrap.dedent(loop)
    return revision(body, header=_CLASS)


_NOT_NULL = revision('op.alter_column("stamp", "code", existing_type=sa.Integer(), nullable=False)')


@pytest.mark.parametrize(
    "loop",
    [
        """
        for stamp in session.query(_Stamp).all():
            stamp.code = stamp.id
        session.commit()
        """,
        """
        stamps = session.query(_Stamp).all()
        for stamp in stamps:
            stamp.code = stamp.id * 10
            session.flush()
        session.commit()
        """,
        """
        for stamp in _Stamp.query.all():
            stamp.code = 1
        session.commit()
        """,
        """
        rows = session.query(_Stamp).order_by(_Stamp.id).all()
        for stamp in tqdm(rows):
            stamp.code = stamp.id
        session.commit()
        """,
    ],
)
def test_an_earlier_orm_loop_over_every_row_fills_the_column(tmp_path: Path, loop: str) -> None:
    findings = history(tmp_path, _STAMPS, _filling(loop), _NOT_NULL)
    assert found(findings, "L302") == []


@pytest.mark.parametrize(
    "loop",
    [
        # a filtered query: the other rows keep NULL
        """
        for stamp in session.query(_Stamp).filter(_Stamp.id > 10).all():
            stamp.code = stamp.id
        session.commit()
        """,
        # a write under an `if`, or after a `continue`
        """
        for stamp in session.query(_Stamp).all():
            if stamp.id > 10:
                stamp.code = stamp.id
        session.commit()
        """,
        """
        for stamp in session.query(_Stamp).all():
            if stamp.id > 10:
                continue
            stamp.code = stamp.id
        session.commit()
        """,
        # None written, or nothing flushed
        """
        for stamp in session.query(_Stamp).all():
            stamp.code = None
        session.commit()
        """,
        """
        for stamp in session.query(_Stamp).all():
            stamp.code = stamp.id
        """,
        # only the first rows
        """
        for stamp in session.query(_Stamp).limit(10).all():
            stamp.code = stamp.id
        session.commit()
        """,
    ],
)
def test_a_partial_earlier_orm_loop_keeps_l302(tmp_path: Path, loop: str) -> None:
    findings = history(tmp_path, _STAMPS, _filling(loop), _NOT_NULL)
    assert found(findings, "L302") == ["r2.py"]


def test_a_write_of_the_rows_between_keeps_l302(tmp_path: Path) -> None:
    loop = """
    for stamp in session.query(_Stamp).all():
        stamp.code = stamp.id
    session.commit()
    """
    between = revision('op.execute("INSERT INTO stamp (id) VALUES (99)")')
    findings = history(tmp_path, _STAMPS, _filling(loop), between, _NOT_NULL)
    assert found(findings, "L302") == ["r3.py"]
