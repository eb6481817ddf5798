"""Revision files as they are at a git ref, read from git objects: no checkout, no import."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from alembic_sentinel.errors import ConfigError
from alembic_sentinel.graph.revision_file import Parsed, RevisionFile
from alembic_sentinel.graph.revision_files import (
    REVISION_FILE,
    ReadResult,
    project_modules,
    read_revision_files,
    read_revision_source,
    revision_paths,
)
from alembic_sentinel.graph.version_locations import (
    MAX_REVISION_FILE_BYTES,
    READ_CHUNK_BYTES,
    UnreadableFile,
)
from alembic_sentinel.settings import display_path

if TYPE_CHECKING:
    from git import Repo
    from git.objects import Blob, Tree

_SYMLINK_MODE = 0o120000  # git's mode for a symbolic link: the blob holds the link's target
# (shown path, git blob id) -> what the working tree's identical file already gave, or None
Reuse = Callable[[str, str], "RevisionFile | None"]


def open_repo(path: Path) -> Repo:
    import git

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ConfigError(f"{path}: not inside a git repository") from None


def resolve_ref(repo: Repo, ref: str) -> str:
    """The commit sha `ref` names; a one-line error when it names nothing."""
    import git

    try:
        return repo.commit(ref).hexsha
    except (git.BadName, ValueError, git.GitCommandError):
        raise ConfigError(f"--against/--onto: {ref!r} is not a known git ref") from None


def upstream_ref(repo: Repo) -> str | None:
    """The upstream of the checked-out branch (`@{upstream}`), if it has one."""
    try:
        branch = repo.active_branch
    except TypeError:  # detached HEAD
        return None
    tracking = branch.tracking_branch()
    return tracking.name if tracking is not None and tracking.is_valid() else None


def read_at_ref(
    repo: Repo,
    ref: str,
    locations: Sequence[Path],
    root: Path,
    recursive: bool,
    reuse: Reuse | None = None,
) -> ReadResult:
    """Read every revision file under `locations` as committed at `ref`.

    Paths in findings are relative to `root`, like the working tree's, so the two can be merged
    path by path. `reuse` may supply the reading of a file whose blob is identical to one already
    read, so a long history shared with the working tree is not read twice.
    """
    commit = repo.commit(resolve_ref(repo, ref))
    worktree = Path(repo.working_tree_dir or ".").resolve()
    result = ReadResult()
    modules = project_modules(root)
    for location in locations:
        try:
            relative = location.resolve().relative_to(worktree).as_posix()
        except ValueError:
            # outside the repository (an installed plugin's revisions): no commit changes it,
            # so every ref has it as it is; its revisions are never "new" in a pull request
            outside = read_revision_files(revision_paths([location], recursive), root)
            result.revisions.extend(outside.revisions)
            result.findings.extend(outside.findings)
            continue
        try:
            tree = commit.tree / relative if relative != "." else commit.tree
        except KeyError:
            continue  # the directory does not exist at that ref
        for repo_path, blob in _blobs(tree, recursive):
            shown = display_path(worktree / repo_path, root)
            known = reuse(shown, blob.hexsha) if reuse is not None else None
            if known is not None:
                result.revisions.append(known)
                continue
            unreadable = _unreadable_blob(blob, ref)
            if unreadable is not None:
                result.findings.append(unreadable.finding(shown))
            elif blob.size > MAX_REVISION_FILE_BYTES:
                result.add(_oversized_blob(blob, shown, root))
            else:
                result.add(read_revision_source(blob.data_stream.read(), shown, modules))
    return result


def _oversized_blob(blob: Blob, shown: str, root: Path) -> Parsed:
    """A blob too large to parse, placed from its header as a working-tree file is
    (bounded_header), streamed from git a chunk at a time."""
    from alembic_sentinel.graph.bounded_header import placed_from_header

    stream = blob.data_stream
    try:
        return placed_from_header(stream.read, shown, root, read_revision_source, project_modules)
    finally:
        while stream.read(READ_CHUNK_BYTES):  # what was not read, never held at once
            pass


def _unreadable_blob(blob: Blob, ref: str) -> UnreadableFile | None:
    """Why a blob is not read as a revision file, as the working tree's reader would say it."""
    if blob.mode == _SYMLINK_MODE:
        return UnreadableFile(
            "F207",
            "unreadable-entry",
            f"a symbolic link at {ref}: its target is not read from git; the graph is incomplete",
            "commit the revision file itself rather than a link to it",
        )
    return None


def _blobs(tree: Tree, recursive: bool) -> Iterator[tuple[str, Blob]]:
    from git.objects import Blob

    items = tree.traverse() if recursive else tree.blobs
    for item in items:
        if not isinstance(item, Blob):
            continue
        path = str(item.path)
        # as Alembic's walk: a __pycache__ directory's own files are skipped, not its subdirectories
        if REVISION_FILE.match(item.name) and not _parent_name(path).endswith("__pycache__"):
            yield path, item


def _parent_name(path: str) -> str:
    return path.rsplit("/", 2)[-2] if path.count("/") else ""
