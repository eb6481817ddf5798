"""The plan as text, JSON or Markdown (the Markdown is the `ci` report's Rollout section)."""

from __future__ import annotations

import json
from typing import Any

from alembic_sentinel.report.markdown_document import join_blocks
from alembic_sentinel.report.markdown_rollout import duration, rollout_blocks, size

FORMATS = ("text", "json", "markdown")


def render_plan(plan: dict[str, Any], fmt: str, notes: list[str]) -> str:
    if fmt == "json":
        return json.dumps(plan, indent=2) + "\n"
    if fmt == "markdown":
        text = join_blocks(rollout_blocks(plan, heading="## Rollout plan"))
        return text + "".join(f"\n*{note}*\n" for note in notes)
    return render_text(plan, notes)


def render_text(plan: dict[str, Any], notes: list[str]) -> str:
    lines = []
    for operation in plan["operations"]:
        rows = operation["rows"]
        lines.append(
            f"{operation['file']}:{operation['line']}: {operation['revision']} "
            f"{operation['operation']}: {operation['algorithm']}, lock {operation['lock']}, "
            f"{rows if rows is not None else '?'} rows, {size(operation['bytes'])}, "
            f"~{duration(operation['estimated_seconds'])}"
            f"{', blocks writes' if operation['blocks_writes'] else ''}"
        )
        lines += [f"    {advice}" for advice in operation["advice"]]
    if not plan["operations"]:
        lines.append("no operation to apply")
    lines.append(
        f"on {plan['server']}: ~{duration(plan['total_estimated_seconds'])} in all, writes "
        f"blocked ~{duration(plan['write_blocking_seconds'])}"
    )
    lines += notes
    return "\n".join(lines) + "\n"
