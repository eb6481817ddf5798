"""`check` gives the answer of the app's own tooling on patterns found in real Flask apps.

Each app here is our own, small, and reproduces one pattern public Flask-Migrate apps use:

- a MetaData with a naming convention and revisions that leave constraints unnamed (Alembic
  names them from the target metadata, as Flask-Migrate's env.py passes it), and a later
  revision that drops a constraint by its convention name;
- a revision that calls an app helper reading `db.engine` (the helper must see the database
  being migrated, never the developer's);
- `Migrate(..., transaction_per_migration=True)`, passed on by the stock env.py.

The app's own answer is computed in the same test: `flask db upgrade` on a database of its own,
then `flask db migrate` ("No changes in schema detected", or the revision it writes). The
configured database is checked byte for byte (SQLite) or schema for schema (MariaDB) after
every run, `--run-env-py` included, where Flask-Migrate's env.py takes its URL from the app.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import SETTINGS_ENV_VARS, Result, ScratchDatabases, table_names
from e2e_workspace import VENV_BIN

FLASK = VENV_BIN / "flask"
SENTINEL = VENV_BIN / "alembic-sentinel"

APP = '''\
"""Clubs and their members, with a naming convention on the MetaData."""

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, text

CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=CONVENTION))


class Club(db.Model):
    __tablename__ = "clubs"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    size = db.Column(db.Integer, nullable=True)
#EXTRA#


class Member(db.Model):
    __tablename__ = "members"
    id = db.Column(db.Integer, primary_key=True)
    club_id = db.Column(db.Integer, db.ForeignKey("clubs.id"), nullable=False)


def club_count():
    """An app helper revisions call: it reads through the app's engine."""
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM clubs")).scalar()


def create_app():
    app = Flask(__name__)
    app.config.from_envvar("ENV_CONFIG")
    app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False
    db.init_app(app)
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    Migrate(app, db, compare_type=True, render_as_batch=sqlite, transaction_per_migration=True)
    return app


app = create_app()
'''

HEADER = '''\
"""{message}

Revision ID: {revision}
Revises: {down}
"""
from alembic import op
import sqlalchemy as sa

