"""The revision graph, and what is wrong with it, from statically read revision files.

Heads, bases, merge points and branch points follow Alembic's `RevisionMap` exactly (a property
test feeds both the same random graphs):
- head: no revision names it in `down_revision` (`depends_on` does not count);
- base: `down_revision` is None;
- merge point: more than one `down_revision`;
- branch point: more than one revision names it in `down_revision`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.report.model import ERROR, WARNING, Finding

MERGE_FIX = "alembic-sentinel merge heads"
# what a revision id must look like to be proposed as the start of a file name (no `..`)
_PLAIN_ID = re.compile(r"[A-Za-z0-9_]+")


class RevisionGraph:
    def __init__(
        self,
        revisions: dict[str, RevisionFile],
        children: dict[str, list[str]],
        duplicates: list[tuple[RevisionFile, RevisionFile]],
        labels: dict[str, str],
    ) -> None:
        self.revisions = revisions
        self.children = children
        self.duplicates = duplicates
        self.labels = labels

    @classmethod
    def build(cls, files: Iterable[RevisionFile]) -> RevisionGraph:
        revisions: dict[str, RevisionFile] = {}
        duplicates = []
        for rev in files:
            if rev.revision in revisions:
                duplicates.append((revisions[rev.revision], rev))
            revisions[rev.revision] = rev  # the last one wins, as in Alembic's map
        children: dict[str, list[str]] = {rev: [] for rev in revisions}
        for rev in revisions.values():
            for parent in dict.fromkeys(rev.down_revisions):
                if parent in children:
                    children[parent].append(rev.revision)
        labels = {label: rev.revision for rev in revisions.values() for label in rev.branch_labels}
        return cls(revisions, children, duplicates, labels)

    def heads(self) -> list[str]:
        return [rev for rev, kids in self.children.items() if not kids]

    def bases(self) -> list[str]:
        return [rev for rev, f in self.revisions.items() if not f.down_revisions]

    def merge_points(self) -> list[str]:
        # counted as Alembic counts them: a repeated parent still makes a merge point
        return [rev for rev, f in self.revisions.items() if len(f.down_revisions) > 1]

    def branch_points(self) -> list[str]:
        return [rev for rev, kids in self.children.items() if len(kids) > 1]

    def ancestors(self, revision: str) -> set[str]:
        """Every revision reachable through `down_revision`, the revision itself included."""
        seen = {revision}
        stack = [revision]
        while stack:
            rev = self.revisions.get(stack.pop())
            if rev is None:
                continue
            for parent in rev.down_revisions:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    def common_ancestor(self, heads: Sequence[str]) -> str | None:
        """The nearest revision all `heads` descend from, or None when they share no ancestor."""
        ancestor_sets = [self.ancestors(h) for h in heads]
        common = set.intersection(*ancestor_sets) & set(self.revisions)
        if not common:
            return None
        # the nearest: the deepest one (no other common ancestor descends from it)
        depth = self.depths()
        return max(common, key=lambda rev: (depth.get(rev, 0), rev))

    def depths(self) -> dict[str, int]:
        """Longest distance from a base, for each revision not in or below a cycle (Kahn)."""
        pending = {
            rev: sum(1 for p in set(f.down_revisions) if p in self.revisions)
            for rev, f in self.revisions.items()
        }
        ready = [rev for rev, count in pending.items() if count == 0]
        depth = dict.fromkeys(ready, 0)
        longest: dict[str, int] = {}  # so far, for revisions with parents still pending
        while ready:
            rev = ready.pop()
            for child in self.children[rev]:
                longest[child] = max(longest.get(child, 0), depth[rev] + 1)
                pending[child] -= 1
                if pending[child] == 0:
                    depth[child] = longest[child]
                    ready.append(child)
        return depth

    def descendants(self, revision: str) -> set[str]:
        seen = {revision}
        stack = [revision]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def branch(self, head: str, stop: str | None) -> list[str]:
        """The revisions of `head`'s branch, newest first, back to (not including) `stop`.

        Newest first: every revision comes before its parents, also across merges inside the
        branch (a reversed depth-first post-order; a first parent follows its child).
        """
        excluded = self.ancestors(stop) if stop else set()
        members = self.ancestors(head) - excluded
        if head not in members:
            return []

        def parents(rev: str) -> Iterator[str]:
            file = self.revisions.get(rev)
            down = file.down_revisions if file is not None else ()
            return (p for p in reversed(down) if p in members)

        postorder: list[str] = []
        seen = {head}
        stack = [(head, parents(head))]
        while stack:
            rev, pending = stack[-1]
            for parent in pending:
                if parent not in seen:
                    seen.add(parent)
                    stack.append((parent, parents(parent)))
                    break
            else:
                stack.pop()
                postorder.append(rev)
        return postorder[::-1]

    def describe(self, revision: str) -> str:
        file = self.revisions.get(revision)
        return f"{revision} ({file.message})" if file is not None and file.message else revision


def analyze(graph: RevisionGraph) -> list[Finding]:
    """Every graph-level problem, most important first."""
    findings: list[Finding] = []
    findings += _duplicates(graph)
    findings += _label_clashes(graph)
    findings += _missing_parents(graph)
    findings += _unknown_dependencies(graph)
    # without depends_on, Kahn's order reaches every revision exactly when there is no cycle;
    # only then is the (costlier) search for the cycles themselves skipped
    acyclic = len(graph.depths()) == len(graph.revisions) and not any(
        rev.depends_on for rev in graph.revisions.values()
    )
    cycles = [] if acyclic else _cycles(graph)
    findings += cycles
    if not cycles:
        findings += _multiple_heads(graph)
        findings += _multiple_bases(graph)
    return findings


def check_declarations(files: Iterable[RevisionFile]) -> list[Finding]:
    """File-level consistency: docstring and file name agree with the code."""
    findings = []
    for rev in files:
        if rev.doc_revision_id is not None and rev.doc_revision_id != rev.revision:
            findings.append(
                Finding(
                    "F204",
                    "revision-id-mismatch",
                    WARNING,
                    f"docstring says Revision ID: {rev.doc_revision_id}, "
                    f"the code says revision = {rev.revision!r}",
                    rev.path,
                    rev.line,
                    "make the docstring match the code (the code is what Alembic uses)",
                )
            )
        if rev.doc_revises is not None and set(rev.doc_revises) != set(rev.down_revisions):
            shown = ", ".join(rev.down_revisions) or "nothing"
            findings.append(
                Finding(
                    "F205",
                    "revises-mismatch",
                    WARNING,
                    f"docstring says Revises: {', '.join(rev.doc_revises) or 'nothing'}, "
                    f"the code says down_revision = {shown}",
                    rev.path,
                    rev.lines.get("down_revision"),
                    "make the Revises: line match down_revision",
                )
            )
        filename = rev.path.rsplit("/", 1)[-1]
        if rev.revision not in filename:
            # an id that is no file name part (`../x`, a separator, a control character) must
            # not be proposed as one
            plain = _PLAIN_ID.fullmatch(rev.revision) is not None
            findings.append(
                Finding(
                    "F206",
                    "filename-mismatch",
                    WARNING,
                    f"file name does not contain its revision id {rev.revision!r}"
                    if not plain
                    else f"file name does not contain its revision id {rev.revision}",
                    rev.path,
                    rev.line,
                    f"rename it to {rev.revision}_<slug>.py"
                    if plain
                    else "give it a revision id of letters, digits and underscores "
                    "(and rename the file to start with it)",
                )
            )
    return findings


def _duplicates(graph: RevisionGraph) -> list[Finding]:
    return [
        Finding(
            "G103",
            "duplicate-revision",
            ERROR,
            f"revision {second.revision} is also declared in {first.path}",
            second.path,
            second.line,
            "give one of them a new revision id (and fix the revisions that point at it)",
        )
        for first, second in graph.duplicates
    ]


def _label_clashes(graph: RevisionGraph) -> list[Finding]:
    """Branch labels Alembic refuses: used twice, or equal to a revision id."""
    findings = []
    owners: dict[str, str] = {}
    for rev in graph.revisions.values():
        for label in rev.branch_labels:
            clash = owners.get(label) or (label if label in graph.revisions else None)
            if clash is not None:
                what = "revision" if clash == label else f"branch label of {clash}"
                findings.append(
                    Finding(
                        "G108",
                        "branch-label-clash",
                        ERROR,
                        f"branch label {label!r} of {rev.revision} is already a {what}",
                        rev.path,
                        rev.lines.get("branch_labels"),
                        "choose a branch label no other revision uses",
                    )
                )
            owners.setdefault(label, rev.revision)
    return findings


def _missing_parents(graph: RevisionGraph) -> list[Finding]:
    findings = []
    for rev in graph.revisions.values():
        for parent in rev.down_revisions:
            if parent not in graph.revisions:
                findings.append(
                    Finding(
                        "G102",
                        "missing-parent",
                        ERROR,
                        f"down_revision {parent} of {rev.revision} is not in any version location",
                        rev.path,
                        rev.lines.get("down_revision"),
                        "restore the missing revision file, or point down_revision at an "
                        "existing revision",
                    )
                )
    return findings


def _unknown_dependencies(graph: RevisionGraph) -> list[Finding]:
    findings = []
    for rev in graph.revisions.values():
        for dependency in rev.depends_on:
            if dependency not in graph.revisions and dependency not in graph.labels:
                findings.append(
                    Finding(
                        "G106",
                        "unknown-dependency",
                        ERROR,
                        f"depends_on {dependency} of {rev.revision} names no revision or branch "
                        "label",
                        rev.path,
                        rev.lines.get("depends_on"),
                        "fix or remove the depends_on entry",
                    )
                )
    return findings


def _cycles(graph: RevisionGraph) -> list[Finding]:
    """One finding per cycle through down_revision and depends_on (Alembic refuses both)."""

    def parents(rev: str) -> list[str]:
        file = graph.revisions[rev]
        deps = [graph.labels.get(d, d) for d in file.depends_on]
        return [p for p in (*file.down_revisions, *deps) if p in graph.revisions]

    # iterative Tarjan: strongly connected components of size > 1, or self-loops
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in graph.revisions:
        if start in index:
            continue
        work = [(start, iter(parents(start)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(parents(nxt))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in parents(node):
                    components.append(sorted(component))
    findings = []
    for component in components:
        first = graph.revisions[component[0]]
        findings.append(
            Finding(
                "G104",
                "cycle",
                ERROR,
                f"revisions form a cycle: {' -> '.join(component)}",
                first.path,
                first.lines.get("down_revision"),
                "break the cycle: one of these down_revision/depends_on entries is wrong",
            )
        )
    return findings


def unmerged_heads(graph: RevisionGraph) -> list[tuple[list[str], str | None]]:
    """Groups of heads that need a merge, each with their nearest common ancestor.

    Heads that share an ancestor need a merge, unless each head's branch carries its own branch
    label (Alembic's deliberate multiple branches). Heads with no common ancestor belong to
    separate bases, which `_multiple_bases` reports.
    """
    heads = graph.heads()
    if len(heads) < 2:
        return []
    needing_merge: list[tuple[list[str], str | None]] = []
    for cluster in _heads_by_shared_base(graph, heads):
        if len(cluster) < 2:
            continue
        ancestor = graph.common_ancestor(cluster)
        branch_labels = [
            {
                label
                for rev in graph.branch(head, ancestor)
                for label in graph.revisions[rev].branch_labels
            }
            for head in cluster
        ]
        distinct = sum(map(len, branch_labels)) == len(set().union(*branch_labels))
        if not (all(branch_labels) and distinct):
            needing_merge.append((cluster, ancestor))
    return needing_merge


def _heads_by_shared_base(graph: RevisionGraph, heads: list[str]) -> list[list[str]]:
    """Partition heads so that heads reachable from a common base end up together."""
    owner: dict[str, int] = {}  # base -> cluster index
    clusters: list[list[str]] = []
    for head in heads:
        bases = _bases_of(graph, head)
        joined = sorted({owner[b] for b in bases if b in owner})
        if not joined:
            clusters.append([head])
            index = len(clusters) - 1
        else:
            index = joined[0]
            clusters[index].append(head)
            for other in joined[1:]:  # this head links clusters that were apart so far
                clusters[index].extend(clusters[other])
                clusters[other] = []
                owner.update({b: index for b, i in owner.items() if i == other})
        owner.update(dict.fromkeys(bases, index))
    return [cluster for cluster in clusters if cluster]


def _bases_of(graph: RevisionGraph, revision: str) -> set[str]:
    """The oldest ancestors present: bases, and revisions whose parents are all missing (G102)."""
    return {
        rev
        for rev in graph.ancestors(revision)
        if rev in graph.revisions
        and not any(parent in graph.revisions for parent in graph.revisions[rev].down_revisions)
    }


# how many other heads one finding names: every finding naming every other head would make the
# output grow with the square of the head count (2,000 heads: 32 MB)
SHOWN_OTHERS = 3


def some_of(names: Sequence[str], limit: int = SHOWN_OTHERS, total: int | None = None) -> str:
    """The first `limit` names, then how many more of `total` (default: all `names`) there are:
    "a, b, c and 1997 more"."""
    count = len(names) if total is None else total
    shown = ", ".join(names[:limit])
    return f"{shown} and {count - limit} more" if count > limit else shown


def _multiple_heads(graph: RevisionGraph) -> list[Finding]:
    findings = []
    for heads, ancestor in unmerged_heads(graph):
        since = f"since {ancestor}" if ancestor else "with no common ancestor"
        for head in heads:
            branch = graph.branch(head, ancestor)
            file = graph.revisions[head]
            nearby = [h for h in heads[: SHOWN_OTHERS + 1] if h != head]
            others = some_of(nearby, total=len(heads) - 1)
            findings.append(
                Finding(
                    "G101",
                    "multiple-heads",
                    ERROR,
                    f"head {graph.describe(head)} is one of {len(heads)} heads (also {others}); "
                    f"its branch {since}: {' <- '.join(branch)}",
                    file.path,
                    file.line,
                    MERGE_FIX,
                )
            )
    return findings


def _multiple_bases(graph: RevisionGraph) -> list[Finding]:
    bases = graph.bases()
    if len(bases) < 2:
        return []
    findings = []
    # labelled bases are deliberate independent branches; of the others, the oldest-looking one
    # (the one with the most descendants) is the legitimate one
    unlabelled = [base for base in bases if not graph.revisions[base].branch_labels]
    if len(unlabelled) < 2:
        return []
    sizes = {base: len(graph.descendants(base)) for base in unlabelled}
    main_base = max(unlabelled, key=lambda b: (sizes[b], b))
    for base in unlabelled:
        file = graph.revisions[base]
        if base == main_base:
            continue
        findings.append(
            Finding(
                "G105",
                "multiple-bases",
                ERROR,
                f"revision {graph.describe(base)} has down_revision = None: a second base "
                f"besides {main_base}",
                file.path,
                file.lines.get("down_revision"),
                "set down_revision to the revision it builds on (or give this independent "
                "branch a branch_labels name)",
            )
        )
    return findings
