"""The git workflow as the README tells it: hooks installed with the README's own command, then
`git merge`, `git rebase` and `git push` typed as a user types them, with the real pre-commit.

Two branches each add a revision on main's head (tests/test_hooks_e2e.py's feature-a and
feature-b): merged, they leave two heads; rebased, one branch's revision must move on top of
the other's; pushed, the collision with the remote's main must be seen before it lands.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from conftest import HEAD, REPO, revision_files
from e2e_workspace import HookSource, Workspace, clean_env, pre_commit_config, reference_app_repo
from test_hooks_e2e import (
    FILE_A,
    FILE_B,
    HEADS_FAILED,
    HEADS_PASSED,
    PARTY_COLOUR,
    REV_A,
    REV_B,
    add_feature_branches,
    assigned,
    merge_revision_file,
)


def readme_install_command() -> list[str]:
    """`pre-commit install --hook-type ...` exactly as the README's Flask-Migrate section says."""
    readme = (REPO / "README.md").read_text()
    match = re.search(r"^(pre-commit install --hook-type.*?)\n```", readme, re.M | re.S)
    assert match is not None, "README: no `pre-commit install --hook-type` block"
    return shlex.split(match.group(1).replace("\\\n", " "))


def hooked_repo(
    project: Path, tmp_path: Path, hooks: HookSource, heads_args: tuple[str, ...] = ()
) -> Workspace:
    """The reference app with the graph hooks, every hook type installed as the README says."""
    (project / ".pre-commit-config.yaml").write_text(
        pre_commit_config(hooks, {"alembic-heads": heads_args, "alembic-merge-heads": ()})
    )
    env = clean_env(tmp_path / "home", hooks.pre_commit_home, venv_on_path=False)
    repo = reference_app_repo(project, env)
    command = readme_install_command()
    assert command[:2] == ["pre-commit", "install"]
    installed = repo.pre_commit(*command[1:])
    for stage in ("pre-commit", "pre-merge-commit", "pre-push", "post-merge", "post-rewrite"):
        assert f".git/hooks/{stage}" in installed.out, installed.out
    return repo


