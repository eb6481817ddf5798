"""Which revision files `lint` checks by default: the ones the branch changed, in real repos."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import commit_all, git

from alembic_sentinel.errors import ConfigError
from alembic_sentinel.lint.scope import changed_revision_files, default_base

VERSIONS = Path("migrations/versions")
pytestmark = pytest.mark.usefixtures("git_isolated")


def write(root: Path, relative: str, text: str = "# revision\n") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def make_repo(root: Path, branch: str = "main") -> Path:
    """A project with two revisions and some application code, committed on `branch`."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", branch)
    git(root, "config", "user.name", "Sentinel Test")
    git(root, "config", "user.email", "sentinel@example.com")
    write(root, "orm/models.py", "class User: ...\n")
    write(root, "migrations/env.py", "# env\n")
    write(root, f"{VERSIONS}/0001_initial.py")
    write(root, f"{VERSIONS}/0002_users.py")
    commit_all(root, "initial")
    return root


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """The shared repository: main, and a develop branch one commit ahead of it."""
    root = make_repo(tmp_path / "origin")
    git(root, "checkout", "-q", "-b", "develop")
    write(root, f"{VERSIONS}/0003_develop.py")
    commit_all(root, "develop work")
    git(root, "checkout", "-q", "main")
    return root


@pytest.fixture
def clone(origin: Path, tmp_path: Path) -> Path:
    """A developer's clone of `origin`: main tracks origin/main, origin/HEAD is origin/main."""
    root = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(root))
    return root


def changed(root: Path, base: str, recursive: bool = True) -> list[str]:
    files = changed_revision_files(root, base, [root / VERSIONS], recursive=recursive)
    assert all(path.is_absolute() for path in files)
    return [path.relative_to(root.resolve()).as_posix() for path in files]


# default_base


def test_base_is_the_upstream_of_the_branch(clone: Path) -> None:
    git(clone, "checkout", "-q", "-b", "feature", "--track", "origin/develop")
    assert default_base(clone) == "origin/develop"


def test_base_is_an_upstream_that_is_a_local_branch(clone: Path) -> None:
    git(clone, "checkout", "-q", "-b", "feature")
    git(clone, "branch", "-q", "--set-upstream-to=main")
    assert default_base(clone) == "main"


def test_base_is_origin_head_without_an_upstream(clone: Path) -> None:
    git(clone, "checkout", "-q", "-b", "feature")
    assert default_base(clone) == "origin/main"


def test_origin_head_follows_the_remote_default_branch(clone: Path) -> None:
    git(clone, "remote", "set-head", "origin", "develop")
    git(clone, "checkout", "-q", "-b", "feature")
    assert default_base(clone) == "origin/develop"


