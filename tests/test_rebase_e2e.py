"""After `rebase --onto main`: the database, the shadow and the history disagree for a while.

A developer applied their branch's revision to their database and checked it (the shadow
cached it); main moved on; `alembic-sentinel rebase --onto main` re-parented the revision onto
main's head, which the branch does not have until main is merged. Every engine verb then says
what is wrong and what to run, and once main is merged the shadow rebuilds itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HEAD
from e2e_workspace import Workspace, clean_env, reference_app_repo

REV_MAIN = "a1b2c3d4e5f6"  # main's new revision
REV_OURS = "0f9e8d7c6b5a"  # this branch's revision, rebased onto main's
DATA_ONLY = '''\
"""{message}

Revision ID: {rev}
Revises: {parent}
Create Date: 2024-05-06 10:00:00.000000

"""

from alembic import op

revision = "{rev}"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade():
    # rows only: the models do not change
    op.execute("UPDATE election SET electionName = electionName")


def downgrade():
    pass
'''
FILE_OURS = f"migrations/versions/{REV_OURS}_touch_elections.py"
FILE_MAIN = f"migrations/versions/{REV_MAIN}_touch_elections_on_main.py"


@pytest.fixture
def rebased(project: Path, tmp_path: Path) -> Workspace:
    """feature: its revision applied to the dev database and checked; then rebased onto main."""
    env = clean_env(tmp_path / "home", tmp_path / "pre-commit-home", ENV_CONFIG="./env/dev.cfg")
    (project / ".gitignore").write_text("*.db\n__pycache__/\n")
    repo = reference_app_repo(project, env)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(FILE_OURS, DATA_ONLY.format(message="touch elections", rev=REV_OURS, parent=HEAD))
    repo.commit("feature: a data revision")
    repo.sentinel("upgrade")
    assert repo.sentinel("check").code == 0
    repo.git("checkout", "-q", "main")
    repo.write(FILE_MAIN, DATA_ONLY.format(message="on main", rev=REV_MAIN, parent=HEAD))
    repo.commit("main: a data revision")
    repo.git("checkout", "-q", "feature")
    moved = repo.sentinel("rebase", "--onto", "main")
    assert f"down_revision {HEAD} -> {REV_MAIN}" in moved.out
    repo.commit("re-parent onto main")
    return repo


@pytest.mark.parametrize(
    "verb", [["check"], ["upgrade"], ["migrate"], ["history"], ["downgrade", "-1"]]
)
def test_before_main_is_merged_every_engine_verb_names_the_missing_parent(
    rebased: Workspace, verb: list[str]
) -> None:
    result = rebased.sentinel(*verb, check=False)
    assert result.code == 1, result.output
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert f"{REV_OURS} revises {REV_MAIN}, which is not in migrations/versions" in lines[0]
    assert "git merge main" in lines[0] or "merge the branch" in lines[0]
    assert "Traceback" not in result.output


def test_after_main_is_merged_the_shadow_rebuilds_and_the_database_upgrades(
    rebased: Workspace,
) -> None:
    rebased.git("merge", "-q", "main", "-m", "Merge main")
    check = rebased.sentinel("check", "--format", "json")
    assert '"shadow_rebuilt": true' in check.out
    # the dev database ran our revision before main's existed: Alembic sees it at head
    current = rebased.sentinel("current")
    assert current.out.startswith(REV_OURS)
    assert rebased.sentinel("upgrade").code == 0
    assert rebased.sentinel("migrate").code == 0
    assert "no changes" in rebased.sentinel("check").out
