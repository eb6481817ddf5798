"""Project layouts other than Alembic's and Flask-Migrate's `migrations/versions/`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
author = sa.Table(
    "author",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False),
)
"""
REVISION = '''\
"""create author

Revision ID: 1a2b3c4d5e6f
Revises:
Create Date: 2024-01-02 03:04:05.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "1a2b3c4d5e6f"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "author",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("author")
'''


def flask_alembic_project(root: Path) -> Path:
    """Flask-Alembic's layout: revision files directly in migrations/, no env.py, no versions/."""
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "1a2b3c4d5e6f_create_author.py").write_text(REVISION)
    (root / "models.py").write_text(MODELS)
    (root / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmetadata = "models:metadata"\n')
    return root


def test_flask_alembics_layout_works_in_heads_lint_and_check(tmp_path: Path) -> None:
    root = flask_alembic_project(tmp_path / "app")
    heads = run_cli(root, "heads", "--format", "json")
    assert heads.code == 0, heads.output
    assert json.loads(heads.out)["heads"] == ["1a2b3c4d5e6f"]
    lint = run_cli(root, "lint", "--all")
    assert lint.code == 0, lint.output
    settings = run_cli(root, "settings")
    assert "Flask-Alembic layout" in settings.out
    check = run_cli(root, "check")
    assert check.code == 0, check.output
    assert "no changes: the models match the revisions" in check.out

    # a model change is drift there too
    (root / "models.py").write_text(
        MODELS.replace("nullable=False),\n)", 'nullable=False),\n    sa.Column("bio", sa.Text))')
    )
    drift = run_cli(root, "check")
    assert drift.code == 1, drift.output
    assert "D401 + column author.bio" in drift.out


@pytest.mark.parametrize("verb", [["heads"], ["lint", "--all"], ["check"]])
def test_version_locations_in_pyproject_are_used_by_every_verb(
    tmp_path: Path, verb: list[str]
) -> None:
    root = tmp_path / "app"
    (root / "alembic").mkdir(parents=True)
    (root / "db" / "revisions").mkdir(parents=True)
    (root / "db" / "revisions" / "1a2b3c4d5e6f_create_author.py").write_text(REVISION)
    (root / "models.py").write_text(MODELS)
    (root / "pyproject.toml").write_text(
        '[tool.alembic-sentinel]\nmigrations = "alembic"\nmetadata = "models:metadata"\n'
        'version-locations = ["db/revisions"]\n'
    )
    result = run_cli(root, *verb)
    assert result.code == 0, result.output
    if verb == ["heads"]:
        assert "1a2b3c4d5e6f" in result.out
    if verb == ["check"]:
        assert "no changes" in result.out
