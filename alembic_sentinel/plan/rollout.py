"""The rollout plan: every change of the revisions to apply, timed on the tables' sizes.

`build_plan` walks the changes in order, following the tables the revisions themselves create,
rename and drop (a table created on the way is empty), estimates each change with the cost
model, and advises where one blocks writes longer than the threshold. `blocking_findings` turns
a revision whose write-blocking estimate exceeds the threshold into an R601 finding, unless a
`# sentinel: ignore[R601] -- reason` comment covers it. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from alembic_sentinel.lint.catalogue import RULES
from alembic_sentinel.lint.facts import Hit
from alembic_sentinel.lint.online_ddl import (
    INPLACE,
    INSTANT,
    NOT_ALTER,
    ServerVersion,
    blocks_writes,
    ddl_algorithm,
)
from alembic_sentinel.lint.suppressions import read_suppressions, suppression_for
from alembic_sentinel.plan.advice import advise
from alembic_sentinel.plan.cost_model import CostModel, estimate_seconds, work_kind
from alembic_sentinel.plan.operations import PlannedChange, RevisionChanges
from alembic_sentinel.plan.table_stats import StatsFile, TableStats
from alembic_sentinel.report.markdown_rollout import duration
from alembic_sentinel.report.model import Finding, Suppressed

DEFAULT_MAX_BLOCKING_SECONDS = 10
BLOCKING_CODE = "R601"
_EMPTY = TableStats(0, 0, 0, 0, None, None, None, None)


class Plan(NamedTuple):
    server: str
    operations: list[dict[str, Any]]
    revisions: Sequence[RevisionChanges]
    # per revision: seconds writes wait, the change that blocks longest and its seconds
    blocking: Mapping[str, tuple[float, PlannedChange, float]]

    def as_dict(self) -> dict[str, Any]:
        total = sum(o["estimated_seconds"] or 0.0 for o in self.operations)
        blocking = sum(o["estimated_seconds"] or 0.0 for o in self.operations if o["blocks_writes"])
        return {
            "server": self.server,
            "operations": self.operations,
            "total_estimated_seconds": round(total, 3),
            "write_blocking_seconds": round(blocking, 3),
        }


def lock_of(algorithm: str, blocking: bool, kind: str) -> str:
    """The lock the statement holds while it runs (a brief exclusive metadata lock at its start
    and end aside): SHARED when writes wait, NONE when they go on."""
    if blocking:
        return "SHARED"
    if algorithm == NOT_ALTER and kind in ("drop_table", "rename_table"):
        return "EXCLUSIVE"
    if algorithm in (INSTANT, INPLACE, NOT_ALTER) and kind != "execute":
        return "NONE"
    return "UNKNOWN"


def build_plan(
    revisions: Sequence[RevisionChanges],
    stats: StatsFile | None,
    target: ServerVersion,
    model: CostModel,
    max_blocking_seconds: float,
) -> Plan:
    sizes: dict[str, TableStats] = {}
    if stats is not None:
        sizes = {name.lower(): table for name, table in stats.tables.items()}
    database = stats.database if stats is not None else "DATABASE"
    host = stats.host if stats is not None else None
    port = stats.port if stats is not None else None
    operations: list[dict[str, Any]] = []
    blocking: dict[str, tuple[float, PlannedChange, float]] = {}
    for revision in revisions:
        for planned in revision.changes:
            change = planned.change
            table = planned.table
            known = sizes.get(table.lower()) if table else None
            if change.kind == "create_table" and table:
                sizes[table.lower()] = known = _EMPTY
            algorithm = ddl_algorithm(change, target)
            blocks = blocks_writes(change, target)
            kind = work_kind(change, algorithm)
            rows = known.rows if known is not None else None
            size = known.total_bytes if known is not None else None
            seconds = estimate_seconds(model, kind, rows or 0, size or 0)
            advice: list[str] = []
            if blocks and seconds is not None and seconds > max_blocking_seconds:
                advice = advise(planned, revision.module, target, database, host, port)
            if blocks and seconds is not None:
                total, longest, longest_seconds = blocking.get(
                    revision.revision, (0.0, planned, -1.0)
                )
                if seconds > longest_seconds:
                    longest, longest_seconds = planned, seconds
                blocking[revision.revision] = (total + seconds, longest, longest_seconds)
            operations.append(
                {
                    "revision": planned.revision,
                    "file": planned.path,
                    "line": planned.op.line,
                    "operation": f"{change.kind} {planned.label}".rstrip(),
                    "table": table,
                    "algorithm": algorithm,
                    "lock": lock_of(algorithm, blocks, change.kind),
                    "rows": rows,
                    "bytes": size,
                    "estimated_seconds": seconds,
                    "blocks_writes": blocks,
                    "advice": advice,
                }
            )
            _follow(planned, sizes, known)
    return Plan(str(target), operations, revisions, blocking)


def _follow(planned: PlannedChange, sizes: dict[str, TableStats], known: TableStats | None) -> None:
    """The tables after the change: renamed ones keep their size, dropped ones are gone."""
    table = planned.table
    if table is None:
        return
    if planned.change.kind == "drop_table":
        sizes.pop(table.lower(), None)
    elif planned.change.kind == "rename_table" and known is not None:
        new_name = planned.op.string("new_table_name")
        if new_name:
            sizes.pop(table.lower(), None)
            sizes[new_name.lower()] = known


def blocking_findings(
    plan: Plan, max_blocking_seconds: float, severity: str | None = None
) -> tuple[list[Finding], list[Suppressed]]:
    """R601 for each revision whose writes wait longer than the threshold, at its longest
    blocking operation; what a reasoned suppression covers goes to the second list."""
    rule = RULES[BLOCKING_CODE]
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    by_revision = {r.revision: r for r in plan.revisions}
    for revision, (seconds, longest, _) in plan.blocking.items():
        if seconds <= max_blocking_seconds:
            continue
        op = longest.op
        message = (
            f"revision {revision} blocks writes for about {duration(seconds)} on {plan.server} "
            f"(max-blocking-seconds {max_blocking_seconds:g}); longest: {longest.change.kind} "
            f"{longest.label}"
        )
        finding = Finding(
            rule.code,
            rule.name,
            severity or rule.severity,
            message,
            longest.path,
            op.line,
            rule.fix,
        )
        changes = by_revision[revision]
        suppressions = read_suppressions(changes.source, changes.module)
        hit = Hit(rule.code, message, op.line, op.end_line)
        covering = suppression_for(hit, suppressions)
        if covering is not None:
            suppressed.append(Suppressed(finding, covering.reason))
        else:
            findings.append(finding)
    return findings, suppressed
