"""`RevisionFile`: what one revision file declares, as the static reader found it; and the
identifiers it declares and the words that can rebind them, which every reader shares.

The reader (revision_files), its cache (revision_cache) and the graph (revision_graph) all
speak this one record; it lives apart so that none of them imports another just for the type.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from alembic_sentinel.report.model import Finding

NO_LINES: Mapping[str, int] = MappingProxyType({})
IDENTIFIERS = ("revision", "down_revision", "branch_labels", "depends_on")

MODULE_GETATTR = "__getattr__"
# names through which running code reaches the module's namespace: anywhere in the file they can
# rebind any module-level name (`exec("revision = 'x'")`, `globals()["revision"] = ...`)
NAMESPACE_WRITERS = frozenset({"exec", "eval", "globals", "__builtins__", "builtins"})
# the same, but only at module level (inside a function they mean the function's own locals)
MODULE_LEVEL_NAMESPACE = frozenset({"locals", "vars"})
FRAME_NAMESPACE = frozenset({"f_globals", "f_locals"})
# every word the checks above look for, for a cheap "nothing of interest here" test on raw text
WATCHED_WORDS = (MODULE_GETATTR, *NAMESPACE_WRITERS, *MODULE_LEVEL_NAMESPACE, *FRAME_NAMESPACE)


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


# what the reader makes of one file: the revision (None when it cannot be placed) and findings
Parsed = tuple["RevisionFile | None", "list[Finding]"]
