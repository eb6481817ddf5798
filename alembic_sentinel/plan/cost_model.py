"""The estimate model: how long a schema change takes on a table of a given size.

    seconds = fixed + rows * per_row + bytes * per_byte

with one (fixed, per_row, per_byte) triple per kind of work the server does (`WORK_KINDS`):
copying the table (ALGORITHM=COPY), rebuilding it in place (INPLACE with a rebuild), building a
secondary index in place, or changing metadata only (INSTANT, and INPLACE without a rebuild).
`bytes` is DATA_LENGTH + INDEX_LENGTH of information_schema. The defaults were measured on the
project's test MariaDB (docs/rollout.md); `calibration` measures them on the team's own scratch
server. Pure: no database here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from alembic_sentinel.lint.online_ddl import COPY, INPLACE, INSTANT, NOT_ALTER, DdlChange

COPY_WORK, REBUILD_WORK, INDEX_WORK, METADATA_WORK = "copy", "rebuild", "index", "metadata"
WORK_KINDS = (COPY_WORK, REBUILD_WORK, INDEX_WORK, METADATA_WORK)

# INPLACE changes that rebuild the table (MySQL's "Rebuilds Table: Yes"); every other INPLACE
# change is metadata only (or an index build, below)
_REBUILDS = frozenset(
    {
        "set_not_null",
        "set_nullable",
        "add_primary_key",
        "add_column",
        "add_column_positioned",
        "drop_column",
    }
)
_BUILDS_INDEX = frozenset({"create_index", "add_unique"})


class Cost(NamedTuple):
    fixed_seconds: float
    per_row_seconds: float
    per_byte_seconds: float

    def seconds(self, rows: int, size_bytes: int) -> float:
        return self.fixed_seconds + rows * self.per_row_seconds + size_bytes * self.per_byte_seconds


class CostModel(NamedTuple):
    """A cost per kind of work, and where the numbers came from ("defaults", "calibrated on
    mariadb-10.11.19 ...")."""

    costs: Mapping[str, Cost]
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            **{kind: cost._asdict() for kind, cost in self.costs.items()},
        }


# From `alembic-sentinel plan --calibrate-url` and bench/plan_bench.py on the test MariaDB
# 10.11.19 (2 shared cores, SSD, 128 MiB buffer pool): between what 10^5 and 10^6-row tables
# measured there over several runs, rounded; the index build rounded up (the calibration's
# tables are sorted in memory). docs/rollout.md and docs/benchmarks.md.
DEFAULT_MODEL = CostModel(
    MappingProxyType(
        {
            COPY_WORK: Cost(0.05, 4.5e-6, 2.1e-8),
            REBUILD_WORK: Cost(0.05, 4.0e-6, 5.0e-9),
            INDEX_WORK: Cost(0.05, 1.0e-6, 0.0),
            METADATA_WORK: Cost(0.05, 0.0, 0.0),
        }
    ),
    "defaults (measured on MariaDB 10.11, docs/rollout.md)",
)


def work_kind(change: DdlChange, algorithm: str) -> str | None:
    """What the server does for `change` under `algorithm`; None when it cannot be told (raw
    SQL left to review by hand)."""
    if change.kind == "execute":
        return None
    if algorithm == COPY:
        return COPY_WORK
    if algorithm == INPLACE and (change.kind in _REBUILDS or change.auto_increment):
        return REBUILD_WORK
    if algorithm == INPLACE and change.kind in _BUILDS_INDEX:
        return INDEX_WORK
    if algorithm in (INSTANT, INPLACE, NOT_ALTER):
        return METADATA_WORK
    return None


def estimate_seconds(
    model: CostModel, kind: str | None, rows: int, size_bytes: int
) -> float | None:
    """Seconds the work takes on a table of `rows` rows and `size_bytes` bytes; None: unknown."""
    if kind is None:
        return None
    cost = model.costs[kind]
    if kind == METADATA_WORK:
        return round(cost.fixed_seconds, 3)
    return round(cost.seconds(rows, size_bytes), 3)


class Sample(NamedTuple):
    """One measured change: what kind of work, on how many rows and bytes, how long it took.
    The calibration's own rebuilds are samples; so could be the timings of a data run."""

    work: str
    rows: int
    size_bytes: int
    seconds: float


def fit_cost(samples: list[Sample]) -> Cost | None:
    """The (fixed, per_row, per_byte) that fit the samples of one kind of work, none negative.

    The fixed part is the fastest sample on an empty table (0 without one); per_row and per_byte
    fit the rest by least squares, and when that makes one of them negative (two samples of
    nearly one shape), the other alone explains the time. None without a sample of rows.
    """
    empty = [s.seconds for s in samples if s.rows == 0]
    fixed = min(empty) if empty else 0.0
    filled = [s for s in samples if s.rows > 0]
    if not filled:
        return None
    ys = [max(s.seconds - fixed, 0.0) for s in filled]
    rows = [float(s.rows) for s in filled]
    sizes = [float(s.size_bytes) for s in filled]
    srr = sum(r * r for r in rows)
    sbb = sum(b * b for b in sizes)
    srb = sum(r * b for r, b in zip(rows, sizes))
    sry = sum(r * y for r, y in zip(rows, ys))
    sby = sum(b * y for b, y in zip(sizes, ys))
    determinant = srr * sbb - srb * srb
    if determinant > 1e-9 * srr * sbb:
        per_row = (sry * sbb - sby * srb) / determinant
        per_byte = (sby * srr - sry * srb) / determinant
        if per_row >= 0 and per_byte >= 0:
            return Cost(fixed, per_row, per_byte)
    # one variable: the one whose fit leaves the smaller error
    by_row = sry / srr
    by_byte = sby / sbb if sbb else 0.0
    row_error = sum((y - by_row * r) ** 2 for r, y in zip(rows, ys))
    byte_error = sum((y - by_byte * b) ** 2 for b, y in zip(sizes, ys))
    if sbb and byte_error < row_error:
        return Cost(fixed, 0.0, by_byte)
    return Cost(fixed, by_row, 0.0)


def calibrated_model(samples: list[Sample], source: str) -> CostModel:
    """The defaults with every kind of work the samples measure replaced by its fit."""
    costs = dict(DEFAULT_MODEL.costs)
    for kind in (COPY_WORK, REBUILD_WORK, INDEX_WORK):
        fitted = fit_cost([s for s in samples if s.work == kind])
        if fitted is not None:
            costs[kind] = fitted
    fixed = [s.seconds for s in samples if s.rows == 0]
    if fixed:
        costs[METADATA_WORK] = Cost(min(fixed), 0.0, 0.0)
    return CostModel(MappingProxyType(costs), source)