revision = "{revision}"
down_revision = {down_repr}
branch_labels = None
depends_on = None
'''

# the constraints are unnamed: the target metadata's naming convention names them
CREATE = """

def upgrade():
    op.create_table(
        "clubs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("club_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["club_id"], ["clubs.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("members")
    op.drop_table("clubs")
"""

# calls the app's helper (db.engine): it must read the database being migrated
HELPER = """

def upgrade():
    from app import club_count

    assert club_count() == 0
    with op.batch_alter_table("clubs") as batch_op:
        batch_op.add_column(sa.Column("size", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("clubs") as batch_op:
        batch_op.drop_column("size")
"""

# drops the unique constraint by the name the convention gave it
DROP_UNIQUE = """

def upgrade():
    with op.batch_alter_table("clubs") as batch_op:
        batch_op.drop_constraint("uq_clubs_name", type_="unique")


def downgrade():
    with op.batch_alter_table("clubs") as batch_op:
        batch_op.create_unique_constraint("uq_clubs_name", ["name"])
"""

REVISIONS = [
    ("a1a1a1a1a1a1", None, "clubs and members", CREATE),
    ("b2b2b2b2b2b2", "a1a1a1a1a1a1", "club size", HELPER),
    ("c3c3c3c3c3c3", "b2b2b2b2b2b2", "names need not be unique", DROP_UNIQUE),
]
NO_CHANGES = "No changes in schema detected"


def database_state(url: str) -> str:
    """What would show that a database was written: its file's bytes, or its schema."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(str(parsed.database))
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
                    "WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1, 2"
                )
            ).all()
            return repr(rows)
    finally:
        engine.dispose()


@dataclass
class ClubApp:
    root: Path
    configured: str  # the developer's database, which nothing may write
    reference: str  # where the app's own tooling builds its answer

    def env(self, url: str) -> dict[str, str]:
        config = self.root / f"{hashlib.sha256(url.encode()).hexdigest()[:8]}.cfg"
        config.write_text(f"SQLALCHEMY_DATABASE_URI = {url!r}\n")
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in SETTINGS_ENV_VARS and not k.startswith("FLASK_")
        }
        env.update(ENV_CONFIG=str(config), FLASK_APP="app.py")
        return env

    def run(self, program: Path, *args: str, url: str | None = None) -> Result:
        completed = subprocess.run(
            [str(program), *args],
            cwd=self.root,
            env=self.env(url or self.configured),
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    def app_tooling_changes(self) -> tuple[bool, str]:
        """`flask db upgrade` then `flask db migrate` on the reference database: whether the
        app's own tooling found changes (the revision it wrote is removed again)."""
        upgraded = self.run(FLASK, "db", "upgrade", url=self.reference)
        assert upgraded.code == 0, upgraded.output
        before = set((self.root / "migrations" / "versions").glob("*.py"))
        migrated = self.run(FLASK, "db", "migrate", "-m", "probe", url=self.reference)
        assert migrated.code == 0, migrated.output
        written = set((self.root / "migrations" / "versions").glob("*.py")) - before
        text = "".join(path.read_text() for path in written)
        for path in written:
            path.unlink()
        return bool(written), text + migrated.output

    def set_model_extra(self, line: str) -> None:
        path = self.root / "app.py"
        path.write_text(APP.replace("#EXTRA#", line))


@pytest.fixture(params=["sqlite", "mariadb"])
def club_app(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> ClubApp:
    root = tmp_path / "clubs"
    root.mkdir()
    if request.param == "sqlite":
        configured, reference = f"sqlite:///{root / 'dev.db'}", f"sqlite:///{root / 'ref.db'}"
    else:
        scratch: ScratchDatabases = request.getfixturevalue("scratch_mysql")
        configured, reference = scratch.create(), scratch.create()
    app = ClubApp(root, configured, reference)
    app.set_model_extra("")
    initialised = app.run(FLASK, "db", "init")
    assert initialised.code == 0, initialised.output
    versions = root / "migrations" / "versions"
    for revision, down, message, body in REVISIONS:
        header = HEADER.format(
            message=message, revision=revision, down=down or "", down_repr=repr(down)
        )
        (versions / f"{revision}_{message.replace(' ', '_')}.py").write_text(header + body)
    # the developer's database holds something of its own, at no revision
    engine = sa.create_engine(configured)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    return app


@pytest.mark.parametrize("run_env_py", [False, True], ids=["hermetic", "run-env-py"])
def test_check_agrees_with_flask_db_migrate_and_never_writes_the_configured_database(
    club_app: ClubApp, run_env_py: bool
) -> None:
    extra = ["--run-env-py"] if run_env_py else []
    before = database_state(club_app.configured)

    changed, _ = club_app.app_tooling_changes()
    assert not changed  # the app's own answer: the models match the revisions
    checked = club_app.run(SENTINEL, "check", "--no-cache", *extra)
    assert (checked.code, changed) == (0, False), checked.output
    assert "no changes" in checked.out

    # a model change neither tool has a revision for: both see it
    club_app.set_model_extra("    motto = db.Column(db.String(40), nullable=True)")
    changed, written = club_app.app_tooling_changes()
    assert changed and "motto" in written
    checked = club_app.run(SENTINEL, "check", "--no-cache", *extra)
    assert checked.code == 1, checked.output
    assert "+ column clubs.motto VARCHAR(40)" in checked.out
    assert "uq_clubs_name" not in checked.out  # the convention's names, as the app's tooling

    assert database_state(club_app.configured) == before
    assert table_names(club_app.configured) == {"notes"}


def test_upgrade_runs_app_helpers_on_the_database_it_migrates(club_app: ClubApp) -> None:
    """`upgrade` of the configured database: the helper reads it (zero clubs), the unique
    constraint the convention named is dropped by that name, as `flask db upgrade` does."""
    upgraded = club_app.run(SENTINEL, "upgrade")
    assert upgraded.code == 0, upgraded.output
    assert {"clubs", "members", "notes", "alembic_version"} <= table_names(club_app.configured)


def test_env_py_bound_to_the_configured_database_is_refused_before_it_writes(
    club_app: ClubApp,
) -> None:
    """An env.py that opens its own engine on the app's configured URL (not the one Alembic is
    given) is stopped at its first statement: one line, and the database is as it was."""
    env_py = club_app.root / "migrations" / "env.py"
    env_py.write_text(
        "from alembic import context\n"
        "import sqlalchemy as sa\n"
        "from flask import current_app\n"
        "url = current_app.config['SQLALCHEMY_DATABASE_URI']\n"
        "engine = sa.create_engine(" + repr(club_app.configured) + ")\n"
        "with engine.connect() as connection:\n"
        "    context.configure(connection=connection)\n"
        "    with context.begin_transaction():\n"
        "        context.run_migrations()\n"
    )
    before = database_state(club_app.configured)
    checked = club_app.run(SENTINEL, "check", "--no-cache", "--run-env-py")
    assert checked.code == 2, checked.output
    assert "connected to the configured database" in checked.err
    assert len(checked.err.strip().splitlines()) == 1
    assert database_state(club_app.configured) == before


# --- env.py gives Alembic its own target_metadata; Migrate's db has no table -----------------

CATALOGUE_APP = '''\
"""The models live on their own declarative Base; the Flask-SQLAlchemy db has none."""

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    app.config.from_envvar("ENV_CONFIG")
    app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False
    db.init_app(app)
    Migrate(app, db, compare_type=True)
    return app


