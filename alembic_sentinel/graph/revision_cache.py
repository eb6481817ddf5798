"""A cache of what the static reader made of each revision file, keyed by path and content.

Parsing is most of the cost of a heads check (about 0.4 ms per file); reading and hashing a file
costs a few microseconds. The cache plays the part `__pycache__` plays for `alembic heads`: a
file whose bytes are unchanged is not parsed again. It can only be stale if its key is, and the
key is the file's display path, its exact content, the tool version and the Python version; a
cache file that cannot be read or does not match is ignored (and rewritten), never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from alembic_sentinel import __version__
from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.report.model import Finding

# the reader's format: raised whenever what it makes of the same bytes changes (2: identifiers
# bound other than by one plain top-level assignment are F203, a missing down_revision is F210;
# 3: `Revises: None` and a tuple `Revises: ('a', 'b')` read as what they mean; 4: the
# header-only reader leaves a syntax error below the declarations to lint and the engine verbs)
FORMAT = 4
# a stale cache of another tool/Python version must never be read
STAMP = f"{FORMAT}:{__version__}:{sys.version_info[0]}.{sys.version_info[1]}"

Parsed = tuple["RevisionFile | None", "list[Finding]"]


def cache_directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "alembic-sentinel"


class ParseCache:
    """Parsed revision files of one project, loaded once and saved only when something changed."""

    def __init__(self, root: Path, directory: Path | None = None) -> None:
        project = hashlib.sha256(str(root).encode()).hexdigest()[:16]
        self.path = (directory or cache_directory()) / f"revisions-{project}.json"
        self.entries: dict[str, Any] = self._load()
        self.used: dict[str, Any] = {}
        self.changed = False

    def _load(self) -> dict[str, Any]:
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(document, dict) or document.get("stamp") != STAMP:
            return {}
        entries = document.get("entries")
        return entries if isinstance(entries, dict) else {}

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
        if not self.changed and len(self.used) == len(self.entries):
            return
        document = {"stamp": STAMP, "entries": self.used}
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
