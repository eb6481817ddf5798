"""`drop-database` and the guide's `python drop_database`: asks first, refuses on PROD_ENV, and
drops the configured database only, on an SQLite file and on a MariaDB schema."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from conftest import (
    Result,
    ScratchDatabases,
    mysql_cfg,
    query,
    run_cli,
    run_python,
    table_names,
    write_cfg,
)
from sqlalchemy.engine import make_url

from alembic_sentinel.errors import EXIT_DATABASE, EXIT_FINDINGS, EXIT_OK

PREFIX = "alembic-sentinel: error: "
REFERENCE_TABLES = {"alembic_version", "election", "area", "party", "candidate"}


# -- helpers -----------------------------------------------------------------------------------


def database_name(url: str) -> str:
    """The name drop-database uses: the schema of a MariaDB URL, the path of an SQLite one."""
    database = make_url(url).database
    assert database
    return database


def database_exists(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database
        return Path(parsed.database).exists()
    server = parsed.set(database="").render_as_string(hide_password=False)
    found = query(
        server,
        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name",
        name=parsed.database,
    )
    return bool(found)


def error_message(result: Result) -> str:
    """The one line on stderr, without its prefix."""
    assert "Traceback" not in result.output, result.output
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(PREFIX), lines[0]
    return lines[0][len(PREFIX) :]


def upgraded(project: Path, url: str) -> str:
    """`url` brought to head, so that a drop would lose real tables."""
    result = run_cli(project, "--url", url, "upgrade")
    assert result.code == EXIT_OK, result.output
    assert table_names(url) == REFERENCE_TABLES
    return url


def sqlite_cfg(path: Path, *, prod_env: bool = False) -> str:
    return f'SQLALCHEMY_DATABASE_URI = "sqlite:///{path}"\nPROD_ENV = {prod_env}\n'


def cfg_for(url: str, *, prod_env: bool = False) -> str:
    if url.startswith("sqlite"):
        database = make_url(url).database
        assert database
        return sqlite_cfg(Path(database), prod_env=prod_env)
    return mysql_cfg(url, prod_env=prod_env)


# -- confirmation ------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["y\n", "yes\n", "Y\n"])
def test_answering_yes_drops_the_database(project: Path, database_url: str, answer: str) -> None:
    url = upgraded(project, database_url)
    name = database_name(url)
    result = run_cli(project, "--url", url, "drop-database", stdin=answer)
    assert result.code == EXIT_OK, result.output
    assert f"Drop database {name!r} at " in result.out
    assert "and all its data? [y/N]" in result.out
    assert f"dropped database {name!r}" in result.out
    assert result.err == ""
    assert not database_exists(url)


@pytest.mark.parametrize("answer", ["n\n", "", "\n", "maybe\n"], ids=["n", "eof", "empty", "other"])
def test_anything_but_yes_keeps_the_database(project: Path, database_url: str, answer: str) -> None:
    url = upgraded(project, database_url)
    name = database_name(url)
    result = run_cli(project, "--url", url, "drop-database", stdin=answer)
    assert result.code == EXIT_FINDINGS, result.output
    assert "[y/N]" in result.out
    assert error_message(result) == (
        f"not confirmed: database {name!r} was not dropped (--yes skips asking)"
    )
    assert database_exists(url)
    assert table_names(url) == REFERENCE_TABLES


def test_yes_flag_drops_without_asking(project: Path, database_url: str) -> None:
    url = upgraded(project, database_url)
    result = run_cli(project, "--url", url, "drop-database", "--yes", stdin="n\n")
    assert result.code == EXIT_OK, result.output
    assert "[y/N]" not in result.out
    assert not database_exists(url)


def test_sqlite_drop_removes_the_journal_files_too(project: Path) -> None:
    path = project / "scratch.db"
    url = upgraded(project, f"sqlite:///{path}")
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"")
    result = run_cli(project, "--url", url, "drop-database", "-y")
    assert result.code == EXIT_OK, result.output
    assert not path.exists()
    assert not wal.exists()


# -- PROD_ENV ----------------------------------------------------------------------------------


@pytest.mark.parametrize("confirm", [["--yes"], []], ids=["yes-flag", "answer-y"])
def test_prod_env_refuses_even_when_confirmed(
    project: Path, database_url: str, confirm: list[str]
) -> None:
    url = upgraded(project, database_url)
    write_cfg(project, "prod.cfg", cfg_for(url, prod_env=True))
    result = run_cli(project, "--config", "env/prod.cfg", "drop-database", *confirm, stdin="y\n")
    assert result.code == EXIT_FINDINGS, result.output
    assert error_message(result) == (
        f"env/prod.cfg: PROD_ENV is true: refusing to drop database {database_name(url)!r}"
    )
    assert "[y/N]" not in result.out  # refused before asking
    assert database_exists(url)
    assert table_names(url) == REFERENCE_TABLES


def test_prod_env_refuses_through_the_guide_script(project: Path, mysql_url: str) -> None:
    url = upgraded(project, mysql_url)
    write_cfg(project, "prod.cfg", mysql_cfg(url, prod_env=True))
    result = run_python(
        project, "drop_database", "--yes", env={"ENV_CONFIG": "./env/prod.cfg"}, stdin="y\n"
    )
    assert result.code == EXIT_FINDINGS, result.output
    message = error_message(result)
    assert message.startswith("env/prod.cfg: PROD_ENV is true: refusing")
    assert table_names(url) == REFERENCE_TABLES


def test_prod_env_false_in_the_config_drops(project: Path, database_url: str) -> None:
    url = upgraded(project, database_url)
    write_cfg(project, "staging.cfg", cfg_for(url, prod_env=False))
    result = run_cli(project, "--config", "env/staging.cfg", "drop-database", "--yes")
    assert result.code == EXIT_OK, result.output
    assert not database_exists(url)


# -- only the configured database --------------------------------------------------------------


def test_only_the_configured_mysql_database_is_dropped(
    project: Path, scratch_mysql: ScratchDatabases
) -> None:
    doomed = upgraded(project, scratch_mysql.create())
    kept = upgraded(project, scratch_mysql.create())
    result = run_cli(project, "--url", doomed, "drop-database", "--yes")
    assert result.code == EXIT_OK, result.output
    assert not scratch_mysql.exists(database_name(doomed))
    assert scratch_mysql.exists(database_name(kept))
    assert table_names(kept) == REFERENCE_TABLES


def test_only_the_configured_sqlite_file_is_dropped(project: Path) -> None:
    doomed = upgraded(project, f"sqlite:///{project / 'one.db'}")
    kept = upgraded(project, f"sqlite:///{project / 'two.db'}")
    result = run_cli(project, "--url", doomed, "drop-database", "--yes")
    assert result.code == EXIT_OK, result.output
    assert not (project / "one.db").exists()
    assert table_names(kept) == REFERENCE_TABLES


# -- the guide's command -----------------------------------------------------------------------


def test_guide_command_env_config_python_drop_database_on_mariadb(
    project: Path, mysql_url: str
) -> None:
    url = upgraded(project, mysql_url)
    name = database_name(url)
    write_cfg(project, "scratch.cfg", mysql_cfg(url))
    env = {"ENV_CONFIG": "./env/scratch.cfg"}

    declined = run_python(project, "drop_database", env=env, stdin="n\n")
    assert declined.code == EXIT_FINDINGS, declined.output
    assert "not confirmed" in error_message(declined)
    assert table_names(url) == REFERENCE_TABLES

    result = run_python(project, "drop_database", env=env, stdin="y\n")
    assert result.code == EXIT_OK, result.output
    assert f"Drop database {name!r} at mysql+pymysql://" in result.out
    assert f"dropped database {name!r}" in result.out
    assert not database_exists(url)


def test_guide_command_on_sqlite_relative_to_the_project(project: Path) -> None:
    write_cfg(project, "test.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///election-test.db"\n')
    env = {"ENV_CONFIG": "./env/test.cfg"}
    assert run_python(project, "db", "upgrade", env=env).code == EXIT_OK
    assert (project / "election-test.db").exists()
    result = run_python(project, "drop_database", env=env, stdin="y\n")
    assert result.code == EXIT_OK, result.output
    assert f"dropped database {str(project / 'election-test.db')!r}" in result.out
    assert not (project / "election-test.db").exists()


# -- nothing to drop, nothing to reach ---------------------------------------------------------


def test_dropping_a_missing_mysql_database_drops_nothing(
    project: Path, scratch_mysql: ScratchDatabases
) -> None:
    name = f"sentinel_test_{uuid.uuid4().hex[:12]}"
    scratch_mysql.names.append(name)  # dropped at teardown should a bug create it
    url = make_url(scratch_mysql.server_url).set(database=name)
    result = run_cli(project, "--url", url.render_as_string(hide_password=False), "drop-database")
    assert result.code == EXIT_OK, result.output
    assert result.out.strip() == f"database {name!r} does not exist: nothing dropped"
    assert result.err == ""
    assert not scratch_mysql.exists(name)


def test_dropping_a_missing_sqlite_file_drops_nothing_and_creates_nothing(project: Path) -> None:
    path = project / "never.db"
    result = run_cli(project, "--url", f"sqlite:///{path}", "drop-database")
    assert result.code == EXIT_OK, result.output
    assert result.out.strip() == f"database {str(path)!r} does not exist: nothing dropped"
    assert not path.exists()


def test_drop_against_an_unreachable_server_is_exit_3_without_the_password(
    project: Path,
) -> None:
    url = "mysql+pymysql://root:s3cr3t-pw@127.0.0.1:1/x"
    result = run_cli(project, "--url", url, "drop-database", "--yes")
    assert result.code == EXIT_DATABASE, result.output
    assert error_message(result).startswith(
        "cannot connect to mysql+pymysql://root:***@127.0.0.1:1"
    )
    assert "s3cr3t-pw" not in result.output
