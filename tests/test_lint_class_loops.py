"""L301 over fills lint could not read before round 22 (issue 20; lint/table_rows.py,
lint/project_modules.py, lint/sql_templates.py):

- an ORM loop over a literal tuple of the application's own classes (`for kind in (Order,
  Quote): for row in kind.query(): row.col = ...`), the classes imported from the project's
  modules (also inside upgrade(), also re-exported by a package's `__init__.py`, also
  Flask-SQLAlchemy models whose table name is derived from the class's name);
- an UPDATE built by `%` or `.format()` whose value is known only at run time, inside a quoted
  literal or after `=`: the statement's table and columns are the template's own.

Projects of our own in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_rules import codes, revision, target

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.project_modules import snake_case

_PACKAGE_INIT = "from .documents import Order, Quote\n"
_DOCUMENTS = """
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
from flask_sqlalchemy import SQLAlchemy

Base = declarative_base()
db = SQLAlchemy()


class Order(Base):
    __tablename__ = "shop_order"
    id = Column(Integer, primary_key=True)


class Quote(Base):
    __tablename__ = "shop_quote"
    id = Column(Integer, primary_key=True)


class DeliveryNote(db.Model):
    id = db.Column(db.Integer, primary_key=True)
"""


def _l301_tables(tmp_path: Path, body: str) -> list[str]:
    root = tmp_path / f"project{len(list(tmp_path.iterdir()))}"
    (root / "shop" / "models").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "models" / "__init__.py").write_text(_PACKAGE_INIT)
    (root / "shop" / "models" / "documents.py").write_text(_DOCUMENTS)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    source = textwrap.dedent(
        '''
        """number the documents"""
        import sqlalchemy as sa
        from alembic import op

        revision = "77aa00bb11cc"
        down_revision = "66aa00bb11cc"


        def upgrade():
        #BODY#


        def downgrade():
            pass
        '''
    ).replace("#BODY#", textwrap.indent(textwrap.dedent(body), "    "))
    path = versions / "77aa00bb11cc_numbers.py"
    path.write_text(source)
    report = lint_files([(path.name, path)], LintOptions(target=target("mysql-8.0")))
    return sorted(f.message.split()[1] for f in report.findings if f.code == "L301")


_ADD = """
from shop.session import SESSION
for name in ("shop_order", "shop_quote"):
    op.add_column(name, sa.Column("year", sa.Integer(), nullable=False))
