"""The `alembic-drift` hook end to end: real git, the real pre-commit framework, real databases.

Each test turns a copy of the reference app into a git repository whose `.pre-commit-config.yaml`
uses the `alembic-drift` hook exactly as this repository's `.pre-commit-hooks.yaml` defines it
(from a throwaway git copy of this working tree, at a commit sha), runs `pre-commit install`,
and then commits as a developer would. The hook is `language: system`: pre-commit builds no
environment for it, so the project's virtualenv (this test venv) is first on PATH, as it would
be for a developer who activated it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import (
    HEAD,
    Result,
    add_party_column,
    git,
    mysql_cfg,
    query,
    revision_files,
    run_cli,
    run_python,
    write_cfg,
)
from e2e_workspace import (
    DRIFT_FAILED,
    DRIFT_PASSED,
    DRIFT_SKIPPED,
    HookSource,
    Workspace,
    hooked_reference_app,
)

from alembic_sentinel.drift.shadow import PREFIX, project_identity
from alembic_sentinel.settings import resolve_settings

CHANGE = "+ column party.partyColour VARCHAR(20)"
COLUMN_CODE = "sa.Column('partyColour', sa.String(length=20), nullable=True)"
# what the hook prints as the revision `migrate` would write, per backend
SQLITE_OPS = (
    "with op.batch_alter_table('party', schema=None) as batch_op:",
    f"batch_op.add_column({COLUMN_CODE})",
)
MYSQL_OPS = (f"op.add_column('party', {COLUMN_CODE})",)

# the reference app's tables
TABLES = ("area", "candidate", "election", "party")
# a port nothing listens on: any attempt to reach this "server" fails at once
UNREACHABLE_MYSQL = "mysql+pymysql://root@127.0.0.1:9/sentinel_test_unreachable"

NEW_REVISION = "c0ffee5e0001"
NEW_REVISION_FILE = f"migrations/versions/{NEW_REVISION}_add_partycolour_to_party.py"
PARTY_COLOUR_REVISION = f'''\
"""add partyColour to party

Revision ID: {NEW_REVISION}
Revises: {HEAD}
Create Date: 2024-03-04 09:12:45.118204

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "{NEW_REVISION}"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("party", sa.Column("partyColour", sa.String(length=20), nullable=True))


def downgrade():
    op.drop_column("party", "partyColour")
