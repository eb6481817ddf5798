"""Benchmark `alembic-sentinel ci` with data at volume: 10^3 to 10^5 generated rows a table.

The project is the repository's reference app (orm/ and the six revisions of migrations/, four
tables: election with two self-references, party with a unique name, area and candidate
referring to them), with Alembic's generic env.py so plain `alembic` runs it, made a git
repository the way a pull request sees it: `main` holds the app and is pushed to a local bare
`origin`; branch `pr` adds one revision that adds a nullable column to `party` (and the same
column to the model), the pull request of the issue that asked for volume. Then it times, as
whole processes started from the project directory, on MariaDB/MySQL:

- upgrade: `alembic upgrade head` (all 7 revisions) on an empty schema, created before and
  dropped after, untimed: the floor for anything that migrates.
- ci --no-data: `alembic-sentinel ci --database-url SERVER --base-ref origin/main --no-comment
  --format json --no-data`: the graph, the upgrade base -> head timed per revision, drift, the
  round trip, lint and offline SQL, over empty tables.
- ci N: the same with `--data-rows N`: every table filled with N generated rows at the base
  head, the new revision run over them (its statements timed, its column profiled), the round
  trip's rows compared. Its JSON report must say `status: passed`, every table must hold N
  rows, the new revision's statements must be timed over N rows of `party`, its column profiled
  (when N is within the capture limit, 20,000 rows a table), no round trip lose rows, and its
  scratch schema must be gone afterwards.

Each measurement warms up once, then runs `--repeat` rounds, interleaved (and reversed every
other round); the table shows medians and ratios: each size over `ci --no-data` and over the
bare upgrade, and each size over the one before it (how the cost grows with the rows). The
verdicts (the issue's acceptance): 10x the rows costs at most 12x the time between 2,000 and
20,000 rows a table, and ci with 20,000 rows a table at most 10x ci --no-data. Timings never
fail the run; a wrong answer exits 1; a missing tool or server exits 2. Environment control as
in the other benchmarks. Only `sentinel_bench_*` schemas are created here, and dropped.

    .venv/bin/python bench/data_bench.py [--sizes 1000,2000,10000,20000,100000] [--repeat 3]
                                         [--server mysql+pymysql://root@127.0.0.1:3306/]
                                         [--json results.json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ci_bench import CI_ENV_PREFIXES, git
from drift_bench import ENV_PY, SCHEMA_PREFIX, Run, Server, WrongAnswer, reach_server
from harness import (
    BIN,
    REPO,
    add_json_argument,
    add_keep_argument,
    add_repeat_argument,
    add_server_argument,
    alembic_ini,
    bench_env,
    markdown_table,
    require_tools,
    scratch_directory,
    sizes_argument,
    timed,
)

DEFAULT_SIZES = [1_000, 2_000, 10_000, 20_000, 100_000]
SCALING = (2_000, 20_000, 12.0)  # from, to: 10x the rows at most this many times the time
OVER_NO_DATA = (20_000, 10.0)  # rows a table: ci with them at most this many times --no-data
UPGRADE_SCHEMA = f"{SCHEMA_PREFIX}data_upgrade"
NEW_REVISION = "da7a0b000001"
BASE_HEAD = "e5a9c3f7d812"
TABLES = ("area", "candidate", "election", "party")
NEW_REVISION_FILE = f'''"""add partyColour to party

