"""The last `heads`/`graph` answer for a working tree, read back while no revision file changed.

The parse cache (revision_cache) spares parsing, but a warm run still decodes an entry per file
and rebuilds and analyzes the graph: about two thirds of a warm `heads` at 1,000 revisions. The
answer is a function of the listed files' bytes and of the settings that place and show them;
when every listed file has the status it had when the answer was computed (the parse cache's
test: inode, size, mode, mtime and ctime in nanoseconds, each file settled RACY_SECONDS before
the answer was written) and those settings are the same, the answer is the same.

Never recorded: an answer with `--against` (it depends on git refs), a listing with entries the
static reader cannot read, or a history with a star import (its reading depends on which
modules the project root holds, which no file status shows).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic_sentinel.graph import revision_cache
from alembic_sentinel.graph.version_locations import shown_path, working_tree_listing
from alembic_sentinel.report.model import Report, report_document, report_from_document
from alembic_sentinel.settings import Settings, cache_directory, project_key

# the commands whose answer is recorded (`cache clear` drops each)
ANSWERED_COMMANDS = ("heads", "graph")


class FileStatuses:
    """The status of every listed file, as one string, and whether all of them are settled."""

    def __init__(self, text: str, settled: bool, by_path: dict[str, list[int]]) -> None:
        self.text = text
        self.settled = settled
        self.by_path = by_path  # for the parse cache, on a miss: each file is stat'ed once

    @classmethod
    def of(
        cls, paths: Sequence[str], shown: Sequence[str], settled_before: int
    ) -> FileStatuses | None:
        """None when a file cannot be stat'ed or is not a regular file (read the slow way)."""
        parts = []
        settled = True
        by_path = {}
        for path, name in zip(paths, shown):
            status = revision_cache.file_status(path)
            if status is None:
                return None
            settled = settled and status[4] <= settled_before
            by_path[path] = status
            # NUL separates: it is the one character no path can hold
            parts.append(f"{name}\0{' '.join(map(str, status))}")
        return cls("\0".join(parts), settled, by_path)


def answer_context(settings: Settings, command: str) -> list[Any]:
    """Everything besides the files that shapes the answer: the tool, the command, and where
    the settings place the revisions and how they show them."""
    return [
        revision_cache.STAMP,
        command,
        str(settings.root),
        settings.show(settings.migrations),
        [str(location) for location in settings.version_locations],
        settings.recursive_version_locations,
        settings.alembic_options.get("sourceless") == "true",
    ]


class AnswerCache:
    """One recorded answer per project root and command."""

    def __init__(self, settings: Settings, command: str, directory: Path | None = None) -> None:
        self.context = answer_context(settings, command)
        name = f"answer-{command}-{project_key(settings.root)}.json"
        self.path = (directory or cache_directory()) / name

    def load(self, statuses: FileStatuses) -> Report | None:
        """The recorded answer when it was computed from files of exactly these statuses."""
        try:
            document = json.loads(self.path.read_bytes())
            if document["context"] != self.context or document["statuses"] != statuses.text:
                return None
            return report_from_document(document["report"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, statuses: FileStatuses, report: Report) -> None:
        """Record `report` as the answer for these statuses; best effort, never half a file."""
        if not statuses.settled:
            return  # a file written in the last RACY_SECONDS may change within the same tick
        document = {
            "context": self.context,
            "statuses": statuses.text,
            "report": report_document(report),
        }
        revision_cache.write_cache_file(self.path, json.dumps(document, separators=(",", ":")))


def working_tree_answer(settings: Settings, command: str) -> Report:
    """The working tree's graph report, read back from the answer cache while no listed file
    changed (graph/answer_cache.py), else computed and recorded."""
    # the graph machinery only when the answer must be computed
    listing = working_tree_listing(settings)
    prefix = f"{settings.root}{os.sep}"
    shown = [shown_path(path, prefix) for path in listing.paths]
    statuses = None
    if not listing.findings:
        statuses = FileStatuses.of(listing.paths, shown, revision_cache.settled_before())
    answers = AnswerCache(settings, command)
    if statuses is not None:
        recorded = answers.load(statuses)
        if recorded is not None:
            return recorded
    from alembic_sentinel.graph.revision_check import graph_report, working_tree_revisions

    revisions = working_tree_revisions(
        settings, listing, statuses.by_path if statuses is not None else None
    )
    report = graph_report(settings, revisions, command)
    if statuses is not None and not revisions.read.star_imports:
        answers.save(statuses, report)
    return report


def graph_answer(
    settings: Settings, command: str, against: str | Sequence[str] | None = None
) -> Report:
    """revision_check.heads_report's answer; without `against`, the recorded one when it holds."""
    if not against:
        return working_tree_answer(settings, command)
    from alembic_sentinel.graph.revision_check import heads_report

    return heads_report(settings, command, against)
