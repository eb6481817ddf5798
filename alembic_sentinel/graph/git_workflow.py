"""What the graph hooks ask git about the operation in progress: a merge, a rebase, a push.

Each answer comes from git itself (the environment git gives its hooks, refs, the reflog and
the hooks directory), so a hook behaves the same under the pre-commit framework and as a plain
git hook. gitpython is imported only inside the functions that need it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alembic_sentinel.graph.revision_check import Revisions, ref_revisions
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from git import Repo

MERGE_HEADS_HOOK = "alembic-merge-heads"
# the branch names a remote's default branch is looked for under when origin/HEAD is not set
DEFAULT_BRANCH_NAMES = ("main", "master")


def in_git_merge(environ: Mapping[str, str] | None = None) -> bool:
    """True inside `git merge` (and `git pull`'s merge), before its merge commit is made.

    git exports GITHEAD_<sha>=<name> for every commit it merges while its hooks run; MERGE_HEAD
    does not exist yet when pre-merge-commit runs, and a `git commit` that concludes a merge
    after conflicts has no such variable (no post-merge hook follows that commit either).
    """
    environ = os.environ if environ is None else environ
    return any(name.startswith("GITHEAD_") for name in environ)


def merge_heads_hook_installed(repo: Repo, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a post-merge hook will write the merge revision after this merge: the plain
    hooks/post-merge (without ALEMBIC_SENTINEL_WARN_ONLY), or pre-commit's post-merge hook with
    `alembic-merge-heads` configured for that stage without --warn-only."""
    environ = os.environ if environ is None else environ
    hook = Path(repo.git.rev_parse("--git-path", "hooks/post-merge"))
    if not hook.is_absolute():
        hook = Path(repo.working_tree_dir or ".") / hook
    try:
        script = hook.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if not os.access(hook, os.X_OK):
        return False
    if MERGE_HEADS_HOOK in script:  # the plain hook
        return not environ.get("ALEMBIC_SENTINEL_WARN_ONLY")
    if "pre-commit" not in script:
        return False
    return _pre_commit_config_writes_merges(Path(repo.working_tree_dir or "."))


def _pre_commit_config_writes_merges(root: Path) -> bool:
    import yaml  # pre-commit's own dependency

    try:
        config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    for repo in (config or {}).get("repos", []) if isinstance(config, dict) else []:
        for hook in repo.get("hooks", []) if isinstance(repo, dict) else []:
            if not isinstance(hook, dict) or hook.get("id") != MERGE_HEADS_HOOK:
                continue
            stages = hook.get("stages") or ["post-merge"]  # the manifest's stages include it
            args = [str(arg) for arg in hook.get("args") or []]
            if "post-merge" in stages and "--warn-only" not in args:
                return True
    return False


def push_refs(repo: Repo, remote: str, pushed_branch: str, configured: Sequence[str]) -> list[str]:
    """The refs a push to `remote` is checked against: `configured` when given; else the
    branch's upstream (or the remote branch pushed to) and the remote's default branch
    (`remote`/HEAD, else `remote`/main or `remote`/master). Refs that do not exist (yet) are
    left out: a new remote or branch has nothing to collide with."""
    from alembic_sentinel.graph.git_revisions import upstream_ref

    if configured:
        candidates = list(configured)
    else:
        pushed = pushed_branch.removeprefix("refs/heads/")
        candidates = [upstream_ref(repo) or f"{remote}/{pushed}"]
        candidates.append(default_branch_ref(repo, remote) or "")
    return [ref for ref in dict.fromkeys(candidates) if ref and _exists(repo, ref)]


def default_branch_ref(repo: Repo, remote: str) -> str | None:
    """The remote's default branch as a remote-tracking ref: what `<remote>/HEAD` points at
    (set by `git clone` or `git remote set-head`), else `<remote>/main`, else `<remote>/master`."""
    import git

    try:
        target = repo.git.symbolic_ref("--quiet", f"refs/remotes/{remote}/HEAD")
        return str(target).removeprefix("refs/remotes/")
    except git.GitCommandError:
        pass
    for name in DEFAULT_BRANCH_NAMES:
        if _exists(repo, f"{remote}/{name}"):
            return f"{remote}/{name}"
    return None


def _exists(repo: Repo, ref: str) -> bool:
    import git

    try:
        repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
    except git.GitCommandError:
        return False
    return True


def rebased_away_revisions(settings: Settings, repo: Repo) -> set[str] | None:
    """After `git rebase`: the revision ids the branch itself added, i.e. those at ORIG_HEAD
    (the branch before the rebase) that its old fork point did not have. None when git has no
    ORIG_HEAD."""
    import git

    try:
        fork_point = repo.git.merge_base("HEAD", "ORIG_HEAD")
    except git.GitCommandError:
        return None
    before = ref_revisions(settings, "ORIG_HEAD")
    base = ref_revisions(settings, fork_point)
    return set(before.graph.revisions) - set(base.graph.revisions)


def without(revisions: Revisions, dropped: set[str]) -> Revisions:
    """The same revisions minus `dropped`: the new base of a rebased branch."""
    from alembic_sentinel.graph.revision_files import ReadResult

    kept = [rev for rev in revisions.read.revisions if rev.revision not in dropped]
    return Revisions.of(ReadResult(revisions=kept))


def stage(repo: Repo, paths: Sequence[Path]) -> None:
    repo.git.add("--", *(str(path) for path in paths))


def head_is_unpublished_merge(repo: Repo) -> bool:
    """HEAD is a merge commit that no remote-tracking branch has: one this `git merge` made,
    not a merge someone pushed that a fast-forward brought in (never rewritten)."""
    head = repo.head.commit
    if len(head.parents) < 2:
        return False
    return not repo.git.branch("--remotes", "--contains", head.hexsha).strip()


def add_index_to_head_merge(repo: Repo) -> str:
    """Replace the merge commit just made by one with the index's tree (the staged merge
    revision added), the same parents, author, date and message; returns the new commit's sha.

    `git commit --amend` is refused while git's post-merge hook runs (MERGE_HEAD is removed only
    after it), so the commit is made with `commit-tree` and HEAD moved with `update-ref`, which
    the reflog records. The commit hooks already ran on the merge and do not run again.
    """
    head = repo.head.commit
    tree = repo.git.write_tree()
    parents = [arg for parent in head.parents for arg in ("-p", parent.hexsha)]
    message = str(head.message).rstrip("\n")
    author = {
        "GIT_AUTHOR_NAME": head.author.name or "",
        "GIT_AUTHOR_EMAIL": head.author.email or "",
        "GIT_AUTHOR_DATE": f"@{head.authored_date} {_git_offset(int(head.author_tz_offset))}",
    }
    new = str(repo.git.commit_tree(tree, *parents, "-m", message, env=author)).strip()
    reason = "alembic-merge-heads: the merge revision added to the merge commit"
    repo.git.update_ref("-m", reason, "HEAD", new, head.hexsha)
    return new


def _git_offset(seconds_west: int) -> str:
    """gitpython's time zone offset (seconds west of UTC) as git writes it (+HHMM east)."""
    east = -seconds_west
    sign = "+" if east >= 0 else "-"
    hours, minutes = divmod(abs(east) // 60, 60)
    return f"{sign}{hours:02d}{minutes:02d}"
