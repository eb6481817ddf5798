"""A cache of what the static reader made of each revision file, keyed by path and content.

Parsing is most of the cost of a heads check (about 0.4 ms per file); reading and hashing a file
costs a few microseconds. The cache plays the part `__pycache__` plays for `alembic heads`: a
file whose bytes are unchanged is not parsed again. It can only be stale if its key is, and the
key is the file's display path, its exact content, the tool version and the Python version; a
cache file that cannot be read or does not match is ignored (and rewritten), never trusted.

As git's index does, it also remembers each file's status (inode, size, mode, mtime and ctime in
nanoseconds) next to its content key, so a file whose status is unchanged is not even read. Any
write changes the ctime, which no tool can set back; a status is remembered only when the file
was last changed more than RACY_SECONDS before, so a write in the same clock tick as the
reading cannot go unseen.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic_sentinel import __version__
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.graph.revision_file import Parsed, RevisionFile
from alembic_sentinel.report.model import Finding
from alembic_sentinel.settings import cache_directory, project_key

# the reader's format: raised whenever what it makes of the same bytes changes (2: identifiers
# bound other than by one plain top-level assignment are F203, a missing down_revision is F210;
# 3: `Revises: None` and a tuple `Revises: ('a', 'b')` read as what they mean; 4: the
# header-only reader leaves a syntax error below the declarations to lint and the engine verbs)
FORMAT = 6  # 5: file statuses beside the entries; 6: one entry per path, the project root
# how long ago a file must have changed for its status to be trusted
RACY_SECONDS = 2
# a stale cache of another tool/Python version must never be read
STAMP = f"{FORMAT}:{__version__}:{sys.version_info[0]}.{sys.version_info[1]}"


def usable_cache_directory(*parts: str) -> Path:
    """`cache_directory() / parts`, created; a ConfigError naming the variable when it cannot
    be (XDG_CACHE_HOME=/dev/null, a read-only home)."""
    directory = cache_directory().joinpath(*parts)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        where = "XDG_CACHE_HOME" if os.environ.get("XDG_CACHE_HOME") else "the home directory"
        raise ConfigError(
            f"{where}: cannot create the cache directory {directory}: {exc.strerror}"
        ) from None
    return directory


def file_status(path: str | os.PathLike[str]) -> list[int] | None:
    """What identifies a file's current version without reading it (inode, size, mode, mtime
    and ctime in ns); None for anything but a regular file (read, and judged, the slow way)."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return [found.st_ino, found.st_size, found.st_mode, found.st_mtime_ns, found.st_ctime_ns]


def settled_before() -> int:
    """The ctime (ns) a file must be older than for its status to vouch for its content."""
    return time.time_ns() - RACY_SECONDS * 1_000_000_000


class ParseCache:
    """Parsed revision files of one project, loaded once and saved only when something changed.

    One entry per file, by its display path: [content key, status or None, what was parsed].
    """

    def __init__(
        self,
        root: Path,
        directory: Path | None = None,
        statuses: Mapping[str, list[int]] | None = None,
    ) -> None:
        """`statuses`: file statuses the caller took a moment ago (not taken again)."""
        self.root = str(root)
        self._taken = statuses or {}
        self.path = (directory or cache_directory()) / f"revisions-{project_key(root)}.json"
        self.files: dict[str, Any] = {}
        self._load()
        self.used: dict[str, Any] = {}
        self.changed = False
        # a status is trusted only for a file last changed before this (read once, not per file)
        self._settled_before = settled_before()

    def _load(self) -> None:
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if not isinstance(document, dict) or document.get("stamp") != STAMP:
            return
        if document.get("root") != self.root:  # another project's, by a project_key collision
            return
        files = document.get("files")
        self.files = files if isinstance(files, dict) else {}

    def status(self, path: str | os.PathLike[str]) -> list[int] | None:
        taken = self._taken.get(os.fspath(path))
        return taken if taken is not None else file_status(path)

    def by_status(self, shown: str, status: list[int] | None) -> Parsed | None:
        """What `shown` was parsed as, when its status is the recorded one: not even read."""
        entry = self.files.get(shown)
        if status is None or not isinstance(entry, list) or len(entry) != 3:
            return None
        if entry[1] != status:
            return None
        return self._use(shown, entry)

    def by_key(self, shown: str, key: str) -> Parsed | None:
        """What `shown` was parsed as, when its content key is the recorded one."""
        entry = self.files.get(shown)
        if not isinstance(entry, list) or len(entry) != 3 or entry[0] != key:
            return None
        return self._use(shown, entry)

    def _use(self, shown: str, entry: list[Any]) -> Parsed | None:
        try:
            parsed = _decode(shown, entry[2])
        except (KeyError, TypeError, ValueError):
            return None
        self.used[shown] = entry
        return parsed

    def store(self, shown: str, status: list[int] | None, key: str, parsed: Parsed) -> None:
        """Record what `shown` (whose content key is `key`) was parsed as, with its status
        unless it changed too recently to trust."""
        if status is not None and status[4] > self._settled_before:
            status = None
        entry = [key, status, _encode(parsed)]
        if self.files.get(shown) != entry:
            self.changed = True
        self.used[shown] = entry

    @staticmethod
    def key(path: str, content: bytes) -> str:
        import hashlib  # only for a file read: a warm run reads none

        return hashlib.sha1(path.encode() + b"\0" + content, usedforsecurity=False).hexdigest()

    def save(self) -> None:
        """Write the entries used by this run (so deleted files drop out); best effort."""
        if not self.changed and len(self.used) == len(self.files):
            return
        document = {"stamp": STAMP, "root": self.root, "files": self.used}
        # dumps, not dump: only the one-shot encoder is the C one (5x faster here)
        write_cache_file(self.path, json.dumps(document, separators=(",", ":")))


def write_cache_file(path: Path, text: str) -> None:
    """Replace the cache file `path` with `text`, whole or not at all, readable by its owner
    only; best effort: a read-only cache directory only costs speed."""
    import tempfile  # only when something is written: not on the warm path

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _encode(parsed: Parsed) -> list[Any]:
    revision, findings = parsed
    encoded_revision = None
    if revision is not None:
        encoded_revision = [
            revision.revision,
            list(revision.down_revisions),
            list(revision.branch_labels),
            list(revision.depends_on),
            revision.message,
            revision.doc_revision_id,
            None if revision.doc_revises is None else list(revision.doc_revises),
            dict(revision.lines),
        ]
    return [encoded_revision, [finding.as_dict() for finding in findings]]


def _decode(shown: str, entry: list[Any]) -> Parsed:
    encoded_revision, encoded_findings = entry
    revision = None
    if encoded_revision is not None:
        rev, down, labels, depends, message, doc_id, doc_revises, lines = encoded_revision
        if not isinstance(lines, dict):
            raise TypeError("lines")
        revision = RevisionFile(
            shown,
            rev,
            tuple(down),
            tuple(labels),
            tuple(depends),
            message,
            doc_id,
            None if doc_revises is None else tuple(doc_revises),
            lines,
        )
    findings = [Finding(**item) for item in encoded_findings] if encoded_findings else []
    return revision, findings
