"""alembic-sentinel on an app-factory Flask application, on every stack the suite runs on.

`shop/` is laid out the way larger Flask applications are: `create_app()` in the package (a
config object, then the ENV_CONFIG file), the extensions in `shop/extensions.py`, three related
models in `shop/models.py`, and `wsgi.py`, which `flask` finds by itself. `flask db init` writes
`migrations/` with Flask-Migrate's own env.py, never edited, and `flask db migrate` writes the
first revision. The history then gets what real ones hold: a hand-written data migration that
imports the application's models (`from shop.models import Order`) and fills a new column from
the existing rows.

The same code runs on Flask-SQLAlchemy 2.5 / Flask-Migrate 2.7 / SQLAlchemy 1.4 and on
Flask-SQLAlchemy 3 / Flask-Migrate 4 / SQLAlchemy 2, as an application pinned to either would be
written: absolute SQLite paths (Flask-SQLAlchemy 3 puts relative ones in the instance folder),
`compare_type` and `render_as_batch` given to `migrate.init_app` (their defaults changed in
Flask-Migrate 4), `db.metadata` read from the module that defines the models.

Every command runs as a developer or CI runs it: `flask`, `pre-commit` and `alembic-sentinel`
from this environment, real git repositories, the settings README.md documents (pyproject's
`[tool.alembic-sentinel]` and ENV_CONFIG), and never PYTHONPATH.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import OFF_ACTIONS, Result, ScratchDatabases, column_names, query
from e2e_workspace import (
    DRIFT_FAILED,
    DRIFT_PASSED,
    VENV_BIN,
    HookSource,
    Workspace,
    clean_env,
    pre_commit_config,
)

FLASK = VENV_BIN / "flask"

SHOP_FILES = {
    "shop/__init__.py": '''\
"""The shop: an application factory."""

from flask import Flask

from shop.extensions import db, migrate


def create_app(config_object="shop.config.Config"):
    app = Flask(__name__)
    app.config.from_object(config_object)
    app.config.from_envvar("ENV_CONFIG")  # the database, per environment
    db.init_app(app)
    # both defaults changed in Flask-Migrate 4; SQLite needs batch mode to alter tables
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    migrate.init_app(app, db, compare_type=True, render_as_batch=sqlite)

    from shop import models  # noqa: F401  (the models register with db.metadata)

    return app
''',
    "shop/config.py": '''\
"""Settings shared by every environment; ENV_CONFIG adds the database."""


class Config:
    SECRET_KEY = "change me"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
''',
    "shop/extensions.py": '''\
"""The extensions, created unbound; create_app() binds them to the app."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
''',
    "shop/models.py": '''\
"""Customers order products."""

from shop.extensions import db


class Customer(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    email = db.Column(db.String(120), nullable=False, unique=True)

    orders = db.relationship("Order", back_populates="customer")


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False, index=True)
    price_cents = db.Column(db.Integer, nullable=False)


class Order(db.Model):
    __tablename__ = "orders"

    id = db.Column(db.Integer, primary_key=True)
    customer_id = db.Column(db.Integer, db.ForeignKey("customer.id"), nullable=False)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id"), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    unit_price_cents = db.Column(db.Integer, nullable=False)

    customer = db.relationship("Customer", back_populates="orders")
    product = db.relationship("Product")
''',
    "wsgi.py": '''\
"""What the WSGI server and `flask` load."""

from shop import create_app

app = create_app()
''',
    # as README.md documents: the metadata in pyproject, the database from ENV_CONFIG. The
    # metadata is named through the module that defines the models: `shop.extensions:db.metadata`
    # would be empty, since the models only register with it when shop.models is imported
    "pyproject.toml": """\
[project]
name = "shop"
version = "1.0"

[tool.alembic-sentinel]
metadata = "shop.models:db.metadata"
""",
    ".gitignore": "instance/\n*.db\n__pycache__/\n",
}

# --- the data migration: a new column filled from the existing rows, importing the app --------

ORDER_TOTALS = "d47a0001c0de"
QUANTITY_LINE = "    quantity = db.Column(db.Integer, nullable=False)\n"
TOTAL_LINE = "    total_cents = db.Column(db.Integer, nullable=False)\n"
ORDER_TOTALS_REVISION = '''\
"""order totals

Revision ID: {revision}
Revises: {down_revision}
Create Date: 2024-05-02 10:14:03.512790

"""
from alembic import op
import sqlalchemy as sa

