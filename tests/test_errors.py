"""What a user sees when something goes wrong: one line on stderr and a documented exit code.

Every scenario runs the CLI in a subprocess against a copy of the reference app: an unreachable
server, a wrong password, a missing database or migrations directory, a broken revision file, a
revision whose SQL fails, an env.py that cannot run.  Never a traceback, never a password.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from conftest import (
    BRANCH_HEADS,
    HEAD,
    ISLISTED_REVISION,
    Result,
    ScratchDatabases,
    add_two_branch_heads,
    revision_files,
    run_cli,
    table_names,
    write_cfg,
)
from sqlalchemy.engine import make_url

from alembic_sentinel.errors import EXIT_DATABASE, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

PREFIX = "alembic-sentinel: error: "
SECRET = "s3cr3t-pw"
UNREACHABLE_URL = f"mysql+pymysql://root:{SECRET}@127.0.0.1:1/x"
REFERENCE_TABLES = {"alembic_version", "election", "area", "party", "candidate"}
PROGRESS_LINE = re.compile(r"^\[\d+/\d+\] (upgrade|downgrade) ")
BROKEN_REVISION = "cccc00000003"


# -- helpers -----------------------------------------------------------------------------------


def error_message(result: Result) -> str:
    """The one error line on stderr, without its prefix; fails on tracebacks and stray output.

    Besides the error line, stderr may only hold the `[n/N]` progress lines of an upgrade that
    got some way before failing.
    """
    assert "Traceback" not in result.output, result.output
    lines = result.err.splitlines()
    errors = [line for line in lines if line.startswith(PREFIX)]
    assert len(errors) == 1, result.err
    others = [line for line in lines if not line.startswith(PREFIX)]
    assert all(PROGRESS_LINE.match(line) for line in others), result.err
    return errors[0][len(PREFIX) :]


def sqlite_url(project: Path, name: str = "scratch.db") -> str:
    return f"sqlite:///{project / name}"


def versions_dir(project: Path) -> Path:
    return project / "migrations" / "versions"


def write_revision(project: Path, revision: str, slug: str, upgrade_body: str) -> Path:
    """A revision on top of HEAD whose upgrade() runs `upgrade_body` (one indented block)."""
    path = versions_dir(project) / f"{revision}_{slug}.py"
    path.write_text(
        f'"""{slug.replace("_", " ")}\n\nRevision ID: {revision}\nRevises: {HEAD}\n"""\n'
        "from alembic import op\n\n"
        f"revision = '{revision}'\ndown_revision = '{HEAD}'\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n    {upgrade_body}\n\n\n"
        "def downgrade():\n    pass\n"
    )
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` containing `text`."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def shown(path: Path, project: Path) -> str:
    return path.relative_to(project).as_posix()


def unknown_mysql_url(scratch_mysql: ScratchDatabases) -> tuple[str, str]:
    """A URL on the real server naming a schema that does not exist (dropped at teardown anyway)."""
    name = f"sentinel_test_{uuid.uuid4().hex[:12]}"
    scratch_mysql.names.append(name)  # in case a bug creates it
    url = make_url(scratch_mysql.server_url).set(database=name)
    return url.render_as_string(hide_password=False), name


# -- the database cannot be reached ------------------------------------------------------------


@pytest.mark.parametrize("verb", ["current", "upgrade"])
def test_unreachable_server_is_exit_3_with_the_url_and_no_password(
    project: Path, verb: str
) -> None:
    result = run_cli(project, "--url", UNREACHABLE_URL, verb)
    assert result.code == EXIT_DATABASE, result.output
    message = error_message(result)
    assert message.startswith("cannot connect to mysql+pymysql://root:***@127.0.0.1:1/x: ")
    assert "(2003)" in message
    assert SECRET not in result.output


def test_unreachable_server_from_a_config_file_hides_its_password(project: Path) -> None:
    write_cfg(
        project,
        "unreachable.cfg",
        'DATABASE_PLUGIN = "mysql+pymysql"\nDATABASE_USERNAME = "root"\n'
        f'DATABASE_PASSWORD = "{SECRET}"\nDATABASE_HOST = "127.0.0.1"\n'
        'DATABASE_PORT = "1"\nDATABASE_NAME = "x"\n',
    )
    result = run_cli(project, "current", env={"ENV_CONFIG": "./env/unreachable.cfg"})
    assert result.code == EXIT_DATABASE, result.output
    assert "root:***@127.0.0.1:1/x" in error_message(result)
    assert SECRET not in result.output


@pytest.mark.parametrize("user", ["root", "nosuchuser"])
def test_wrong_password_on_the_real_server_is_exit_3_without_the_password(
    project: Path, mysql_url: str, user: str
) -> None:
    wrong = make_url(mysql_url).set(username=user, password=SECRET)
    result = run_cli(project, "--url", wrong.render_as_string(hide_password=False), "current")
    assert result.code == EXIT_DATABASE, result.output
    message = error_message(result)
    assert f"cannot connect to mysql+pymysql://{user}:***@" in message
    # the code (1045, or 1698 where the server has other accounts) is the server's to choose
    assert re.search(r"\(\d+\) Access denied", message), message
    assert SECRET not in result.output


@pytest.mark.parametrize("verb", ["current", "upgrade"])
def test_unknown_mysql_database_is_exit_3_with_the_create_database_hint(
    project: Path, scratch_mysql: ScratchDatabases, verb: str
) -> None:
    url, name = unknown_mysql_url(scratch_mysql)
    result = run_cli(project, "--url", url, verb)
    assert result.code == EXIT_DATABASE, result.output
    message = error_message(result)
    assert f"(1049) Unknown database '{name}'" in message
    assert message.endswith("(run `alembic-sentinel create-database`)")
    assert not scratch_mysql.exists(name)


@pytest.mark.parametrize("verb", ["current", "migrate", "downgrade"])
def test_missing_sqlite_file_is_exit_3_and_is_not_created(project: Path, verb: str) -> None:
    path = project / "missing.db"
    args = [verb, "base"] if verb == "downgrade" else [verb]
    result = run_cli(project, "--url", sqlite_url(project, "missing.db"), *args)
    assert result.code == EXIT_DATABASE, result.output
    message = error_message(result)
    assert message.startswith(f"sqlite:///{path}: the database file does not exist")
    assert "alembic-sentinel upgrade" in message
    assert not path.exists()
    assert not list(project.glob("missing.db*"))


def test_check_never_creates_the_configured_sqlite_file(project: Path) -> None:
    result = run_cli(project, "--url", sqlite_url(project, "missing.db"), "check")
    assert result.code == EXIT_OK, result.output
    assert not list(project.glob("missing.db*"))


# -- settings and arguments --------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["current", "upgrade"])
def test_unknown_dialect_is_a_usage_error_naming_the_url_flag(project: Path, verb: str) -> None:
    result = run_cli(project, "--url", "nosuchdb://x/y", verb)
    assert result.code == EXIT_USAGE, result.output
    assert error_message(result) == "--url: SQLAlchemy has no dialect 'nosuchdb'"


def test_upgrade_to_an_unknown_revision_is_a_usage_error(project: Path) -> None:
    result = run_cli(project, "--url", sqlite_url(project), "upgrade", "nosuchrev")
    assert result.code == EXIT_USAGE, result.output
    assert error_message(result) == "Can't locate revision identified by 'nosuchrev'"
    # the SQLite file is only created once the plan is valid
    assert not (project / "scratch.db").exists()


def test_downgrade_to_an_unknown_revision_is_a_usage_error_and_changes_nothing(
    project: Path,
) -> None:
    url = sqlite_url(project)
    assert run_cli(project, "--url", url, "upgrade").code == EXIT_OK
    result = run_cli(project, "--url", url, "downgrade", "nosuchrev")
    assert result.code == EXIT_USAGE, result.output
    assert error_message(result) == "Can't locate revision identified by 'nosuchrev'"
    assert table_names(url) == REFERENCE_TABLES
    assert run_cli(project, "--url", url, "current").out.startswith(f"{HEAD} (head)")


def test_missing_migrations_directory_is_a_usage_error_naming_it(project: Path) -> None:
    result = run_cli(project, "--migrations", "nope", "heads")
    assert result.code == EXIT_USAGE, result.output
    assert error_message(result) == (
        "nope: migrations directory not found (setting 'migrations' from --migrations)"
    )


@pytest.mark.parametrize("verb", ["migrate", "check"])
def test_migrate_and_check_without_target_metadata_are_usage_errors(
    project: Path, verb: str
) -> None:
    (project / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmigrations = "migrations"\n')
    url = sqlite_url(project)
    assert run_cli(project, "--url", url, "upgrade").code == EXIT_OK
    before = revision_files(project)
    result = run_cli(project, "--url", url, verb)
    assert result.code == EXIT_USAGE, result.output
    assert error_message(result).startswith("no target metadata configured")
    assert revision_files(project) == before


def test_unknown_verb_is_an_argparse_usage_error(project: Path) -> None:
    result = run_cli(project, "nosuchverb")
    assert result.code == EXIT_USAGE
    assert "Traceback" not in result.output
    assert result.err.startswith("usage: alembic-sentinel")
    last = result.err.splitlines()[-1]
    assert last.startswith(PREFIX)
    assert "invalid choice: 'nosuchverb'" in last


# -- the revision graph ------------------------------------------------------------------------


def test_upgrade_with_two_heads_names_both_and_merge_heads(project: Path) -> None:
    add_two_branch_heads(project)
    url = sqlite_url(project)
    result = run_cli(project, "--url", url, "upgrade")
    assert result.code == EXIT_FINDINGS, result.output
    message = error_message(result)
    assert f"multiple heads ({', '.join(BRANCH_HEADS)})" in message
    assert "alembic-sentinel merge heads" in message
    assert "alembic_version" not in table_names(url)


@pytest.mark.parametrize("verb", ["migrate"])
def test_migrate_with_two_heads_asks_for_merge_heads(project: Path, verb: str) -> None:
    url = sqlite_url(project)
    assert run_cli(project, "--url", url, "upgrade").code == EXIT_OK
    add_two_branch_heads(project)
    before = revision_files(project)
    result = run_cli(project, "--url", url, verb)
    assert result.code == EXIT_FINDINGS, result.output
    message = error_message(result)
    assert f"multiple heads ({', '.join(BRANCH_HEADS)})" in message
    assert f"run `alembic-sentinel merge heads` before `{verb}`" in message
    assert revision_files(project) == before


# -- revision code that fails ------------------------------------------------------------------


def test_revision_that_raises_is_reported_at_its_file_and_line(project: Path) -> None:
    path = write_revision(project, BROKEN_REVISION, "boom", 'raise RuntimeError("boom")')
    line = line_of(path, "RuntimeError")
    url = sqlite_url(project)
    result = run_cli(project, "--url", url, "upgrade")
    assert result.code == EXIT_FINDINGS, result.output
    assert error_message(result) == f"{shown(path, project)}:{line}: RuntimeError: boom"
    assert "[6/7] upgrade" in result.err  # the revisions before it ran
    assert BROKEN_REVISION not in run_cli(project, "--url", url, "current").out


def test_revision_with_a_syntax_error_is_reported_at_its_file_and_line(project: Path) -> None:
    path = versions_dir(project) / f"{BROKEN_REVISION}_broken.py"
    path.write_text(
        f'"""broken\n\nRevision ID: {BROKEN_REVISION}\n"""\n'
        f"revision = '{BROKEN_REVISION}'\ndown_revision = '{HEAD}'\n\n\n"
        "def upgrade(:\n    pass\n"
    )
    line = line_of(path, "def upgrade(:")
    result = run_cli(project, "--url", sqlite_url(project), "upgrade")
    # a finding (1), at the line: Alembic's SyntaxError (the static reader reads only the
    # declarations of a plain-form file, so it leaves the body's syntax to Python)
    assert result.code == EXIT_FINDINGS, result.output
    message = error_message(result)
    assert message.startswith(f"{shown(path, project)}:{line}: SyntaxError: ")

    # the revision review (the alembic-lint hook, at the same stages as alembic-heads) reports
    # the same file as a finding instead of failing; `heads` reads only its declarations
    lint = run_cli(project, "lint", str(path))
    assert lint.code == EXIT_FINDINGS, lint.output
    assert f"{shown(path, project)}:{line}: error: F201 not valid Python" in lint.out
    assert run_cli(project, "heads").out.startswith(f"{BROKEN_REVISION} (head) broken")


def test_revision_whose_sql_fails_reports_file_line_and_driver_error(
    project: Path, database_url: str
) -> None:
    path = write_revision(
        project, BROKEN_REVISION, "bad_sql", 'op.execute("SELECT * FROM no_such_table")'
    )
    line = line_of(path, "no_such_table")
    result = run_cli(project, "--url", database_url, "upgrade")
    assert result.code == EXIT_FINDINGS, result.output
    message = error_message(result)
    assert message.startswith(f"{shown(path, project)}:{line}: database error: ")
    if database_url.startswith("sqlite"):
        assert message.endswith("no such table: no_such_table")
    else:
        database = make_url(database_url).database
        assert message.endswith(f"(1146) Table '{database}.no_such_table' doesn't exist")
    assert BROKEN_REVISION not in run_cli(project, "--url", database_url, "current").out


# -- the project's env.py ----------------------------------------------------------------------

PLAIN_ENV_PY = '''\
"""A stock Alembic env.py: URL from the ini's sqlalchemy.url, no target metadata."""
from pathlib import Path

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
url = config.get_main_option("sqlalchemy.url")
(Path(__file__).resolve().parents[1] / "env_py_ran.txt").write_text(url)

