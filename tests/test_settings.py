"""Settings: where every value comes from, and what a user sees when one of them is wrong.

Precedence is checked on `resolve_settings` directly (no database, no subprocess); error messages
and exit codes through `main([...])` in-process with the `settings` verb, which needs no database.
Only the metadata import failures run the CLI in a subprocess (they need `check`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from sqlalchemy.engine import make_url

from alembic_sentinel.cli import main
from alembic_sentinel.errors import EXIT_USAGE
from alembic_sentinel.settings import Overrides, Settings, resolve_settings

PREFIX = "alembic-sentinel: error: "
TABLE = "pyproject.toml [tool.alembic-sentinel]"
SECRET = "s3cr3t-pw"


# -- helpers -----------------------------------------------------------------------------------


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def write_pyproject(root: Path, body: str) -> Path:
    return write(root, "pyproject.toml", "[tool.alembic-sentinel]\n" + body)


def write_ini(root: Path, relative: str, body: str) -> Path:
    return write(root, relative, "[alembic]\n" + body)


def resolve(root: Path, overrides: Overrides | None = None, **environ: str) -> Settings:
    return resolve_settings(overrides or Overrides(), environ=environ, root=root)


def sqlite_at(path: Path) -> str:
    return f"sqlite:///{path}"


def fail(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run main(argv) in-process; the exit code and the one line it printed on stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(PREFIX), lines[0]
    return code, lines[0]


def settings_rows(output: str) -> dict[str, tuple[str, str]]:
    """`alembic-sentinel settings` output as {name: (value, source)}."""
    rows = {}
    for line in output.splitlines():
        match = re.match(r"^(\S+)\s+(.*?)\s+\[(.*)\]$", line)
        assert match, line
        rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory that is also the current directory (for in-process main)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path.resolve()


# -- 1. precedence -----------------------------------------------------------------------------


def test_flag_beats_env_var_beats_cfg_beats_root_ini_beats_migrations_ini_for_the_url(
    root: Path,
) -> None:
    write(root, "env/dev.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///from-cfg.db"\n')
    write_ini(root, "alembic.ini", "sqlalchemy.url = sqlite:///from-root-ini.db\n")
    write_ini(root, "migrations/alembic.ini", "sqlalchemy.url = sqlite:///from-migrations-ini.db\n")
    environ = {"SENTINEL_DATABASE_URL": "sqlite:///from-env.db", "ENV_CONFIG": "env/dev.cfg"}

    settings = resolve(root, Overrides(url="sqlite:///from-flag.db"), **environ)
    assert settings.url == sqlite_at(root / "from-flag.db")
    assert settings.sources["url"] == "--url"

    settings = resolve(root, **environ)
    assert settings.url == sqlite_at(root / "from-env.db")
    assert settings.sources["url"] == "SENTINEL_DATABASE_URL"

    settings = resolve(root, ENV_CONFIG="env/dev.cfg")
    assert settings.url == sqlite_at(root / "from-cfg.db")
    assert settings.sources["url"] == "env/dev.cfg"

    settings = resolve(root)
    assert settings.url == sqlite_at(root / "from-root-ini.db")
    assert settings.sources["url"] == "alembic.ini sqlalchemy.url"
    assert settings.alembic_ini == root / "alembic.ini"

    (root / "alembic.ini").unlink()
    settings = resolve(root)
    assert settings.url == sqlite_at(root / "from-migrations-ini.db")
    assert settings.sources["url"] == "migrations/alembic.ini sqlalchemy.url"
    assert settings.alembic_ini == root / "migrations" / "alembic.ini"

    (root / "migrations" / "alembic.ini").unlink()
    settings = resolve(root)
    assert settings.url is None
    assert "url" not in settings.sources
    assert settings.alembic_ini is None


def test_empty_env_var_counts_as_unset(root: Path) -> None:
    write(root, "env/dev.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///from-cfg.db"\n')

    settings = resolve(root, SENTINEL_DATABASE_URL="", ENV_CONFIG="env/dev.cfg")

    assert settings.sources["url"] == "env/dev.cfg"


def test_config_flag_beats_env_config_beats_pyproject_config(root: Path) -> None:
    write(root, "env/flag.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///flag.db"\n')
    write(root, "env/env.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///env.db"\n')
    write(root, "env/pyproject.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///pyproject.db"\n')
    write_pyproject(root, 'config = "env/pyproject.cfg"\n')

    settings = resolve(root, Overrides(config="env/flag.cfg"), ENV_CONFIG="env/env.cfg")
    assert settings.config_file == root / "env" / "flag.cfg"
    assert settings.sources["config"] == "--config"
    assert (settings.url, settings.sources["url"]) == (sqlite_at(root / "flag.db"), "env/flag.cfg")

    settings = resolve(root, ENV_CONFIG="env/env.cfg")
    assert settings.config_file == root / "env" / "env.cfg"
    assert settings.sources["config"] == "ENV_CONFIG"
    assert (settings.url, settings.sources["url"]) == (sqlite_at(root / "env.db"), "env/env.cfg")

    settings = resolve(root)
    assert settings.config_file == root / "env" / "pyproject.cfg"
    assert settings.sources["config"] == f"{TABLE} config"
    assert settings.url == sqlite_at(root / "pyproject.db")
    assert settings.sources["url"] == "env/pyproject.cfg"

    (root / "pyproject.toml").unlink()
    settings = resolve(root)
    assert settings.config_file is None
    assert "config" not in settings.sources
    assert settings.url is None


def test_flag_beats_env_var_beats_pyproject_beats_alembic_ini_beats_default_for_migrations(
    root: Path,
) -> None:
    write_pyproject(root, 'migrations = "from_pyproject"\n')
    write_ini(root, "alembic.ini", "script_location = from_ini\n")

    settings = resolve(root, Overrides(migrations="from_flag"), SENTINEL_MIGRATIONS="from_env")
    assert settings.migrations == root / "from_flag"
    assert settings.sources["migrations"] == "--migrations"

    settings = resolve(root, SENTINEL_MIGRATIONS="from_env")
    assert settings.migrations == root / "from_env"
    assert settings.sources["migrations"] == "SENTINEL_MIGRATIONS"

    settings = resolve(root)
    assert settings.migrations == root / "from_pyproject"
    assert settings.sources["migrations"] == f"{TABLE} migrations"

    (root / "pyproject.toml").unlink()
    settings = resolve(root)
    assert settings.migrations == root / "from_ini"
    assert settings.sources["migrations"] == "alembic.ini script_location"

    (root / "alembic.ini").unlink()
    settings = resolve(root)
    assert settings.migrations == root / "migrations"
    assert settings.sources["migrations"] == "default"


def test_alembic_ini_inside_the_chosen_migrations_directory_is_used(root: Path) -> None:
    write_ini(root, "db/migrations/alembic.ini", "sqlalchemy.url = sqlite:///inner.db\n")
    write_ini(root, "migrations/alembic.ini", "sqlalchemy.url = sqlite:///default-dir.db\n")

    settings = resolve(root, SENTINEL_MIGRATIONS="db/migrations")

    assert settings.alembic_ini == root / "db" / "migrations" / "alembic.ini"
    assert settings.url == sqlite_at(root / "inner.db")
    assert settings.sources["url"] == "db/migrations/alembic.ini sqlalchemy.url"


def test_script_location_here_is_interpolated_like_alembic_does(root: Path) -> None:
    write_ini(root, "alembic.ini", "script_location = %(here)s/db_migrations\n")

    settings = resolve(root)

    assert settings.migrations == root / "db_migrations"


def test_flag_beats_env_var_beats_pyproject_for_the_metadata(root: Path) -> None:
    write_pyproject(root, 'metadata = "pyproject_models:Base.metadata"\n')

    settings = resolve(
        root, Overrides(metadata="flag_models:metadata"), SENTINEL_METADATA="env_models:metadata"
    )
    assert (settings.metadata, settings.sources["metadata"]) == (
        "flag_models:metadata",
        "--metadata",
    )

    settings = resolve(root, SENTINEL_METADATA="env_models:metadata")
    assert (settings.metadata, settings.sources["metadata"]) == (
        "env_models:metadata",
        "SENTINEL_METADATA",
    )

    settings = resolve(root)
    assert (settings.metadata, settings.sources["metadata"]) == (
        "pyproject_models:Base.metadata",
        f"{TABLE} metadata",
    )

    (root / "pyproject.toml").unlink()
    settings = resolve(root)
    assert settings.metadata is None
    assert "metadata" not in settings.sources


def test_settings_verb_shows_each_value_with_its_source(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(root, 'migrations = "db/migrations"\nversion-table = "schema_versions"\n')
    write(root, "env/dev.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///cfg.db"\nPROD_ENV = True\n')
    monkeypatch.setenv("ENV_CONFIG", "env/dev.cfg")
    monkeypatch.setenv("SENTINEL_METADATA", "models:metadata")

    code = main(["--url", "sqlite:///flag.db", "settings", "--run-env-py"])

    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == ""
    rows = settings_rows(captured.out)
    assert rows["url"] == (sqlite_at(root / "flag.db"), "--url")
    assert rows["config"] == ("env/dev.cfg", "ENV_CONFIG")
    assert rows["prod_env"] == ("True", "env/dev.cfg")
    assert rows["migrations"] == ("db/migrations", f"{TABLE} migrations")
    assert rows["metadata"] == ("models:metadata", "SENTINEL_METADATA")
    assert rows["run_env_py"] == ("True", "--run-env-py")
    assert rows["compare_type"] == ("True", "default")
    assert rows["version_table"] == ("schema_versions", f"{TABLE} version-table")


def test_settings_verb_names_the_cfg_file_as_the_source_of_the_url(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "env/dev.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///cfg.db"\n')
    monkeypatch.setenv("ENV_CONFIG", "env/dev.cfg")

    assert main(["settings"]) == 0

    rows = settings_rows(capsys.readouterr().out)
    assert rows["url"] == (sqlite_at(root / "cfg.db"), "env/dev.cfg")
    assert rows["migrations"] == ("migrations", "default")
    assert rows["metadata"] == ("(none)", "unset")


# -- 2. the ENV_CONFIG file --------------------------------------------------------------------


def test_cfg_with_sqlalchemy_database_uri(root: Path) -> None:
    write(root, "env/mysql.cfg", 'SQLALCHEMY_DATABASE_URI = "mysql+pymysql://u:p@h:3306/db"\n')

    settings = resolve(root, ENV_CONFIG="env/mysql.cfg")

    assert settings.url == "mysql+pymysql://u:p@h:3306/db"
    assert settings.prod_env is False
    assert settings.sources["prod_env"] == "env/mysql.cfg"


def test_cfg_with_split_database_settings(root: Path) -> None:
    write(
        root,
        "env/mysql.cfg",
        'DATABASE_PLUGIN = "mysql+pymysql"\n'
        'DATABASE_USERNAME = "u"\n'
        'DATABASE_PASSWORD = "p"\n'
        'DATABASE_HOST = "h"\n'
        'DATABASE_PORT = "3306"\n'
        'DATABASE_NAME = "db"\n',
    )

    settings = resolve(root, ENV_CONFIG="env/mysql.cfg")

    assert settings.url == "mysql+pymysql://u:p@h:3306/db"
    url = make_url(settings.url)
    assert url.port == 3306
    assert settings.sources["url"] == "env/mysql.cfg"


def test_split_form_password_with_special_characters_survives(root: Path) -> None:
    password = "p@ss:w/rd%"
    write(
        root,
        "env/mysql.cfg",
        'DATABASE_PLUGIN = "mysql+pymysql"\n'
        'DATABASE_USERNAME = "app"\n'
        f"DATABASE_PASSWORD = {password!r}\n"
        'DATABASE_HOST = "db.example.com"\n'
        'DATABASE_PORT = "3307"\n'
        'DATABASE_NAME = "election"\n',
    )

    settings = resolve(root, ENV_CONFIG="env/mysql.cfg")

    url = make_url(settings.url or "")
    assert url.password == password
    assert settings.password == password
    assert (url.username, url.host, url.port, url.database) == (
        "app",
        "db.example.com",
        3307,
        "election",
    )


def test_split_form_without_port_or_credentials(root: Path) -> None:
    write(
        root,
        "env/mysql.cfg",
        'DATABASE_PLUGIN = "mysql+pymysql"\nDATABASE_HOST = "h"\nDATABASE_NAME = "db"\n'
        'DATABASE_PORT = ""\n',
    )

    settings = resolve(root, ENV_CONFIG="env/mysql.cfg")

    assert settings.url == "mysql+pymysql://h/db"


def test_lowercase_names_in_the_cfg_are_ignored(root: Path) -> None:
    write(
        root,
        "env/dev.cfg",
        'sqlalchemy_database_uri = "sqlite:///lower.db"\n'
        'SQLALCHEMY_DATABASE_URI = "sqlite:///upper.db"\n'
        "prod_env = True\n",
    )

    settings = resolve(root, ENV_CONFIG="env/dev.cfg")

    assert settings.url == sqlite_at(root / "upper.db")
    assert settings.prod_env is False


def test_cfg_with_only_lowercase_database_settings_has_none(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "env/dev.cfg", 'sqlalchemy_database_uri = "sqlite:///lower.db"\n')
    monkeypatch.setenv("ENV_CONFIG", "env/dev.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/dev.cfg: no database settings")


def test_cfg_is_python_and_may_compute_values(root: Path) -> None:
    write(
        root,
        "env/computed.cfg",
        "import os\n"
        'BASE = os.path.join("data", "app.db")\n'
        'SQLALCHEMY_DATABASE_URI = "sqlite:///" + BASE\n'
        "PROD_ENV = len(BASE) > 0\n",
    )

    settings = resolve(root, ENV_CONFIG="env/computed.cfg")

    assert settings.url == sqlite_at(root / "data" / "app.db")
    assert settings.prod_env is True


def test_split_form_values_may_be_computed(root: Path) -> None:
    write(
        root,
        "env/mysql.cfg",
        'DATABASE_PLUGIN = "mysql" + "+pymysql"\n'
        'DATABASE_HOST = "h"\n'
        "DATABASE_PORT = 3300 + 6\n"
        'DATABASE_NAME = "db_" + "test"\n',
    )

    settings = resolve(root, ENV_CONFIG="env/mysql.cfg")

    assert settings.url == "mysql+pymysql://h:3306/db_test"


def test_prod_env_true_in_the_cfg_marks_production(root: Path) -> None:
    write(root, "env/prod.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///prod.db"\nPROD_ENV = True\n')

    settings = resolve(root, ENV_CONFIG="env/prod.cfg")

    assert settings.prod_env is True
    assert settings.sources["prod_env"] == "env/prod.cfg"


def test_no_cfg_means_not_production(root: Path) -> None:
    settings = resolve(root, Overrides(url="sqlite:///x.db"))

    assert settings.prod_env is False
    assert "prod_env" not in settings.sources


def test_cfg_is_read_even_when_a_flag_gives_the_url(root: Path) -> None:
    write(root, "env/prod.cfg", "PROD_ENV = True\n")

    settings = resolve(root, Overrides(url="sqlite:///x.db"), ENV_CONFIG="env/prod.cfg")

    assert settings.sources["url"] == "--url"
    assert settings.prod_env is True


def test_relative_sqlite_path_is_anchored_at_the_project_root(root: Path) -> None:
    write(root, "env/dev.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///x.db"\n')

    from_flag = resolve(root, Overrides(url="sqlite:///x.db"))
    from_cfg = resolve(root, ENV_CONFIG="env/dev.cfg")

    assert from_flag.url == sqlite_at(root / "x.db")
    # relative to the project root, not to the cfg file's directory
    assert from_cfg.url == sqlite_at(root / "x.db")


def test_absolute_and_in_memory_sqlite_urls_are_untouched(root: Path, tmp_path: Path) -> None:
    absolute = sqlite_at(tmp_path / "elsewhere" / "x.db")

    assert resolve(root, Overrides(url=absolute)).url == absolute
    # SQLAlchemy may render ":memory:" percent-encoded; what matters is the parsed database
    in_memory = resolve(root, Overrides(url="sqlite:///:memory:")).url
    assert make_url(in_memory or "").database == ":memory:"
    assert resolve(root, Overrides(url="sqlite://")).url == "sqlite://"


# -- 3. [tool.alembic-sentinel] keys -----------------------------------------------------------


def test_pyproject_keys_reach_settings(root: Path) -> None:
    write_pyproject(
        root,
        "run-env-py = true\n"
        "compare-type = false\n"
        "compare-server-default = true\n"
        'version-table = "schema_versions"\n',
    )

    settings = resolve(root)

    assert settings.run_env_py is True
    assert settings.compare_type is False
    assert settings.compare_server_default is True
    assert settings.version_table == "schema_versions"
    assert settings.sources["run_env_py"] == f"{TABLE} run-env-py"
    assert settings.sources["compare_type"] == f"{TABLE} compare-type"
    assert settings.sources["compare_server_default"] == f"{TABLE} compare-server-default"
    assert settings.sources["version_table"] == f"{TABLE} version-table"


def test_pyproject_keys_default_when_absent(root: Path) -> None:
    write_pyproject(root, "")

    settings = resolve(root)

    assert settings.run_env_py is False
    assert settings.compare_type is True
    assert settings.compare_server_default is False
    assert settings.version_table == "alembic_version"
    for name in ("run_env_py", "compare_type", "compare_server_default", "version_table"):
        assert settings.sources[name] == "default"


def test_run_env_py_flag_beats_pyproject(root: Path) -> None:
    write_pyproject(root, "run-env-py = false\n")

    settings = resolve(root, Overrides(run_env_py=True))

    assert settings.run_env_py is True
    assert settings.sources["run_env_py"] == "--run-env-py"


def test_pyproject_without_our_table_is_fine(root: Path) -> None:
    write(root, "pyproject.toml", '[project]\nname = "app"\n')

    settings = resolve(root)

    assert settings.sources["migrations"] == "default"


def test_pyproject_whose_tool_key_is_not_a_table_is_ignored(root: Path) -> None:
    write(root, "pyproject.toml", 'tool = "not a table"\n')

    settings = resolve(root)

    assert settings.sources["migrations"] == "default"


def test_our_pyproject_entry_that_is_not_a_table(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "pyproject.toml", '[tool]\nalembic-sentinel = "migrations"\n')

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line == f"{PREFIX}pyproject.toml: [tool.alembic-sentinel] must be a table"


# -- 4. passwords are never shown --------------------------------------------------------------


def test_settings_verb_hides_the_password_of_a_flag_url(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--url", f"mysql+pymysql://app:{SECRET}@db.example.com:3306/election", "settings"])

    captured = capsys.readouterr()
    assert code == 0
    output = captured.out + captured.err
    assert "***" in output
    assert SECRET not in output
    assert settings_rows(captured.out)["url"] == (
        "mysql+pymysql://app:***@db.example.com:3306/election",
        "--url",
    )


def test_settings_verb_hides_the_password_of_a_split_form_cfg(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        root,
        "env/mysql.cfg",
        'DATABASE_PLUGIN = "mysql+pymysql"\nDATABASE_USERNAME = "app"\n'
        f'DATABASE_PASSWORD = "{SECRET}"\nDATABASE_HOST = "h"\nDATABASE_NAME = "db"\n',
    )
    monkeypatch.setenv("ENV_CONFIG", "env/mysql.cfg")

    code = main(["settings"])

    captured = capsys.readouterr()
    assert code == 0
    assert "***" in captured.out
    assert SECRET not in captured.out + captured.err


def test_invalid_url_flag_is_not_echoed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, line = fail(capsys, "--url", f"mysql+pymysql://app:{SECRET}@h:notaport/db", "settings")

    assert code == EXIT_USAGE
    assert line == f"{PREFIX}--url: not a valid database URL"
    assert SECRET not in line


def test_invalid_url_env_var_is_not_echoed(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SENTINEL_DATABASE_URL", f"{SECRET} is no url")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line == f"{PREFIX}SENTINEL_DATABASE_URL: not a valid database URL"


# -- 5. bad inputs: exit 2, one line naming the file or the setting ----------------------------


def test_missing_cfg_file_names_the_path_and_env_config(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENV_CONFIG", "env/missing.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/missing.cfg: ")
    assert "not found" in line
    assert "ENV_CONFIG" in line


def test_missing_cfg_file_from_the_flag_names_the_flag(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, line = fail(capsys, "--config", "env/missing.cfg", "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/missing.cfg: ")
    assert "not found" in line
    assert "--config" in line


def test_unreadable_cfg_file(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "env" / "dev.cfg").mkdir(parents=True)
    monkeypatch.setenv("ENV_CONFIG", "env/dev.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/dev.cfg: cannot read config file")


def test_cfg_syntax_error_names_the_line(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "env/bad.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///x.db"\nPROD_ENV = = True\n')
    monkeypatch.setenv("ENV_CONFIG", "env/bad.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/bad.cfg:2: invalid Python")


def test_cfg_raising_at_runtime_names_the_line_and_the_exception(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        root,
        "env/bad.cfg",
        'SQLALCHEMY_DATABASE_URI = "sqlite:///x.db"\n\nPROD_ENV = undefined_name\n',
    )
    monkeypatch.setenv("ENV_CONFIG", "env/bad.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/bad.cfg:3: ")
    assert "NameError" in line
    assert "undefined_name" in line


def test_split_form_without_database_host(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "env/bad.cfg", 'DATABASE_PLUGIN = "mysql+pymysql"\nDATABASE_NAME = "db"\n')
    monkeypatch.setenv("ENV_CONFIG", "env/bad.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/bad.cfg: DATABASE_HOST ")
    assert "not set" in line


def test_split_form_with_a_port_that_is_not_a_number(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        root,
        "env/bad.cfg",
        'DATABASE_PLUGIN = "mysql+pymysql"\nDATABASE_HOST = "h"\nDATABASE_NAME = "db"\n'
        'DATABASE_PORT = "three-three-oh-six"\n',
    )
    monkeypatch.setenv("ENV_CONFIG", "env/bad.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line == f"{PREFIX}env/bad.cfg: DATABASE_PORT must be a number"


def test_cfg_with_neither_form(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "env/bad.cfg", "PROD_ENV = False\n")
    monkeypatch.setenv("ENV_CONFIG", "env/bad.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/bad.cfg: no database settings")


def test_cfg_uri_that_is_not_a_url(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "env/bad.cfg", 'SQLALCHEMY_DATABASE_URI = "localhost/election"\n')
    monkeypatch.setenv("ENV_CONFIG", "env/bad.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line == f"{PREFIX}env/bad.cfg: not a valid database URL"


def test_cfg_uri_that_is_not_a_string(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "env/bad.cfg", "SQLALCHEMY_DATABASE_URI = None or 42\n")
    monkeypatch.setenv("ENV_CONFIG", "env/bad.cfg")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}env/bad.cfg: SQLALCHEMY_DATABASE_URI ")


def test_unknown_pyproject_key_is_named(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pyproject(root, 'migration-dir = "migrations"\n')

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}pyproject.toml: [tool.alembic-sentinel] ")
    assert "'migration-dir'" in line


def test_pyproject_key_of_the_wrong_type(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pyproject(root, 'compare-type = "yes"\n')

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert (
        line
        == f"{PREFIX}pyproject.toml: [tool.alembic-sentinel] compare-type must be true or false"
    )


def test_pyproject_string_key_given_a_number(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(root, "version-table = 3\n")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line == f"{PREFIX}pyproject.toml: [tool.alembic-sentinel] version-table must be a string"


def test_broken_pyproject_toml(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pyproject(root, "migrations = \n")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}pyproject.toml: invalid TOML")
    assert "line 2" in line


def test_broken_alembic_ini_names_the_line(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_ini(root, "migrations/alembic.ini", "script_location = migrations\nnot an option\n")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}migrations/alembic.ini:3: ")


def test_alembic_ini_without_a_section_header_names_the_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, "migrations/alembic.ini", "sqlalchemy.url = sqlite:///x.db\n[alembic]\n")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}migrations/alembic.ini:1: ")


def test_alembic_ini_with_a_duplicate_section_names_the_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_ini(root, "alembic.ini", "script_location = migrations\n\n[alembic]\n")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}alembic.ini:4: ")


def test_a_url_interpolating_a_name_env_py_defines_gives_no_url_from_the_ini(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # env.py runs `config.set_section_option("alembic", "DB_URL", os.environ["DB_URL"])`
    # before Alembic reads the URL: the ini alone defines none, lint runs
    write_ini(root, "alembic.ini", "script_location = migrations\nsqlalchemy.url = %(DB_URL)s\n")
    write(root, "migrations/env.py", "")
    write(
        root,
        "migrations/versions/a1_first.py",
        'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\n'
        "def downgrade():\n    pass\n",
    )

    assert resolve(root).url is None
    assert main(["lint", "--all"]) == 0
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("key", ["script_location", "version_locations"])
def test_an_undefined_name_in_what_alembic_reads_before_env_py_is_a_config_error(
    root: Path, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    body = "script_location = migrations\n" if key != "script_location" else ""
    write_ini(root, "alembic.ini", f"{body}{key} = %(SOMEWHERE)s/versions\n")

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line == (
        f"{PREFIX}alembic.ini: [alembic] {key}: %(somewhere)s is not defined "
        "(Alembic defines only %(here)s)"
    )


def test_metadata_flag_not_of_the_module_attr_form(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, line = fail(capsys, "settings", "--metadata", "orm.Base.metadata")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}--metadata: ")
    assert "MODULE:ATTRIBUTE" in line
    assert "'orm.Base.metadata'" in line


def test_metadata_in_pyproject_not_of_the_module_attr_form(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(root, 'metadata = "orm:"\n')

    code, line = fail(capsys, "settings")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}{TABLE} metadata: ")
    assert "MODULE:ATTRIBUTE" in line


@pytest.mark.parametrize(
    ("spec", "detail"),
    [
        ("nosuchmodule:Base.metadata", "cannot import 'nosuchmodule'"),
        ("orm:Nope.metadata", "has no attribute 'Nope.metadata'"),
        ("orm:Base", "not a SQLAlchemy MetaData"),
    ],
    ids=["module-missing", "attribute-missing", "not-a-metadata"],
)
def test_metadata_that_cannot_be_loaded_names_the_flag(
    project: Path, spec: str, detail: str
) -> None:
    result = run_cli(project, "--url", sqlite_at(project / "x.db"), "check", "--metadata", spec)

    assert result.code == EXIT_USAGE, result.output
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"{PREFIX}--metadata: ")
    assert detail in lines[0]


# -- 6. no database URL anywhere ---------------------------------------------------------------


def test_no_database_url_anywhere(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(
        REPO / "migrations", root / "migrations", ignore=shutil.ignore_patterns("__pycache__")
    )

    code, line = fail(capsys, "current")

    assert code == EXIT_USAGE
    assert line.startswith(f"{PREFIX}no database URL configured")


def test_no_run_env_py_flag_beats_pyproject_true(root: Path) -> None:
    write_pyproject(root, "run-env-py = true\n")

    settings = resolve(root, Overrides(run_env_py=False))

    assert settings.run_env_py is False
    assert settings.sources["run_env_py"] == "--no-run-env-py"


def test_prod_env_given_as_a_string_is_read_as_a_boolean(root: Path) -> None:
    write(root, "env/a.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///a.db"\nPROD_ENV = "false"\n')
    write(root, "env/b.cfg", 'SQLALCHEMY_DATABASE_URI = "sqlite:///b.db"\nPROD_ENV = "True"\n')

    assert resolve(root, Overrides(config="env/a.cfg")).prod_env is False
    assert resolve(root, Overrides(config="env/b.cfg")).prod_env is True


def test_lint_keys_reach_settings(root: Path) -> None:
    write_pyproject(
        root,
        'target-server = "mariadb-10.11"\n'
        "naming-convention = true\n"
        "[tool.alembic-sentinel.lint-severity]\n"
        'L305 = "off"\n'
        'L304 = "error"\n',
    )

    settings = resolve(root)

    assert settings.target_server == "mariadb-10.11"
    assert settings.naming_convention is True
    assert dict(settings.lint_severity) == {"L305": "off", "L304": "error"}
    assert settings.sources["target_server"] == f"{TABLE} target-server"


def test_lint_keys_default_when_absent(root: Path) -> None:
    write_pyproject(root, "")

    settings = resolve(root)

    assert settings.target_server == "mysql-8.0"
    assert settings.naming_convention is None  # detected from the metadata module's source
    assert dict(settings.lint_severity) == {}


def test_target_server_flag_beats_pyproject(root: Path) -> None:
    write_pyproject(root, 'target-server = "mysql-5.7"\n')

    settings = resolve(root, Overrides(target_server="mysql-8.4"))

    assert settings.target_server == "mysql-8.4"
    assert settings.sources["target_server"] == "--target-server"


def test_lint_severity_with_an_unknown_severity_is_named(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(root, '[tool.alembic-sentinel.lint-severity]\nL305 = "loud"\n')

    code, err = fail(capsys, "lint", "--all")

    assert code == EXIT_USAGE
    assert err == (
        "alembic-sentinel: error: pyproject.toml: [tool.alembic-sentinel.lint-severity] "
        "L305 = 'loud': expected one of error, warning, notice, off"
    )


def test_lint_severity_that_is_not_a_table(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pyproject(root, 'lint-severity = "off"\n')

    code, err = fail(capsys, "lint", "--all")

    assert code == EXIT_USAGE
    assert "[tool.alembic-sentinel] lint-severity must be a table" in err


@pytest.mark.parametrize(
    "line",
    [
        "FLASK_APP=shop:create_app()",
        "export FLASK_APP=shop:create_app()",
        'FLASK_APP="shop:create_app()"',
        "FLASK_APP='shop:create_app()'  # the factory",
        "  FLASK_APP = shop:create_app() # the factory",
    ],
)
def test_flask_app_is_read_from_dotenv_files_as_flask_reads_them(tmp_path: Path, line: str) -> None:
    from alembic_sentinel.settings import read_dotenv_files

    (tmp_path / ".flaskenv").write_text(f"# comment\nFLASK_DEBUG=1\n{line}\n")
    found = read_dotenv_files(tmp_path, {})
    assert found["FLASK_APP"] == ("shop:create_app()", ".flaskenv")
    assert "FLASK_ENV" not in found
    assert read_dotenv_files(tmp_path, {"FLASK_SKIP_DOTENV": "1"}) == {}
    settings = resolve_settings(root=tmp_path, environ={}, database=False)
    assert settings.sources["flask_app"] == ".flaskenv FLASK_APP"
    (tmp_path / ".env").write_text("FLASK_APP=other\n")  # python-dotenv: .env wins
    assert resolve_settings(root=tmp_path, environ={}, database=False).sources["flask_app"] == (
        ".env FLASK_APP"
    )
