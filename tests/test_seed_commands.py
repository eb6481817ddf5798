"""The guide's commands, typed literally in a shell at the project root, still work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import (
    HEAD,
    SETTINGS_ENV_VARS,
    Result,
    add_party_column,
    add_two_branch_heads,
    mysql_cfg,
    revision_files,
    table_names,
    write_cfg,
)


def shell(project: Path, command: str, stdin: str = "") -> Result:
    """Run a command line exactly as the guide writes it, with this venv's `python` first."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    completed = subprocess.run(
        ["bash", "-c", command],
        cwd=project,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def test_guide_upgrade_then_migrate_on_mysql(project: Path, mysql_url: str) -> None:
    # env/mysql.cfg in the guide's DATABASE_* form, pointed at this test's scratch schema
    write_cfg(project, "mysql.cfg", mysql_cfg(mysql_url))

    upgraded = shell(project, "export ENV_CONFIG=./env/mysql.cfg && python db upgrade")
    assert upgraded.code == 0, upgraded.output
    assert "election" in table_names(mysql_url)

    before = revision_files(project)
    add_party_column(project)
    migrated = shell(project, 'export ENV_CONFIG=./env/mysql.cfg && python db migrate -m "colour"')
    assert migrated.code == 0, migrated.output
    new = revision_files(project) - before
    assert len(new) == 1
    assert "partyColour" in (project / "migrations" / "versions" / new.pop()).read_text()

    shell(project, "export ENV_CONFIG=./env/mysql.cfg && python db upgrade")
    again = shell(project, "export ENV_CONFIG=./env/mysql.cfg && python db migrate")
    assert again.code == 0, again.output
    assert len(revision_files(project) - before) == 1


def test_guide_upgrade_on_the_embedded_sqlite_default(project: Path) -> None:
    result = shell(project, "export ENV_CONFIG=./env/dev.cfg && python db upgrade")
    assert result.code == 0, result.output
    # dev.cfg says sqlite:///election-dev.db: relative to the project root
    assert (project / "election-dev.db").exists()
    current = shell(project, "export ENV_CONFIG=./env/dev.cfg && python db current")
    assert current.out.startswith(f"{HEAD} (head)")


def test_guide_merge_heads(project: Path) -> None:
    add_two_branch_heads(project)
    before = revision_files(project)
    result = shell(project, "export ENV_CONFIG=./env/dev.cfg && python db merge heads")
    assert result.code == 0, result.output
    assert len(revision_files(project) - before) == 1
    heads = shell(project, "export ENV_CONFIG=./env/dev.cfg && python db heads")
    assert heads.out.count("(head)") == 1


def test_guide_drop_database_asks_then_drops(project: Path) -> None:
    shell(project, "export ENV_CONFIG=./env/dev.cfg && python db upgrade")
    database = project / "election-dev.db"
    assert database.exists()

    declined = shell(project, "export ENV_CONFIG=./env/dev.cfg && python drop_database", "n\n")
    assert declined.code == 1
    assert database.exists()

    dropped = shell(project, "export ENV_CONFIG=./env/dev.cfg && python drop_database", "y\n")
    assert dropped.code == 0, dropped.output
    assert not database.exists()
