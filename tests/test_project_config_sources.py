"""Configuration real projects use, read where they keep it.

- Alembic 1.16+'s `[tool.alembic]` in pyproject.toml, with no alembic.ini at all;
- a database URL in `[tool.alembic-sentinel]` (`url`);
- `.flaskenv` / `.env`, read as `flask` reads them (FLASK_APP there, not in the shell);
- Flask-Alembic's app config: `ALEMBIC["script_location"]`, `ALEMBIC["version_locations"]`
  and `ALEMBIC_CONTEXT`;
- the static verbs (`heads`) finding a migrations directory only the Flask app names, from the
  record the last engine verb left, without importing the app.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import sqlalchemy as sa
from conftest import SETTINGS_ENV_VARS, Result
from e2e_workspace import VENV_BIN

SENTINEL = VENV_BIN / "alembic-sentinel"

MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("book", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("title", sa.String(80), nullable=False))
sa.Table("plugin_note", metadata, sa.Column("id", sa.Integer, primary_key=True))
"""


def revision(rev: str, down: str | None, body: str, labels: str = "None") -> str:
    return f'''"""r {rev}

Revision ID: {rev}
Revises: {down or ""}
"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down!r}
branch_labels = {labels}
depends_on = None


def upgrade():
{body}


def downgrade():
    pass
'''


BOOK = '    op.create_table("book", sa.Column("id", sa.Integer(), primary_key=True), ' + (
    'sa.Column("title", sa.String(length=80), nullable=False))'
)
NOTE = '    op.create_table("plugin_note", sa.Column("id", sa.Integer(), primary_key=True))'


