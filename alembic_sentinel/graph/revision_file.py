"""`RevisionFile`: what one revision file declares, as the static reader found it.

The reader (revision_files), its cache (revision_cache) and the graph (revision_graph) all
speak this one record; it lives apart so that none of them imports another just for the type.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

NO_LINES: Mapping[str, int] = MappingProxyType({})


class RevisionFile(NamedTuple):
    """What a revision file declares, with the line of each declaration."""

    path: str
    revision: str
    down_revisions: tuple[str, ...]
    branch_labels: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    message: str = ""
    doc_revision_id: str | None = None
    doc_revises: tuple[str, ...] | None = None
    lines: Mapping[str, int] = NO_LINES

    @property
    def line(self) -> int | None:
        return self.lines.get("revision")
