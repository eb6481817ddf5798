"""The rollout plan in Markdown: the `ci` report's "Rollout" section and `plan --format markdown`.

Reads the plan's JSON form (`rollout` in the `ci` report, the same content as `plan --format
json`): per operation where it is, what it does, the algorithm and lock, the table's rows and
size, the estimate and whether writes wait; then the advice for the operations that block
writes too long (command lines in code blocks). Everything from the pull request is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alembic_sentinel.report.markdown_document import Block, code_block, escape_text, inline_code


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _records(value: object) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def duration(seconds: object) -> str:
    """ "0.2 s", "45 s", "12 min", "1.5 h"; "?" when unknown."""
    if not isinstance(seconds, (int, float)):
        return "?"
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def size(value: object) -> str:
    if not isinstance(value, int):
        return "?"
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if value >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value} B"


def rollout_check(rollout: object, blocking: int) -> tuple[str, str] | None:
    """The checks table's row: (icon, note); None without table statistics. `blocking`: the
    number of R601 findings."""
    plan = _mapping(rollout)
    if not plan:
        return None
    seconds = duration(plan.get("write_blocking_seconds"))
    if blocking:
        return "\N{CROSS MARK}", f"{blocking} revision(s) block writes too long ({seconds} in all)"
    return "\N{WHITE HEAVY CHECK MARK}", f"writes blocked about {seconds} in all"


def rollout_blocks(rollout: object, heading: str = "### Rollout") -> list[Block]:
    plan = _mapping(rollout)
    operations = _records(plan.get("operations"))
    if not plan:
        return []
    head = [
        heading,
        "",
        f"On {escape_text(plan.get('server') or '?')}: about "
        f"{duration(plan.get('total_estimated_seconds'))} in all, writes blocked for about "
        f"{duration(plan.get('write_blocking_seconds'))} (estimates from the table statistics; "
        "docs/rollout.md says how wrong they can be).",
        "",
    ]
    if not operations:
        return [Block(head=[*head, "No operation to apply.", ""])]
    head += [
        "| Where | Operation | Algorithm | Lock | Rows | Size | Estimate | Writes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows = []
    for operation in operations:
        where = f"{operation.get('file', '?')}:{operation.get('line', '?')}"
        rows_value = operation.get("rows")
        rows.append(
            f"| {inline_code(where)} | {escape_text(operation.get('operation') or '')} "
            f"| {escape_text(operation.get('algorithm') or '')} "
            f"| {escape_text(operation.get('lock') or '')} "
            f"| {rows_value if isinstance(rows_value, int) else '?'} "
            f"| {size(operation.get('bytes'))} "
            f"| {duration(operation.get('estimated_seconds'))} "
            f"| {'blocked' if operation.get('blocks_writes') else 'go on'} |"
        )
    blocks = [Block(head=head, body=rows, tail=[""], kind="tables", keep=10, unit="operations")]
    for operation in operations:
        advice = [str(line) for line in operation.get("advice") or []]
        if not advice:
            continue
        where = f"{operation.get('file', '?')}:{operation.get('line', '?')}"
        lines = [
            f"**{escape_text(operation.get('operation') or '')}** ({inline_code(where)}) blocks "
            f"writes for about {duration(operation.get('estimated_seconds'))}:",
            "",
        ]
        commands = [line for line in advice if line.startswith(("gh-ost", "pt-online"))]
        lines += [f"- {escape_text(line)}" for line in advice if line not in commands]
        if commands:
            # the command lines go first when the comment is too long (kind "sql")
            fence = code_block("\n".join(commands), "sh")
            blocks.append(
                Block(
                    head=[*lines, ""],
                    body=fence[1:-1],
                    open=fence[:1],
                    close=fence[-1:],
                    tail=[""],
                    kind="sql",
                    unit="command lines",
                )
            )
        else:
            blocks.append(Block(head=lines, tail=[""]))
    return blocks