connectable = engine_from_config(
    config.get_section(config.config_ini_section, {}),
    prefix="sqlalchemy.",
    poolclass=pool.NullPool,
)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''


def test_run_env_py_with_the_flask_env_py_fails_in_one_line_at_env_py(project: Path) -> None:
    # Flask-Migrate's env.py needs a Flask application context, which a CLI does not have
    url = sqlite_url(project)
    result = run_cli(project, "--url", url, "--run-env-py", "upgrade")
    assert result.code == EXIT_FINDINGS, result.output
    message = error_message(result)
    assert re.match(
        r"migrations/env\.py:\d+: RuntimeError: Working outside of application", message
    )


def test_without_run_env_py_the_flask_env_py_is_never_executed(
    project: Path, database_url: str
) -> None:
    env_py = project / "migrations" / "env.py"
    env_py.write_text('raise SystemExit("env.py must not run")\n' + env_py.read_text())
    result = run_cli(project, "--url", database_url, "upgrade")
    assert result.code == EXIT_OK, result.output
    assert table_names(database_url) == REFERENCE_TABLES
    assert "flask" not in result.output


def test_run_env_py_with_a_plain_env_py_runs_it_with_the_configured_url(
    project: Path, database_url: str
) -> None:
    (project / "migrations" / "env.py").write_text(PLAIN_ENV_PY)
    marker = project / "env_py_ran.txt"
    result = run_cli(project, "--url", database_url, "--run-env-py", "upgrade", ISLISTED_REVISION)
    assert result.code == EXIT_OK, result.output
    assert marker.read_text() == database_url
    assert f"to {ISLISTED_REVISION}" in result.out
    assert table_names(database_url) == {"alembic_version", "election", "area", "party"}
    marker.unlink()
    again = run_cli(project, "--url", database_url, "--run-env-py", "upgrade")
    assert again.code == EXIT_OK, again.output
    assert marker.exists()
    assert table_names(database_url) == REFERENCE_TABLES
