"""Tables the models do not own: a plugin's, created by its own revisions or its own runner."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import HEAD, REFERENCE_PYPROJECT, revision_files, run_cli

ENV = {"ENV_CONFIG": "./env/test.cfg"}
PLUGIN_REVISION = f'''"""the job queue plugin's table

Revision ID: 9a8b7c6d5e4f
Revises: {HEAD}
"""
import sqlalchemy as sa
from alembic import op

revision = "9a8b7c6d5e4f"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("plugin_jobs", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("plugin_jobs")
'''


def ignore(project: Path, *patterns: str) -> None:
    listed = ", ".join(f'"{pattern}"' for pattern in patterns)
    (project / "pyproject.toml").write_text(REFERENCE_PYPROJECT + f"ignore-tables = [{listed}]\n")


def test_a_table_only_the_revisions_create_names_the_setting_next_to_migrate(
    project: Path,
) -> None:
    (project / "migrations" / "versions" / "9a8b7c6d5e4f_plugin.py").write_text(PLUGIN_REVISION)
    drift = run_cli(project, "check", env=ENV)
    assert drift.code == 1, drift.output
    assert "error: D401 - table plugin_jobs" in drift.out
    assert 'ignore-tables = ["plugin_jobs"] in [tool.alembic-sentinel]' in drift.out
    assert "alembic-sentinel migrate" in drift.out

    ignore(project, "plugin_*")
    clean = run_cli(project, "check", env=ENV)
    assert clean.code == 0, clean.output
    assert "no changes" in clean.out


@pytest.mark.parametrize("patterns", [("plugin_jobs",), ("plugin_*",), ("*_jobs", "other")])
def test_migrate_never_writes_drop_table_for_an_ignored_table(
    project: Path, patterns: tuple[str, ...]
) -> None:
    assert run_cli(project, "upgrade", env=ENV).code == 0
    # the plugin's own runner created its table in the same database
    with sqlite3.connect(project / "election-test.db") as database:
        database.execute("CREATE TABLE plugin_jobs (id INTEGER PRIMARY KEY, payload TEXT)")
        database.execute("CREATE INDEX ix_plugin_jobs_payload ON plugin_jobs (payload)")
    before = revision_files(project)
    ignore(project, *patterns)
    migrated = run_cli(project, "migrate", "-m", "nothing", env=ENV)
    assert migrated.code == 0, migrated.output
    assert "no changes detected in the models: no revision written" in migrated.out
    assert revision_files(project) == before


def test_without_the_setting_migrate_would_drop_the_plugin_table(project: Path) -> None:
    # the problem the setting solves, shown on the same database
    assert run_cli(project, "upgrade", env=ENV).code == 0
    with sqlite3.connect(project / "election-test.db") as database:
        database.execute("CREATE TABLE plugin_jobs (id INTEGER PRIMARY KEY)")
    migrated = run_cli(project, "migrate", "-m", "oops", env=ENV)
    assert migrated.code == 0, migrated.output
    assert "- table plugin_jobs" in migrated.out


def test_ignore_tables_must_be_a_list_of_strings(project: Path) -> None:
    (project / "pyproject.toml").write_text(REFERENCE_PYPROJECT + 'ignore-tables = "plugin_*"\n')
    result = run_cli(project, "heads")
    assert result.code == 2
    assert "ignore-tables must be a list of strings" in result.err
