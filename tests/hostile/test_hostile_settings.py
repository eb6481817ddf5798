"""Hostile settings and databases: what a config file, a URL, a path or a signal can do.

Each test is one attack from the adversarial review (docs/security.md names them S2-S4, B6-B10,
B15) and what must happen instead: one line, a documented exit code, no secret in any spelling,
no database touched but the tool's own scratch ones. Add the next attack here.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import HEAD, SETTINGS_ENV_VARS, run_cli, write_cfg
from sqlalchemy.engine import make_url

from alembic_sentinel.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
)
from alembic_sentinel.redaction import redact

PASSWORD = "Xy7%Secr3t@Pw"
CLOSED_PORT_URL = "mysql+pymysql://root@127.0.0.1:1/{name}"
SCHEMAS_LIKE = sa.text(
    "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE :p"
)


def one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if "error:" in line]
    assert len(lines) == 1, output
    assert "Traceback" not in output, output
    return lines[0]


def test_every_spelling_of_a_password_is_redacted() -> None:
    url = sa.engine.URL.create("mysql+pymysql", "u", PASSWORD, "h", database="d")
    text = (
        f"raw {PASSWORD}; url {url.render_as_string(hide_password=False)}; "
        "query Xy7%25Secr3t%40Pw; plus Xy7%25Secr3t%40Pw"
    )
    redacted = redact(text, [PASSWORD])
    assert "Secr3t" not in redacted
    assert redacted.count("***") == 4


@pytest.mark.parametrize("verb", ["heads", "current"])
def test_a_single_percent_in_the_alembic_ini_url_is_one_line_without_the_password(
    project: Path, verb: str
) -> None:
    (project / "alembic.ini").write_text(
        "[alembic]\nscript_location = migrations\n"
        "sqlalchemy.url = mysql+pymysql://root:advS3cret%PW9q@127.0.0.1:1/db\n"
    )
    result = run_cli(project, verb)
    assert result.code == EXIT_USAGE, result.output
    line = one_error_line(result.output)
    assert "alembic.ini: [alembic] sqlalchemy.url: a '%' must be written '%%'" in line
    assert "PW9q" not in result.output
    assert "advS3cret" not in result.output


def test_a_config_value_derived_from_the_password_is_not_printed(project: Path) -> None:
    write_cfg(
        project,
        "derived.cfg",
        'DATABASE_PLUGIN = "mysql+pymysql"\nDATABASE_HOST = "127.0.0.1"\n'
        f'DATABASE_NAME = "x"\nDATABASE_PASSWORD = "{PASSWORD}"\n'
        "DATABASE_PORT = int(DATABASE_PASSWORD)\n",
    )
    result = run_cli(project, "current", env={"ENV_CONFIG": "./env/derived.cfg"})
    assert result.code == EXIT_USAGE, result.output
    line = one_error_line(result.output)
    assert "env/derived.cfg:5: config file raised ValueError" in line
    assert "Secr3t" not in result.output


@pytest.mark.parametrize(
    "derived",
    ["int(SQLALCHEMY_DATABASE_URI)", "{}['k' + x]", "float(x + ' ')"],
)
def test_a_value_derived_from_a_url_with_a_password_is_not_printed(
    project: Path, derived: str
) -> None:
    """The URL's name says nothing of a secret; its password is one all the same."""
    write_cfg(
        project,
        "derived_url.cfg",
        f'SQLALCHEMY_DATABASE_URI = "mysql+pymysql://app:{PASSWORD}@127.0.0.1/x"\n'
        f"x = SQLALCHEMY_DATABASE_URI\nPORT = {derived}\n",
    )
    result = run_cli(project, "current", env={"ENV_CONFIG": "./env/derived_url.cfg"})
    assert result.code == EXIT_USAGE, result.output
    line = one_error_line(result.output)
    assert "env/derived_url.cfg:3: config file raised" in line
    assert "Secr3t" not in result.output


@pytest.fixture
def user_with_a_password(mysql_server_url: str) -> Iterator[str]:
    """A MariaDB account of this test's own, whose password needs percent-encoding."""
    admin = sa.create_engine(mysql_server_url)
    user = f"sentinel_hostile_{uuid.uuid4().hex[:8]}"
    with admin.begin() as connection:
        for host in ("%", "localhost"):
            connection.execute(
                sa.text(f"CREATE USER '{user}'@'{host}' IDENTIFIED BY :pw"), {"pw": PASSWORD}
            )
            connection.execute(sa.text(f"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'{host}'"))
    yield user
    with admin.begin() as connection:
        for host in ("%", "localhost"):
            connection.execute(sa.text(f"DROP USER IF EXISTS '{user}'@'{host}'"))
    admin.dispose()


