"""One finding per rule and revision past a few: what a reviewer reads once.

A squashed initial revision that creates forty tables with unnamed foreign keys, or a revision
that adds a foreign key to each of seven tables, is one decision for the team (name them, or
accept the copies), not forty lines to read. Up to GROUP_AFTER hits of one rule and severity in
a revision stay separate; past that they become one finding at the first one's line, naming
every table and object with its line. Errors are never grouped: each is an operation that
fails, and each stays its own finding. Suppressions are matched before grouping (linter.py),
so an ignore comment still covers exactly the operation it stands beside.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from alembic_sentinel.lint.facts import Hit

GROUP_AFTER = 3
ERROR = "error"


def _places(hits: Sequence[Hit]) -> list[tuple[str, int]]:
    """(subject, line) of each hit and of the hits merged into it at its line (round 40: a
    create_table with five unnamed foreign keys, merged into one hit, listed only the first)."""
    return [(subject, hit.line) for hit in hits for subject in (hit.subject, *hit.merged_subjects)]


def _listing(places: Sequence[tuple[str, int]]) -> str:
    """ "t1.a (line 4), t2 (lines 9, 12)": each subject once, with the lines it is found at."""
    lines: dict[str, list[int]] = {}
    for subject, line in places:
        lines.setdefault(subject or "", []).append(line)
    parts = []
    for subject, at in lines.items():
        where = f"line {at[0]}" if len(at) == 1 else f"lines {', '.join(map(str, at))}"
        parts.append(f"{subject} ({where})" if subject else where)
    return ", ".join(parts)


def grouped_per_revision(hits: Sequence[Hit], severity_of: Callable[[Hit], str]) -> list[Hit]:
    """The hits with each rule's run past GROUP_AFTER (same severity, not an error) made one."""
    groups: dict[tuple[str, str], list[Hit]] = {}
    kept: list[Hit] = []
    for hit in hits:
        severity = severity_of(hit)
        if severity == ERROR:
            kept.append(hit)
        else:
            groups.setdefault((hit.code, severity), []).append(hit)
    for (code, _), group in groups.items():
        if len(group) <= GROUP_AFTER:
            kept.extend(group)
            continue
        first, others = group[0], _places(group[1:])
        message = (
            f"{first.message}; the same {code} for {len(others)} more in this revision: "
            f"{_listing(others)}"
        )
        kept.append(first._replace(message=message, end_line=first.end_line))
    return kept