Revision ID: {NEW_REVISION}
Revises: {BASE_HEAD}
"""
import sqlalchemy as sa
from alembic import op

revision = "{NEW_REVISION}"
down_revision = "{BASE_HEAD}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("party", sa.Column("partyColour", sa.String(20), nullable=True))


def downgrade():
    op.drop_column("party", "partyColour")
'''
PYPROJECT = '[tool.alembic-sentinel]\nmigrations = "migrations"\nmetadata = "orm:Base.metadata"\n'
assert ENV_PY.count("from models import Base") == 1
REFERENCE_ENV_PY = ENV_PY.replace("from models import Base", "from orm import Base")


def pull_request(root: Path, server: Server) -> Path:
    """The reference app on `main` (pushed to `origin`), branch `pr` adding one column."""
    project = root / "project"
    no_bytecode = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "orm", project / "orm", ignore=no_bytecode)
    versions = project / "migrations" / "versions"
    shutil.copytree(REPO / "migrations" / "versions", versions, ignore=no_bytecode)
    shutil.copy2(REPO / "migrations" / "script.py.mako", project / "migrations")
    (project / "migrations" / "env.py").write_text(REFERENCE_ENV_PY, encoding="utf-8")
    url = server.database_url(UPGRADE_SCHEMA).replace("%", "%%")
    (project / "alembic.ini").write_text(
        alembic_ini("prepend_sys_path = .", f"sqlalchemy.url = {url}"), encoding="utf-8"
    )
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the reference app")
    git(root, "init", "-q", "--bare", "-b", "main", "origin.git")
    git(project, "remote", "add", "origin", str(root / "origin.git"))
    git(project, "push", "-q", "-u", "origin", "main")
    git(project, "checkout", "-q", "-b", "pr")
    party = project / "orm" / "party.py"
    source = party.read_text(encoding="utf-8")
    anchor = re.search(r"\n(\s+)partySymbol = [^\n]*\n", source)
    if anchor is None:
        raise WrongAnswer("orm/party.py has no partySymbol column: update the data bench")
    column = f"{anchor.group(1)}partyColour = Column(String(20), nullable=True)\n"
    party.write_text(source[: anchor.end()] + column + source[anchor.end() :], encoding="utf-8")
    (versions / f"{NEW_REVISION}_add_partycolour.py").write_text(NEW_REVISION_FILE, "utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "party colour")
    return project


def label(kind: str) -> str:
    if kind == "upgrade":
        return "alembic upgrade head"
    if kind == "ci-no-data":
        return "ci --no-data"
    return f"ci, {int(kind.split('-')[1]):,} rows a table"


@dataclass
class Measurements:
    kinds: list[str]
    runs: dict[str, list[Run]] = field(default_factory=dict)
    # from ci's own report, per size: the fill, and the new revision's statements over the rows
    fill_seconds: dict[str, list[float]] = field(default_factory=dict)
    statement_seconds: dict[str, list[float]] = field(default_factory=dict)

    def median(self, kind: str) -> float:
        return statistics.median(r.wall for r in self.runs[kind])

    def median_cpu(self, kind: str) -> float:
        return statistics.median(r.cpu for r in self.runs[kind])


class Bench:
    def __init__(self, server: Server, project: Path, env: dict[str, str], sizes: list[int]):
        self.server = server
        self.project = project
        self.env = env
        self.sizes = sizes
        self.kinds = ["upgrade", "ci-no-data", *(f"ci-{size}" for size in sizes)]
        self.measurements = Measurements(self.kinds)

    def upgrade(self) -> Run:
        """`alembic upgrade head` on a fresh schema; only the command is timed."""
        self.server.create(UPGRADE_SCHEMA)
        try:
            wall, cpu, completed = timed(
                [str(BIN / "alembic"), "upgrade", "head"], self.project, self.env
            )
            if completed.returncode != 0:
                raise WrongAnswer(
                    f"alembic upgrade head exited {completed.returncode}:\n"
                    f"{completed.stdout}{completed.stderr}"
                )
        finally:
            self.server.drop(UPGRADE_SCHEMA)
        return Run(wall, cpu)

    def ci(self, rows: int | None) -> Run:
        server_url = self.server.url.render_as_string(hide_password=False)
        command = [
            *(str(BIN / "alembic-sentinel"), "ci", "--database-url", server_url),
            *("--base-ref", "origin/main", "--no-comment", "--format", "json"),
            *(("--no-data",) if rows is None else ("--data-rows", str(rows))),
        ]
        wall, cpu, completed = timed(command, self.project, self.env)
        output = (completed.stdout + completed.stderr).replace(server_url, "<server>")
        scratches = set(re.findall(r"\bsentinel_ci_\w+", completed.stderr))
        left = [name for name in sorted(scratches) if self.schema_exists(name)]
        for name in left:
            self.server.execute(f"DROP DATABASE IF EXISTS `{name}`")
        if left:
            raise WrongAnswer(f"ci left its scratch schema {', '.join(left)} behind:\n{output}")
        try:
            report = json.loads(completed.stdout)
        except ValueError:
            raise WrongAnswer(
                f"ci exited {completed.returncode} without a report:\n{output}"
            ) from None
        status = report.get("status")
        if completed.returncode != 0 or status != "passed":
            raise WrongAnswer(f"ci exited {completed.returncode}, {status}:\n{output}")
        if [r.get("revision") for r in report.get("new_revisions", [])] != [NEW_REVISION]:
            raise WrongAnswer(f"ci did not find {NEW_REVISION} new:\n{output}")
        if rows is not None:
            self.check_data(report["data"], rows, output)
        return Run(wall, cpu)

    def check_data(self, data: dict[str, Any], rows: int, output: str) -> None:
        tables = {t["table"]: t["rows"] for t in data.get("tables", [])}
        if tables != dict.fromkeys(TABLES, rows):
            raise WrongAnswer(f"ci filled {tables}, not {rows} rows in each of {TABLES}")
        statements = [
            s
            for s in data.get("timings", {}).get("statements", [])
            if s["revision"] == NEW_REVISION and s["sql_kind"] == "ALTER TABLE"
        ]
        if [(s["table"], s["rows"]) for s in statements] != [("party", rows)]:
            raise WrongAnswer(f"ci timed {statements} for {NEW_REVISION}, not one ALTER TABLE")
        profiles = [p for r in data.get("revisions", []) for p in r.get("profiles", [])]
        if len(profiles) != 1 or profiles[0]["rows"] != rows:
            raise WrongAnswer(f"ci profiled {profiles} at {rows} rows a table:\n{output}")
        if any(trip.get("lost") for trip in data.get("round_trips", [])):
            raise WrongAnswer(f"ci reported rows lost on a clean pull request: {data}")
        kind = f"ci-{rows}"
        self.measurements.fill_seconds.setdefault(kind, []).append(float(data["seconds"]))
        self.measurements.statement_seconds.setdefault(kind, []).append(statements[0]["seconds"])

    def schema_exists(self, name: str) -> bool:
        from sqlalchemy import text

        sql = "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name"
        with self.server.engine.connect() as connection:
            return bool(connection.execute(text(sql), {"name": name}).scalar())

    def measure(self, repeat: int) -> Measurements:
        once: dict[str, Callable[[], Run]] = {
            "upgrade": self.upgrade,
            "ci-no-data": lambda: self.ci(None),
        }
        for size in self.sizes:
            once[f"ci-{size}"] = lambda size=size: self.ci(size)  # type: ignore[misc]
        for kind in self.kinds:  # warm-up: page cache, bytecode; and the answers
            once[kind]()
        self.measurements = Measurements(self.kinds)
        for index in range(repeat):
            for kind in self.kinds if index % 2 == 0 else self.kinds[::-1]:
                result = once[kind]()
                self.measurements.runs.setdefault(kind, []).append(result)
                print(f"  round {index + 1}: {kind} {result.wall:.2f}s", file=sys.stderr)
        return self.measurements


def table(m: Measurements) -> str:
    header = (
        "",
        "wall, median (s)",
        "CPU, median (s)",
        "/ ci --no-data",
        "/ upgrade",
        "/ the size before",
        "fill (s)",
        "ALTER over the rows (s)",
    )
    rows = []
    previous: str | None = None
    for kind in m.kinds:
        wall = m.median(kind)
        sized = kind.startswith("ci-") and kind != "ci-no-data"
        before = f"{wall / m.median(previous):.2f}x" if sized and previous else ""
        rows.append(
            (
                label(kind),
                f"{wall:.2f}",
                f"{m.median_cpu(kind):.2f}",
                f"{wall / m.median('ci-no-data'):.2f}x" if kind != "upgrade" else "",
                f"{wall / m.median('upgrade'):.2f}x",
                before,
                f"{statistics.median(m.fill_seconds[kind]):.2f}" if sized else "",
                f"{statistics.median(m.statement_seconds[kind]):.3f}" if sized else "",
            )
        )
        previous = kind if sized else previous
    return markdown_table(header, rows, label_column=True)


def verdicts(m: Measurements) -> list[str]:
    lines = []
    low, high, most = SCALING
    if f"ci-{low}" in m.runs and f"ci-{high}" in m.runs:
        ratio = m.median(f"ci-{high}") / m.median(f"ci-{low}")
        state = "holds" if ratio <= most else "does not hold"
        lines.append(
            f"{high // low}x the rows ({low:,} -> {high:,} a table) at most {most:g}x the "
            f"time: {state} ({ratio:.2f}x)"
        )
    rows, over = OVER_NO_DATA
    if f"ci-{rows}" in m.runs:
        ratio = m.median(f"ci-{rows}") / m.median("ci-no-data")
        state = "holds" if ratio <= over else "does not hold"
        lines.append(
            f"ci with {rows:,} rows a table at most {over:g}x ci --no-data: {state} ({ratio:.2f}x)"
        )
    return lines


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Time `alembic-sentinel ci` with 10^3 to 10^5 generated rows a table on "
        "the reference app, beside `ci --no-data` and a bare `alembic upgrade head`, as whole "
        "processes on MariaDB/MySQL."
    )
    parser.add_argument(
        "--sizes",
        type=sizes_argument(1),
        default=DEFAULT_SIZES,
        help="rows a table, comma-separated (default 1000,2000,10000,20000,100000)",
    )
    add_repeat_argument(parser, 3, "of each")
    add_server_argument(parser)
    add_json_argument(parser)
    add_keep_argument(parser, "project")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not require_tools("alembic", "alembic-sentinel"):
        return 2
    server = reach_server(args.server)
    if server is None:
        return 2
    server_version = server.version()

    import alembic
    import sqlalchemy

    sizes = sorted(set(args.sizes))
    versions = {
        "python": platform.python_version(),
        "alembic": alembic.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "server": server_version,
        "cpus": os.cpu_count(),
    }
    print(
        f"# {platform.python_implementation()} {versions['python']}, Alembic "
        f"{versions['alembic']}, SQLAlchemy {versions['sqlalchemy']}, {server_version}, "
        f"{versions['cpus']} CPUs, load average {os.getloadavg()[0]:.1f}; median of "
        f"{args.repeat} runs after 1 warm-up",
        flush=True,
    )
    with scratch_directory(args.keep, "data-bench-") as root:
        env = bench_env(root, drop_prefixes=CI_ENV_PREFIXES)
        try:
            project = pull_request(root, server)
            print(
                f"# the reference app ({len(TABLES)} tables, 6 revisions); branch pr adds "
                f"{NEW_REVISION} (a nullable column on party); rows a table: "
                + ", ".join(f"{size:,}" for size in sizes),
                flush=True,
            )
            measurements = Bench(server, project, env, sizes).measure(args.repeat)
        except WrongAnswer as exc:
            print(f"WRONG ANSWER: {exc}", file=sys.stderr)
            return 1
        finally:
            server.drop(UPGRADE_SCHEMA)
            server.engine.dispose()

    print(table(measurements))
    for line in verdicts(measurements):
        print(line)
    if args.json:
        document = {
            **versions,
            "repeat": args.repeat,
            "sizes": sizes,
            **{
                f"{kind.replace('-', '_')}_s": measurements.median(kind)
                for kind in measurements.kinds
            },
            **{
                f"{kind.replace('-', '_')}_cpu_s": measurements.median_cpu(kind)
                for kind in measurements.kinds
            },
            "fill_s": {k: statistics.median(v) for k, v in measurements.fill_seconds.items()},
            "alter_s": {k: statistics.median(v) for k, v in measurements.statement_seconds.items()},
            "verdicts": verdicts(measurements),
            "runs": {k: [r.wall for r in v] for k, v in measurements.runs.items()},
        }
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
