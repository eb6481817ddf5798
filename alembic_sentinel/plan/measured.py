"""The cost model's samples from what `ci` already measured: its data run's statement timings.

`ci` runs the new revisions over generated rows on its scratch server and times each statement
(data/timings.py). Where one new revision sends exactly one ALTER (or CREATE INDEX) to a table
and the plan reads exactly one change of that table in it that copies, rebuilds or indexes the
table on the scratch server's release, that statement's time over that many rows is a sample
of that kind of work (`cost_model.Sample`), as `--calibrate-url`'s own rebuilds are. Tables too
small for the time to say anything (`MIN_ROWS`) give none. Pure: the timings are data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from alembic_sentinel.lint.online_ddl import ServerVersion, ddl_algorithm
from alembic_sentinel.plan.cost_model import (
    COPY_WORK,
    INDEX_WORK,
    REBUILD_WORK,
    Sample,
    work_kind,
)
from alembic_sentinel.plan.operations import RevisionChanges

# below this many rows a table's change costs its fixed part only: no per-row cost to learn
MIN_ROWS = 5_000
_TIMED_KINDS = ("ALTER TABLE", "CREATE INDEX")
_MEASURABLE = (COPY_WORK, REBUILD_WORK, INDEX_WORK)


def samples_from_timings(
    revisions: Sequence[RevisionChanges],
    statements: Iterable[Mapping[str, Any]],
    scratch: ServerVersion,
    min_rows: int = MIN_ROWS,
) -> list[Sample]:
    """Samples of the work the `revisions`' changes did on the scratch server (`scratch`), from
    the data run's statement timings (`data.timings.statements` of a ci report)."""
    works: dict[tuple[str, str], list[str]] = {}
    for revision in revisions:
        for planned in revision.changes:
            if planned.table is None:
                continue
            kind = work_kind(planned.change, ddl_algorithm(planned.change, scratch))
            key = (planned.revision, planned.table.lower())
            works.setdefault(key, []).append(kind or "unknown")
    timed: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for statement in statements:
        table = statement.get("table")
        if statement.get("sql_kind") in _TIMED_KINDS and isinstance(table, str) and table:
            key = (str(statement.get("revision")), table.lower())
            timed.setdefault(key, []).append(statement)
    samples = []
    for key, measured in sorted(timed.items()):
        kinds = [kind for kind in works.get(key, []) if kind != "metadata"]
        if len(measured) != 1 or len(kinds) != 1 or kinds[0] not in _MEASURABLE:
            continue  # two changes in one statement, or one we cannot tell: no clean sample
        rows, seconds = measured[0].get("rows"), measured[0].get("seconds")
        if isinstance(rows, int) and rows >= min_rows and isinstance(seconds, (int, float)):
            samples.append(Sample(kinds[0], rows, 0, float(seconds)))
    return samples