def test_base_falls_back_to_origin_master_without_origin_head(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin", branch="master")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "remote", "set-head", "origin", "--delete")
    git(clone, "checkout", "-q", "-b", "feature")
    assert default_base(clone) == "origin/master"


def test_base_falls_back_to_local_main_without_a_remote(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "feature")
    assert default_base(repo) == "main"


def test_base_skips_the_branch_that_is_checked_out(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", branch="master")
    git(repo, "branch", "main")
    git(repo, "checkout", "-q", "main")
    assert default_base(repo) == "master"


def test_no_base_on_the_only_branch_is_an_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with pytest.raises(ConfigError) as excinfo:
        default_base(repo)
    assert excinfo.value.message == "no base to compare with: pass --base REF or --all"


def test_no_base_with_an_unusual_branch_name_is_an_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", branch="trunk")
    git(repo, "checkout", "-q", "-b", "feature")
    with pytest.raises(ConfigError, match="pass --base REF or --all"):
        default_base(repo)


def test_base_outside_a_repository_is_an_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(ConfigError, match=f"{plain}: not inside a git repository"):
        default_base(plain)


# changed_revision_files


@pytest.fixture
def feature(clone: Path) -> Path:
    """A feature branch with one committed revision, ready for working-tree changes."""
    git(clone, "checkout", "-q", "-b", "feature")
    write(clone, f"{VERSIONS}/0003_feature.py")
    commit_all(clone, "feature revision")
    return clone


def test_no_changes_means_no_files(clone: Path) -> None:
    git(clone, "checkout", "-q", "-b", "feature")
    assert changed(clone, "origin/main") == []


def test_revision_committed_on_the_branch_is_reported(feature: Path) -> None:
    assert changed(feature, "origin/main") == [f"{VERSIONS}/0003_feature.py"]


def test_uncommitted_modification_is_reported(feature: Path) -> None:
    write(feature, f"{VERSIONS}/0001_initial.py", "# revision, edited\n")
    assert changed(feature, "origin/main") == [
        f"{VERSIONS}/0001_initial.py",
        f"{VERSIONS}/0003_feature.py",
    ]


def test_staged_new_revision_is_reported(feature: Path) -> None:
    write(feature, f"{VERSIONS}/0004_staged.py")
    git(feature, "add", f"{VERSIONS}/0004_staged.py")
    assert f"{VERSIONS}/0004_staged.py" in changed(feature, "origin/main")


def test_untracked_revision_is_reported_but_ignored_files_are_not(feature: Path) -> None:
    write(feature, ".gitignore", "scratch_*.py\n")
    write(feature, f"{VERSIONS}/0004_untracked.py")
    write(feature, f"{VERSIONS}/scratch_notes.py")
    assert changed(feature, "origin/main") == [
        f"{VERSIONS}/0003_feature.py",
        f"{VERSIONS}/0004_untracked.py",
    ]


def test_deleted_revisions_are_not_reported(feature: Path) -> None:
    git(feature, "rm", "-q", f"{VERSIONS}/0001_initial.py")
    commit_all(feature, "delete a revision")
    (feature / VERSIONS / "0002_users.py").unlink()  # deleted, not committed
    (feature / VERSIONS / "0003_feature.py").unlink()  # added on the branch, deleted since
    assert changed(feature, "origin/main") == []


def test_renamed_revision_is_reported_under_its_new_name(feature: Path) -> None:
    git(feature, "mv", f"{VERSIONS}/0002_users.py", f"{VERSIONS}/0002_accounts.py")
    assert changed(feature, "origin/main") == [
        f"{VERSIONS}/0002_accounts.py",
        f"{VERSIONS}/0003_feature.py",
    ]


def test_files_outside_the_version_directories_are_ignored(feature: Path) -> None:
    write(feature, "orm/models.py", "class User: name = 1\n")
    write(feature, "migrations/env.py", "# env, edited\n")
    write(feature, "migrations/0005_not_a_version.py")
    write(feature, f"{VERSIONS}/README.md", "notes\n")
    write(feature, f"{VERSIONS}/__init__.py", "")
    write(feature, f"{VERSIONS}/__pycache__/0003_feature.py")
    assert changed(feature, "origin/main") == [f"{VERSIONS}/0003_feature.py"]


def test_revisions_in_subdirectories_follow_recursive(feature: Path) -> None:
    write(feature, f"{VERSIONS}/2024/0006_nested.py")
    assert changed(feature, "origin/main") == [
        f"{VERSIONS}/0003_feature.py",
        f"{VERSIONS}/2024/0006_nested.py",
    ]
    assert changed(feature, "origin/main", recursive=False) == [f"{VERSIONS}/0003_feature.py"]


def test_every_version_directory_is_searched(feature: Path) -> None:
    write(feature, "plugins/versions/0007_plugin.py")
    files = changed_revision_files(
        feature, "origin/main", [feature / VERSIONS, feature / "plugins" / "versions"]
    )
    assert [path.name for path in files] == ["0003_feature.py", "0007_plugin.py"]


def test_revisions_the_base_gained_after_the_branch_are_not_reported(
    origin: Path, feature: Path
) -> None:
    write(origin, f"{VERSIONS}/0003_on_main.py")
    write(origin, f"{VERSIONS}/0002_users.py", "# revision, edited on main\n")
    commit_all(origin, "main moves on")
    git(feature, "fetch", "-q")
    assert changed(feature, "origin/main") == [f"{VERSIONS}/0003_feature.py"]


def test_revisions_from_a_merged_base_are_not_the_branch_changes(
    origin: Path, feature: Path
) -> None:
    write(origin, f"{VERSIONS}/0003_on_main.py")
    commit_all(origin, "main moves on")
    git(feature, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert changed(feature, "origin/main") == [f"{VERSIONS}/0003_feature.py"]


def test_a_subdirectory_of_the_repository_works_as_the_root(feature: Path) -> None:
    files = changed_revision_files(feature / "migrations", "origin/main", [feature / VERSIONS])
    assert files == [(feature / VERSIONS / "0003_feature.py").resolve()]


def test_unknown_base_is_an_error_naming_it(feature: Path) -> None:
    with pytest.raises(ConfigError) as excinfo:
        changed(feature, "origin/nope")
    assert excinfo.value.message.startswith("--base origin/nope: unknown revision")


def test_changed_files_outside_a_repository_is_an_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(ConfigError, match=f"{plain}: not inside a git repository"):
        changed_revision_files(plain, "main", [plain / VERSIONS])


def test_unrelated_history_is_an_error(feature: Path, tmp_path: Path) -> None:
    other = make_repo(tmp_path / "other")
    # an orphan commit: make_repo alone could recreate origin's first commit, hash and all
    git(other, "checkout", "-q", "--orphan", "fresh")
    commit_all(other, "a history of its own")
    git(feature, "fetch", "-q", str(other), "fresh:unrelated")
    with pytest.raises(ConfigError, match="--base unrelated: no common ancestor with HEAD"):
        changed(feature, "unrelated")
