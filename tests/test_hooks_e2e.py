"""The hooks end to end: real git repositories, the real pre-commit framework, real merges.

The pre-commit framework installs alembic-sentinel into its own virtualenv from a throwaway git
repository holding this working tree (pip fetches the dependencies from PyPI), once per session
for every e2e file (tests/e2e_workspace.py).
That virtualenv has no project code, and one revision file imports a module that exists nowhere:
the hooks pass only because they never import a revision.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from conftest import HEAD, REPO, Result, revision_files
from e2e_workspace import (
    HookSource,
    Workspace,
    clean_env,
    pre_commit_config,
    reference_app_repo,
)

PLAIN_HOOKS = REPO / "hooks"

REV_A = "1c9e4d7a2b30"  # feature-a
REV_B = "7f2a8b5c6d41"  # feature-b
REV_C = "4d8b0e6f9a17"  # a second revision on feature-a's parent, committed on feature-a
HEADS_PASSED = re.compile(r"alembic revision graph \(single head, integrity\)\.+Passed")
HEADS_FAILED = re.compile(r"alembic revision graph \(single head, integrity\)\.+Failed")

PARTY_COLOUR = '''\
"""add partyColour to party

Revision ID: {rev}
Revises: {parent}
Create Date: 2024-03-04 09:12:45.118204

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "{rev}"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partyColour", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.drop_column("partyColour")
'''

AREA_CODE = '''\
"""add areaCode to area

Revision ID: {rev}
Revises: {parent}
Create Date: 2024-03-05 16:40:02.551390

"""

import sqlalchemy as sa
from alembic import op

# The application's own code: not installed where the hooks run. Importing this file fails.
import app_models_not_installed

# revision identifiers, used by Alembic.
revision = "{rev}"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "area",
        sa.Column("areaCode", sa.String(app_models_not_installed.AREA_CODE_LENGTH), nullable=True),
    )
    op.create_index("ix_area_areaCode", "area", ["areaCode"], unique=False)


def downgrade():
    op.drop_index("ix_area_areaCode", table_name="area")
    op.drop_column("area", "areaCode")
