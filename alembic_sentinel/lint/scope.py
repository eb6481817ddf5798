"""Which revision files a branch changed: the ones `lint` checks unless told `--all`.

"Changed" is what a reviewer of the branch would see plus what is not committed yet: files added
or modified since the merge-base of the base and HEAD, in the working tree as it is now.
gitpython is imported inside the functions: the pre-commit hook imports this module and must
start fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alembic_sentinel.errors import ConfigError
from alembic_sentinel.graph.git_revisions import open_repo
from alembic_sentinel.graph.revision_files import REVISION_FILE

if TYPE_CHECKING:
    from git import Repo

# tried in this order when the branch has no upstream and origin/HEAD is not set
FALLBACK_BASES = ("origin/main", "origin/master", "main", "master")


def default_base(repo_root: Path) -> str:
    """The ref a branch is compared with when no `--base` is given.

    The branch's upstream (`@{upstream}`) if it has one; else what origin/HEAD points at; else
    the first of origin/main, origin/master, main and master that exists and is not the branch
    that is checked out (comparing a branch with itself would find nothing to lint).
    """
    repo = open_repo(repo_root)
    for ref in (_upstream(repo), _origin_head(repo)):
        if ref is not None and _exists(repo, ref):
            return ref
    current = _current_branch(repo)
    for ref in FALLBACK_BASES:
        if ref != current and _exists(repo, ref):
            return ref
    raise ConfigError("no base to compare with: pass --base REF or --all")


def changed_revision_files(
    repo_root: Path, base: str, version_dirs: Sequence[Path], recursive: bool = True
) -> list[Path]:
    """Revision files added or modified since the merge-base of `base` and HEAD, sorted.

    Counts commits on the branch, staged and unstaged changes and untracked files (not ignored
    ones); deleted files are not returned, and commits on `base` after the merge-base are not
    the branch's changes. `recursive` follows Alembic's `recursive_version_locations`: without
    it only files directly in a version directory count. Paths are absolute.
    """
    import git

    repo = open_repo(repo_root)
    try:
        base_commit = repo.commit(base)
    except (git.BadName, ValueError, git.GitCommandError):
        raise ConfigError(
            f"--base {base}: unknown revision (fetch it, or name another branch, tag or commit)"
        ) from None
    try:
        head = repo.head.commit
    except ValueError:
        raise ConfigError(f"{repo.working_tree_dir}: HEAD has no commit yet") from None
    merge_bases = repo.merge_base(base_commit, head)
    if not merge_bases:
        raise ConfigError(
            f"--base {base}: no common ancestor with HEAD "
            "(in a shallow clone, fetch the history, e.g. fetch-depth: 0)"
        )
    # `git diff COMMIT` compares with the working tree: committed, staged and unstaged at once
    changed = repo.git.diff(
        merge_bases[0].hexsha, "--name-only", "--no-renames", "--diff-filter=d", "-z", "--"
    )
    untracked = repo.git.ls_files("--others", "--exclude-standard", "-z")
    worktree = Path(repo.working_tree_dir or repo_root).resolve()
    names = {name for name in (changed + "\0" + untracked).split("\0") if name}
    directories = [directory.resolve() for directory in version_dirs]
    found = {
        path
        for path in (worktree / name for name in names)
        if _is_revision_file(path, directories, recursive) and path.is_file()
    }
    return sorted(found)


def _is_revision_file(path: Path, directories: Sequence[Path], recursive: bool) -> bool:
    if not REVISION_FILE.match(path.name) or "__pycache__" in path.parts:
        return False
    if recursive:
        return any(directory in path.parents for directory in directories)
    return path.parent in directories


def _upstream(repo: Repo) -> str | None:
    import git

    # rev-parse, not gitpython's tracking_branch(): it also knows an upstream that is a local
    # branch (`git branch --set-upstream-to=main`)
    try:
        return str(repo.git.rev_parse("--abbrev-ref", "--symbolic-full-name", "@{upstream}"))
    except git.GitCommandError:  # no upstream, detached HEAD, or its branch is gone
        return None


def _origin_head(repo: Repo) -> str | None:
    import git

    try:
        return str(repo.git.symbolic_ref("--quiet", "--short", "refs/remotes/origin/HEAD"))
    except git.GitCommandError:
        return None


def _current_branch(repo: Repo) -> str | None:
    try:
        return str(repo.active_branch.name)
    except TypeError:  # detached HEAD
        return None


def _exists(repo: Repo, ref: str) -> bool:
    import git

    try:
        repo.commit(ref)
    except (git.BadName, ValueError, git.GitCommandError):
        return False
    return True
