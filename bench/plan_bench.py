"""How close the rollout plan's estimates come to the real ALTER time (issue 22).

On the MariaDB/MySQL server, for tables of 10^5 and 10^6 rows (`--sizes`): the cost model is
calibrated the way `plan --calibrate-url` does it (its own small scratch schema), the table is
filled with one INSERT ... SELECT, its statistics are read as `alembic-sentinel stats` reads
them, and the estimate of a COPY change (a column type change) and of an INPLACE rebuild
(making a column nullable) is printed beside the measured time of the same ALTER, with the
ratio estimate / measured. The goal is within 2x (0.5-2.0). Timings never fail a run.

    .venv/bin/python bench/plan_bench.py --sizes 100000,1000000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid

import sqlalchemy as sa
from harness import add_json_argument, add_server_argument, markdown_table, sizes_argument

from alembic_sentinel.lint.online_ddl import DdlChange, ddl_algorithm, server_target
from alembic_sentinel.plan.calibration import calibrate
from alembic_sentinel.plan.cost_model import DEFAULT_MODEL, estimate_seconds, work_kind
from alembic_sentinel.plan.stats_reader import read_stats

TABLE = (
    "CREATE TABLE invoice (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, member_id INT NOT NULL,"
    " total INT NOT NULL, note VARCHAR(40) NOT NULL, body VARCHAR(800) NOT NULL,"
    " created DATETIME NOT NULL, KEY ix_member (member_id)) ENGINE=InnoDB"
)
FILL = (
    "INSERT INTO invoice (member_id, total, note, body, created) "
    "SELECT n MOD 5000, n MOD 100000, CONCAT('note ', n), REPEAT(MD5(n), 1 + n MOD 8), "
    "'2024-01-01' + INTERVAL (n MOD 100000) MINUTE FROM ("
    "WITH RECURSIVE d (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 999) "
    "SELECT a.i * 1000 + b.i AS n FROM d a CROSS JOIN d b LIMIT {rows}) numbers"
)
# the change, and the statement Alembic's MySQL dialect emits for it (algorithm made explicit)
CASES = (
    (
        "COPY (type change)",
        DdlChange("change_type"),
        "ALTER TABLE invoice MODIFY total BIGINT NOT NULL, ALGORITHM=COPY",
    ),
    (
        "INPLACE rebuild (nullable)",
        DdlChange("set_nullable"),
        "ALTER TABLE invoice MODIFY note VARCHAR(40) NULL, ALGORITHM=INPLACE, LOCK=NONE",
    ),
)


# the statement undone, so that it can be timed again on the same table
UNDO = {
    CASES[0][0]: "ALTER TABLE invoice MODIFY total INT NOT NULL, ALGORITHM=COPY",
    CASES[1][0]: "ALTER TABLE invoice MODIFY note VARCHAR(40) NOT NULL, ALGORITHM=COPY",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=sizes_argument(1000), default=[100_000, 1_000_000])
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per ALTER up to 200,000 rows, median (3)"
    )
    add_server_argument(parser)
    add_json_argument(parser)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    model = calibrate(args.server, [])
    print(f"[calibration] {model.source} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    engine = sa.create_engine(args.server)
    schema = f"sentinel_plan_bench_{uuid.uuid4().hex[:8]}"
    rows_out = []
    results = []
    with engine.connect() as connection:
        version = str(connection.exec_driver_sql("SELECT VERSION()").scalar())
        target = server_target(version)
        assert target is not None, version
        connection.exec_driver_sql(f"CREATE DATABASE `{schema}`")
        try:
            connection.exec_driver_sql(f"USE `{schema}`")
            for size in args.sizes:
                for label, change, statement in CASES:
                    connection.exec_driver_sql("DROP TABLE IF EXISTS invoice")
                    connection.exec_driver_sql(TABLE)
                    connection.exec_driver_sql(FILL.format(rows=size))
                    connection.commit()
                    connection.exec_driver_sql("ANALYZE TABLE invoice").fetchall()
                    stats = read_stats(connection, schema, "alembic_version", None, None)
                    table = stats.tables["invoice"]
                    kind = work_kind(change, ddl_algorithm(change, target))
                    calibrated = estimate_seconds(model, kind, table.rows, table.total_bytes)
                    default = estimate_seconds(DEFAULT_MODEL, kind, table.rows, table.total_bytes)
                    assert calibrated is not None and default is not None
                    # the median of a few runs where they are cheap: the machine is shared
                    runs: list[float] = []
                    for run in range(args.repeat if size <= 200_000 else 1):
                        if run:
                            connection.exec_driver_sql(UNDO[label])
                        began = time.perf_counter()
                        connection.exec_driver_sql(statement)
                        runs.append(time.perf_counter() - began)
                    measured = statistics.median(runs)
                    results.append(
                        {
                            "rows": size,
                            "case": label,
                            "table_rows_estimate": table.rows,
                            "bytes": table.total_bytes,
                            "measured": round(measured, 3),
                            "calibrated": calibrated,
                            "default": default,
                        }
                    )
                    rows_out.append(
                        [
                            f"{size:,}",
                            label,
                            f"{table.total_bytes / 2**20:.0f} MiB",
                            f"{measured:.2f}",
                            f"{calibrated:.2f}",
                            f"{calibrated / measured:.2f}",
                            f"{default:.2f}",
                            f"{default / measured:.2f}",
                        ]
                    )
                    print(f"[{size} rows] {label}: {measured:.2f}s", file=sys.stderr)
        finally:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{schema}`")
    print(f"server: {version}; {model.source}")
    header = [
        "rows",
        "change",
        "size",
        "measured s",
        "calibrated s",
        "ratio",
        "default s",
        "ratio",
    ]
    print(markdown_table(header, rows_out))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump({"server": version, "model": model.as_dict(), "results": results}, stream)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