def run(root: Path, *args: str, **extra: str) -> Result:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_ENV_VARS and not k.startswith("FLASK_")
    }
    env.update(extra)
    completed = subprocess.run(
        [str(SENTINEL), *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def test_a_pyproject_only_alembic_config_and_a_url_in_our_table(tmp_path: Path) -> None:
    """`alembic init -t pyproject`'s layout: script_location and two version locations in
    [tool.alembic], no alembic.ini; the URL in [tool.alembic-sentinel]."""
    root = tmp_path / "library"
    (root / "db" / "versions").mkdir(parents=True)
    (root / "plugins" / "notes").mkdir(parents=True)
    (root / "models.py").write_text(MODELS)
    (root / "db" / "script.py.mako").write_text(
        (Path(__file__).parents[1] / "migrations" / "script.py.mako").read_text()
    )
    (root / "db" / "versions" / "aaaa00000001_book.py").write_text(
        revision("aaaa00000001", None, BOOK, '("core",)')
    )
    (root / "plugins" / "notes" / "bbbb00000001_note.py").write_text(
        revision("bbbb00000001", None, NOTE, '("notes",)')
    )
    database = root / "library.db"
    (root / "pyproject.toml").write_text(
        "[tool.alembic]\n"
        'script_location = "%(here)s/db"\n'
        'version_locations = ["%(here)s/db/versions", "%(here)s/plugins/notes"]\n'
        "\n[tool.alembic-sentinel]\n"
        f'url = "sqlite:///{database}"\n'
        'metadata = "models:metadata"\n'
    )
    shown = run(root, "settings")
    assert shown.code == 0, shown.output
    assert "pyproject.toml [tool.alembic] script_location" in shown.out
    assert "pyproject.toml [tool.alembic-sentinel] url" in shown.out
    assert "db/versions, plugins/notes" in shown.out

    heads = run(root, "heads")  # two independent labelled branches
    assert heads.code == 0, heads.output
    assert "aaaa00000001" in heads.out and "bbbb00000001" in heads.out

    checked = run(root, "check", "--no-cache")
    assert checked.code == 0, checked.output
    upgraded = run(root, "upgrade", "heads")
    assert upgraded.code == 0, upgraded.output
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        assert {"book", "plugin_note"} <= set(sa.inspect(connection).get_table_names())
    engine.dispose()


FLASK_APP = """\
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
import os

db = SQLAlchemy()


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["LIBRARY_DATABASE"]
    db.init_app(app)
    Migrate(app, db, directory="store/schema")
    return app
"""
BOOK_ONLY = '    op.create_table("book", sa.Column("id", sa.Integer(), primary_key=True))'


def test_flaskenv_names_the_app_and_the_static_verbs_find_the_directory_it_names(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shelf"
    versions = root / "store" / "schema" / "versions"
    versions.mkdir(parents=True)
    (root / "library.py").write_text(FLASK_APP)
    (versions / "cccc00000001_book.py").write_text(revision("cccc00000001", None, BOOK_ONLY))
    (root / "store" / "schema" / "script.py.mako").write_text(
        (Path(__file__).parents[1] / "migrations" / "script.py.mako").read_text()
    )
    # FLASK_APP and the variable the app's config reads, in the files `flask` reads
    (root / ".flaskenv").write_text("FLASK_APP=library:create_app()\n# the database\n")
    (root / ".env").write_text(f"export LIBRARY_DATABASE='sqlite:///{root / 'shelf.db'}'\n")

    before = run(root, "heads")  # nothing names the directory yet: the default is absent
    assert before.code == 2, before.output
    assert "migrations directory not found" in before.err

    shown = run(root, "settings")
    assert shown.code == 0, shown.output
    assert "library:create_app() (.flaskenv FLASK_APP)" in shown.out
    assert "store/schema" in shown.out
    checked = run(root, "check", "--no-cache")
    assert checked.code == 0, checked.output

    after = run(root, "heads")  # the record the engine verb left
    assert after.code == 0, after.output
    assert "cccc00000001" in after.out

    skipped = run(root, "settings", FLASK_SKIP_DOTENV="1")
    assert "library:create_app()" not in skipped.out


FLASK_ALEMBIC_APP = '''\
"""An app configured the Flask-Alembic way (its extension registers as "alembic")."""

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
import os

db = SQLAlchemy()


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class AlembicExtension:
    """Stands in for flask_alembic.Alembic: it keeps its settings in app.config."""

    def init_app(self, app):
        app.extensions["alembic"] = self
        app.config.setdefault("ALEMBIC", {}).setdefault("script_location", "migrations")
        app.config.setdefault("ALEMBIC_CONTEXT", {}).setdefault("compare_server_default", True)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["LIBRARY_DATABASE"]
    app.config["ALEMBIC"] = {
        "script_location": "schema",
        "version_locations": [("notes", "notes_migrations")],
    }
    app.config["ALEMBIC_CONTEXT"] = {"render_as_batch": True}
    db.init_app(app)
    AlembicExtension().init_app(app)
    return app


app = create_app()
'''


def test_flask_alembic_app_config_is_read(tmp_path: Path) -> None:
    root = tmp_path / "notes"
    (root / "schema").mkdir(parents=True)
    (root / "notes_migrations").mkdir()
    (root / "app.py").write_text(FLASK_ALEMBIC_APP)
    (root / "schema" / "script.py.mako").write_text(
        (Path(__file__).parents[1] / "migrations" / "script.py.mako").read_text()
    )
    (root / "schema" / "dddd00000001_book.py").write_text(
        revision("dddd00000001", None, BOOK_ONLY, '("core",)')
    )
    note = '    op.create_table("note", sa.Column("id", sa.Integer(), primary_key=True))'
    (root / "notes_migrations" / "eeee00000001_note.py").write_text(
        revision("eeee00000001", None, note, '("notes",)')
    )
    env = {"FLASK_APP": "app.py", "LIBRARY_DATABASE": f"sqlite:///{root / 'n.db'}"}
    shown = run(root, "settings", **env)
    assert shown.code == 0, shown.output
    assert "ALEMBIC['script_location']" in shown.out
    assert "schema, notes_migrations" in shown.out
    assert "ALEMBIC['version_locations']" in shown.out
    # Flask-Alembic's own default, compare_server_default, from ALEMBIC_CONTEXT
    assert "ALEMBIC_CONTEXT['compare_server_default']" in shown.out
    assert "ALEMBIC_CONTEXT['render_as_batch']" in shown.out
    checked = run(root, "check", "--no-cache", **env)
    assert checked.code == 0, checked.output
    assert "no changes" in checked.out