app = create_app()
'''
CATALOGUE_MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Item(Base):
    __tablename__ = "items"
    id = sa.Column(sa.Integer, primary_key=True)
    title = sa.Column(sa.String(60), nullable=False)
#EXTRA#
"""
CATALOGUE_REVISION = (
    HEADER.format(message="items", revision="d4d4d4d4d4d4", down="", down_repr="None")
    + """

def upgrade():
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("items")
"""
)


@pytest.fixture(params=["sqlite", "mariadb"])
def catalogue_app(request: pytest.FixtureRequest, tmp_path: Path) -> ClubApp:
    root = tmp_path / "catalogue"
    root.mkdir()
    if request.param == "sqlite":
        configured, reference = f"sqlite:///{root / 'dev.db'}", f"sqlite:///{root / 'ref.db'}"
    else:
        scratch: ScratchDatabases = request.getfixturevalue("scratch_mysql")
        configured, reference = scratch.create(), scratch.create()
    app = ClubApp(root, configured, reference)
    (root / "app.py").write_text(CATALOGUE_APP)
    (root / "models.py").write_text(CATALOGUE_MODELS.replace("#EXTRA#", ""))
    initialised = app.run(FLASK, "db", "init")
    assert initialised.code == 0, initialised.output
    env_py = root / "migrations" / "env.py"
    text = env_py.read_text()
    # whichever way this Flask-Migrate's env.py spells it, env.py now gives its own metadata
    lines = [
        "from models import Base\ntarget_metadata = Base.metadata"
        if line.startswith("target_metadata =")
        else line
        for line in text.splitlines()
    ]
    text = "\n".join(lines) + "\n"
    if "from models import Base" not in text:  # Flask-Migrate 4: get_metadata() in configure
        text = text.replace(
            "def get_metadata():", "from models import Base\n\n\ndef get_metadata():"
        )
        text = text.replace("target_metadata=get_metadata()", "target_metadata=Base.metadata")
    env_py.write_text(text)
    (root / "migrations" / "versions" / "d4d4d4d4d4d4_items.py").write_text(CATALOGUE_REVISION)
    return app


def test_the_metadata_compared_is_the_one_env_py_gives_alembic(catalogue_app: ClubApp) -> None:
    changed, _ = catalogue_app.app_tooling_changes()
    assert not changed
    checked = catalogue_app.run(SENTINEL, "check", "--no-cache")
    assert checked.code == 0, checked.output
    assert "no changes" in checked.out
    # which of the two offered is compared, said once
    assert "not the Flask app's db.metadata: models:Base.metadata is compared" in checked.out

    (catalogue_app.root / "models.py").write_text(
        CATALOGUE_MODELS.replace("#EXTRA#", "    price = sa.Column(sa.Integer, nullable=True)")
    )
    changed, written = catalogue_app.app_tooling_changes()
    assert changed and "price" in written and "drop_table" not in written
    checked = catalogue_app.run(SENTINEL, "check", "--no-cache")
    assert checked.code == 1, checked.output
    assert "+ column items.price INTEGER" in checked.out
    assert "remove_table" not in checked.out and "drop_table" not in checked.out


# --- tables made outside Alembic before the first revision (a plain Alembic project) -------

ALEMBIC = VENV_BIN / "alembic"
LEGACY_MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("email", sa.String(120), nullable=True),
)
"""
# what existed before the project adopted Alembic: its setup loads it, then upgrades
BASELINE_SQL = """\
-- the schema from before Alembic
CREATE TABLE users (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(50) NOT NULL
);
"""
BASELINE_METADATA = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
"""
ADD_EMAIL = (
    HEADER.format(message="user email", revision="e5e5e5e5e5e5", down="", down_repr="None")
    + """

def upgrade():
    op.add_column("users", sa.Column("email", sa.String(length=120), nullable=True))


def downgrade():
    op.drop_column("users", "email")
"""
)
# the app's own answer: its setup (the baseline), `alembic upgrade head`, compare_metadata
APP_ANSWER = """\
import os, sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from models import metadata
engine = sa.create_engine(os.environ["DATABASE_URL"])
with engine.connect() as connection:
    diffs = compare_metadata(MigrationContext.configure(connection), metadata)
print(len(diffs))
"""


def plain_alembic_project(root: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env["DATABASE_URL"] = url
    subprocess.run(
        [str(ALEMBIC), "init", "migrations"], cwd=root, env=env, check=True, capture_output=True
    )
    env_py = root / "migrations" / "env.py"
    text = env_py.read_text().replace(
        "target_metadata = None", "from models import metadata\ntarget_metadata = metadata"
    )
    # the URL from the environment, as many projects' env.py read it
    text = text.replace(
        "config = context.config\n",
        "config = context.config\nimport os\n"
        'config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])\n',
        1,
    )
    env_py.write_text(text)
    (root / "models.py").write_text(LEGACY_MODELS)
    (root / "baseline.sql").write_text(BASELINE_SQL)
    (root / "baseline.py").write_text(BASELINE_METADATA)
    (root / "migrations" / "versions" / "e5e5e5e5e5e5_user_email.py").write_text(ADD_EMAIL)
    return env


@pytest.mark.parametrize("prepare", ["baseline.sql", "baseline:metadata"])
def test_shadow_prepare_makes_the_tables_the_first_revision_expects(
    tmp_path: Path, database_url: str, scratch_mysql: ScratchDatabases, prepare: str
) -> None:
    root = tmp_path / "legacy"
    root.mkdir()
    sqlite = database_url.startswith("sqlite")
    reference = f"sqlite:///{root / 'ref.db'}" if sqlite else scratch_mysql.create()
    env = plain_alembic_project(root, reference)

    # the app's own answer: baseline loaded, upgraded, nothing left to migrate
    engine = sa.create_engine(reference)
    with engine.begin() as connection:
        connection.exec_driver_sql(BASELINE_SQL.split("\n", 1)[1].rstrip().rstrip(";"))
    engine.dispose()
    upgraded = subprocess.run(
        [str(ALEMBIC), "upgrade", "head"], cwd=root, env=env, capture_output=True, text=True
    )
    assert upgraded.returncode == 0, upgraded.stderr
    answer = subprocess.run(
        [sys.executable, "-c", APP_ANSWER], cwd=root, env=env, capture_output=True, text=True
    )
    assert answer.stdout.strip() == "0", answer.stderr

    def check() -> Result:
        completed = subprocess.run(
            [str(SENTINEL), "check", "--no-cache", "--url", database_url],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    # without it the shadow cannot be built: a distinct line and exit 2, never "drift found"
    unprepared = check()
    assert unprepared.code == 2, unprepared.output
    (line,) = unprepared.err.strip().splitlines()
    assert "D405 shadow could not be built: migrations/versions/e5e5e5e5e5e5_user_email.py:" in line

    (root / "pyproject.toml").write_text(f'[tool.alembic-sentinel]\nshadow-prepare = "{prepare}"\n')
    prepared = check()
    assert prepared.code == 0, prepared.output
    assert "no changes" in prepared.out


# --- check and migrate share one set of filters --------------------------------------------

KEYED_MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
sa.Table(
    "child",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_parent")),
    sa.Column("ratio", sa.Float(53)),
)
"""
# the index made before the key serves it (MySQL then makes none); DOUBLE is FLOAT(53) stored
KEYED_REVISION = (
    HEADER.format(message="keyed", revision="f6f6f6f6f6f6", down="", down_repr="None")
    + """
from sqlalchemy.dialects import mysql


def upgrade():
    op.create_table("parent", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table(
        "child",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("ratio", mysql.DOUBLE(), nullable=True),
    )
    op.create_index("ix_child_parent_first", "child", ["parent_id"])
    op.create_foreign_key("fk_child_parent", "child", "parent", ["parent_id"], ["id"])


def downgrade():
    op.drop_table("child")
    op.drop_table("parent")
"""
)


def test_migrate_writes_nothing_check_calls_mariadb_noise(tmp_path: Path, mysql_url: str) -> None:
    root = tmp_path / "keyed"
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "models.py").write_text(KEYED_MODELS)
    (root / "migrations" / "versions" / "f6f6f6f6f6f6_keyed.py").write_text(KEYED_REVISION)
    (root / "migrations" / "script.py.mako").write_text(
        (Path(__file__).parents[1] / "migrations" / "script.py.mako").read_text()
    )
    (root / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmetadata = "models:metadata"\n')
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}

    def sentinel(*args: str) -> Result:
        completed = subprocess.run(
            [str(SENTINEL), *args, "--url", mysql_url],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    # plain Alembic sees two changes here: the index that serves the key, DOUBLE vs FLOAT(53)
    engine = sa.create_engine(mysql_url)
    checked = sentinel("check", "--no-cache")
    assert checked.code == 0, checked.output
    assert sentinel("upgrade", "heads").code == 0
    migrated = sentinel("migrate", "-m", "nothing")
    assert migrated.code == 0, migrated.output
    assert "no changes detected" in migrated.out
    assert sorted(p.name for p in (root / "migrations" / "versions").glob("*.py")) == [
        "f6f6f6f6f6f6_keyed.py"
    ]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    models: dict[str, object] = {}
    exec(KEYED_MODELS, models)
    with engine.connect() as connection:
        raw = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}),
            models["metadata"],  # type: ignore[arg-type]
        )
    engine.dispose()
    kinds = sorted((diff if isinstance(diff, tuple) else diff[0])[0] for diff in raw)
    assert kinds == ["modify_type", "remove_index"]