def test_a_revision_error_quoting_the_url_shows_no_spelling_of_the_password(
    project: Path, user_with_a_password: str, mysql_url: str
) -> None:
    url = make_url(mysql_url).set(username=user_with_a_password, password=PASSWORD)
    (project / "migrations" / "versions" / "ffff00000001_leaky.py").write_text(
        f'"""leaky\n\nRevision ID: ffff00000001\nRevises: {HEAD}\n"""\n'
        "from alembic import op\n\n"
        f"revision = 'ffff00000001'\ndown_revision = '{HEAD}'\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        "    url = op.get_bind().engine.url\n"
        "    raise RuntimeError(f'{url.render_as_string(hide_password=False)} {url.password}')\n"
        "\n\ndef downgrade():\n    pass\n"
    )
    result = run_cli(project, "--url", url.render_as_string(hide_password=False), "upgrade")
    assert result.code == EXIT_FINDINGS, result.output
    line = one_error_line(result.output)
    assert "ffff00000001_leaky.py:" in line
    assert "RuntimeError" in line
    assert "Secr3t" not in result.output


@pytest.mark.parametrize("name", ["mysql", "sys", "performance_schema", "INFORMATION_SCHEMA"])
@pytest.mark.parametrize("verb", [["drop-database", "--yes"], ["create-database"], ["upgrade"]])
def test_system_schemas_are_refused_before_connecting(
    project: Path, name: str, verb: list[str]
) -> None:
    # a closed port: a refusal after connecting would be exit 3, not 2
    result = run_cli(project, "--url", CLOSED_PORT_URL.format(name=name), *verb)
    assert result.code == EXIT_USAGE, result.output
    assert "is a system schema of the server" in one_error_line(result.output)


def test_a_project_path_with_a_percent_runs_every_engine_verb(project: Path) -> None:
    moved = project.with_name("pro%ject")
    project.rename(moved)
    env = {"ENV_CONFIG": "./env/test.cfg"}
    for verb in (["upgrade"], ["current"], ["history"], ["check", "--no-cache"]):
        result = run_cli(moved, *verb, env=env)
        assert result.code == EXIT_OK, (verb, result.output)


