"""L301 and a Flask-SQLAlchemy query update of a class the revision imports at its top (issue
20, round 42): `Order.query.update({"year": 2001})` (also keyed by `Order.year`, behind a
`filter_by(...)`, a Flask-SQLAlchemy model whose table is derived from its name, or
`db.session.query(Order).update(...)`) writes the column on every row MySQL filled, like a raw
`UPDATE t SET c = ...` does. An update of another column, of a class lint cannot find, or
`SET c = NULL` keeps the error. Projects of our own in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_rules import target

from alembic_sentinel.lint.linter import LintOptions, lint_files

_MODELS = """
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Order(db.Model):
    __tablename__ = "shop_order"
    id = db.Column(db.Integer, primary_key=True)


class DeliveryNote(db.Model):
    id = db.Column(db.Integer, primary_key=True)
"""


def _l301_columns(tmp_path: Path, table: str, body: str) -> list[str]:
    root = tmp_path / f"project{len(list(tmp_path.iterdir()))}"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "models.py").write_text(_MODELS)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    source = textwrap.dedent(
        '''
        """add a year"""
        import sqlalchemy as sa
        from alembic import op
        from shop.models import DeliveryNote, Order, db

        revision = "88aa00bb11cc"
        down_revision = "77aa00bb11cc"


        def upgrade():
            op.add_column("#TABLE#", sa.Column("year", sa.Integer(), nullable=False))
        #BODY#


        def downgrade():
            pass
        '''
    )
    source = source.replace("#TABLE#", table)
    source = source.replace("#BODY#", textwrap.indent(textwrap.dedent(body), "    "))
    path = versions / "88aa00bb11cc_year.py"
    path.write_text(source)
    report = lint_files([(path.name, path)], LintOptions(target=target("mysql-8.0")))
    return sorted(f.message.split()[1] for f in report.findings if f.code == "L301")


@pytest.mark.parametrize(
    ("table", "fill"),
    [
        ("shop_order", 'Order.query.update({"year": 2001})\ndb.session.commit()\n'),
        ("shop_order", "Order.query.update({Order.year: 2001})\ndb.session.commit()\n"),
        ("shop_order", 'Order.query.filter_by(id=1).update({"year": 2001})\n'),
        ("shop_order", 'db.session.query(Order).update({"year": 0})\ndb.session.commit()\n'),
        ("delivery_note", 'DeliveryNote.query.update({"year": 2001})\ndb.session.commit()\n'),
    ],
)
def test_a_query_update_of_an_imported_class_fills_the_column(
    tmp_path: Path, table: str, fill: str
) -> None:
    assert _l301_columns(tmp_path, table, fill) == []


@pytest.mark.parametrize(
    ("table", "fill"),
    [
        # another column written
        ("shop_order", 'Order.query.update({"month": 1})\ndb.session.commit()\n'),
        # the class of another table
        ("delivery_note", 'Order.query.update({"year": 2001})\ndb.session.commit()\n'),
        # a class lint cannot find
        ("shop_order", 'Invoice.query.update({"year": 2001})\ndb.session.commit()\n'),
        # NULL is no value
        ("shop_order", 'Order.query.update({"year": None})\ndb.session.commit()\n'),
    ],
)
def test_a_query_update_that_does_not_fill_the_column_keeps_l301(
    tmp_path: Path, table: str, fill: str
) -> None:
    assert _l301_columns(tmp_path, table, fill) == [f"{table}.year"]
