"""The "Data" part of the `ci` report in Markdown: its row in the checks table and its section.

The section says where the rows came from (generated per table, the project's fixtures), then
per new revision what it did to them: the columns it added or filled, profiled (rows, NULLs,
empty strings, distinct values, the most common ones: `'0' x 38, '1' x 12`), with the flags a
reviewer should see; then what a round trip did not bring back. Everything from the pull request
(table and column names, values) is escaped. The facts are read defensively, as in `markdown`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alembic_sentinel.report.markdown_document import Block, escape_text, inline_code

# the icons of `markdown` (which imports this module)
PASSED = "\N{WHITE HEAVY CHECK MARK}"
FAILED = "\N{CROSS MARK}"
WARNED = "\N{WARNING SIGN}\N{VARIATION SELECTOR-16}"
SKIPPED = "\N{HEAVY MINUS SIGN}"
DATA_CODES = ("C507", "C508", "C509", "C510", "C511")
_PROFILES_KEPT = 15


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _records(value: object) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def data_check(facts: Mapping[str, Any], codes: Mapping[str, Any]) -> tuple[str, str]:
    """The checks table's row: (icon, note). `codes`: the report's findings by code."""
    data = _mapping(facts.get("data"))
    if not data.get("filled"):
        reason = data.get("skipped") or "not run"
        if data.get("enabled", True) and _mapping(facts.get("upgrade")).get("ok") is False:
            reason = reason if data.get("skipped") else "not reached: the upgrade failed first"
        return SKIPPED, escape_text(reason)
    tables = _records(data.get("tables"))
    rows = sum(int(t.get("rows") or 0) for t in tables)
    note = f"{rows} rows in {len(tables)} tables"
    failed = [r for r in _records(data.get("revisions")) if r.get("ok") is False]
    if failed:
        problem = failed[0].get("problem") or "failed"
        shown = f"{inline_code(failed[0].get('revision', '?'))}: {escape_text(problem)}"
        return FAILED, f"{note}; {shown}"
    if codes.get("C510"):
        return FAILED, f"{note}; a fixture failed"
    warned = [code for code in ("C507", "C508", "C509") if codes.get(code)]
    profiled = sum(len(_records(r.get("profiles"))) for r in _records(data.get("revisions")))
    note += f"; {profiled} column{'s' * (profiled != 1)} profiled"
    if warned:
        return WARNED, f"{note}; see Data below"
    return PASSED, note


def data_blocks(facts: Mapping[str, Any]) -> list[Block]:
    """The "Data" section; nothing when no rows were generated."""
    data = _mapping(facts.get("data"))
    if not data.get("filled"):
        return []
    tables = _records(data.get("tables"))
    rows = sum(int(t.get("rows") or 0) for t in tables)
    intro = (
        f"{rows} generated rows in {len(tables)} tables at the base head "
        f"({escape_text(data.get('rows_per_table', '?'))} a table asked, seed "
        f"{escape_text(data.get('seed', 0))}); the new revisions ran over them."
    )
    fixtures = _records(data.get("fixtures"))
    if fixtures:
        applied = sum(1 for f in fixtures if f.get("ok"))
        intro += f" Fixtures: {applied} of {len(fixtures)} applied."
    short = [t for t in tables if t.get("note")]
    head = ["### Data", "", intro, ""]
    head += [
        f"- {inline_code(t.get('table', '?'))}: {escape_text(t.get('rows', 0))} rows; "
        f"{escape_text(t.get('note'))}"
        for t in short
    ]
    blocks = [Block(head=[*head, ""] if short else head)]
    blocks += _profiles(data)
    blocks += _losses(data)
    return blocks


def _profiles(data: Mapping[str, Any]) -> list[Block]:
    rows = []
    flags = []
    for revision in _records(data.get("revisions")):
        name = inline_code(revision.get("revision", "?"))
        if revision.get("ok") is False:
            problem = escape_text(revision.get("problem") or "failed")
            rows.append(f"| {name} | {FAILED} {problem} | | | | | |")
            continue
        for table in _records(revision.get("tables")):
            moved = [
                f"{label} {table[key]} rows"
                for key, label in (("inserted", "+"), ("deleted", "-"))
                if table.get(key)
            ]
            if moved:
                rows.append(
                    f"| {name} | {inline_code(table.get('table', '?'))}: {', '.join(moved)} "
                    "| | | | | |"
                )
        for profile in _records(revision.get("profiles")):
            column = f"{profile.get('table', '?')}.{profile.get('column', '?')}"
            common = ", ".join(
                f"{inline_code(item[0])} x {escape_text(item[1])}"
                for item in profile.get("common") or []
                if isinstance(item, (list, tuple)) and len(item) == 2
            )
            rows.append(
                f"| {name} | {inline_code(column)} ({escape_text(profile.get('change', ''))}) "
                f"| {escape_text(profile.get('rows', 0))} | {escape_text(profile.get('nulls', 0))} "
                f"| {escape_text(profile.get('empty', 0))} "
                f"| {escape_text(profile.get('distinct', 0))} | {common} |"
            )
            flags += [
                f"- {WARNED} {inline_code(column)}: {escape_text(flag)}"
                for flag in profile.get("flags") or []
            ]
    if not rows:
        return [Block(head=["No new revision added or filled a column of the rows.", ""])]
    head = [
        "| Revision | Column | Rows | NULL | Empty | Distinct | Most common |",
        "| --- | --- | --: | --: | --: | --: | --- |",
    ]
    blocks = [
        Block(
            head=head,
            body=rows,
            tail=[""],
            kind="tables",
            keep=_PROFILES_KEPT,
            unit="columns",
        )
    ]
    if flags:
        blocks.append(Block(head=[*flags, ""]))
    return blocks


def _losses(data: Mapping[str, Any]) -> list[Block]:
    lines = [
        f"- {WARNED} round trip of {inline_code(trip.get('revision', '?'))}: {escape_text(lost)}"
        for trip in _records(data.get("round_trips"))
        for lost in trip.get("lost") or []
    ]
    trips = _records(data.get("round_trips"))
    if not lines:
        if trips:
            return [Block(head=[f"{PASSED} Round trips kept every row and value.", ""])]
        return []
    return [Block(head=["Rows a downgrade did not bring back:", ""], body=lines, tail=[""])]
