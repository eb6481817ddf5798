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

import hashlib
import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

from alembic_sentinel import __version__
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.report.model import Finding
from alembic_sentinel.settings import cache_directory

# the reader's format: raised whenever what it makes of the same bytes changes (2: identifiers
# bound other than by one plain top-level assignment are F203, a missing down_revision is F210;
# 3: `Revises: None` and a tuple `Revises: ('a', 'b')` read as what they mean; 4: the
# header-only reader leaves a syntax error below the declarations to lint and the engine verbs)
FORMAT = 5  # 5: file statuses beside the entries
# how long ago a file must have changed for its status to be trusted
RACY_SECONDS = 2
# a stale cache of another tool/Python version must never be read
STAMP = f"{FORMAT}:{__version__}:{sys.version_info[0]}.{sys.version_info[1]}"

Parsed = tuple["RevisionFile | None", "list[Finding]"]


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


class ParseCache:
    """Parsed revision files of one project, loaded once and saved only when something changed."""

    def __init__(self, root: Path, directory: Path | None = None) -> None:
        project = hashlib.sha256(str(root).encode()).hexdigest()[:16]
        self.path = (directory or cache_directory()) / f"revisions-{project}.json"
        self.entries: dict[str, Any] = {}
        self.statuses: dict[str, Any] = {}  # shown path -> [status..., content key]
        self._load()
        self.used: dict[str, Any] = {}
        self.used_statuses: dict[str, Any] = {}
        self.changed = False

    def _load(self) -> None:
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if not isinstance(document, dict) or document.get("stamp") != STAMP:
            return
        entries, statuses = document.get("entries"), document.get("statuses")
        self.entries = entries if isinstance(entries, dict) else {}
        self.statuses = statuses if isinstance(statuses, dict) else {}

    @staticmethod
    def status(path: str | os.PathLike[str]) -> list[int] | None:
        """What identifies a file's current version without reading it; None for anything but
        a regular file (read, and judged, the slow way)."""
        try:
            found = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(found.st_mode):
            return None
        return [found.st_ino, found.st_size, found.st_mode, found.st_mtime_ns, found.st_ctime_ns]

    def key_by_status(self, shown: str, status: list[int] | None) -> str | None:
        """The content key recorded for `shown` when its status is the recorded one."""
        known = self.statuses.get(shown)
        if status is None or not isinstance(known, list) or known[:-1] != status:
            return None
        key = known[-1]
        return key if isinstance(key, str) else None

    def remember(self, shown: str, status: list[int] | None, key: str) -> None:
        """Record `shown`'s status and content key, unless it changed too recently to trust."""
        if status is None or status[4] > time.time_ns() - RACY_SECONDS * 1_000_000_000:
            return
        self.used_statuses[shown] = [*status, key]
        if self.statuses.get(shown) != self.used_statuses[shown]:
            self.changed = True

    @staticmethod
    def key(path: str, content: bytes) -> str:
        return hashlib.sha1(path.encode() + b"\0" + content, usedforsecurity=False).hexdigest()

    def get(self, key: str) -> Parsed | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            parsed = _decode(entry)
        except (KeyError, TypeError, ValueError):
            return None
        self.used[key] = entry
        return parsed

    def put(self, key: str, parsed: Parsed) -> None:
        self.used[key] = _encode(parsed)
        self.changed = True

    def save(self) -> None:
        """Write the entries used by this run (so deleted files drop out); best effort."""
        if not self.changed and (len(self.used), len(self.used_statuses)) == (
            len(self.entries),
            len(self.statuses),
        ):
            return
        document = {"stamp": STAMP, "entries": self.used, "statuses": self.used_statuses}
        import tempfile  # only when something is written: not on the warm path

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w") as stream:
                json.dump(document, stream, separators=(",", ":"))
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only home directory only costs speed


def _encode(parsed: Parsed) -> list[Any]:
    revision, findings = parsed
    encoded_revision = None
    if revision is not None:
        encoded_revision = [
            revision.path,
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


def _decode(entry: list[Any]) -> Parsed:
    encoded_revision, encoded_findings = entry
    revision = None
    if encoded_revision is not None:
        path, rev, down, labels, depends, message, doc_id, doc_revises, lines = encoded_revision
        revision = RevisionFile(
            path=path,
            revision=rev,
            down_revisions=tuple(down),
            branch_labels=tuple(labels),
            depends_on=tuple(depends),
            message=message,
            doc_revision_id=doc_id,
            doc_revises=None if doc_revises is None else tuple(doc_revises),
            lines=dict(lines),
        )
    findings = [Finding(**item) for item in encoded_findings]
    return revision, findings
