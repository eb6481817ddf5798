"""Re-parent this branch's new revisions onto another ref's head, in place.

The alternative to a merge revision while a branch's revisions have not been deployed anywhere:
rewrite their `down_revision` (and the docstring's `Revises:` line) so the history stays linear.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from alembic_sentinel.errors import Refused
from alembic_sentinel.graph.revision_check import Revisions
from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.graph.version_locations import MAX_REVISION_FILE_BYTES


class Reparent(NamedTuple):
    revision: RevisionFile
    old_parents: tuple[str, ...]
    new_parents: tuple[str, ...]


def plan_rebase(ours: Revisions, theirs: Revisions, ref: str) -> list[Reparent]:
    """Which of our own revisions get which new parents. Pure: nothing is written."""
    their_heads = theirs.graph.heads()
    if len(their_heads) != 1:
        raise Refused(
            f"{ref} has {len(their_heads)} heads ({', '.join(sorted(their_heads)) or 'none'}): "
            "merge them there first"
        )
    (target,) = their_heads
    own = set(ours.graph.revisions) - set(theirs.graph.revisions)
    plan = []
    for revision in ours.graph.revisions.values():
        if revision.revision not in own:
            continue
        parents = revision.down_revisions
        if not parents or target in parents:
            continue
        if all(parent in own for parent in parents):
            continue  # stacks on another of our revisions, which moves with it
        new_parents = (*(p for p in parents if p in own), target)
        plan.append(Reparent(revision, parents, new_parents))
    return plan


def require_rewritable(root: Path, plan: Sequence[Reparent]) -> None:
    """Refuse, before any file is written, a plan that rewrites a file too large to parse
    (F208: the graph has it from its header alone)."""
    for step in plan:
        path = root / step.revision.path
        if path.is_file() and path.stat().st_size > MAX_REVISION_FILE_BYTES:
            raise Refused(
                f"{step.revision.path}: too large to rewrite statically (over "
                f"{MAX_REVISION_FILE_BYTES // (1024 * 1024)} MiB): set its down_revision to "
                f"{', '.join(step.new_parents)} by hand"
            )


def apply_reparent(root: Path, step: Reparent) -> None:
    """Rewrite one file's down_revision value and Revises: line; all or nothing."""
    path = root / step.revision.path
    source = path.read_text(encoding="utf-8")
    updated = _replace_down_revision(source, step.new_parents)
    updated = _REVISES.sub(
        lambda match: f"{match.group(1)}{', '.join(step.new_parents)}", updated, count=1
    )
    temporary = path.with_name(f".{path.name}.sentinel-tmp")
    temporary.write_text(updated, encoding="utf-8")
    temporary.replace(path)


_REVISES = re.compile(r"^(\s*Revises:[ \t]*).*$", re.MULTILINE)


def _replace_down_revision(source: str, parents: tuple[str, ...]) -> str:
    tree = ast.parse(source)
    node: ast.expr | None = None
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets = [statement.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "down_revision" for t in targets):
            node = statement.value
    if node is None or node.end_lineno is None or node.end_col_offset is None:
        raise Refused("no down_revision assignment to rewrite")
    old_text = ast.get_source_segment(source, node) or ""
    quote = '"' if old_text.lstrip("([").startswith('"') else "'"
    if len(parents) == 1:
        new_text = f"{quote}{parents[0]}{quote}"
    else:
        new_text = "(" + ", ".join(f"{quote}{p}{quote}" for p in parents) + ")"
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode("utf-8")))
    data = source.encode("utf-8")
    start = offsets[node.lineno - 1] + node.col_offset
    end = offsets[node.end_lineno - 1] + node.end_col_offset
    return (data[:start] + new_text.encode("utf-8") + data[end:]).decode("utf-8")
