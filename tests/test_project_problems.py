"""Problems of the project, told as such: never "internal error, a bug in alembic-sentinel".

- a post-write hook whose tool is not installed: one line naming the hook, exit 2, and the
  revision it would have formatted removed (never left on disk unreviewed);
- a missing script.py.mako: one line, exit 2, nothing written;
- `--debug` after the verb, as before it;
- generated (computed) columns: the data fill never writes them (the server refuses);
- loading the app writes the configured database (`db.create_all()` at start-up): said.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import sqlalchemy as sa
from conftest import SETTINGS_ENV_VARS, Result, run_cli

from alembic_sentinel.data.fill import fill_schema

MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("shelf", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("label", sa.String(30), nullable=True))
"""
SHELF = '''"""shelf

Revision ID: 5e1f00000001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "5e1f00000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("shelf")
'''
HOOKED_INI = """\
[alembic]
script_location = migrations

[post_write_hooks]
hooks = formatter
formatter.type = exec
formatter.executable = sentinel-test-formatter-that-is-not-installed
formatter.options = REVISION_SCRIPT_FILENAME
"""


def shelf_project(root: Path, *, mako: bool = True) -> Path:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "5e1f00000001_shelf.py").write_text(SHELF)
    (root / "models.py").write_text(MODELS)
    if mako:
        (root / "migrations" / "script.py.mako").write_text(
            (Path(__file__).parents[1] / "migrations" / "script.py.mako").read_text()
        )
    (root / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmetadata = "models:metadata"\n')
    return versions


def test_a_post_write_hook_whose_tool_is_missing_is_one_line_and_the_revision_is_removed(
    tmp_path: Path,
) -> None:
    versions = shelf_project(tmp_path)
    (tmp_path / "alembic.ini").write_text(HOOKED_INI)
    url = f"sqlite:///{tmp_path / 'shelf.db'}"
    assert run_cli(tmp_path, "upgrade", "--url", url).code == 0
    migrated = run_cli(tmp_path, "migrate", "-m", "label", "--url", url)
    assert migrated.code == 2, migrated.output
    (line,) = migrated.err.strip().splitlines()
    assert "alembic.ini [post_write_hooks] formatter:" in line
    assert "was removed" in line and "internal error" not in line
    assert sorted(p.name for p in versions.glob("*.py")) == ["5e1f00000001_shelf.py"]


def test_a_missing_script_template_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    versions = shelf_project(tmp_path, mako=False)
    url = f"sqlite:///{tmp_path / 'shelf.db'}"
    assert run_cli(tmp_path, "upgrade", "--url", url).code == 0
    migrated = run_cli(tmp_path, "migrate", "-m", "label", "--url", url)
    assert migrated.code == 2, migrated.output
    assert migrated.err.strip() == (
        "alembic-sentinel: error: migrations/script.py.mako: not found: Alembic writes every "
        "new revision from this template (restore it, e.g. from `alembic init` or "
        "`flask db init`)"
    )
    assert sorted(p.name for p in versions.glob("*.py")) == ["5e1f00000001_shelf.py"]


def test_debug_is_accepted_after_the_verb(tmp_path: Path) -> None:
    shelf_project(tmp_path)
    before, after = run_cli(tmp_path, "--debug", "heads"), run_cli(tmp_path, "heads", "--debug")
    assert (before.code, after.code) == (0, 0), after.output
    assert before.out == after.out


def test_generated_columns_are_never_filled(mysql_url: str, tmp_path: Path) -> None:
    for url in (mysql_url, f"sqlite:///{tmp_path / 'computed.db'}"):
        engine = sa.create_engine(url)
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql(
                    "CREATE TABLE item (id INTEGER PRIMARY KEY, price INTEGER NOT NULL, "
                    "quantity INTEGER NOT NULL, "
                    "total BIGINT GENERATED ALWAYS AS (price * quantity) STORED)"
                )
            with engine.connect() as connection:
                filled = fill_schema(connection, (), 5)
                rows = connection.execute(sa.text("SELECT price, quantity, total FROM item"))
                found = rows.all()
        finally:
            engine.dispose()
        (table,) = filled.tables
        assert table.refused == 0, table
        assert found and all(total == price * quantity for price, quantity, total in found)


APP = """\
import os

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Shelf(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["SHELF_DATABASE"]
    db.init_app(app)
    Migrate(app, db)
    with app.app_context():
        db.create_all()  # what some apps do at start-up
    return app
"""


def test_an_app_that_writes_its_database_when_loaded_is_named(tmp_path: Path) -> None:
    versions = shelf_project(tmp_path)
    (versions / "5e1f00000001_shelf.py").write_text(SHELF)
    (tmp_path / "shelfapp.py").write_text(APP)
    (tmp_path / "pyproject.toml").write_text("")
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env.update(FLASK_APP="shelfapp:create_app()", SHELF_DATABASE=f"sqlite:///{tmp_path / 's.db'}")
    completed = subprocess.run(
        [str(Path(os.sys.executable).parent / "alembic-sentinel"), "check", "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = Result(completed.returncode, completed.stdout, completed.stderr)
    assert result.code == 0, result.output
    assert "loading the Flask app ran CREATE TABLE" in result.out