"""


@pytest.mark.parametrize(
    "fill",
    [
        # classes imported inside upgrade() from a package re-exporting them, merged
        "from shop.models import Order, Quote\n"
        "for kind in (Order, Quote):\n"
        "    for row in kind.query():\n"
        "        row.year = row.created.year\n"
        "        SESSION.merge(row)\n",
        # Flask-SQLAlchemy's Model.query.all(), flushed
        "from shop.models.documents import Order, Quote\n"
        "for kind in [Order, Quote]:\n"
        "    for row in kind.query.all():\n"
        "        row.year = 2001\n"
        "SESSION.flush()\n",
    ],
)
def test_an_orm_loop_over_the_projects_classes_fills_each_table(tmp_path: Path, fill: str) -> None:
    assert _l301_tables(tmp_path, _ADD + fill) == []


@pytest.mark.parametrize(
    ("fill", "left"),
    [
        # one class of the tuple only: the other table keeps its implicit 0
        (
            "from shop.models import Order\n"
            "for kind in (Order,):\n"
            "    for row in kind.query():\n"
            "        row.year = 2001\n"
            "        SESSION.merge(row)\n",
            ["shop_quote.year"],
        ),
        # a class lint cannot find (gone from the models): its table is not known
        (
            "from shop.models import Order, Quote, Invoice\n"
            "for kind in (Order, Invoice):\n"
            "    for row in kind.query():\n"
            "        row.year = 2001\n"
            "SESSION.commit()\n",
            ["shop_quote.year"],
        ),
        # never flushed, merged nor committed: nothing written
        (
            "from shop.models import Order, Quote\n"
            "for kind in (Order, Quote):\n"
            "    for row in kind.query():\n"
            "        row.year = 2001\n",
            ["shop_order.year", "shop_quote.year"],
        ),
    ],
)
def test_tables_no_loop_writes_keep_l301(tmp_path: Path, fill: str, left: list[str]) -> None:
    assert _l301_tables(tmp_path, _ADD + fill) == left


def test_a_flask_sqlalchemy_model_maps_its_derived_table(tmp_path: Path) -> None:
    body = (
        'op.add_column("delivery_note", sa.Column("year", sa.Integer(), nullable=False))\n'
        "from shop.models.documents import DeliveryNote\n"
        "from shop.session import SESSION\n"
        "for kind in (DeliveryNote,):\n"
        "    for row in kind.query.all():\n"
        "        row.year = 2001\n"
        "SESSION.commit()\n"
    )
    assert _l301_tables(tmp_path, body) == []
    assert _l301_tables(tmp_path, body.replace("delivery_note", "deliverynote")) == [
        "deliverynote.year"
    ]


@pytest.mark.parametrize(
    ("name", "table"),
    [("DeliveryNote", "delivery_note"), ("HTTPRequest", "http_request"), ("User", "user")],
)
def test_snake_case_is_flask_sqlalchemys(name: str, table: str) -> None:
    assert snake_case(name) == table


_CODE = 'op.add_column("till", sa.Column("code", sa.String(20), nullable=False))\n'


@pytest.mark.parametrize(
    "fill",
    [
        # the value, read at run time, sits inside the quoted literal
        "code = op.get_bind().execute(sa.text('SELECT c FROM settings')).scalar()\n"
        "sql = \"UPDATE till SET code='%s'\" % code\n"
        "op.execute(sql)",
        "code = load_code()\nop.execute(\"UPDATE till SET code = '{}' WHERE id > 0\".format(code))",
        # after `=`, unquoted
        "op.execute('UPDATE till SET code = %s' % settings.code)",
    ],
)
def test_an_update_template_with_a_run_time_value_writes_its_column(fill: str) -> None:
    assert codes(revision(_CODE + fill), target=target("mysql-8.0")).count("L301") == 0


@pytest.mark.parametrize(
    "fill",
    [
        # the column written is another one
        "op.execute(\"UPDATE till SET label='%s'\" % load_label())",
        # the table is the run-time part: not known which table is written
        "op.execute(\"UPDATE %s SET code='x'\" % load_table())",
        # a name reassigned to SQL lint cannot read is not its earlier literal
        "sql = 'UPDATE till SET code = 1'\nsql = build_sql()\nop.execute(sql)",
    ],
)
def test_a_template_that_does_not_write_the_column_keeps_l301(fill: str) -> None:
    assert codes(revision(_CODE + fill), target=target("mysql-8.0")).count("L301") == 1


def test_a_project_helpers_own_imports_are_no_l316_of_the_revision(tmp_path: Path) -> None:
    """A helper imported inside upgrade() is followed; the imports in its body are its
    module's, at that module's lines: L316 names only the revision's own import."""
    root = tmp_path / "project"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "engine.py").write_text("ENGINE = None\n")
    (root / "shop" / "session.py").write_text(
        "\n" * 40 + "def scope():\n    from shop.engine import ENGINE\n    return ENGINE\n"
    )
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    path = versions / "88aa00bb11cc_scope.py"
    path.write_text(
        'revision = "88aa00bb11cc"\ndown_revision = None\n\n\n'
        "def upgrade():\n    from shop.session import scope\n    scope()\n\n\n"
        "def downgrade():\n    pass\n"
    )
    options = LintOptions(local_packages=frozenset({"shop"}))
    report = lint_files([(path.name, path)], options)
    assert [(f.code, f.line) for f in report.findings if f.code == "L316"] == [("L316", 6)]