def test_git_merge_of_colliding_branches_ends_merged_with_one_head(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = hooked_repo(project, tmp_path, hook_source)
    add_feature_branches(repo)
    repo.git("merge", "feature-a")  # fast-forward
    before = revision_files(project)

    merged = repo.git("merge", "--no-edit", "feature-b")

    # pre-merge-commit let the merge through (the post-merge hook follows); post-merge wrote the
    # merge revision and added it to the merge commit
    assert HEADS_PASSED.search(merged.output), merged.output
    merge_file = merge_revision_file(project, before)
    assert assigned(merge_file, "down_revision") == (REV_A, REV_B)
    assert "added it to the merge commit: one head" in merged.output, merged.err
    assert repo.git("status", "--porcelain").out == ""
    assert repo.last_commit() == "Merge branch 'feature-b'"
    assert f"migrations/versions/{merge_file.name}" in repo.git("show", "--name-only", "HEAD").out
    heads = repo.sentinel("heads")
    assert heads.out == f"{assigned(merge_file, 'revision')} (head) merge heads\n"
    # the merge commit git made, with the merge revision added: same parents, author, message
    same = "%P %an <%ae> %ad %s"
    assert (
        repo.git("log", "-1", f"--format={same}", "HEAD@{1}").out
        == repo.git("log", "-1", f"--format={same}", "HEAD").out
    )
    assert "alembic-merge-heads: the merge revision added" in repo.git("reflog", "-1").out


def test_without_the_merge_heads_hook_pre_merge_commit_still_refuses_two_heads(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = hooked_repo(project, tmp_path, hook_source)
    (project / ".git" / "hooks" / "post-merge").unlink()  # nothing would resolve the heads
    add_feature_branches(repo)
    repo.git("merge", "feature-a")
    head_before = repo.git("rev-parse", "HEAD").out

    refused = repo.git("merge", "--no-edit", "feature-b", check=False)

    assert refused.code != 0
    assert HEADS_FAILED.search(refused.output), refused.output
    assert "G101" in refused.output
    assert repo.git("rev-parse", "HEAD").out == head_before


def test_git_rebase_re_parents_the_branch_revision_and_writes_no_merge_revision(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = hooked_repo(project, tmp_path, hook_source)
    add_feature_branches(repo)
    repo.git("merge", "feature-a")  # main moved on with feature-a's revision
    repo.git("checkout", "-q", "feature-b")
    before = revision_files(project)

    rebased = repo.git("rebase", "main")

    # no merge revision: this branch's files and feature-a's, which came with main
    assert revision_files(project) == before | {Path(FILE_A).name}
    assert assigned(project / FILE_B, "down_revision") == REV_A
    assert f"Revises: {REV_A}\n" in (project / FILE_B).read_text()
    assert f"{FILE_B}: down_revision {HEAD} -> {REV_A}" in rebased.output
    assert "no merge revision" in rebased.output
    assert repo.git("status", "--porcelain").out.strip() == f"M  {FILE_B}"  # staged
    assert repo.sentinel("heads").out == f"{REV_B} (head) add areaCode to area\n"
    committed = repo.commit("re-parent onto main")
    assert HEADS_PASSED.search(committed.output), committed.output
    # the history stays linear: main's head, then this branch's commits
    assert repo.git("log", "--merges", "--format=%h").out == ""


def test_git_push_of_a_new_branch_is_checked_against_the_remotes_main(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = hooked_repo(project, tmp_path, hook_source)
    add_feature_branches(repo)
    repo.git("init", "-q", "--bare", "-b", "main", tmp_path / "origin.git")
    repo.git("remote", "add", "origin", tmp_path / "origin.git")
    repo.git("merge", "feature-a")
    repo.git("push", "-q", "origin", "main")

    # feature-b has no upstream and goes to a new remote branch: compared with origin/main
    repo.git("checkout", "-q", "feature-b")
    refused = repo.git("push", "origin", "feature-b", check=False)

    assert refused.code != 0
    assert HEADS_FAILED.search(refused.output), refused.output
    assert f"G107 merging origin/main would leave 2 heads since {HEAD}" in refused.output
    assert "alembic-sentinel rebase --onto origin/main" in refused.output
    assert repo.git("ls-remote", "origin", "feature-b").out == ""

    # rebased on origin/main, the post-rewrite hook re-parents the revision; committed, it pushes
    rebased = repo.git("rebase", "origin/main")
    assert f"{FILE_B}: down_revision {HEAD} -> {REV_A}" in rebased.output
    repo.commit("re-parent onto origin/main")
    pushed = repo.git("push", "origin", "feature-b")
    assert HEADS_PASSED.search(pushed.output), pushed.output


def test_git_push_is_checked_against_the_refs_the_hook_is_configured_with(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = hooked_repo(project, tmp_path, hook_source, ("--push-against", "origin/release"))
    add_feature_branches(repo)
    repo.git("init", "-q", "--bare", "-b", "main", tmp_path / "origin.git")
    repo.git("remote", "add", "origin", tmp_path / "origin.git")
    repo.git("push", "-q", "origin", "main")  # main without feature-a's revision
    repo.git("push", "-q", "origin", "feature-a:release")

    repo.git("checkout", "-q", "feature-b")
    refused = repo.git("push", "origin", "feature-b", check=False)

    assert refused.code != 0
    assert f"G107 merging origin/release would leave 2 heads since {HEAD}" in refused.output
    assert "origin/main" not in refused.output
    assert repo.git("ls-remote", "origin", "feature-b").out == ""


def test_a_rebase_onto_a_base_with_two_heads_stops_with_the_command_and_writes_nothing(
    project: Path, tmp_path: Path, hook_source: HookSource
) -> None:
    repo = hooked_repo(project, tmp_path, hook_source)
    add_feature_branches(repo)
    repo.git("merge", "feature-a")
    # main itself gets a second head, past the hooks
    second = "migrations/versions/9e8d7c6b5a40_second_head_on_main.py"
    repo.write(second, PARTY_COLOUR.format(rev="9e8d7c6b5a40", parent=HEAD))
    repo.git("add", second)
    repo.git("commit", "--no-verify", "-q", "-m", "a second head on main")
    repo.git("checkout", "-q", "feature-b")
    before = revision_files(project)

    rebased = repo.git("rebase", "main")

    assert "alembic-merge-heads: the rebase left several heads" in rebased.output
    assert "the new base has 2 heads" in rebased.output
    assert "alembic-sentinel rebase --onto" in rebased.output
    # no merge revision, nothing rewritten: only the files main brought
    assert revision_files(project) == before | {Path(FILE_A).name, Path(second).name}
    assert assigned(project / FILE_B, "down_revision") == HEAD
    assert repo.git("status", "--porcelain").out == ""
