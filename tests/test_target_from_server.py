"""Without a target-server setting, the lint and the SQL follow the server at hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import (
    HEAD,
    OFF_ACTIONS,
    REFERENCE_PYPROJECT,
    add_party_column,
    commit_all,
    git,
    run_cli,
)

from alembic_sentinel.lint.online_ddl import ServerVersion, server_target

REVISION = f'''"""add partyColour to party

Revision ID: c0de00000001
Revises: {HEAD}
"""
import sqlalchemy as sa
from alembic import op

revision = "c0de00000001"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("party", sa.Column("partyColour", sa.String(length=20), nullable=True))


def downgrade():
    op.drop_column("party", "partyColour")
'''


@pytest.mark.parametrize(
    ("version", "target"),
    [
        ("10.11.19-MariaDB-1:10.11.19+maria~deb12", ServerVersion("mariadb", (10, 11, 19))),
        ("11.4.2-MariaDB", ServerVersion("mariadb", (11, 4, 2))),
        ("8.0.36", ServerVersion("mysql", (8, 0, 36))),
        ("8.4.3-commercial", ServerVersion("mysql", (8, 4, 3))),
        ("5.6.51", None),  # older than the rules cover
        ("not a version", None),
    ],
)
def test_a_servers_version_string_is_a_target(version: str, target: ServerVersion | None) -> None:
    assert server_target(version) == target


def server_version(url: str) -> str:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(sa.text("SELECT VERSION()")).scalar())
    finally:
        engine.dispose()


def branch_with_a_revision(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "the reference app")
    git(project, "checkout", "-q", "-b", "feature")
    (project / "migrations" / "versions" / "c0de00000001_party_colour.py").write_text(REVISION)
    add_party_column(project)  # the model change the revision makes


@pytest.mark.parametrize("configured", [None, "mysql-5.7"])
def test_ci_judges_for_the_scratch_server_unless_a_target_is_set(
    project: Path, mysql_server_url: str, configured: str | None
) -> None:
    if configured:
        (project / "pyproject.toml").write_text(
            REFERENCE_PYPROJECT + f'target-server = "{configured}"\n'
        )
    branch_with_a_revision(project)
    report_path = project.parent / "report.json"
    result = run_cli(
        project, "ci", "--database-url", mysql_server_url, "--base-ref", "main",
        "--report", str(report_path), env={**OFF_ACTIONS, "ENV_CONFIG": "./env/test.cfg"},
    )  # fmt: skip
    assert result.code == 0, result.output
    facts = json.loads(report_path.read_text())
    expected = configured or str(server_target(server_version(mysql_server_url)))
    assert facts["lint"]["target_server"] == expected
    assert facts["sql_dialect"] == expected
    if configured is None:
        assert facts["lint"]["target_server_source"].startswith("the server (")


def test_migrate_reviews_for_the_configured_servers_release(project: Path, mysql_url: str) -> None:
    assert run_cli(project, "--url", mysql_url, "upgrade").code == 0
    add_party_column(project)
    migrated = run_cli(project, "--url", mysql_url, "migrate", "-m", "party colour")
    assert migrated.code == 0, migrated.output
    target = server_target(server_version(mysql_url))
    assert target is not None
    assert f"for {target}" in migrated.out


def test_every_verb_judges_for_the_server_the_last_connecting_verb_saw(
    project: Path, mysql_url: str
) -> None:
    """upgrade connects and records the server's release; lint (and its hook) and settings,
    which never connect, then judge for that same release, and say where it came from."""
    env = {"SENTINEL_DATABASE_URL": mysql_url}
    before = run_cli(project, "settings", env=env)
    assert "mysql-8.0" in before.out and "[default]" in target_row(before.out)

    assert run_cli(project, "upgrade", env=env).code == 0

    shown = target_row(run_cli(project, "settings", env=env).out)
    assert "mariadb-10.11" in shown and "recorded by the last verb that connected" in shown
    linted = run_cli(project, "lint", "--all", "--format", "json")
    assert json.loads(linted.out)["target_server"].startswith("mariadb-10.11")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'target-server = "mysql-5.7"\n')
    explicit = run_cli(project, "settings", env=env)
    assert "mysql-5.7" in target_row(explicit.out)  # a setting wins over the record


def target_row(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("target_server"))


def test_a_record_is_read_only_for_the_root_it_was_written_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records are named by a short checksum of the root (project_key); a record another root
    wrote under the same name (a collision, a copied cache) is not this project's."""
    from alembic_sentinel import settings as settings_module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root, versions = tmp_path / "project", tmp_path / "project" / "migrations" / "versions"
    versions.mkdir(parents=True)
    settings_module.write_server_record(root, "10.11.19-MariaDB", "mariadb-10.11")
    settings_module.write_layout_record(root, versions.parent, (versions,))
    assert settings_module.read_server_record(root) == ("mariadb-10.11", "10.11.19-MariaDB")
    assert settings_module.read_layout_record(root) is not None
    assert settings_module.project_key(root) != settings_module.project_key(tmp_path)

    for kind in ("server", "layout"):
        key = settings_module.project_key(root)
        path = settings_module.cache_directory() / f"{kind}-{key}.json"
        document = json.loads(path.read_text())
        document["root"] = str(tmp_path / "another")
        path.write_text(json.dumps(document))
    assert settings_module.read_server_record(root) is None
    assert settings_module.read_layout_record(root) is None
