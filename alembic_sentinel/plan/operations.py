"""The schema changes a range of revisions applies, in the order Alembic applies them.

Static, like `lint`: the revision files are read with the lint reader (never imported), the
order comes from the revision graph (a revision after all of its parents), and every `op.*`
call of each `upgrade()` becomes the online-DDL changes `lint.ddl.ddl_changes` gives it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from alembic_sentinel.errors import ConfigError
from alembic_sentinel.graph.revision_graph import RevisionGraph
from alembic_sentinel.graph.version_locations import UnreadableFile, read_source
from alembic_sentinel.lint.ddl import ddl_changes
from alembic_sentinel.lint.online_ddl import DdlChange
from alembic_sentinel.lint.revision_model import Operation, RevisionModule

BASE = "base"


class PlannedChange(NamedTuple):
    """One change of one operation of one revision."""

    revision: str
    path: str  # as shown: relative to the project root
    op: Operation
    change: DdlChange
    label: str  # what it is about: "invoice.note", "invoice.ix_invoice_total"
    table: str | None


class RevisionChanges(NamedTuple):
    revision: str
    path: str
    source: bytes
    module: RevisionModule
    changes: tuple[PlannedChange, ...]


def resolve_revision(graph: RevisionGraph, given: str, option: str) -> str:
    """A full revision id from an id, a unique prefix or a branch label."""
    if given in graph.revisions or given == BASE:
        return given
    if given in graph.labels:
        return graph.labels[given]
    matches = [rev for rev in graph.revisions if rev.startswith(given)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ConfigError(f"{option} {given}: no such revision")
    raise ConfigError(f"{option} {given}: ambiguous, matches {', '.join(sorted(matches))}")


def revisions_to_apply(
    graph: RevisionGraph, applied: Sequence[str], targets: Sequence[str]
) -> list[str]:
    """The revisions an upgrade from `applied` (the version table's) to `targets` runs, parents
    first: the targets' ancestors that are not the applied revisions' ancestors."""
    done: set[str] = set()
    for revision in applied:
        if revision != BASE:
            done |= graph.ancestors(revision)
    wanted: set[str] = set()
    for target in targets:
        wanted |= graph.ancestors(target)
    depth = graph.depths()
    pending = (wanted - done) & set(graph.revisions)
    return sorted(pending, key=lambda rev: (depth.get(rev, 0), rev))


def read_changes(
    graph: RevisionGraph, revisions: Sequence[str], root: Path
) -> tuple[list[RevisionChanges], list[str]]:
    """Each revision's changes, and one line per revision file that could not be read."""
    from alembic_sentinel.lint.revision_reader import read_revision_module

    result: list[RevisionChanges] = []
    unreadable: list[str] = []
    for revision in revisions:
        file = graph.revisions[revision]
        path = Path(file.path) if Path(file.path).is_absolute() else root / file.path
        shown = _shown(path, root)
        try:
            # never a file too large to parse (F208): the graph may hold one, from its header
            source = read_source(path)
            module = read_revision_module(source, shown)
        except UnreadableFile as problem:
            why = "too large to read statically (F208)" if problem.code == "F208" else None
            unreadable.append(f"{shown}: not planned: {why or problem.message}")
            continue
        except (OSError, SyntaxError, ValueError) as exc:
            unreadable.append(f"{shown}: not planned: {exc}")
            continue
        changes = []
        upgrade = module.upgrade
        for op in upgrade.operations if upgrade is not None else ():
            for change, label in ddl_changes(op, module):
                changes.append(
                    PlannedChange(revision, shown, op, change, label, _table(op, change, label))
                )
        result.append(RevisionChanges(revision, shown, source, module, tuple(changes)))
    return result, unreadable


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _table(op: Operation, change: DdlChange, label: str) -> str | None:
    if op.table:
        return op.table
    if change.kind == "execute" or not label:
        return None
    # raw ALTER TABLE: "table.column" or the table alone
    return label.split(".", 1)[0] or None
