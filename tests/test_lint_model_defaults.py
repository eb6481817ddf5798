"""L301 when MySQL's implicit value is the model's own default (issue 20, rounds 39-43;
lint/model_defaults.py): a NOT NULL column added without a server_default gives every existing
row the type's implicit value on MySQL/MariaDB. When the application's ORM model declares
exactly that value as the column's client-side `default=` (False, 0, "", 0.0, sa.false(), an
Enum's first member), the rows hold what the application writes for a new row: a notice that
names the model, not an error.

Everything else stays an error: no model of the table, a different default (`default=True`
while the rows get 0), a callable, a server-side default only, the column absent or renamed in
the model, two models of the table disagreeing, a revision's own ad hoc table, and every
PostgreSQL or SQLite target (the ADD is refused). Projects of our own writing in tmp_path,
linted with the options `lint` builds from the project's settings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.commands import lint_options
from alembic_sentinel.lint.linter import lint_files
from alembic_sentinel.report.model import ERROR, NOTICE, Finding
from alembic_sentinel.settings import Overrides, resolve_settings

_REVISION = '''\
"""add a column"""
import sqlalchemy as sa
from alembic import op

revision = "2b2b2b2b2b2b"
down_revision = "1a1a1a1a1a1a"


def upgrade():
    op.add_column("shop_order", sa.Column("{column}", {type}, nullable=False))


def downgrade():
    op.drop_column("shop_order", "{column}")
'''

_FIRST = '''\
"""create shop_order"""
import sqlalchemy as sa
from alembic import op

revision = "1a1a1a1a1a1a"
down_revision = None


def upgrade():
    op.create_table("shop_order", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("shop_order")
'''


def _l301(
    tmp_path: Path,
    models: dict[str, str],
    column: str,
    column_type: str,
    server: str = "mysql-8.0",
    extra: dict[str, str] | None = None,
) -> Finding:
    """The one L301 finding on adding `shop_order.<column>` to a project whose application
    modules are `models` (path -> text), linted as `lint --all --target-server <server>`."""
    for relative, text in {**models, **(extra or {})}.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (tmp_path / "migrations" / "env.py").write_text("")
    (versions / "1a1a1a1a1a1a_create.py").write_text(_FIRST)
    added = versions / "2b2b2b2b2b2b_add.py"
    added.write_text(_REVISION.format(column=column, type=column_type))
    settings = resolve_settings(
        Overrides(migrations="migrations", target_server=server),
        environ={},
        root=tmp_path,
        database=False,
    )
    files = [(p.name, p) for p in sorted(versions.glob("*.py"))]
    findings = [f for f in lint_files(files, lint_options(settings)).findings if f.code == "L301"]
    assert len(findings) == 1, findings
    return findings[0]


def _model(column: str) -> dict[str, str]:
    """`shop/models.py` with an Order model mapping shop_order, `column` its extra line."""
    return {
        "shop/__init__.py": "",
        "shop/models.py": f"""
            import sqlalchemy as sa
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Order(Base):
                __tablename__ = "shop_order"
                id = sa.Column(sa.Integer, primary_key=True)
                {column}
            """,
    }


@pytest.mark.parametrize(
    ("model_column", "column", "column_type", "implicit"),
    [
        (
            "paid = sa.Column(sa.Boolean, nullable=False, default=False)",
            "paid",
            "sa.Boolean()",
            "0",
        ),
        ("paid = sa.Column(sa.Boolean, default=sa.false())", "paid", "sa.Boolean()", "0"),
        ("tries = sa.Column(sa.Integer, nullable=False, default=0)", "tries", "sa.Integer()", "0"),
        ("tax = sa.Column(sa.Numeric(10, 2), default=0.0)", "tax", "sa.Numeric(10, 2)", "0"),
        ('note = sa.Column(sa.String(255), default="")', "note", "sa.String(255)", "''"),
        # a deferred column is still the table's
        ("paid = deferred(sa.Column(sa.Boolean, default=False))", "paid", "sa.Boolean()", "0"),
        # the column named explicitly, its attribute another name
        (
            '_state = sa.Column("state", sa.Enum("open", "shut"), default="open")',
            "state",
            'sa.Enum("open", "shut")',
            "'open'",
        ),
    ],
)
def test_a_model_default_equal_to_the_implicit_value_is_a_notice(
    tmp_path: Path, model_column: str, column: str, column_type: str, implicit: str
) -> None:
    finding = _l301(tmp_path, _model(model_column), column, column_type)
    assert finding.severity == NOTICE
    assert f"MySQL gives existing rows {implicit}, the model's default=" in finding.message
    assert "shop/models.py:" in finding.message


def test_a_flask_sqlalchemy_model_and_a_core_table_are_read(tmp_path: Path) -> None:
    flask = {
        "app/__init__.py": "",
        "app/models.py": """
            from app import db

            class Order(db.Model):
                __tablename__ = "shop_order"
                id = db.Column(db.Integer, primary_key=True)
                paid = db.Column(db.Boolean, nullable=False, default=False)
            """,
    }
    assert _l301(tmp_path / "flask", flask, "paid", "sa.Boolean()").severity == NOTICE
    core = {
        "tables.py": """
            import sqlalchemy as sa

            metadata = sa.MetaData()
            orders = sa.Table(
                "shop_order", metadata,
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("paid", sa.Boolean, nullable=False, default=False),
            )
            """,
    }
    finding = _l301(tmp_path / "core", core, "paid", "sa.Boolean()")
    assert finding.severity == NOTICE and "tables.py:" in finding.message
    assert "say server_default=sa.false() to make it explicit" in finding.message


@pytest.mark.parametrize(
    ("model_column", "column", "column_type"),
    [
        # the model gives new rows True, the existing ones get 0
        ("paid = sa.Column(sa.Boolean, nullable=False, default=True)", "paid", "sa.Boolean()"),
        ("paid = sa.Column(sa.Boolean, default=sa.true())", "paid", "sa.Boolean()"),
        ('note = sa.Column(sa.String(255), default="new")', "note", "sa.String(255)"),
        (
            'state = sa.Column(sa.Enum("open", "shut"), default="shut")',
            "state",
            'sa.Enum("open", "shut")',
        ),
        # a callable runs per row; a name may change
        ("made = sa.Column(sa.Integer, default=next_number)", "made", "sa.Integer()"),
        ("made = sa.Column(sa.Integer, default=ZERO)", "made", "sa.Integer()"),
        # server-side only, no default at all
        ('paid = sa.Column(sa.Boolean, server_default="0")', "paid", "sa.Boolean()"),
        ("paid = sa.Column(sa.Boolean, nullable=False)", "paid", "sa.Boolean()"),
        # absent from the model, renamed there
        ("other = sa.Column(sa.Boolean, default=False)", "paid", "sa.Boolean()"),
        ('paid = sa.Column("is_paid", sa.Boolean, default=False)', "paid", "sa.Boolean()"),
        # a string default on a number column: MySQL gives 0, the model ""
        ('paid = sa.Column(sa.Integer, default="")', "paid", "sa.Integer()"),
        # a date's zero value is no default a model declares
        ("day = sa.Column(sa.Date, default=0)", "day", "sa.Date()"),
    ],
)
def test_a_model_default_other_than_the_implicit_value_stays_an_error(
    tmp_path: Path, model_column: str, column: str, column_type: str
) -> None:
    assert _l301(tmp_path, _model(model_column), column, column_type).severity == ERROR


def test_no_model_of_the_table_stays_an_error(tmp_path: Path) -> None:
    models = {
        "shop/__init__.py": "",
        "shop/models.py": """
            import sqlalchemy as sa

            class Invoice(Base):
                __tablename__ = "invoice"
                paid = sa.Column(sa.Boolean, default=False)
            """,
    }
    assert _l301(tmp_path, models, "paid", "sa.Boolean()").severity == ERROR


def test_two_models_of_the_table_that_disagree_stay_an_error(tmp_path: Path) -> None:
    extra = {
        "reports/__init__.py": "",
        "reports/views.py": """
            import sqlalchemy as sa

            class OrderView(Base):
                __tablename__ = "shop_order"
                paid = sa.Column(sa.Boolean, default=True)
            """,
    }
    model = _model("paid = sa.Column(sa.Boolean, default=False)")
    assert _l301(tmp_path, model, "paid", "sa.Boolean()", extra=extra).severity == ERROR


def test_two_models_of_the_table_that_agree_give_a_notice(tmp_path: Path) -> None:
    extra = {
        "reports/__init__.py": "",
        "reports/views.py": """
            import sqlalchemy as sa

            class OrderView(Base):
                __tablename__ = "shop_order"
                paid = sa.Column(sa.Boolean, default=0)
            """,
    }
    model = _model("paid = sa.Column(sa.Boolean, default=False)")
    assert _l301(tmp_path, model, "paid", "sa.Boolean()", extra=extra).severity == NOTICE


def test_a_computed_tablename_is_not_read(tmp_path: Path) -> None:
    models = {
        "shop/__init__.py": "",
        "shop/models.py": """
            import sqlalchemy as sa

            class Order(Base):
                __tablename__ = PREFIX + "shop_order"
                paid = sa.Column(sa.Boolean, default=False)
            """,
    }
    assert _l301(tmp_path, models, "paid", "sa.Boolean()").severity == ERROR


def test_tables_of_revisions_and_tests_are_not_the_applications_models(tmp_path: Path) -> None:
    """A revision's ad hoc table, a test's model and a module outside the application (a
    migration environment inside the package) give no default."""
    extra = {
        "shop/__init__.py": "",
        "shop/migrations/env.py": "",
        "shop/migrations/versions/0000_old.py": """
            import sqlalchemy as sa
            t = sa.Table("shop_order", sa.MetaData(), sa.Column("paid", sa.Boolean, default=False))
            """,
        "shop/tests/test_models.py": """
            import sqlalchemy as sa
            class Order(Base):
                __tablename__ = "shop_order"
                paid = sa.Column(sa.Boolean, default=False)
            """,
    }
    assert _l301(tmp_path, {}, "paid", "sa.Boolean()", extra=extra).severity == ERROR


@pytest.mark.parametrize("server", ["postgresql", "sqlite"])
def test_postgresql_and_sqlite_refuse_the_add_whatever_the_model_says(
    tmp_path: Path, server: str
) -> None:
    model = _model("paid = sa.Column(sa.Boolean, nullable=False, default=False)")
    finding = _l301(tmp_path, model, "paid", "sa.Boolean()", server=server)
    assert finding.severity == ERROR and "refuses" in finding.message


def test_a_model_in_a_directory_beside_the_migrations_is_read(tmp_path: Path) -> None:
    """The application in a directory whose name is no identifier, imported from inside it
    (`api-server/orm/...`), the migrations at the project root."""
    models = {
        "api-server/app.py": "",
        "api-server/orm/__init__.py": "",
        "api-server/orm/order.py": """
            class Order(db.Model):
                __tablename__ = "shop_order"
                note = db.Column(db.String(100), nullable=False, default="")
            """,
    }
    finding = _l301(tmp_path, models, "note", "sa.String(100)")
    assert finding.severity == NOTICE and "api-server/orm/order.py:4" in finding.message


def test_the_application_holding_the_migrations_is_the_one_read(tmp_path: Path) -> None:
    """A monorepo: the migrations inside `shop/`, another application (`reports/`, another
    database) mapping a table of the same name with another default is not read."""
    models = {
        "shop/__init__.py": "",
        "shop/models.py": """
            class Order(Base):
                __tablename__ = "shop_order"
                paid = sa.Column(sa.Boolean, default=False)
            """,
        "reports/__init__.py": "",
        "reports/models.py": """
            class Order(Base):
                __tablename__ = "shop_order"
                paid = sa.Column(sa.Boolean, default=True)
            """,
    }
    for relative, text in models.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    versions = tmp_path / "shop" / "migrations" / "versions"
    versions.mkdir(parents=True)
    (tmp_path / "shop" / "migrations" / "env.py").write_text("")
    (versions / "1a1a1a1a1a1a_create.py").write_text(_FIRST)
    (versions / "2b2b2b2b2b2b_add.py").write_text(
        _REVISION.format(column="paid", type="sa.Boolean()")
    )
    settings = resolve_settings(
        Overrides(migrations="shop/migrations", target_server="mysql-8.0"),
        environ={},
        root=tmp_path,
        database=False,
    )
    files = [(p.name, p) for p in sorted(versions.glob("*.py"))]
    findings = [f for f in lint_files(files, lint_options(settings)).findings if f.code == "L301"]
    assert [f.severity for f in findings] == [NOTICE]
    assert "shop/models.py:4" in findings[0].message


def test_a_tree_without_python_at_its_top_is_not_walked(tmp_path: Path) -> None:
    """Below the application, a directory with neither `__init__.py` nor a module of its own
    (static files, templates, a front end's tree) is listed, not walked: a model file further
    down it is no module the application imports, and is not read."""
    models = _model("paid = sa.Column(sa.Boolean, default=False)")
    models["shop/static/app.js"] = ""
    models["shop/static/vendor/models.py"] = """
        class Order(Base):
            __tablename__ = "shop_order"
            paid = sa.Column(sa.Boolean, default=True)
        """
    assert _l301(tmp_path, models, "paid", "sa.Boolean()").severity == NOTICE
