"""Fixtures that build real things: copies of the reference app, SQLite files, MariaDB schemas.

MariaDB is reached at TEST_MYSQL_URL (default mysql+pymysql://root@127.0.0.1:3306/); every test
database is a uniquely named `sentinel_test_*` schema created and dropped here. `make test` makes
sure the server answers before pytest starts, so a missing server fails the run, never skips it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from e2e_workspace import HookSource

REPO = Path(__file__).resolve().parents[1]
TEST_MYSQL_URL = os.environ.get("TEST_MYSQL_URL") or "mysql+pymysql://root@127.0.0.1:3306/"
SETTINGS_ENV_VARS = (
    "ENV_CONFIG",
    "SENTINEL_DATABASE_URL",
    "SENTINEL_MIGRATIONS",
    "SENTINEL_METADATA",
    "NO_COLOR",
)
REFERENCE_PYPROJECT = """\
[tool.alembic-sentinel]
migrations = "migrations"
metadata = "orm:Base.metadata"
"""
# a CI shell outside GitHub Actions: none of the runner's variables
OFF_ACTIONS = {"GITHUB_ACTIONS": "", "GITHUB_EVENT_NAME": "", "RUNNER_TEMP": ""}
HEAD = "e5a9c3f7d812"
ISLISTED_REVISION = "65900aaf5afd"
INITIAL_REVISION = "a8a2fc4e4c77"
# the git identity of every commit the tests make, with the machine's git config left out
GIT_DEVELOPER_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Ada Developer",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Developer",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}


@pytest.fixture(autouse=True)
def no_settings_from_the_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A developer's own ENV_CONFIG must never reach a test (or the database it names), and
    caches go to the test's own directory (subprocesses inherit the environment)."""
    for name in SETTINGS_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def git_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither the developer's git config nor the machine's may change what a test sees; `git`
    (and every process the test starts) commits as GIT_DEVELOPER_ENV's developer."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(variable, raising=False)
    for name, value in GIT_DEVELOPER_ENV.items():
        monkeypatch.setenv(name, value)


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` (under the `git_isolated` fixture); its output, stripped."""
    completed = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
    )
    return completed.stdout.strip()


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_cli(
    cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> Result:
    """Run `python -m alembic_sentinel ARGS` as a user would, in `cwd`."""
    return run_python(cwd, "-m", "alembic_sentinel", *args, env=env, stdin=stdin)


def run_python(
    cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> Result:
    full_env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    full_env.update(env or {})
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=full_env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the reference app (orm/, migrations/, env/, db, drop_database)."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("orm", "migrations", "env"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("db", "drop_database"):
        shutil.copy2(REPO / name, root / name)
    (root / "pyproject.toml").write_text(REFERENCE_PYPROJECT)
    return root


@pytest.fixture
def fresh_orm_imports(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In-process runs import `orm` from this test's own copy, not the one an earlier test
    loaded (for tests that call the engine without a subprocess)."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    for name in [n for n in sys.modules if n == "orm" or n.startswith("orm.")]:
        monkeypatch.delitem(sys.modules, name)
    yield
    for name in [n for n in sys.modules if n == "orm" or n.startswith("orm.")]:
        del sys.modules[name]


@pytest.fixture
def repo(project: Path) -> Path:
    """The reference app committed on `main`; the pull request's branch `feature` checked out."""
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "the reference app")
    git(project, "checkout", "-q", "-b", "feature")
    return project


@pytest.fixture(scope="session")
def mysql_server_url() -> str:
    engine = sa.create_engine(TEST_MYSQL_URL)
    try:
        with engine.connect():
            pass
    except sa.exc.DBAPIError as exc:
        pytest.fail(f"no MariaDB/MySQL at TEST_MYSQL_URL ({exc.orig}); run `make mysql`")
    finally:
        engine.dispose()
    return TEST_MYSQL_URL


def _shadow_schemas() -> set[str]:
    try:
        engine = sa.create_engine(TEST_MYSQL_URL)
        with engine.connect() as connection:
            pattern = {"pattern": r"sentinel\_shadow\_%"}
            rows = connection.execute(sa.text("SHOW DATABASES LIKE :pattern"), pattern)
            return {row[0] for row in rows}
    except sa.exc.DBAPIError:  # no server: a SQLite-only run made no shadow schema either
        return set()
    finally:
        engine.dispose()


def shadow_identities_under(top: Path) -> set[str]:
    """The project identities (drift/shadow.py's `project_identity`: root and migrations
    directory) of every directory pair under `top`: the shadows this session's projects can
    have made, and no other checkout's."""
    from alembic_sentinel.drift.shadow import identity_of

    directories = [top, *(path for path in top.rglob("*") if path.is_dir())]
    identities: set[str] = set()
    for directory in directories:
        for root in (directory, *directory.parents):
            identities.add(identity_of(root, directory))
            if root == top:
                break
    return identities


@pytest.fixture(scope="session", autouse=True)
def shadow_schemas_made_by_the_session_are_dropped(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The drift check caches a shadow schema per project, named after the project's path; the
    tests' projects live in temporary directories, so their shadows would pile up run by run.
    Only the shadows of this session's own directories are dropped: other checkouts (and other
    pytest workers) may share the server at the same time. Under pytest-xdist every worker has
    its own base temp directory (`pytest-N/popen-gwK`) and makes its projects there, so each
    worker drops exactly the shadows of its own projects, whichever worker finishes first."""
    yield
    top = tmp_path_factory.getbasetemp().resolve()
    identities = shadow_identities_under(top)
    left = sorted(
        name for name in _shadow_schemas() if name.removeprefix("sentinel_shadow_") in identities
    )
    if left:
        engine = sa.create_engine(TEST_MYSQL_URL, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                for name in left:
                    connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            engine.dispose()


class ScratchDatabases:
    """Creates uniquely named MariaDB schemas and drops every one of them at the end."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.engine = sa.create_engine(server_url)
        self.names: list[str] = []

    def create(self) -> str:
        name = f"sentinel_test_{uuid.uuid4().hex[:12]}"
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        self.names.append(name)
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def exists(self, name: str) -> bool:
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    sa.text("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :n"),
                    {"n": name},
                ).first()
                is not None
            )

    def drop_all(self) -> None:
        with self.engine.begin() as connection:
            for name in self.names:
                connection.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        self.engine.dispose()


@pytest.fixture
def scratch_mysql(mysql_server_url: str) -> Iterator[ScratchDatabases]:
    databases = ScratchDatabases(mysql_server_url)
    yield databases
    databases.drop_all()


@pytest.fixture
def mysql_url(scratch_mysql: ScratchDatabases) -> str:
    """The URL of a fresh, empty MariaDB schema."""
    return scratch_mysql.create()


@pytest.fixture(params=["sqlite", "mariadb"])
def database_url(request: pytest.FixtureRequest, project: Path) -> str:
    """An empty database on each backend: an SQLite file in the project, a MariaDB schema."""
    if request.param == "sqlite":
        return f"sqlite:///{project / 'scratch.db'}"
    return str(request.getfixturevalue("mysql_url"))


def table_names(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return set(sa.inspect(connection).get_table_names())
    finally:
        engine.dispose()


def column_names(url: str, table: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [column["name"] for column in sa.inspect(connection).get_columns(table)]
    finally:
        engine.dispose()


def query(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(sa.text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def write_cfg(project: Path, name: str, body: str) -> Path:
    path = project / "env" / name
    path.write_text(body)
    return path


def mysql_cfg(url: str, *, prod_env: bool = False) -> str:
    """An ENV_CONFIG file in the guide's DATABASE_* form for a MariaDB URL."""
    parsed = make_url(url)
    return (
        f'DATABASE_PLUGIN = "{parsed.drivername}"\n'
        f'DATABASE_USERNAME = "{parsed.username or ""}"\n'
        f'DATABASE_PASSWORD = "{parsed.password or ""}"\n'
        f'DATABASE_HOST = "{parsed.host}"\n'
        f'DATABASE_PORT = "{parsed.port or 3306}"\n'
        f'DATABASE_NAME = "{parsed.database}"\n'
        f"PROD_ENV = {prod_env}\n"
    )


def revision_files(project: Path) -> set[str]:
    return {p.name for p in (project / "migrations" / "versions").glob("*.py")}


def add_party_column(project: Path) -> None:
    party = project / "orm" / "party.py"
    source = party.read_text()
    anchor = re.search(r"\n(\s+)partySymbol = [^\n]*\n", source)
    assert anchor is not None, "reference model changed: update add_party_column"
    indent = anchor.group(1)
    addition = f"{indent}partyColour = Column(String(20), nullable=True)\n"
    party.write_text(source[: anchor.end()] + addition + source[anchor.end() :])


BRANCH_HEADS = ("aaaa00000001", "bbbb00000002")


def add_two_branch_heads(project: Path) -> Path:
    """Two developers each added a revision on top of the same head."""
    versions = project / "migrations" / "versions"
    for rev, message in zip(BRANCH_HEADS, ("branch one", "branch two")):
        (versions / f"{rev}_{message.replace(' ', '_')}.py").write_text(
            f'"""{message}\n\nRevision ID: {rev}\nRevises: {HEAD}\n"""\n'
            f"revision = '{rev}'\ndown_revision = '{HEAD}'\n"
            "branch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
        )
    return versions


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    """The throwaway git copy of this working tree that pre-commit installs the hooks from, with
    one PRE_COMMIT_HOME for the whole run: every e2e file (and every pytest-xdist worker) shares
    one hook virtualenv."""
    from e2e_workspace import make_hook_source

    return make_hook_source(tmp_path_factory)