'''

FILE_A = f"migrations/versions/{REV_A}_add_partycolour_to_party.py"
FILE_B = f"migrations/versions/{REV_B}_add_areacode_to_area.py"
FILE_C = f"migrations/versions/{REV_C}_add_partycolour_again.py"
NAME_B = Path(FILE_B).name
# where findings on feature-b's revision point: its `revision = ` line
LINE_B = AREA_CODE.splitlines().index('revision = "{rev}"') + 1


def framework_repo(
    project: Path, tmp_path: Path, hooks: HookSource, merge_args: Sequence[str] = ()
) -> Workspace:
    """The reference app using the graph hooks through pre-commit; the test venv is off PATH."""
    (project / ".pre-commit-config.yaml").write_text(
        pre_commit_config(hooks, {"alembic-heads": (), "alembic-merge-heads": merge_args})
    )
    env = clean_env(tmp_path / "home", hooks.pre_commit_home, venv_on_path=False)
    return reference_app_repo(project, env)


def developer_repo(project: Path, tmp_path: Path) -> Workspace:
    """The reference app in a developer's shell (the test venv on PATH), no hooks installed."""
    env = clean_env(tmp_path / "home", tmp_path / "pre-commit-home")
    return reference_app_repo(project, env)


def plain_hooks_repo(project: Path, tmp_path: Path) -> Workspace:
    repo = developer_repo(project, tmp_path)
    repo.git("config", "core.hooksPath", PLAIN_HOOKS)
    return repo


def add_feature_branches(repo: Workspace) -> list[Result]:
    """feature-a and feature-b each add one revision on top of main's head."""
    commits = []
    for branch, relative, template, rev in (
        ("feature-a", FILE_A, PARTY_COLOUR, REV_A),
        ("feature-b", FILE_B, AREA_CODE, REV_B),
    ):
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.write(relative, template.format(rev=rev, parent=HEAD))
        commits.append(repo.commit(f"{branch}: {rev}"))
    repo.git("checkout", "-q", "main")
    return commits


def assigned(path: Path, name: str) -> object:
    """The literal value a revision file assigns to `name`."""
    for statement in ast.parse(path.read_text()).body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in statement.targets
        ):
            return ast.literal_eval(statement.value)
    raise AssertionError(f"{path}: no {name}")


def merge_revision_file(project: Path, before: set[str]) -> Path:
    """The one file besides feature-b's revision that the merge of feature-b added."""
    new = revision_files(project) - before - {NAME_B}
    assert len(new) == 1, new
    return project / "migrations" / "versions" / new.pop()


def test_pre_commit_framework_writes_the_merge_revision_into_the_merge_commit(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = framework_repo(project, tmp_path, hook_source)
    repo.pre_commit("install", "--hook-type", "pre-commit", "--hook-type", "post-merge")

    for commit in add_feature_branches(repo):  # each branch alone has one head
        assert HEADS_PASSED.search(commit.output), commit.output

    repo.git("merge", "feature-a")  # fast-forward: still one head, nothing written
    before = revision_files(project)
    merged = repo.git("merge", "--no-ff", "feature-b", "-m", "Merge branch 'feature-b'")

    merge_file = merge_revision_file(project, before)
    assert assigned(merge_file, "down_revision") == (REV_A, REV_B)
    shown = f"migrations/versions/{merge_file.name}"
    assert (
        f"alembic-merge-heads: the merge left 2 heads ({REV_A}, {REV_B}); "
        f"wrote {shown} and added it to the merge commit: one head"
    ) in merged.output
    assert "app_models_not_installed" not in merged.output

    # the merge commit itself holds the merge revision: nothing left to commit, one head
    assert repo.git("status", "--porcelain").out == ""
    assert repo.last_commit() == "Merge branch 'feature-b'"
    assert len(repo.git("log", "-1", "--format=%P").out.split()) == 2
    assert shown in repo.git("show", "--name-only", "--format=", "HEAD").out.split()
    heads = repo.sentinel("heads")
    assert heads.out == f"{assigned(merge_file, 'revision')} (head) merge heads\n"
    passing = repo.pre_commit("run", "alembic-heads", "--all-files")
    assert HEADS_PASSED.search(passing.output)


def test_warn_only_merge_hook_writes_nothing_and_says_a_merge_is_needed(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = framework_repo(project, tmp_path, hook_source, merge_args=["--warn-only"])
    repo.pre_commit("install", "--hook-type", "post-merge")
    add_feature_branches(repo)
    repo.git("merge", "feature-a")
    before = revision_files(project)

    merged = repo.git("merge", "--no-ff", "feature-b", "-m", "Merge branch 'feature-b'")

    assert revision_files(project) == before | {NAME_B}
    assert repo.git("status", "--porcelain").out == ""
    assert (
        f"alembic-merge-heads: 2 heads ({REV_A}, {REV_B}): "
        "run `alembic-sentinel merge heads` and commit the merge revision"
    ) in merged.output


def test_pre_push_refuses_a_branch_whose_revisions_collide_with_origin(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = framework_repo(project, tmp_path, hook_source)
    repo.pre_commit("install", "--hook-type", "pre-push")
    add_feature_branches(repo)
    repo.git("init", "-q", "--bare", "-b", "main", tmp_path / "origin.git")
    repo.git("remote", "add", "origin", tmp_path / "origin.git")
    repo.git("merge", "feature-a")
    first_push = repo.git("push", "origin", "main")  # a new remote branch: nothing to collide
    assert HEADS_PASSED.search(first_push.output), first_push.output

    repo.git("checkout", "-q", "feature-b")
    collision = (
        f"G107 merging origin/main would leave 2 heads since {HEAD}: "
        f"{REV_A} (on origin/main), {REV_B} (this branch)"
    )
    # the branch tracks origin/main: checked against its upstream
    repo.git("branch", "--set-upstream-to", "origin/main")
    refused = repo.git("push", "origin", "feature-b", check=False)
    assert refused.code != 0
    assert HEADS_FAILED.search(refused.output), refused.output
    assert f"{FILE_B}:{LINE_B}: error: {collision}" in refused.output
    assert repo.git("ls-remote", "origin", "feature-b").out == ""

    # no upstream, pushed to main: checked against the branch pushed to (forced, since git itself
    # rejects a non-fast-forward push before any hook runs)
    repo.git("branch", "--unset-upstream")
    refused = repo.git("push", "--force", "origin", "HEAD:main", check=False)
    assert refused.code != 0
    assert collision in refused.output
    assert "alembic-sentinel rebase --onto origin/main" in refused.output

    # re-parented onto origin/main, the branch pushes
    rebased = repo.sentinel("rebase", "--onto", "origin/main")
    assert rebased.code == 0, rebased.output
    repo.commit("re-parent onto origin/main")
    repo.git("branch", "--set-upstream-to", "origin/main")
    pushed = repo.git("push", "origin", "feature-b")
    assert HEADS_PASSED.search(pushed.output)


def test_plain_git_hooks_refuse_a_second_head_and_write_the_merge_revision(
    project: Path, tmp_path: Path
) -> None:
    repo = plain_hooks_repo(project, tmp_path)
    add_feature_branches(repo)  # the pre-commit hook allows each normal commit

    # a second revision on the same parent, committed on feature-a: refused
    repo.git("checkout", "-q", "feature-a")
    repo.write(FILE_C, PARTY_COLOUR.format(rev=REV_C, parent=HEAD))
    refused = repo.commit("a second head", check=False)
    assert refused.code != 0
    assert "alembic-heads: the revision graph needs attention" in refused.output
    assert f"G101 head {REV_A}" in refused.output
    assert f"G101 head {REV_C}" in refused.output
    assert repo.git("log", "-1", "--format=%s").out.strip() == f"feature-a: {REV_A}"
    repo.git("rm", "-q", "--cached", FILE_C)
    (project / FILE_C).unlink()

    repo.git("checkout", "-q", "main")
    repo.git("merge", "feature-a")
    before = revision_files(project)
    merged = repo.git("merge", "--no-ff", "feature-b", "-m", "Merge branch 'feature-b'")

    merge_file = merge_revision_file(project, before)
    assert assigned(merge_file, "down_revision") == (REV_A, REV_B)
    assert (
        f"alembic-merge-heads: the merge left 2 heads ({REV_A}, {REV_B}); "
        f"wrote migrations/versions/{merge_file.name} and added it to the merge commit: one head"
    ) in merged.output
    assert repo.git("status", "--porcelain").out == ""
    assert repo.sentinel("heads").code == 0


def test_plain_pre_push_hook_checks_against_the_upstream(project: Path, tmp_path: Path) -> None:
    repo = plain_hooks_repo(project, tmp_path)
    add_feature_branches(repo)
    repo.git("init", "-q", "--bare", "-b", "main", tmp_path / "origin.git")
    repo.git("remote", "add", "origin", tmp_path / "origin.git")
    repo.git("merge", "feature-a")
    repo.git("push", "-q", "origin", "main")

    repo.git("checkout", "-q", "feature-b")
    repo.git("branch", "--set-upstream-to", "origin/main")
    refused = repo.git("push", "origin", "feature-b", check=False)

    assert refused.code != 0
    assert f"G107 merging origin/main would leave 2 heads since {HEAD}" in refused.output
    assert repo.git("ls-remote", "origin", "feature-b").out == ""


def test_heads_against_predicts_the_collision_and_rebase_removes_it(
    project: Path, tmp_path: Path
) -> None:
    repo = developer_repo(project, tmp_path)
    # only the plain post-merge hook, as `cp hooks/post-merge .git/hooks/`: it would write a merge
    # revision if the merge left two heads
    shutil.copy2(PLAIN_HOOKS / "post-merge", project / ".git" / "hooks" / "post-merge")
    add_feature_branches(repo)
    repo.git("merge", "feature-a")
    repo.git("checkout", "-q", "feature-b")

    predicted = repo.sentinel("heads", "--against", "main", check=False)
    assert predicted.code == 1, predicted.output
    assert (
        f"{FILE_B}:{LINE_B}: error: G107 merging main would leave 2 heads since {HEAD}: "
        f"{REV_A} (on main), {REV_B} (this branch)"
    ) in predicted.out
    assert "fix: alembic-sentinel rebase --onto main" in predicted.out

    original = (project / FILE_B).read_bytes()
    rebased = repo.sentinel("rebase", "--onto", "main")
    assert rebased.code == 0, rebased.output
    assert f"{FILE_B}: down_revision {HEAD} -> {REV_A}" in rebased.out
    # main's revision is not on this branch yet: the command says what that means
    assert f"note: main's head {REV_A} is not in this branch yet" in rebased.out
    expected = original.replace(
        f"Revises: {HEAD}\n".encode(), f"Revises: {REV_A}\n".encode()
    ).replace(f'down_revision = "{HEAD}"'.encode(), f'down_revision = "{REV_A}"'.encode())
    assert expected != original
    assert (project / FILE_B).read_bytes() == expected

    again = repo.sentinel("rebase", "--onto", "main")
    assert again.code == 0, again.output
    assert "nothing to rebase: this branch's revisions already build on main" in again.out
    assert (project / FILE_B).read_bytes() == expected

    assert repo.sentinel("heads", "--against", "main").code == 0
    repo.commit("re-parent onto main")

    repo.git("checkout", "-q", "main")
    before = revision_files(project)
    repo.git("merge", "--no-ff", "feature-b", "-m", "Merge branch 'feature-b'")
    assert revision_files(project) == before | {NAME_B}
    assert repo.git("status", "--porcelain").out == ""
    heads = repo.sentinel("heads")
    assert heads.code == 0, heads.output
    assert heads.out == f"{REV_B} (head) add areaCode to area\n"

    unknown = repo.sentinel("heads", "--against", "nosuchref", check=False)
    assert unknown.code == 2
    assert unknown.out == ""
    assert unknown.err.count("\n") == 1
    assert "'nosuchref' is not a known git ref" in unknown.err


def test_heads_against_says_in_text_what_its_json_says_about_the_merge(
    project: Path, tmp_path: Path
) -> None:
    repo = developer_repo(project, tmp_path)
    add_feature_branches(repo)
    repo.git("merge", "feature-a")
    repo.git("checkout", "-q", "feature-b")
    assert repo.sentinel("rebase", "--onto", "main").code == 0
    # on this branch alone REV_B's new parent (main's REV_A) is not there yet: two heads, which
    # a merge with main turns into one

    text = repo.sentinel("heads", "--against", "main", check=False)
    as_json = repo.sentinel("heads", "--against", "main", "--format", "json", check=False)

    report = json.loads(as_json.out)
    assert report["heads"] == sorted([HEAD, REV_B])
    assert report["heads_after_merge"] == [REV_B]
    assert text.code == as_json.code == 0, text.output
    assert f"after a merge with main: 1 head: {REV_B} (add areaCode to area)\n" in text.out
    for finding in report["findings"]:
        where = f"{finding['path']}:{finding['line']}" if finding["line"] else finding["path"]
        line = f"{where}: {finding['severity']}: {finding['code']} {finding['message']}"
        assert line in text.out
    assert text.out.count(": error: ") + text.out.count(": warning: ") == len(report["findings"])


def test_rebase_after_git_rebase_leaves_a_single_head(project: Path, tmp_path: Path) -> None:
    repo = developer_repo(project, tmp_path)
    add_feature_branches(repo)
    repo.git("checkout", "-q", "feature-b")
    repo.git("rebase", "-q", "feature-a")  # feature-a's revision is now on this branch too
    assert repo.sentinel("heads", check=False).code == 1

    rebased = repo.sentinel("rebase", "--onto", "feature-a")

    assert rebased.code == 0, rebased.output
    assert f"heads now: {REV_B}" in rebased.out
    assert repo.sentinel("heads").code == 0
