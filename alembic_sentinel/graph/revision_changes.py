"""What a pull request does to the revision history: which revisions it adds, which it edits.

By revision id: a revision whose id the base branch does not have is new; one the base branch has
with other bytes was edited after it was merged (and perhaps deployed), which no database that
already ran it will ever see. The comparison is pure, given both sides' files and a digest of
each file's bytes; reading the digests (git objects, the working tree) sits at the bottom.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.graph.revision_files import ReadResult
from alembic_sentinel.graph.revision_graph import RevisionGraph
from alembic_sentinel.graph.version_locations import READ_CHUNK_BYTES
from alembic_sentinel.report.model import ERROR, Finding


class RevisionChanges(NamedTuple):
    new: list[RevisionFile]  # in upgrade order (parents first)
    edited: list[RevisionFile]  # the pull request's file
    # the heads of the revisions both sides have: the base branch's heads when this branch is
    # up to date with it (e.g. GitHub's merge commit), else as far as this branch's files go
    shared_heads: list[str]


def compare(
    ours: ReadResult,
    theirs: ReadResult,
    our_digests: Mapping[str, str],
    their_digests: Mapping[str, str],
) -> RevisionChanges:
    """New and edited revisions; the digests map each side's paths to a hash of the file."""
    base = {revision.revision: revision for revision in theirs.revisions}
    new = [revision for revision in ours.revisions if revision.revision not in base]
    graph = RevisionGraph.build(ours.revisions)
    depth = graph.depths()
    new.sort(key=lambda revision: (depth.get(revision.revision, 0), revision.revision))
    edited = [
        revision
        for revision in ours.revisions
        if revision.revision in base
        and our_digests.get(revision.path) != their_digests.get(base[revision.revision].path)
    ]
    edited.sort(key=lambda revision: revision.path)
    shared_heads = sorted(
        revision
        for revision in graph.revisions
        if revision in base and not any(child in base for child in graph.children[revision])
    )
    return RevisionChanges(new, edited, shared_heads)


def edited_findings(changes: RevisionChanges, base_ref: str) -> list[Finding]:
    return [
        Finding(
            "C501",
            "edited-merged-revision",
            ERROR,
            f"revision {revision.revision} exists on {base_ref} and was edited here: databases "
            "that already ran it will never run the new version",
            revision.path,
            revision.line,
            f"restore the file as it is on {base_ref} (`git checkout {base_ref} -- "
            f"{revision.path}`) and put the change in a new revision",
        )
        for revision in changes.edited
    ]


def git_blob_id(data: bytes) -> str:
    """The id git gives a blob with these bytes (what a tree entry names)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def working_tree_digests(root: Path, paths: Iterable[str]) -> dict[str, str]:
    digests = {}
    for path in paths:
        try:
            digests[path] = file_blob_id(root / path)
        except OSError:
            continue
    return digests


def file_blob_id(path: Path) -> str:
    """git_blob_id of a file's bytes, read a chunk at a time: the graph may hold a file too
    large to read whole (F208, placed from its header)."""
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        digest = hashlib.sha1(b"blob %d\0" % size, usedforsecurity=False)
        read = 0
        for chunk in iter(lambda: stream.read(READ_CHUNK_BYTES), b""):
            digest.update(chunk)
            read += len(chunk)
    if read != size:  # changed while read: no id git would give it
        raise OSError("changed while read")
    return digest.hexdigest()


def ref_digests(root: Path, ref: str, paths: Iterable[str]) -> dict[str, str]:
    """The blob id of each path (relative to `root`) as committed at `ref`, without reading the
    blobs: a directory's tree lists its entries' ids."""
    from alembic_sentinel.graph import git_revisions

    repo = git_revisions.open_repo(root)
    commit = repo.commit(git_revisions.resolve_ref(repo, ref))
    worktree = Path(repo.working_tree_dir or ".").resolve()
    by_directory: dict[str, dict[str, str]] = {}
    digests = {}
    for path in paths:
        try:
            relative = (root / path).resolve().relative_to(worktree)
        except ValueError:
            # outside the repository: the same at every ref (git_revisions.read_at_ref)
            digests.update(working_tree_digests(root, [path]))
            continue
        directory = relative.parent.as_posix()
        if directory not in by_directory:
            try:
                tree = commit.tree / directory if directory != "." else commit.tree
                by_directory[directory] = {blob.name: blob.hexsha for blob in tree.blobs}
            except KeyError:
                by_directory[directory] = {}
        blob_id = by_directory[directory].get(relative.name)
        if blob_id is not None:
            digests[path] = blob_id
    return digests
