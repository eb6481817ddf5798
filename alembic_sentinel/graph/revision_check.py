"""The revision-graph check: read the revision files, analyze the graph, build a `Report`.

Used by `alembic-sentinel heads`/`graph` and the `alembic-heads` hook. Reads files statically;
imports nothing heavier than the standard library (gitpython only for `--against`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from alembic_sentinel.errors import Refused
from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.graph.revision_files import ReadResult, read_revision_files
from alembic_sentinel.graph.revision_graph import (
    MERGE_FIX,
    SHOWN_OTHERS,
    RevisionGraph,
    analyze,
    check_declarations,
    some_of,
    unmerged_heads,
)
from alembic_sentinel.graph.version_locations import (
    Listing,
    working_tree_listing,
)
from alembic_sentinel.report.model import ERROR, Finding, Report
from alembic_sentinel.settings import Settings


class Revisions:
    """The revision files of one tree (working tree or git ref) and the graph they form."""

    def __init__(self, read: ReadResult, graph: RevisionGraph) -> None:
        self.read = read
        self.graph = graph

    @classmethod
    def of(cls, read: ReadResult) -> Revisions:
        return cls(read, RevisionGraph.build(read.revisions))


def working_tree_revisions(
    settings: Settings,
    listing: Listing | None = None,
    statuses: Mapping[str, list[int]] | None = None,
) -> Revisions:
    """The working tree's revisions (`listing` and the files' `statuses`, when the caller has
    them already, are not taken again)."""
    from alembic_sentinel.graph.revision_cache import ParseCache

    if listing is None:
        listing = working_tree_listing(settings)
    cache = ParseCache(settings.root, statuses=statuses)
    read = read_revision_files(listing.paths, settings.root, cache)
    cache.save()
    read.findings[:0] = listing.findings
    return Revisions.of(read)


def ref_revisions(settings: Settings, ref: str, reuse_from: Revisions | None = None) -> Revisions:
    """The revision files at a git ref; files identical to `reuse_from`'s are not read again."""
    from alembic_sentinel.graph import git_revisions

    reuse = None
    if reuse_from is not None:
        from alembic_sentinel.graph.revision_changes import working_tree_digests

        by_path = {rev.path: rev for rev in reuse_from.read.revisions}
        digests = working_tree_digests(settings.root, by_path)

        def reuse(shown: str, blob_id: str) -> RevisionFile | None:
            return by_path[shown] if digests.get(shown) == blob_id else None

    repo = git_revisions.open_repo(settings.root)
    read = git_revisions.read_at_ref(
        repo,
        ref,
        settings.version_locations,
        settings.root,
        settings.recursive_version_locations,
        reuse,
    )
    return Revisions.of(read)


# errors after which the static graph is unknown: a revision file the static reader could not
# read (its place in the graph is unknown: unplaced_findings), a missing parent, a duplicate id,
# a cycle
BROKEN_HISTORY_CODES = (
    *("F201", "F202", "F203", "F207", "F208", "F209", "F210"),
    *("G102", "G103", "G104", "G108"),
)
# of those, what makes Alembic's own answer wrong or order-dependent: a file Python cannot
# compile, a missing parent, a duplicate id (Alembic keeps one of the two), a cycle, a label
# used twice. The static reader's own limits (F202, F203, F207-F210) do not stop Alembic.
ALEMBIC_BROKEN_CODES = ("F201", "G102", "G103", "G104", "G108")


def unplaced_findings(read: ReadResult) -> list[Finding]:
    """The reader's findings about files it left out of the graph: an error about a file it
    placed all the same (F208 for one too large to parse, placed from its header) leaves the
    graph whole."""
    placed = {revision.path for revision in read.revisions}
    return [finding for finding in read.findings if finding.path not in placed]


def refuse_missing_parents(settings: Settings, revisions: Revisions) -> None:
    """Refuse, in one line, a history whose graph is broken, as `heads` reports it.

    A down_revision that has no file: Alembic only warns about it, then fails with a KeyError
    deep in its revision map. It happens right after `alembic-sentinel rebase --onto REF`,
    until REF is merged. A duplicate revision id: Alembic warns and keeps one of the two, so
    its answer depends on the order it read them. A cycle: Alembic fails without saying
    where. Every engine verb asks this first, so it agrees with `heads`; the static reader
    answers from its parse cache.
    """
    _refuse_missing_parents(settings, revisions)
    report = graph_report(settings, revisions, "check")
    broken = [f for f in report.findings if f.code in ALEMBIC_BROKEN_CODES and f.severity == ERROR]
    if broken:
        first = broken[0]
        more = f" (and {len(broken) - 1} more: `alembic-sentinel heads` lists them)"
        raise Refused(
            f"{first.location()}: {first.code} {first.message}"
            + (more if len(broken) > 1 else "")
            + (f"; fix: {first.fix}" if first.fix else "")
        )


def _refuse_missing_parents(settings: Settings, revisions: Revisions) -> None:
    graph = revisions.graph
    for revision in graph.revisions.values():
        for parent in revision.down_revisions:
            if parent not in graph.revisions:
                versions = ", ".join(settings.show(p) for p in settings.version_locations)
                raise Refused(
                    f"{revision.path}: {revision.revision} revises {parent}, which is not in "
                    f"{versions}: merge the branch that has it (after `alembic-sentinel rebase "
                    f"--onto REF`: `git merge REF`), or point down_revision at a revision here"
                )


