"""alembic-sentinel on a Flask-Migrate app built here, with the env.py `flask db init` wrote.

The app is what Flask-Migrate's documentation shows: `db = SQLAlchemy()`, `migrate = Migrate()`,
`create_app()` reading its settings from the ENV_CONFIG file. Its `migrations/` directory comes
from `flask db init`, and its env.py (which needs Flask's `current_app`) is never edited: the
tool migrates and checks without running it, and Flask-Migrate's own `flask db upgrade` applies
the revisions the tool wrote.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    SETTINGS_ENV_VARS,
    Result,
    ScratchDatabases,
    column_names,
    query,
    table_names,
)

VENV_BIN = Path(sys.executable).parent
FLASK = VENV_BIN / "flask"
SENTINEL = VENV_BIN / "alembic-sentinel"

APP = '''\
"""A small library app, laid out the way Flask-Migrate's documentation shows."""

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
migrate = Migrate()


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"), nullable=False)


def create_app():
    app = Flask(__name__)
    app.config.from_envvar("ENV_CONFIG")
    db.init_app(app)
    migrate.init_app(app, db)
    return app
'''
NAME_LINE = "    name = db.Column(db.String(80), nullable=False)\n"
EMAIL_LINE = "    email = db.Column(db.String(120), nullable=True)\n"
# db.metadata needs no application context in Flask-SQLAlchemy 3
PYPROJECT = """\
[tool.alembic-sentinel]
metadata = "app:db.metadata"
"""
EMAIL_CHANGE = "+ column author.email VARCHAR(120)"
EMAIL_COLUMN = "sa.Column('email', sa.String(length=120), nullable=True)"


class FlaskApp:
    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, program: Path, *args: str, config: str = "env/dev.cfg") -> Result:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in SETTINGS_ENV_VARS and not k.startswith("FLASK_")
        }
        env["ENV_CONFIG"] = config
        env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
        completed = subprocess.run(
            [str(program), *args],
            cwd=self.root,
            env=env,
            input="",
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    def flask(self, *args: str, config: str = "env/dev.cfg") -> Result:
        return self.run(FLASK, "--app", "app", *args, config=config)

    def sentinel(self, *args: str) -> Result:
        return self.run(SENTINEL, *args)

    def revisions(self) -> set[str]:
        return {p.name for p in (self.root / "migrations" / "versions").glob("*.py")}

    def write_config(self, name: str, url: str) -> str:
        (self.root / "env" / name).write_text(f'SQLALCHEMY_DATABASE_URI = "{url}"\n')
        return f"env/{name}"


def build_app(root: Path, url: str) -> FlaskApp:
    """app.py, pyproject.toml and env/dev.cfg; then `flask db init` creates migrations/."""
    root.mkdir()
    (root / "app.py").write_text(APP)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "env").mkdir()
    app = FlaskApp(root)
    app.write_config("dev.cfg", url)
    initialized = app.flask("db", "init")
    assert initialized.code == 0, initialized.output
    assert "current_app" in (root / "migrations" / "env.py").read_text()
    assert app.revisions() == set()
    return app


def revision_id(name: str) -> str:
    return name.split("_", 1)[0]


@pytest.fixture
def mariadb_urls(scratch_mysql: ScratchDatabases) -> list[str]:
    return [scratch_mysql.create(), scratch_mysql.create()]


@pytest.fixture(params=["sqlite", "mariadb"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str, str]:
    """(name, the app's database URL, a second empty database's URL for `flask db upgrade`).

    SQLite paths are absolute: Flask-SQLAlchemy puts relative ones in the instance folder,
    alembic-sentinel relative to the project root."""
    if request.param == "sqlite":
        return "sqlite", f"sqlite:///{tmp_path / 'library.db'}", f"sqlite:///{tmp_path / 'ci.db'}"
    first, second = request.getfixturevalue("mariadb_urls")
    return "mariadb", first, second


def test_flask_migrate_app_migrate_check_and_flask_db_upgrade_interoperate(
    tmp_path: Path, backend: tuple[str, str, str]
) -> None:
    name, url, second_url = backend
    app = build_app(tmp_path / "library", url)
    env_py = (app.root / "migrations" / "env.py").read_bytes()
    try:
        run_the_workflow(app, name, url, second_url)
    finally:
        cleared = app.sentinel("cache", "clear")  # drops the MariaDB shadow schema
        assert cleared.code == 0, cleared.output
    assert (app.root / "migrations" / "env.py").read_bytes() == env_py


def run_the_workflow(app: FlaskApp, backend: str, url: str, second_url: str) -> None:
    if backend == "sqlite":
        # no database file yet: `migrate` says what to run, and that works
        missing = app.sentinel("migrate", "-m", "initial")
        assert missing.code == 3, missing.output
        assert "run `alembic-sentinel upgrade`" in missing.err
        assert app.revisions() == set()
        created = app.sentinel("upgrade")
        assert created.code == 0, created.output
        assert Path(url.removeprefix("sqlite:///")).is_file()

    # an empty database is at head while there are no revisions
    initial = app.sentinel("migrate", "-m", "initial")
    assert initial.code == 0, initial.output
    (first,) = app.revisions()
    assert f"wrote migrations/versions/{first}" in initial.out
    assert "+ table author" in initial.out
    assert "+ table book" in initial.out
    text = (app.root / "migrations" / "versions" / first).read_text()
    assert "op.create_table('author'" in text
    assert "down_revision = None" in text

    upgraded = app.sentinel("upgrade")
    assert upgraded.code == 0, upgraded.output
    assert f"to {revision_id(first)}" in upgraded.out
    assert {"author", "book", "alembic_version"} <= table_names(url)
    clean = app.sentinel("check")
    assert clean.code == 0, clean.output
    assert "no changes: the models match the revisions" in clean.out

    source = app.root / "app.py"
    source.write_text(source.read_text().replace(NAME_LINE, NAME_LINE + EMAIL_LINE))
    drift = app.sentinel("check")
    assert drift.code == 1, drift.output
    assert f"error: D401 {EMAIL_CHANGE}" in drift.out
    if backend == "sqlite":
        assert "with op.batch_alter_table('author', schema=None) as batch_op:" in drift.out
        assert f"batch_op.add_column({EMAIL_COLUMN})" in drift.out
    else:
        assert f"op.add_column('author', {EMAIL_COLUMN})" in drift.out

    migrated = app.sentinel("migrate", "-m", "author email")
    assert migrated.code == 0, migrated.output
    (second,) = app.revisions() - {first}
    assert EMAIL_CHANGE in migrated.out
    assert (
        f"down_revision = '{revision_id(first)}'"
        in (app.root / "migrations" / "versions" / second).read_text()
    )
    clean = app.sentinel("check")
    assert clean.code == 0, clean.output

    # Flask-Migrate's own CLI, through the untouched env.py, on the revisions the tool wrote
    config = app.write_config("ci.cfg", second_url)
    flask_upgrade = app.flask("db", "upgrade", config=config)
    assert flask_upgrade.code == 0, flask_upgrade.output
    assert f"Running upgrade  -> {revision_id(first)}, initial" in flask_upgrade.output
    assert (
        f"Running upgrade {revision_id(first)} -> {revision_id(second)}, author email"
        in flask_upgrade.output
    )
    assert query(second_url, "SELECT version_num FROM alembic_version") == [(revision_id(second),)]
    assert column_names(second_url, "author") == ["id", "name", "email"]
    # Flask-Migrate 4 has `flask db check` (Alembic's check through env.py); Flask-Migrate 2
    # has not, and there `flask db migrate` says the same by writing nothing
    if app.flask("db", "check", "--help").code == 0:
        flask_check = app.flask("db", "check", config=config)
        assert flask_check.code == 0, flask_check.output
        assert "No new upgrade operations detected." in flask_check.output
    else:
        written = app.revisions()
        flask_migrate = app.flask("db", "migrate", config=config)
        assert flask_migrate.code == 0, flask_migrate.output
        assert "No changes in schema detected." in flask_migrate.output
        assert app.revisions() == written

    # and the other way round: the tool's view of what Flask-Migrate applied
    current = app.run(SENTINEL, "current", config=config)
    assert current.code == 0, current.output
    assert current.out.startswith(f"{revision_id(second)} (head) author email")
    # the app's own database is one revision behind; `upgrade` brings it to head
    assert app.sentinel("upgrade").code == 0
    assert query(url, "SELECT version_num FROM alembic_version") == [(revision_id(second),)]