from shop.models import Order


# revision identifiers, used by Alembic.
revision = '{revision}'
down_revision = '{down_revision}'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total_cents', sa.Integer(), nullable=True))

    # what every existing order came to
    op.execute(
        sa.update(Order).values(total_cents=Order.quantity * Order.unit_price_cents)
    )

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column('total_cents', existing_type=sa.Integer(), nullable=False)


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('total_cents')
'''

# --- model edits ---------------------------------------------------------------------------

EMAIL_LINE = "    email = db.Column(db.String(120), nullable=False, unique=True)\n"
PHONE_LINE = "    phone = db.Column(db.String(20), nullable=True)\n"
PHONE_CHANGE = "+ column customer.phone VARCHAR(20)"
PHONE_COLUMN = "sa.Column('phone', sa.String(length=20), nullable=True)"
# what the hook shows as the revision `migrate` would write, per backend
PHONE_OPS = {
    "sqlite": (
        "with op.batch_alter_table('customer', schema=None) as batch_op:",
        f"batch_op.add_column({PHONE_COLUMN})",
    ),
    "mariadb": (f"op.add_column('customer', {PHONE_COLUMN})",),
}

# several kinds of change at once: a column with its index, a wider type, a new related table
PRODUCT_NAME_LINE = "    name = db.Column(db.String(120), nullable=False, index=True)\n"
WIDER_PRODUCT_NAME_LINE = "    name = db.Column(db.String(200), nullable=False, index=True)\n"
INDEXED_PHONE_LINE = "    phone = db.Column(db.String(20), nullable=True, index=True)\n"
REVIEW_MODEL = """

class Review(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id"), nullable=False)
    rating = db.Column(db.Integer, nullable=False)
    body = db.Column(db.Text, nullable=True)

    product = db.relationship("Product", backref="reviews")
"""
AUTOGENERATED = "# ### commands auto generated by Alembic - please adjust! ###"
END_AUTOGENERATED = "# ### end Alembic commands ###"
CHECK_SUMMARY = "the revision `migrate` would write:"


@dataclass
class Shop:
    """The shop's working copy, the database its ENV_CONFIG names, and a developer's shell."""

    backend: str
    url: str
    workspace: Workspace

    @property
    def root(self) -> Path:
        return self.workspace.root

    def flask(self, *args: str, check: bool = True) -> Result:
        # no --app and no FLASK_APP: flask finds wsgi.py in the current directory
        return self.workspace.run(FLASK, *args, check=check)

    def sentinel(self, *args: str, check: bool = True) -> Result:
        return self.workspace.sentinel(*args, check=check)

    def revisions(self) -> set[str]:
        return {p.name for p in (self.root / "migrations" / "versions").glob("*.py")}

    def initial_revision(self) -> str:
        (initial,) = [name for name in self.revisions() if name.endswith("_initial_schema.py")]
        return initial.split("_", 1)[0]

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        source = path.read_text()
        assert source.count(old) == 1, f"{relative} changed: update the test's anchor {old!r}"
        path.write_text(source.replace(old, new))

    def add_order_totals(self) -> str:
        """Order.total_cents in the model and the data migration that fills it: the revision
        file's path."""
        self.edit("shop/models.py", QUANTITY_LINE, QUANTITY_LINE + TOTAL_LINE)
        relative = f"migrations/versions/{ORDER_TOTALS}_order_totals.py"
        text = ORDER_TOTALS_REVISION.format(
            revision=ORDER_TOTALS, down_revision=self.initial_revision()
        )
        (self.root / relative).write_text(text)
        return relative


def shop_env(home: Path, env_config: Path) -> dict[str, str]:
    """A developer's shell for the shop: ENV_CONFIG set, no PYTHONPATH, no FLASK_* settings."""
    env = clean_env(home, home / ".cache" / "pre-commit", ENV_CONFIG=str(env_config))
    for name in [n for n in env if n == "PYTHONPATH" or n.startswith("FLASK_")]:
        del env[name]
    return env


def write_env_config(root: Path, url: str) -> Path:
    """The shop's ENV_CONFIG file, in its instance folder, which git ignores. Flask reads a
    relative ENV_CONFIG against the package's folder, so the variable holds an absolute path."""
    path = root / "instance" / "shop.cfg"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f'SQLALCHEMY_DATABASE_URI = "{url}"\n')
    return path


@pytest.fixture(scope="module", params=["sqlite", "mariadb"])
def shop_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """(backend, the shop after `flask db init` and `flask db migrate -m "initial schema"` on
    that backend), built once per module and backend; each test works on its own copy."""
    backend = request.param
    base = tmp_path_factory.mktemp(f"shop-template-{backend}")
    root = base / "shop"
    for relative, text in SHOP_FILES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    databases = None
    if backend == "sqlite":
        url = f"sqlite:///{base / 'template.db'}"
    else:
        databases = ScratchDatabases(request.getfixturevalue("mysql_server_url"))
        url = databases.create()
    env = shop_env(base / "home", write_env_config(root, url))
    env["XDG_CACHE_HOME"] = str(base / "cache")
    template = Shop(backend, url, Workspace(root, env))
    try:
        template.flask("db", "init")
        env_py = (root / "migrations" / "env.py").read_text()
        assert "current_app.extensions['migrate']" in env_py  # Flask-Migrate's own
        generated = template.flask("db", "migrate", "-m", "initial schema")
        assert "Generating" in generated.output, generated.output
        (initial,) = template.revisions()
        text = (root / "migrations" / "versions" / initial).read_text()
        assert "op.create_table('orders'" in text
        assert "sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], " in text
        assert "name=op.f('fk_orders_customer_id_customer')" in text  # the naming convention
    finally:
        if databases is not None:
            databases.drop_all()
    shutil.rmtree(root / "instance")  # each copy gets its own ENV_CONFIG and database
    return backend, root


@pytest.fixture
def shop(
    shop_template: tuple[str, Path], request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Shop]:
    """A private copy of the shop with its own empty database (an SQLite file that does not
    exist yet, or a fresh MariaDB schema); at the end the MariaDB shadow schema is dropped and
    Flask-Migrate's env.py must be as `flask db init` wrote it."""
    backend, template = shop_template
    root = tmp_path / "shop"
    shutil.copytree(template, root, ignore=shutil.ignore_patterns("__pycache__"))
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'shop.db'}"
    else:
        url = request.getfixturevalue("scratch_mysql").create()
    env = shop_env(tmp_path / "home", write_env_config(root, url))
    assert "PYTHONPATH" not in env
    shop = Shop(backend, url, Workspace(root, env))
    yield shop
    shop.sentinel("cache", "clear", check=False)
    env_py = "migrations/env.py"
    assert (root / env_py).read_bytes() == (template / env_py).read_bytes(), "env.py was edited"


def start_git_repository(shop: Shop) -> None:
    shop.workspace.git("init", "-q", "-b", "main")
    shop.workspace.commit("the shop")


def order_totals(url: str) -> list[tuple[object, ...]]:
    return query(url, "SELECT id, total_cents FROM orders ORDER BY id")


def total_cents_is_not_null(url: str) -> bool:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            columns = sa.inspect(connection).get_columns("orders")
    finally:
        engine.dispose()
    (total,) = [column for column in columns if column["name"] == "total_cents"]
    return not total["nullable"]


def autogenerated_lines(text: str) -> list[str]:
    """The lines between the first pair of autogenerate markers, dedented to the markers."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == AUTOGENERATED)
    end = next(i for i, line in enumerate(lines) if i > start and line.strip() == END_AUTOGENERATED)
    indent = len(lines[start]) - len(lines[start].lstrip())
    body = [line[indent:] if line[:indent].isspace() else line for line in lines[start + 1 : end]]
    return [line.rstrip() for line in body if line.strip()]


def check_operation_lines(output: str) -> list[str]:
    """The op code `check` prints after its summary line, before the findings."""
    lines = output.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.endswith(CHECK_SUMMARY)]
    code = []
    for line in lines[start + 1 :]:
        if line.startswith("error: D401 "):
            break
        if line.strip() not in ("", AUTOGENERATED, END_AUTOGENERATED):
            code.append(line.rstrip())
    return code


# --- 1. the drift hook through real pre-commit ------------------------------------------------


def test_the_drift_hook_refuses_a_model_edit_until_migrate_wrote_its_revision(
    shop: Shop, hook_source: HookSource
) -> None:
    repo = shop.workspace
    repo.env["PRE_COMMIT_HOME"] = str(hook_source.pre_commit_home)
    # the history imports the app: the hook's shadow upgrade runs `from shop.models import ...`
    shop.add_order_totals()
    repo.write(".pre-commit-config.yaml", pre_commit_config(hook_source, {"alembic-drift": ()}))
    start_git_repository(shop)
    assert "pre-commit installed" in repo.pre_commit("install").out
    upgraded = shop.flask("db", "upgrade")  # Flask-Migrate, through its env.py
    assert f"-> {ORDER_TOTALS}, order totals" in upgraded.output

    shop.edit("shop/models.py", EMAIL_LINE, EMAIL_LINE + PHONE_LINE)
    refused = repo.commit("customer phone", "shop/models.py", check=False)

    assert refused.code != 0, refused.output
    assert DRIFT_FAILED.search(refused.output), refused.output
    assert f"error: D401 {PHONE_CHANGE}" in refused.output
    for line in PHONE_OPS[shop.backend]:
        assert line in refused.output
    assert "cannot import" not in refused.output
    assert repo.last_commit() == "the shop"
    assert repo.git("diff", "--cached", "--name-only").out.split() == ["shop/models.py"]

    before = shop.revisions()
    migrated = shop.sentinel("migrate", "-m", "customer phone")
    (written,) = shop.revisions() - before
    assert f"wrote migrations/versions/{written}" in migrated.out
    assert PHONE_CHANGE in migrated.out
    assert (
        f"down_revision = '{ORDER_TOTALS}'"
        in (shop.root / "migrations/versions" / written).read_text()
    )

    committed = repo.commit("customer phone", "shop/models.py", f"migrations/versions/{written}")

    assert DRIFT_PASSED.search(committed.output), committed.output
    assert repo.last_commit() == "customer phone"
    assert repo.git("status", "--porcelain").out == ""


# --- 2. ci on a branch whose revision imports the app -----------------------------------------


def test_ci_passes_a_branch_whose_data_migration_imports_the_app(
    shop: Shop, tmp_path: Path
) -> None:
    start_git_repository(shop)
    shop.workspace.git("checkout", "-q", "-b", "order-totals")
    revision_path = shop.add_order_totals()
    shop.workspace.commit("order totals")
    report_path = tmp_path / "ci-report.json"
    shop.workspace.env.update(OFF_ACTIONS)

    if shop.backend == "mariadb":
        # over generated rows the fill's quantity * unit_price overflows INT at the boundary
        # values MySQL allows: the data run says so at the line (docs/data.md), which is the
        # point of it; this test is about imports, so the rest runs without the data
        over_rows = shop.sentinel("ci", "--base-ref", "main", check=False)
        assert over_rows.code == 1, over_rows.output
        assert f"{revision_path}:" in over_rows.out
        assert "C502" in over_rows.out and "values do not fit the new type" in over_rows.out
    ran = shop.sentinel(
        "ci", "--base-ref", "main", "--no-data", "--report", str(report_path), check=False
    )

    assert ran.code == 0, ran.output
    assert ran.out.endswith(f"report: {report_path}\n"), ran.out
    assert "ci: passed" in ran.out
    report = json.loads(report_path.read_text())
    assert report["status"] == "passed"
    assert report["base_heads"] == [shop.initial_revision()]
    assert report["heads"] == [ORDER_TOTALS]
    assert [r["revision"] for r in report["new_revisions"]] == [ORDER_TOTALS]
    assert report["upgrade"]["ok"] is True
    assert [s["revision"] for s in report["upgrade"]["base_head_to_head"]] == [ORDER_TOTALS]
    [round_trip] = report["round_trips"]
    assert round_trip["downgrade_ok"] and round_trip["upgrade_ok"], round_trip
    assert round_trip["schema_restored"] is True, round_trip
    assert report["drift"]["checked"] is True
    assert report["drift"]["changes"] == []
    # the lint saw the import of the app's models: a warning, which does not fail the run
    imports_app = [f for f in report["findings"] if f["code"] == "L316"]
    assert [(f["path"], f["severity"]) for f in imports_app] == [(revision_path, "warning")]
    assert "shop.models" in imports_app[0]["message"]


# --- 3. check against Alembic's own autogenerate through env.py --------------------------------


def flask_db_check_exists(shop: Shop) -> bool:
    """Flask-Migrate 4 has `flask db check` (Alembic's `check`); Flask-Migrate 2.7 does not, and
    click answers its --help with a usage error. Decided by the feature, not the version."""
    return shop.flask("db", "check", "--help", check=False).code == 0


def test_check_reports_what_flask_db_migrate_writes_through_env_py(
    shop: Shop, tmp_path: Path
) -> None:
    shop.add_order_totals()
    shop.flask("db", "upgrade")
    clean = shop.sentinel("check")
    assert "no changes: the models match the revisions" in clean.out
    has_flask_db_check = flask_db_check_exists(shop)
    if has_flask_db_check:
        assert "No new upgrade operations detected" in shop.flask("db", "check").output

    shop.edit("shop/models.py", EMAIL_LINE, EMAIL_LINE + INDEXED_PHONE_LINE)
    shop.edit("shop/models.py", PRODUCT_NAME_LINE, WIDER_PRODUCT_NAME_LINE)
    (shop.root / "shop" / "models.py").write_text(
        (shop.root / "shop" / "models.py").read_text() + REVIEW_MODEL
    )
    checked = shop.sentinel("check", check=False)

    assert checked.code == 1, checked.output
    check_lines = check_operation_lines(checked.out)
    # Alembic's own autogenerate, through the app's env.py, in a copy of the project
    copy = Shop(shop.backend, shop.url, Workspace(tmp_path / "autogenerate", shop.workspace.env))
    shutil.copytree(shop.root, copy.root, ignore=shutil.ignore_patterns("__pycache__"))
    before = copy.revisions()
    copy.flask("db", "migrate", "-m", "x")
    (written,) = copy.revisions() - before
    flask_lines = autogenerated_lines((copy.root / "migrations" / "versions" / written).read_text())

    assert check_lines == flask_lines, "\n".join(["check:", *check_lines, "flask:", *flask_lines])
    assert len(check_lines) >= 8
    assert any("create_table('review'" in line for line in check_lines)
    assert any("create_index" in line and "ix_customer_phone" in line for line in check_lines)
    assert any("sa.String(length=200)" in line for line in check_lines)
    changes = [line for line in checked.out.splitlines() if line.startswith("error: D401 ")]
    assert len(changes) == 4, checked.out
    if has_flask_db_check:
        flask_check = shop.flask("db", "check", check=False)
        assert flask_check.code == 1, flask_check.output
        assert "New upgrade operations detected" in flask_check.output
        # Alembic logs one "Detected ..." line per difference (Flask-Migrate's alembic.ini)
        detected = re.findall(r"Detected (?:added|removed|type change)[^\n]*", flask_check.output)
        assert len(detected) == len(changes), "\n".join([*detected, *changes])
        for name in ("table 'review'", "column 'customer.phone'", "'ix_customer_phone'"):
            assert any(name in line for line in detected), detected
        assert any("String(length=200) on 'product.name'" in line for line in detected)


# --- 4. the data migration on existing rows ---------------------------------------------------


def test_the_data_migration_fills_the_new_column_from_the_existing_rows(shop: Shop) -> None:
    initial = shop.sentinel("upgrade")
    assert f"to {shop.initial_revision()}" in initial.out
    query(shop.url, "INSERT INTO customer (id, name, email) VALUES (1, 'Ada', 'ada@example.com')")
    query(
        shop.url,
        "INSERT INTO product (id, name, price_cents) VALUES (1, 'tea', 450), (2, 'cup', 1200)",
    )
    query(
        shop.url,
        "INSERT INTO orders (id, customer_id, product_id, quantity, unit_price_cents) "
        "VALUES (1, 1, 1, 3, 400), (2, 1, 2, 1, 1200), (3, 1, 1, 2, 450)",
    )
    shop.add_order_totals()

    upgraded = shop.sentinel("upgrade")

    assert f"upgrade {ORDER_TOTALS} order totals" in upgraded.output
    assert order_totals(shop.url) == [(1, 1200), (2, 1200), (3, 900)]
    assert total_cents_is_not_null(shop.url)
    # and through Flask-Migrate's env.py, down and up again: the same fill
    shop.flask("db", "downgrade")
    assert "total_cents" not in column_names(shop.url, "orders")
    query(shop.url, "UPDATE orders SET quantity = 5 WHERE id = 3")
    shop.flask("db", "upgrade")
    assert order_totals(shop.url) == [(1, 1200), (2, 1200), (3, 2250)]
    assert query(shop.url, "SELECT version_num FROM alembic_version") == [(ORDER_TOTALS,)]