def graph_report(settings: Settings, revisions: Revisions, command: str) -> Report:
    graph = revisions.graph
    findings = [
        *revisions.read.findings,
        *check_declarations(revisions.read.revisions),
        *analyze(graph),
    ]
    heads = sorted(graph.heads())
    report = Report(
        command=command,
        findings=findings,
        facts={
            "migrations": settings.show(settings.migrations),
            "revisions": len(graph.revisions),
            "heads": heads,
            "bases": sorted(graph.bases()),
            "merge_points": sorted(graph.merge_points()),
            "branch_points": sorted(graph.branch_points()),
        },
    )
    report.summary = [f"{head} (head) {_message(graph, head)}".rstrip() for head in heads]
    unread = sorted(
        {
            f.path or "?"
            for f in unplaced_findings(revisions.read)
            if f.code.startswith("F") and f.severity == ERROR
        }
    )
    report.facts["heads_known"] = not unread
    if unread:
        # a file Alembic loads but this reader cannot place: the graph without it is not the
        # one Alembic builds, so its heads are not printed as if they were
        shown = ", ".join(unread[:3]) + (f" and {len(unread) - 3} more" if len(unread) > 3 else "")
        report.summary = [
            f"heads unknown: {len(unread)} revision file{'s' if len(unread) != 1 else ''} "
            f"could not be read ({shown}); the findings say why"
        ]
        return report
    if command == "graph":
        report.summary = [
            f"{len(graph.revisions)} revisions in {settings.show(settings.migrations)}",
            *[f"head:         {graph.describe(rev)}" for rev in heads],
            *[f"base:         {graph.describe(rev)}" for rev in sorted(graph.bases())],
            *[f"merge point:  {graph.describe(rev)}" for rev in sorted(graph.merge_points())],
            *[f"branch point: {graph.describe(rev)}" for rev in sorted(graph.branch_points())],
        ]
    return report


def _message(graph: RevisionGraph, revision: str) -> str:
    file = graph.revisions.get(revision)
    return file.message if file is not None else ""


def merged_with(ours: Revisions, theirs: Revisions) -> Revisions:
    """The revision files a git merge of the two trees would hold (ours wins per path)."""
    by_path: dict[str, RevisionFile] = {rev.path: rev for rev in theirs.read.revisions}
    by_path.update({rev.path: rev for rev in ours.read.revisions})
    return Revisions.of(ReadResult(revisions=list(by_path.values())))


def collision_findings(ours: Revisions, theirs: Revisions, ref: str) -> list[Finding]:
    """The heads a merge with `ref` would leave, as findings on this branch's head files."""
    merged = merged_with(ours, theirs)
    theirs_ids = set(theirs.graph.revisions)
    findings = []
    for heads, ancestor in unmerged_heads(merged.graph):
        if set(heads) <= theirs_ids:
            continue  # the collision is already on `ref`; not this branch's doing
        # a few of the heads, not all: every finding naming every head grows as the square
        names = some_of(
            [f"{h} ({'on ' + ref if h in theirs_ids else 'this branch'})" for h in heads],
            SHOWN_OTHERS + 1,
        )
        for head in heads:
            if head in theirs_ids:
                continue
            file = merged.graph.revisions[head]
            since = f" since {ancestor}" if ancestor else ""
            findings.append(
                Finding(
                    "G107",
                    "merge-would-create-heads",
                    ERROR,
                    f"merging {ref} would leave {len(heads)} heads{since}: {names}",
                    file.path,
                    file.line,
                    f"alembic-sentinel rebase --onto {ref} (revisions not deployed yet), or "
                    f"merge and run `{MERGE_FIX}`",
                )
            )
    return findings


def heads_report(
    settings: Settings, command: str, against: str | Sequence[str] | None = None
) -> Report:
    """The graph of the working tree; with `against` (a ref, or several: a push is checked
    against the upstream and the remote's default branch) also the heads a merge with each
    would leave."""
    refs = [against] if isinstance(against, str) else list(against or ())
    ours = working_tree_revisions(settings)
    report = graph_report(settings, ours, command)
    if not refs:
        return report
    merged = ours
    for ref in refs:
        theirs = ref_revisions(settings, ref)
        merged = merged_with(merged, theirs)
        report.findings.extend(collision_findings(ours, theirs, ref))
    # A parent only a ref declares (this branch was re-parented onto it with `rebase --onto`)
    # is there once the two are merged: not missing for this check.
    still_missing = {(f.path, f.message) for f in analyze(merged.graph) if f.code == "G102"}
    report.findings = [
        f for f in report.findings if f.code != "G102" or (f.path, f.message) in still_missing
    ]
    after = sorted(merged.graph.heads())
    report.facts["against"] = refs[0] if len(refs) == 1 else refs
    report.facts["heads_after_merge"] = after
    # the text says what the JSON says: this branch alone may show heads that the merge
    # resolves (a parent only `against` has), or a single head where it would leave several
    noun = "head" if len(after) == 1 else "heads"
    described = ", ".join(merged.graph.describe(head) for head in after) or "none"
    report.summary.append(
        f"after a merge with {' and '.join(refs)}: {len(after)} {noun}: {described}"
    )
    return report