'''


def drift_repo(
    project: Path, hooks: HookSource, env_config: str, args: tuple[str, ...] = ()
) -> Workspace:
    """The reference app as a git repository with the hook installed, committed on main."""
    return hooked_reference_app(project, hooks, {"alembic-drift": args}, env_config)


def new_revision_file(project: Path, before: set[str]) -> str:
    (name,) = revision_files(project) - before
    return f"migrations/versions/{name}"


def assert_refused_with_the_change(repo: Workspace, refused: Result, ops: tuple[str, ...]) -> None:
    assert refused.code != 0, refused.output
    assert DRIFT_FAILED.search(refused.output), refused.output
    assert f"error: D401 {CHANGE}" in refused.output
    for line in ops:
        assert line in refused.output
    assert repo.last_commit() == "the reference app"
    # the refused change is still staged, nothing was committed
    assert repo.git("diff", "--cached", "--name-only").out.split() == ["orm/party.py"]


def test_sqlite_a_model_change_without_a_revision_is_refused_until_migrate(
    project: Path, hook_source: HookSource, tmp_path: Path
) -> None:
    repo = drift_repo(project, hook_source, "./env/dev.cfg")  # the embedded SQLite default
    repo.run("python", "db", "upgrade")  # as the guide says
    configured = project / "election-dev.db"
    assert configured.is_file()

    add_party_column(project)
    refused = repo.commit("add partyColour", "orm/party.py", check=False)

    assert_refused_with_the_change(repo, refused, SQLITE_OPS)
    assert MYSQL_OPS[0] not in refused.output  # SQLite gets the batch form
    # the shadow is a file in the cache directory, not in the project
    shadows = list((tmp_path / "cache" / "alembic-sentinel" / "shadow").glob("*.sqlite3"))
    assert len(shadows) == 1, shadows
    assert sorted(p.name for p in project.glob("*.db")) == ["election-dev.db"]

    before = revision_files(project)
    migrated = repo.run("python", "db", "migrate", "-m", "add partyColour")
    written = new_revision_file(project, before)
    assert f"wrote {written}" in migrated.out
    assert CHANGE in migrated.out

    committed = repo.commit("add partyColour", "orm/party.py", written)

    assert DRIFT_PASSED.search(committed.output), committed.output
    assert repo.last_commit() == "add partyColour"
    shown = repo.git("show", "--name-only", "--format=", "HEAD").out.split()
    assert sorted(shown) == sorted(["orm/party.py", written])
    assert repo.git("status", "--porcelain").out == ""


def database_snapshot(url: str) -> list[object]:
    """Tables, row counts and definitions of a MariaDB schema."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            tables = sorted(str(row[0]) for row in connection.exec_driver_sql("SHOW TABLES"))
            snapshot: list[object] = [tables]
            for table in tables:
                count = connection.exec_driver_sql(f"SELECT COUNT(*) FROM `{table}`").scalar()
                create = connection.exec_driver_sql(f"SHOW CREATE TABLE `{table}`").one()[1]
                checksum = connection.exec_driver_sql(f"CHECKSUM TABLE `{table}`").one()[1]
                snapshot.append((table, count, create, checksum))
            return snapshot
    finally:
        engine.dispose()


def project_shadows(server_url: str, project: Path) -> set[str]:
    """This project's shadow schemas on the server (cached and `--no-cache` ones)."""
    identity = project_identity(resolve_settings(root=project, environ={}, database=False))
    rows = query(
        server_url,
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE :p",
        p=f"{PREFIX}{identity}%".replace("_", "\\_"),
    )
    return {str(row[0]) for row in rows}


@pytest.fixture
def mariadb_repo(
    project: Path, hook_source: HookSource, mysql_url: str
) -> Iterator[tuple[Workspace, str]]:
    """The hooked repository configured for a scratch MariaDB schema; the tool's shadow schema
    is dropped at the end even when the test fails."""
    write_cfg(project, "scratch-mysql.cfg", mysql_cfg(mysql_url))
    repo = drift_repo(project, hook_source, "./env/scratch-mysql.cfg")
    try:
        yield repo, mysql_url
    finally:
        repo.sentinel("cache", "clear", check=False)


def test_mariadb_a_model_change_without_a_revision_is_refused_until_migrate(
    project: Path, mariadb_repo: tuple[Workspace, str], mysql_server_url: str
) -> None:
    repo, mysql_url = mariadb_repo
    repo.run("python", "db", "upgrade")
    query(mysql_url, "INSERT INTO party (partyName, partySymbol) VALUES ('Blue', 'tree')")
    configured = database_snapshot(mysql_url)
    assert configured[0] == sorted([*TABLES, "alembic_version"])

    add_party_column(project)
    refused = repo.commit("add partyColour", "orm/party.py", check=False)

    assert_refused_with_the_change(repo, refused, MYSQL_OPS)
    assert "batch_op" not in refused.output
    assert database_snapshot(mysql_url) == configured
    shadows = project_shadows(mysql_server_url, project)
    assert len(shadows) == 1, shadows  # the cached shadow, on the configured server
    assert mysql_url.rsplit("/", 1)[1] not in shadows

    before = revision_files(project)
    repo.run("python", "db", "migrate", "-m", "add partyColour")
    written = new_revision_file(project, before)
    configured = database_snapshot(mysql_url)

    committed = repo.commit("add partyColour", "orm/party.py", written)

    assert DRIFT_PASSED.search(committed.output), committed.output
    assert repo.last_commit() == "add partyColour"
    assert database_snapshot(mysql_url) == configured
    # and once more through pre-commit directly, on every file, on the cached shadow
    rerun = repo.pre_commit("run", "alembic-drift", "--all-files")
    assert DRIFT_PASSED.search(rerun.output), rerun.output
    assert database_snapshot(mysql_url) == configured

    cleared = repo.sentinel("cache", "clear")
    assert "dropped the shadow database" in cleared.out
    assert project_shadows(mysql_server_url, project) == set()
    assert database_snapshot(mysql_url) == configured


def test_staged_only_needs_a_new_revision_staged_with_the_model_and_no_database(
    project: Path, hook_source: HookSource
) -> None:
    write_cfg(project, "unreachable.cfg", mysql_cfg(UNREACHABLE_MYSQL))
    repo = drift_repo(project, hook_source, "./env/unreachable.cfg", args=("--staged-only",))
    # the configured server really is unreachable: the full check cannot run at all
    full_check = repo.sentinel("check", check=False)
    assert full_check.code == 3, full_check.output
    assert "cannot connect" in full_check.err

    add_party_column(project)
    refused = repo.commit("add partyColour", "orm/party.py", check=False)

    assert refused.code != 0, refused.output
    assert DRIFT_FAILED.search(refused.output), refused.output
    assert (
        "orm/party.py: error: D402 model file changed but no new revision is staged"
        in refused.output
    )
    assert "cannot connect" not in refused.output
    assert repo.last_commit() == "the reference app"

    (project / NEW_REVISION_FILE).write_text(PARTY_COLOUR_REVISION)
    committed = repo.commit("add partyColour", "orm/party.py", NEW_REVISION_FILE)

    assert DRIFT_PASSED.search(committed.output), committed.output
    assert "D402" not in committed.output
    assert repo.last_commit() == "add partyColour"


def test_staged_only_without_file_names_reads_what_is_staged_from_git(
    git_isolated: None, repo: Path
) -> None:
    """`alembic-drift --staged-only` typed by hand (or from a hook that passes no names)."""
    nothing_staged = run_python(repo, "-m", "alembic_sentinel.hooks.alembic_drift", "--staged-only")
    assert nothing_staged.code == 0, nothing_staged.output

    add_party_column(repo)
    git(repo, "add", "orm/party.py")
    refused = run_python(repo, "-m", "alembic_sentinel.hooks.alembic_drift", "--staged-only")
    assert refused.code == 1, refused.output
    assert "orm/party.py: error: D402 model file changed but no new revision is staged" in (
        refused.out
    )
    # the reference app has the guide's `db` entry file: the fix names it
    assert 'fix: python db migrate -m "describe the change"' in refused.out
    (repo / "db").unlink()  # a project without the guide's file: the fix names our CLI
    refused = run_python(repo, "-m", "alembic_sentinel.hooks.alembic_drift", "--staged-only")
    assert 'fix: alembic-sentinel migrate -m "describe the change"' in refused.out
    assert "python db" not in refused.out

    (repo / NEW_REVISION_FILE).write_text(PARTY_COLOUR_REVISION)
    git(repo, "add", NEW_REVISION_FILE)
    passed = run_python(repo, "-m", "alembic_sentinel.hooks.alembic_drift", "--staged-only")
    assert passed.code == 0, passed.output
    assert passed.out == ""


def test_commits_outside_models_and_revisions_are_not_checked(
    project: Path, hook_source: HookSource
) -> None:
    repo = drift_repo(project, hook_source, "./env/dev.cfg")
    repo.run("python", "db", "upgrade")
    # drift committed past the hook: the hook fails on the tree whenever it runs
    add_party_column(project)
    repo.git("add", "orm/party.py")
    repo.git("commit", "--no-verify", "-m", "drift, hook skipped")
    ran = repo.pre_commit("run", "alembic-drift", "--all-files", check=False)
    assert ran.code != 0
    assert DRIFT_FAILED.search(ran.output), ran.output

    (project / "README.md").write_text("# The election app\n\nNow with a changelog.\n")
    (project / "CHANGELOG.md").write_text("- partyColour\n")
    documented = repo.commit("docs")
    assert DRIFT_SKIPPED.search(documented.output), documented.output  # no Python file

    # a Python file the models do not import: the hook runs, and answers from its record of
    # what the last check imported, without checking (the drift above is not this commit's)
    (project / "tools").mkdir()
    (project / "tools" / "report.py").write_text("print('a Python file, not a model')\n")
    committed = repo.commit("tools")
    assert DRIFT_PASSED.search(committed.output), committed.output
    assert "D401" not in committed.output
    assert repo.last_commit() == "tools"


def test_the_fast_path_imports_no_sqlalchemy_and_a_model_file_still_runs_the_check(
    project: Path,
) -> None:
    env = {"ENV_CONFIG": "./env/dev.cfg"}
    assert run_cli(project, "check", env=env).code == 0  # records what the models import
    (project / "tools").mkdir()
    (project / "tools" / "report.py").write_text("print('not a model')\n")
    probe = (
        "import sys\n"
        "from alembic_sentinel.hooks.alembic_drift import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'sqlalchemy' in sys.modules)\n"
    )
    fast = run_python(project, "-c", probe, "tools/report.py", env=env)
    assert fast.out.strip().splitlines()[-1] == "0 False", fast.output
    add_party_column(project)
    checked = run_python(project, "-c", probe, "tools/report.py", "orm/party.py", env=env)
    assert "D401 + column party.partyColour" in checked.out
    assert checked.out.strip().splitlines()[-1] == "1 True", checked.output


def test_a_recorded_model_file_changed_behind_the_hook_runs_the_check(project: Path) -> None:
    env = {"ENV_CONFIG": "./env/dev.cfg"}
    assert run_cli(project, "check", env=env).code == 0
    add_party_column(project)  # edited, but the commit stages only an unrelated file
    (project / "notes.py").write_text("NOTES = 1\n")
    hook = run_python(project, "-m", "alembic_sentinel.hooks.alembic_drift", "notes.py", env=env)
    assert hook.code == 1, hook.output
    assert "D401 + column party.partyColour" in hook.out


DISCOVERY = """
import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
"""
NOTE_MODEL = """\
from sqlalchemy import Column, Integer

from orm import Base


class Note(Base):
    __tablename__ = "note"

    noteId = Column(Integer, primary_key=True)
"""


@pytest.mark.parametrize("where", ["orm/note.py", "orm/extra/note.py"])
def test_a_new_module_in_a_package_the_models_discover_runs_the_check(
    project: Path, where: str
) -> None:
    """Models imported by discovery: a new module there changes the models without any file
    the last check imported changing, so the fast path must not answer."""
    init = project / "orm" / "__init__.py"
    init.write_text(init.read_text() + DISCOVERY)
    env = {"ENV_CONFIG": "./env/dev.cfg"}
    assert run_cli(project, "upgrade", env=env).code == 0
    assert run_cli(project, "check", env=env).code == 0  # records what the models import
    new = project / where
    new.parent.mkdir(exist_ok=True)
    if new.parent.name == "extra":  # a subpackage that discovers its own modules
        (new.parent / "__init__.py").write_text(DISCOVERY)
        init.write_text(init.read_text() + "from orm import extra  # noqa\n")
    new.write_text(NOTE_MODEL)

    hook = run_python(project, "-m", "alembic_sentinel.hooks.alembic_drift", where, env=env)

    assert hook.code == 1, hook.output
    assert "D401" in hook.out and "note" in hook.out


def test_without_a_model_package_any_new_module_in_the_project_runs_the_check(
    tmp_path: Path,
) -> None:
    """Models in a top-level module: the record cannot tell where discovery looks."""
    project = tmp_path / "flat"
    (project / "migrations" / "versions").mkdir(parents=True)
    (project / "models.py").write_text(
        "import importlib, pathlib\n"
        "import sqlalchemy as sa\n\n"
        "metadata = sa.MetaData()\n"
        "for _path in sorted(pathlib.Path(__file__).parent.glob('table_*.py')):\n"
        "    importlib.import_module(_path.stem)\n"
    )
    (project / "pyproject.toml").write_text(
        '[tool.alembic-sentinel]\nmigrations = "migrations"\nmetadata = "models:metadata"\n'
    )
    env = {"SENTINEL_DATABASE_URL": f"sqlite:///{project / 'flat.db'}"}
    assert run_cli(project, "check", env=env).code == 0, "an empty model, no revision"
    (project / "table_note.py").write_text(
        "import sqlalchemy as sa\nfrom models import metadata\n\n"
        "sa.Table('note', metadata, sa.Column('id', sa.Integer, primary_key=True))\n"
    )

    hook = run_python(
        project, "-m", "alembic_sentinel.hooks.alembic_drift", "table_note.py", env=env
    )

    assert hook.code == 1, hook.output
    assert "D401" in hook.out and "note" in hook.out