def test_a_database_name_with_a_percent_is_created_and_dropped_as_written(
    project: Path, mysql_server_url: str
) -> None:
    name = f"sentinel_test_{uuid.uuid4().hex[:8]}%x"
    url = make_url(mysql_server_url).set(database=name).render_as_string(hide_password=False)
    admin = sa.create_engine(mysql_server_url)

    def schemas() -> set[str]:
        with admin.connect() as connection:
            rows = connection.execute(
                SCHEMAS_LIKE,
                {"p": name.split("%")[0] + "%"},
            )  # fmt: skip
            return {str(row[0]) for row in rows}

    try:
        assert run_cli(project, "--url", url, "create-database").code == EXIT_OK
        assert schemas() == {name}
        dropped = run_cli(project, "--url", url, "drop-database", "--yes")
        assert dropped.code == EXIT_OK, dropped.output
        assert schemas() == set()
    finally:
        with admin.begin() as connection:
            for schema in schemas():
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{schema}`")
        admin.dispose()


def test_drop_database_with_stdin_closed_refuses_in_one_line(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env["ENV_CONFIG"] = "./env/test.cfg"
    assert run_cli(project, "upgrade", env={"ENV_CONFIG": "./env/test.cfg"}).code == EXIT_OK
    completed = subprocess.run(
        ["bash", "-c", f"exec {sys.executable} -m alembic_sentinel drop-database 0<&-"],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert completed.returncode == EXIT_FINDINGS, completed.stderr
    assert "no input to confirm on" in one_error_line(completed.stderr)
    assert (project / "election-test.db").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql+pymysql://root@127.0.0.1:3306/x?bogus=1", "the database driver refused the URL"),
        ("mysql+nosuchdrv://root@127.0.0.1:3306/x", "SQLAlchemy has no dialect"),
        ("mysql+pymysql://root@127.0.0.1:3306/x?charset=bogus", "refused the URL's options"),
        ("mysql+pymysql://root@127.0.0.1:3306/x?ssl_ca=/nonexistent", "refused the URL's options"),
        ("mysql+pymysql://root@127.0.0.1:3306/x?connect_timeout=abc", "URL's options are refused"),
        ("mysql+pymysql://root@127.0.0.1:3306/x?read_timeout=x", "URL's options are refused"),
    ],
)
@pytest.mark.parametrize("verb", [["upgrade"], ["check"], ["drop-database", "--yes"]])
def test_a_url_the_driver_cannot_take_is_a_usage_error(
    project: Path, url: str, expected: str, verb: list[str]
) -> None:
    result = run_cli(project, "--url", url, *verb)
    assert result.code == EXIT_USAGE, result.output
    assert expected in one_error_line(result.output)


def test_ci_with_a_url_the_driver_refuses_is_a_usage_error(project: Path) -> None:
    result = run_cli(
        project,
        "ci",
        "--database-url",
        "mysql+pymysql://root@127.0.0.1:3306/?bogus=1",
        "--wait",
        "1",
        env={"ENV_CONFIG": "./env/test.cfg", "GITHUB_ACTIONS": ""},
    )
    assert result.code == EXIT_USAGE, result.output
    assert "the database driver refused the URL" in one_error_line(result.output)


def schemas_like(server_url: str, pattern: str) -> set[str]:
    engine = sa.create_engine(server_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                SCHEMAS_LIKE,
                {"p": pattern},
            )  # fmt: skip
            return {str(row[0]) for row in rows}
    finally:
        engine.dispose()


def create_schema(server_url: str, name: str) -> None:
    engine = sa.create_engine(server_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE `{name}`")
    engine.dispose()


def add_sleeping_revision(project: Path) -> None:
    (project / "migrations" / "versions" / "eeee00000001_slow.py").write_text(
        f'"""slow\n\nRevision ID: eeee00000001\nRevises: {HEAD}\n"""\n'
        "from alembic import op\n\n"
        f"revision = 'eeee00000001'\ndown_revision = '{HEAD}'\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n    op.execute('SELECT SLEEP(30)')\n\n\n"
        "def downgrade():\n    pass\n"
    )


def test_sigterm_during_ci_drops_its_scratch_and_exits_4(
    project: Path, mysql_server_url: str
) -> None:
    add_sleeping_revision(project)
    before = schemas_like(mysql_server_url, "sentinel\\_ci\\_%")
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env.update({"ENV_CONFIG": "./env/test.cfg", "GITHUB_ACTIONS": ""})
    process = subprocess.Popen(
        [sys.executable, "-m", "alembic_sentinel", "ci", "--database-url", mysql_server_url],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    ours: set[str] = set()
    while not ours and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        ours = schemas_like(mysql_server_url, "sentinel\\_ci\\_%") - before
    assert ours, "the ci run never created its scratch schema"
    time.sleep(1)  # inside the sleeping revision
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERNAL, err
    assert "terminated (SIGTERM)" in one_error_line(err)
    assert schemas_like(mysql_server_url, "sentinel\\_ci\\_%") & ours == set()


def test_a_scratch_left_by_a_killed_run_is_dropped_by_the_next_run(
    project: Path, mysql_server_url: str
) -> None:
    orphans = [
        f"sentinel_ci_{uuid.uuid4().hex[:8]}",
        f"sentinel_shadow_{'ab' * 6}_{uuid.uuid4().hex[:8]}",
    ]
    for name in orphans:
        create_schema(mysql_server_url, name)
    try:
        env = {"ENV_CONFIG": "./env/test.cfg", "GITHUB_ACTIONS": ""}
        ci = run_cli(project, "ci", "--database-url", mysql_server_url, env=env)
        assert ci.code == EXIT_OK, ci.output
        check = run_cli(project, "check", "--no-cache", "--shadow-url", mysql_server_url, env=env)
        assert check.code == EXIT_OK, check.output
        assert schemas_like(mysql_server_url, "sentinel\\_%") & set(orphans) == set()
    finally:
        engine = sa.create_engine(mysql_server_url)
        with engine.begin() as connection:
            for name in orphans:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        engine.dispose()


def test_a_cached_shadow_whose_version_row_was_changed_is_rebuilt(
    project: Path, mysql_server_url: str
) -> None:
    env = {"ENV_CONFIG": "./env/test.cfg"}
    first = run_cli(project, "check", "--shadow-url", mysql_server_url, "--format", "json", env=env)
    assert first.code == EXIT_OK, first.output
    shadow = make_url(json.loads(first.out)["shadow"]).database
    engine = sa.create_engine(make_url(mysql_server_url).set(database=shadow))
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM alembic_version")
    engine.dispose()
    second = run_cli(
        project, "check", "--shadow-url", mysql_server_url, "--format", "json", env=env
    )
    assert second.code == EXIT_OK, second.output
    assert '"shadow_rebuilt": true' in second.out
    run_cli(project, "cache", "clear", "--shadow-url", mysql_server_url, env=env)


# every engine verb and hook: (the function a bug is injected into, how the user runs it)
ENGINE_ENTRIES = [
    ("alembic_sentinel.commands:migrate", "alembic_sentinel.cli", ["migrate"]),
    ("alembic_sentinel.commands:upgrade", "alembic_sentinel.cli", ["upgrade"]),
    ("alembic_sentinel.commands:downgrade", "alembic_sentinel.cli", ["downgrade", "-1"]),
    ("alembic_sentinel.commands:current", "alembic_sentinel.cli", ["current"]),
    ("alembic_sentinel.commands:history", "alembic_sentinel.cli", ["history"]),
    ("alembic_sentinel.commands:check", "alembic_sentinel.cli", ["check"]),
    ("alembic_sentinel.commands:clear_cache", "alembic_sentinel.cli", ["cache", "clear"]),
    ("alembic_sentinel.commands:create_database", "alembic_sentinel.cli", ["create-database"]),
    ("alembic_sentinel.commands:drop_database", "alembic_sentinel.cli", ["drop-database"]),
    ("alembic_sentinel.commands:show_settings", "alembic_sentinel.cli", ["settings"]),
    ("alembic_sentinel.ci.commands:ci", "alembic_sentinel.cli", ["ci"]),
    ("alembic_sentinel.commands:check", "alembic_sentinel.hooks.alembic_drift", []),
]


@pytest.mark.parametrize(("target", "entry", "argv"), ENGINE_ENTRIES)
@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_exception_is_exit_4_and_one_line(
    project: Path, target: str, entry: str, argv: list[str], debug: bool
) -> None:
    # fault injection: a bug inside alembic-sentinel, where no user error is to blame
    module, function = target.split(":")
    code = (
        "import importlib, sys\n"
        "def broken(*args, **kwargs):\n    raise ZeroDivisionError('a bug')\n"
        f"setattr(importlib.import_module({module!r}), {function!r}, broken)\n"
        f"from {entry} import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env["ENV_CONFIG"] = "./env/test.cfg"
    if debug:
        env["ALEMBIC_SENTINEL_DEBUG"] = "1"
    completed = subprocess.run(
        [sys.executable, "-c", code, *argv],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert completed.returncode == EXIT_INTERNAL, completed.stderr
    prog = "alembic-drift" if entry.endswith("alembic_drift") else "alembic-sentinel"
    line = [row for row in completed.stderr.splitlines() if "error:" in row]
    assert line == [
        f"{prog}: error: internal error: ZeroDivisionError: a bug"
        + ("" if debug else " (run with --debug for the traceback)")
    ]
    assert ("Traceback" in completed.stderr) == debug


def test_the_debug_flag_shows_the_traceback(project: Path) -> None:
    code = (
        "import sys, alembic_sentinel.commands as commands\n"
        "def broken(*args, **kwargs):\n    raise ZeroDivisionError('a bug')\n"
        "commands.history = broken\n"
        "from alembic_sentinel.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env["ENV_CONFIG"] = "./env/test.cfg"
    completed = subprocess.run(
        [sys.executable, "-c", code, "--debug", "history"],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert completed.returncode == EXIT_INTERNAL
    assert "Traceback" in completed.stderr
    assert "ZeroDivisionError: a bug" in completed.stderr


def test_control_characters_in_a_revision_never_reach_the_terminal(project: Path) -> None:
    (project / "migrations" / "versions" / "dddd00000001_title.py").write_text(
        f'"""\x1b]0;pwned\x07 title \x1b[2J\n\nRevision ID: dddd00000001\nRevises: {HEAD}\n"""\n'
        f"revision = 'dddd00000001'\ndown_revision = 'nope'\n"
        "branch_labels = None\ndepends_on = None\n"
    )
    result = run_cli(project, "heads")
    assert "\x1b" not in result.output
    assert "\x07" not in result.output


@pytest.mark.parametrize("verb", [["migrate"], ["check"]])
def test_a_database_at_a_revision_of_another_branch_gets_a_way_out_not_upgrade(
    project: Path, verb: list[str]
) -> None:
    env = {"ENV_CONFIG": "./env/test.cfg"}
    assert run_cli(project, "upgrade", env=env).code == EXIT_OK
    # the database ran a revision that only another branch has
    with sqlite3.connect(project / "election-test.db") as database:
        database.execute("UPDATE alembic_version SET version_num = 'abcdef012345'")
    result = run_cli(project, *verb, env=env)
    if verb == ["check"]:  # the check never looks at the configured database
        assert result.code == EXIT_OK, result.output
        return
    assert result.code == EXIT_FINDINGS, result.output
    line = one_error_line(result.output)
    assert "is at abcdef012345, which is not in this history" in line
    assert "run `alembic-sentinel upgrade`" not in line


@pytest.mark.parametrize("version", ["1.3.24", "1.2.0", "0.9.10"])
def test_sqlalchemy_older_than_1_4_is_refused_in_one_line(version: str) -> None:
    from alembic_sentinel.engine.database import require_supported_sqlalchemy
    from alembic_sentinel.errors import ConfigError

    with pytest.raises(ConfigError) as refused:
        require_supported_sqlalchemy(version)
    assert f"SQLAlchemy {version} is installed" in refused.value.message
    assert "heads, merge, lint" in refused.value.message
    for supported in ("1.4.0", "1.4.54", "2.0.0", "2.1.9"):
        require_supported_sqlalchemy(supported)


@pytest.mark.parametrize("verb", [["check"], ["migrate"]])
def test_models_that_were_never_imported_are_not_a_drop_of_every_table(
    project: Path, verb: list[str]
) -> None:
    # an empty MetaData of its own, as a factory app's `db.metadata` is before its models load
    (project / "empty_models.py").write_text("import sqlalchemy as sa\nmetadata = sa.MetaData()\n")
    env = {"ENV_CONFIG": "./env/test.cfg"}
    assert run_cli(project, "upgrade", env=env).code == EXIT_OK
    result = run_cli(project, "--metadata", "empty_models:metadata", *verb, env=env)
    assert result.code == EXIT_USAGE, result.output
    line = one_error_line(result.output)
    assert "empty_models:metadata has no tables" in line
    assert "drop_table" not in result.output
    assert not list((project / "migrations" / "versions").glob("*_.py"))


def test_a_pyproject_that_is_not_utf8_is_a_usage_error(project: Path) -> None:
    (project / "pyproject.toml").write_bytes(b'[tool.alembic-sentinel]\nmigrations = "m\xe9"\n')
    for verb in (["heads"], ["check"]):
        result = run_cli(project, *verb)
        assert result.code == EXIT_USAGE, result.output
        assert "pyproject.toml: not UTF-8 text (byte 0xe9" in one_error_line(result.output)


@pytest.mark.parametrize("target", ["os:system", "builtins:len", "json:dumps"])
def test_an_include_object_alembic_cannot_call_is_a_usage_error(project: Path, target: str) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + f'include-object = "{target}"\n')
    result = run_cli(project, "check", env={"ENV_CONFIG": "./env/test.cfg"})
    assert result.code == EXIT_USAGE, result.output
    assert "cannot be called as Alembic calls include_object" in one_error_line(result.output)


def test_a_cache_directory_that_cannot_exist_is_a_usage_error(project: Path) -> None:
    env = {"ENV_CONFIG": "./env/test.cfg", "XDG_CACHE_HOME": os.devnull}
    result = run_cli(project, "check", env=env)
    assert result.code == EXIT_USAGE, result.output
    assert "XDG_CACHE_HOME: cannot create the cache directory" in one_error_line(result.output)


def test_a_relative_cache_directory_is_ignored(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"ENV_CONFIG": "./env/test.cfg", "XDG_CACHE_HOME": "cache", "HOME": str(home)}
    assert run_cli(project, "check", env=env).code == EXIT_OK
    assert not (project / "cache").exists()
    assert (home / ".cache" / "alembic-sentinel").is_dir()
