"""The facts of a `ci` report: the contract (every key, with its value when its step does not
run) and the summary a text rendering shows above the findings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alembic_sentinel.ci.data_steps import DEFAULT_ROWS, empty_data_facts
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding, Report
from alembic_sentinel.settings import Settings


def empty_facts(settings: Settings, base_ref: str | None) -> dict[str, Any]:
    """Every fact of the contract, with the value it has when its step does not run."""
    return {
        "status": "passed",
        "migrations": settings.show(settings.migrations),
        "database": {"dialect": "", "server_version": "", "scratch": ""},
        "heads": [],
        "base_ref": base_ref,
        "base_heads": [],
        "new_revisions": [],
        "edited_revisions": [],
        "upgrade": {
            "from_heads": [],
            "base_to_base_head": [],
            "base_head_to_head": [],
            "ok": False,
            "seconds": 0.0,
        },
        "round_trips": [],
        "drift": {"checked": False, "changes": [], "operations": ""},
        "lint": {"files": 0, "statements": []},
        "sql": [],
        "sql_dialect": settings.target_server,
        "data": empty_data_facts(True, DEFAULT_ROWS),  # `ci.data_steps`
        "rollout": None,  # with table statistics: the plan's JSON (`plan.rollout`)
    }


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def count_findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return "no findings"
    parts = []
    for severity in (ERROR, WARNING, NOTICE):
        count = sum(1 for finding in findings if finding.severity == severity)
        if count:
            parts.append(plural(count, severity))
    return ", ".join(parts)


def text_summary(report: Report) -> list[str]:
    """What a text rendering shows before the findings."""
    facts = report.facts
    upgrade = facts["upgrade"]
    steps = len(upgrade["base_to_base_head"]) + len(upgrade["base_head_to_head"])
    lines = [
        f"{facts['status']}: {count_findings(report.findings)}",
        f"heads: {', '.join(facts['heads']) or '(none)'}",
    ]
    if facts["base_ref"] is not None:
        new = ", ".join(rev["revision"] for rev in facts["new_revisions"]) or "none"
        lines.append(f"new revisions against {facts['base_ref']}: {new}")
    lines.append(
        f"upgrade: {plural(steps, 'revision')} in {upgrade['seconds']:.2f}s"
        + ("" if upgrade["ok"] else " (failed)")
    )
    if facts["drift"]["checked"]:
        lines.append(f"drift: {plural(len(facts['drift']['changes']), 'change')}")
    restored = sum(1 for trip in facts["round_trips"] if trip["schema_restored"])
    if facts["round_trips"]:
        lines.append(f"round trips: {restored} of {len(facts['round_trips'])} restore the schema")
    data = facts.get("data", {})
    if data.get("filled"):
        rows = sum(table["rows"] for table in data["tables"])
        profiled = sum(len(revision["profiles"]) for revision in data["revisions"])
        lost = sum(1 for trip in data["round_trips"] if trip["lost"])
        lines.append(
            f"data: {plural(rows, 'generated row')} in {plural(len(data['tables']), 'table')}, "
            f"{plural(profiled, 'column')} profiled, {plural(lost, 'round trip')} losing rows"
        )
    return lines
