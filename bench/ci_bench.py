"""Benchmark `alembic-sentinel ci` beside a bare `alembic upgrade head` and pytest-alembic.

Generates the drift benchmark's synthetic project with 500 revisions (growing schema: a table
per 10 revisions, 50 tables, with foreign keys, added, widened and dropped columns, indexes,
branches and merges) and makes it a git repository the way a pull request sees it: `main` holds
the 500 revisions and is pushed to a local bare `origin` (so `origin/main` exists); branch `pr`
adds 3 revisions (a new column each, and the same change in models.py) and is checked out.
Then it times, as whole processes started from the project directory, on MariaDB/MySQL:

- upgrade: `alembic upgrade head` (all 503 revisions) on an empty schema, the project's stock
  env.py and alembic.ini; the schema is created before and dropped after, untimed. What a
  pipeline that only migrates pays; the floor for anything that migrates.
- ci: `alembic-sentinel ci --database-url SERVER --base-ref origin/main --no-comment --format
  json`: graph check and head collision against the base, edited-revision check, the upgrade
  base -> base head -> PR head with the time of each revision, a downgrade/upgrade round trip of
  each new revision with schema comparisons, drift against the models, lint and offline SQL of
  the new revisions; with data (the default) every table filled with 50 generated rows at the
  base head, the new revisions run over them, their columns profiled and the round trips' rows
  compared. It creates and drops its own scratch schema (timed: that is part of its run). Its
  JSON report must say `status: passed` and list the 3 new revisions, every table must hold 50
  generated rows, each new revision's column be profiled and no round trip lose rows, and its
  scratch schema must be gone afterwards.
- ci --no-data: the same without rows (the tables stay empty), the like-for-like comparison with
  pytest-alembic, whose tests migrate empty tables too.
- pytest-alembic: `pytest --test-alembic` in the project, running its four built-in tests
  (test_single_head_revision, test_upgrade, test_model_definitions_match_ddl,
  test_up_down_consistency) through the project's env.py. `tests/conftest.py` provides
  `alembic_engine`: a fresh scratch schema per test, created and dropped inside the pytest
  process, so timed (the time its fixture spends on that is measured and printed separately).
  All four tests must pass.

The env.py is Alembic's generic template with the hook pytest-alembic's documentation asks for
(`config.attributes["connection"]`, the engine pytest-alembic hands over); plain `alembic`
ignores it. alembic-sentinel does not run env.py (it reads `metadata` from pyproject.toml).

Each measurement warms up once, then runs `--repeat` rounds, interleaved (upgrade, ci,
pytest-alembic, and reversed every other round); the table shows medians. The verdicts: `ci`
with data at most 2x a bare `alembic upgrade head`, `ci --no-data` at most 1.5x, and at least 8x
faster than pytest-alembic. Timings
never fail the run; a wrong answer (an upgrade that fails, `ci` not passing or not seeing the 3
new revisions or leaving its scratch schema, a pytest-alembic test failing) exits 1; a missing
tool or server exits 2. Environment control as in the other benchmarks (settings variables
scrubbed, bytecode and caches in the scratch directory); GitHub Actions variables are removed so
`ci` runs as it would in any other CI. Only `sentinel_bench_*` schemas are created here, and
dropped.

    .venv/bin/python bench/ci_bench.py [--repeat 3]
                                       [--server mysql+pymysql://root@127.0.0.1:3306/]
                                       [--json results.json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drift_bench import (
    ENV_PY,
    SCHEMA_PREFIX,
    Project,
    Run,
    Server,
    WrongAnswer,
    reach_server,
)
from harness import (
    BIN,
    add_json_argument,
    add_keep_argument,
    add_repeat_argument,
    add_server_argument,
    bench_env,
    markdown_table,
    require_tools,
    scratch_directory,
    timed,
)

REVISIONS = 500
NEW_REVISIONS = 3
KINDS = ("upgrade", "ci", "ci-no-data", "pytest-alembic")
LABELS = {
    "upgrade": "alembic upgrade head",
    "ci": "alembic-sentinel ci",
    "ci-no-data": "ci --no-data",
    "pytest-alembic": "pytest-alembic, 4 tests",
}
UPGRADE_TARGET = 1.5  # ci --no-data / upgrade at most this
DATA_TARGET = 2.0  # ci (with data, the default) / upgrade at most this
DATA_ROWS = 50  # the default rows per table, each table of the project must get them
PYTEST_ALEMBIC_TARGET = 8.0  # pytest-alembic / ci at least this
UPGRADE_SCHEMA = f"{SCHEMA_PREFIX}ci_upgrade"
PYTEST_ALEMBIC_SCHEMA = f"{SCHEMA_PREFIX}ci_pytest_alembic"
PYTEST_ALEMBIC_TESTS = (
    "test_single_head_revision",
    "test_upgrade",
    "test_model_definitions_match_ddl",
    "test_up_down_consistency",
)
# anything that would make `ci` behave as on GitHub Actions or take options from the environment
CI_ENV_PREFIXES = ("GITHUB_", "RUNNER_", "SENTINEL_CI_")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

_STOCK_CONNECTABLE = """\
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
"""
_PYTEST_ALEMBIC_CONNECTABLE = """\
    # pytest-alembic hands its engine over here (the hook its documentation asks for)
    connectable = config.attributes.get("connection", None)
    if connectable is None:
        connectable = engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
"""
assert ENV_PY.count(_STOCK_CONNECTABLE) == 1
PYTEST_ALEMBIC_ENV_PY = ENV_PY.replace(_STOCK_CONNECTABLE, _PYTEST_ALEMBIC_CONNECTABLE)

# the server URL comes from the environment (it may carry a password: never written to disk)
CONFTEST = '''\
"""pytest-alembic's engine: a fresh MySQL schema per test, created and dropped here."""

import os
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

SCHEMA = {schema!r}


def _server():
    url = make_url(os.environ["SENTINEL_BENCH_SERVER"]).set(database="")
    return create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def _log(seconds):
    with open(os.environ["SENTINEL_BENCH_FIXTURE_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{{seconds}}\\n")


@pytest.fixture
def alembic_engine():
    started = time.perf_counter()
    server = _server()
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS `{{SCHEMA}}`"))
        connection.execute(text(f"CREATE DATABASE `{{SCHEMA}}` CHARACTER SET utf8mb4"))
    engine = create_engine(server.url.set(database=SCHEMA))
    _log(time.perf_counter() - started)
    try:
        yield engine
    finally:
        started = time.perf_counter()
        engine.dispose()
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS `{{SCHEMA}}`"))
        server.dispose()
        _log(time.perf_counter() - started)
'''


# pytest-alembic's manual mode: its built-in tests imported into a test module. `--test-alembic`
# cannot collect on pytest 9.2: pytest-alembic 0.13.1 binds its tests to `tests/conftest.py` with
# a collector that sets Node._nodeid, which pytest 9.2 no longer has, and that fails collection
# even without the flag. So the tests live in TESTS_DIRECTORY, where the plugin binds nothing.
TESTS_DIRECTORY = "alembic_tests"
TEST_MODULE = (
    '"""pytest-alembic\'s four built-in tests, as its `--test-alembic` would run them."""\n\n'
    "from pytest_alembic.tests import (\n"
    + "".join(f"    {name},\n" for name in PYTEST_ALEMBIC_TESTS)
    + ")\n"
)


def git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} in {cwd}: {completed.stderr.strip()}")
    return completed.stdout.strip()


@dataclass
class PullRequest:
    """The synthetic project as a git repository on branch `pr`, `origin/main` its base."""

    project: Project
    base_head: str
    new_revisions: list[str]

    @property
    def root(self) -> Path:
        return self.project.root


def pull_request(root: Path, server: Server) -> PullRequest:
    directory = root / "project"
    directory.mkdir()
    project = Project(directory, REVISIONS, server.database_url(UPGRADE_SCHEMA))
    (directory / "migrations" / "env.py").write_text(PYTEST_ALEMBIC_ENV_PY, encoding="utf-8")
    tests = directory / TESTS_DIRECTORY
    tests.mkdir()
    (tests / "conftest.py").write_text(
        CONFTEST.format(schema=PYTEST_ALEMBIC_SCHEMA), encoding="utf-8"
    )
    (tests / "test_migrations.py").write_text(TEST_MODULE, encoding="utf-8")
    assert project.head is not None
    base_head = project.head
    git(directory, "init", "-q", "-b", "main")
    git(directory, "add", "-A")
    git(directory, "commit", "-q", "-m", f"{REVISIONS} revisions")
    git(root, "init", "-q", "--bare", "-b", "main", "origin.git")
    git(directory, "remote", "add", "origin", str(root / "origin.git"))
    git(directory, "push", "-q", "-u", "origin", "main")
    git(directory, "checkout", "-q", "-b", "pr")
    new = [project.add_revision() for _ in range(NEW_REVISIONS)]
    git(directory, "add", "-A")
    git(directory, "commit", "-q", "-m", f"{NEW_REVISIONS} new revisions")
    return PullRequest(project, base_head, new)


@dataclass
class Measurements:
    runs: dict[str, list[Run]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    fixture_seconds: list[float] = field(default_factory=list)  # pytest-alembic's schemas
    ci_upgrade_seconds: list[float] = field(default_factory=list)  # from ci's own report
    ci_data_seconds: list[float] = field(default_factory=list)  # ci's fill, from its report
    # each pytest-alembic test's call time, as pytest's --durations reports it
    test_seconds: dict[str, list[float]] = field(
        default_factory=lambda: {name: [] for name in PYTEST_ALEMBIC_TESTS}
    )

    def median(self, kind: str) -> float:
        return statistics.median(r.wall for r in self.runs[kind])

    def median_cpu(self, kind: str) -> float:
        return statistics.median(r.cpu for r in self.runs[kind])


class Bench:
    def __init__(self, server: Server, root: Path, env: dict[str, str], pr: PullRequest) -> None:
        self.server = server
        self.root = root
        self.env = env
        self.pr = pr
        self.fixture_log = root / "fixture-seconds.txt"
        self.measurements = Measurements()

    def upgrade(self) -> Run:
        """`alembic upgrade head` on a fresh schema; only the command is timed."""
        self.server.create(UPGRADE_SCHEMA)
        try:
            wall, cpu, completed = timed(
                [str(BIN / "alembic"), "upgrade", "head"], self.pr.root, self.env
            )
            if completed.returncode != 0:
                raise WrongAnswer(
                    f"alembic upgrade head exited {completed.returncode}:\n"
                    f"{completed.stdout}{completed.stderr}"
                )
            at = self.scalar(f"SELECT version_num FROM `{UPGRADE_SCHEMA}`.alembic_version")
        finally:
            self.server.drop(UPGRADE_SCHEMA)
        if at != self.pr.project.head:
            raise WrongAnswer(f"alembic upgrade head left the schema at {at}")
        return Run(wall, cpu)

    def ci(self, data: bool = True) -> Run:
        server_url = self.server.url.render_as_string(hide_password=False)
        command = [
            *(str(BIN / "alembic-sentinel"), "ci", "--database-url", server_url),
            *("--base-ref", "origin/main", "--no-comment", "--format", "json"),
            *("--report", str(self.root / "ci-report.json")),
            "--data" if data else "--no-data",
        ]
        wall, cpu, completed = timed(command, self.pr.root, self.env)
        output = (completed.stdout + completed.stderr).replace(server_url, "<server>")
        # the scratch schema's name: from the report, or from the progress lines if it crashed
        scratches = set(re.findall(r"\bsentinel_ci_\w+", completed.stderr))
        try:
            report = json.loads(completed.stdout)
        except ValueError:
            report = None
        else:
            scratches.add(str(report.get("database", {}).get("scratch") or ""))
        left = [name for name in sorted(scratches) if name.startswith("sentinel_ci_")]
        left = [name for name in left if self.schema_exists(name)]
        for name in left:
            self.server.execute(f"DROP DATABASE IF EXISTS `{name}`")
        if left:
            raise WrongAnswer(
                f"alembic-sentinel ci (exit {completed.returncode}) left its scratch schema "
                f"{', '.join(left)} behind (dropped by the bench):\n{output}"
            )
        if report is None:
            raise WrongAnswer(
                f"alembic-sentinel ci exited {completed.returncode} without a JSON report:\n"
                f"{output}"
            )
        scratch = str(report.get("database", {}).get("scratch") or "")
        new = [r.get("revision") for r in report.get("new_revisions", [])]
        if completed.returncode != 0 or report.get("status") != "passed":
            raise WrongAnswer(
                f"alembic-sentinel ci exited {completed.returncode}, status "
                f"{report.get('status')!r} on a clean pull request:\n{output}"
            )
        if new != self.pr.new_revisions:
            raise WrongAnswer(
                f"alembic-sentinel ci found new revisions {new}, not {self.pr.new_revisions}"
            )
        if not scratch.startswith("sentinel_ci_"):
            raise WrongAnswer(f"alembic-sentinel ci reported scratch schema {scratch!r}")
        self.check_data(report, data, output)
        if data:
            self.measurements.ci_upgrade_seconds.append(float(report["upgrade"]["seconds"]))
            self.measurements.ci_data_seconds.append(float(report["data"]["seconds"]))
        return Run(wall, cpu)

    def check_data(self, report: dict[str, Any], data: bool, output: str) -> None:
        """With data: every table filled, each new revision run over the rows and its new
        column profiled, nothing lost; without: no rows at all."""
        facts = report.get("data", {})
        if not data:
            if facts.get("filled") or facts.get("enabled"):
                raise WrongAnswer(f"ci --no-data generated rows: {facts}")
            return
        tables = {t.get("table"): t.get("rows") for t in facts.get("tables", [])}
        expected = len(self.pr.project.schema.tables)
        if not facts.get("filled") or len(tables) != expected:
            raise WrongAnswer(f"ci filled {len(tables)} tables, not {expected}:\n{output}")
        short = {name: rows for name, rows in tables.items() if rows != DATA_ROWS}
        if short:
            raise WrongAnswer(f"ci filled these tables with fewer than {DATA_ROWS} rows: {short}")
        revisions = facts.get("revisions", [])
        ran = [r.get("revision") for r in revisions if r.get("ok")]
        profiled = [p.get("change") for r in revisions for p in r.get("profiles", [])]
        if ran != self.pr.new_revisions or profiled != ["added"] * len(ran):
            raise WrongAnswer(f"ci ran {ran} over the rows, profiling {profiled}:\n{output}")
        if any(trip.get("lost") for trip in facts.get("round_trips", [])):
            raise WrongAnswer(f"ci reported rows lost on a clean pull request: {facts}")

    def pytest_alembic(self) -> Run:
        env = {
            **self.env,
            "SENTINEL_BENCH_SERVER": self.server.url.render_as_string(hide_password=False),
            "SENTINEL_BENCH_FIXTURE_LOG": str(self.fixture_log),
        }
        self.fixture_log.write_text("", encoding="utf-8")
        command = [
            *(str(BIN / "pytest"), "-v", "-p", "no:cacheprovider"),
            *("--durations=0", "--durations-min=0", TESTS_DIRECTORY),
        ]
        try:
            wall, cpu, completed = timed(command, self.pr.root, env)
        finally:
            self.server.drop(PYTEST_ALEMBIC_SCHEMA)  # in case the fixture did not get to it
        out = completed.stdout
        summary = out.strip().splitlines()[-1] if out.strip() else ""
        passed = [name for name in PYTEST_ALEMBIC_TESTS if f"::{name} PASSED" in out]
        if completed.returncode != 0 or passed != list(PYTEST_ALEMBIC_TESTS):
            raise WrongAnswer(
                f"pytest-alembic's tests exited {completed.returncode}: {summary}\n"
                f"{out[-4000:]}{completed.stderr[-2000:]}"
            )
        fixture = sum(float(line) for line in self.fixture_log.read_text().split())
        self.measurements.fixture_seconds.append(fixture)
        for seconds, name in re.findall(r"^([\d.]+)s call\s+\S+::(test_\w+)$", out, re.MULTILINE):
            self.measurements.test_seconds[name].append(float(seconds))
        return Run(wall, cpu)

    def scalar(self, sql: str) -> Any:
        from sqlalchemy import text

        with self.server.engine.connect() as connection:
            return connection.execute(text(sql)).scalar()

    def schema_exists(self, name: str) -> bool:
        sql = f"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{name}'"
        return bool(self.scalar(sql))

    def measure(self, repeat: int) -> Measurements:
        once = {
            "upgrade": self.upgrade,
            "ci": self.ci,
            "ci-no-data": lambda: self.ci(data=False),
            "pytest-alembic": self.pytest_alembic,
        }
        for kind in KINDS:  # warm-up: page cache, bytecode; and the answers
            once[kind]()
        self.measurements = Measurements()
        for index in range(repeat):
            for kind in KINDS if index % 2 == 0 else KINDS[::-1]:
                result = once[kind]()
                self.measurements.runs[kind].append(result)
                print(f"  round {index + 1}: {kind} {result.wall:.2f}s", file=sys.stderr)
        return self.measurements


def table(m: Measurements) -> str:
    header = (
        "",
        *(f"{LABELS[kind]} (s)" for kind in KINDS),
        "ci / upgrade",
        "ci --no-data / upgrade",
        "pytest-alembic / ci --no-data",
    )
    rows = []
    for name, value in (("wall, median", m.median), ("CPU, median", m.median_cpu)):
        upgrade, ci, bare, pytest_alembic = (value(kind) for kind in KINDS)
        rows.append(
            (
                name,
                *(f"{value(kind):.2f}" for kind in KINDS),
                f"{ci / upgrade:.2f}x",
                f"{bare / upgrade:.2f}x",
                f"{pytest_alembic / bare:.1f}x",
            )
        )
    return markdown_table(header, rows)


def verdicts(m: Measurements) -> list[str]:
    with_data = m.median("ci") / m.median("upgrade")
    over_upgrade = m.median("ci-no-data") / m.median("upgrade")
    # like for like: pytest-alembic migrates empty tables too
    under_pytest = m.median("pytest-alembic") / m.median("ci-no-data")

    def holds(ok: bool) -> str:
        return "holds" if ok else "does not hold"

    return [
        f"ci with data at most {DATA_TARGET:g}x a bare alembic upgrade head: "
        f"{holds(with_data <= DATA_TARGET)} ({with_data:.2f}x)",
        f"ci --no-data at most {UPGRADE_TARGET}x a bare alembic upgrade head: "
        f"{holds(over_upgrade <= UPGRADE_TARGET)} ({over_upgrade:.2f}x)",
        f"ci --no-data at least {PYTEST_ALEMBIC_TARGET:g}x faster than pytest-alembic: "
        f"{holds(under_pytest >= PYTEST_ALEMBIC_TARGET)} ({under_pytest:.1f}x)",
    ]


def key(kind: str) -> str:
    return kind.replace("-", "_")


def tool_version(distribution: str) -> str | None:
    """The installed version of `distribution` in the benchmarked venv, None if missing."""
    completed = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            f"import importlib.metadata as m; print(m.version({distribution!r}))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() if completed.returncode == 0 else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Time `alembic-sentinel ci` on a 500-revision project whose pull request adds "
        "3 revisions, beside a bare `alembic upgrade head` and pytest-alembic's four built-in "
        "tests, as whole processes on MariaDB/MySQL."
    )
    add_repeat_argument(parser, 3, "of each")
    add_server_argument(parser)
    add_json_argument(parser)
    add_keep_argument(parser, "project")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not require_tools("alembic", "alembic-sentinel", "pytest"):
        return 2
    pytest_alembic_version = tool_version("pytest-alembic")
    if pytest_alembic_version is None:
        print(
            f"pytest-alembic is not installed in {BIN.parent}: "
            f"`{BIN / 'pip'} install 'pytest-alembic>=0.13,<0.14'`",
            file=sys.stderr,
        )
        return 2
    server = reach_server(args.server)
    if server is None:
        return 2
    server_version = server.version()

    import alembic
    import sqlalchemy

    versions = {
        "python": platform.python_version(),
        "alembic": alembic.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "pytest": tool_version("pytest"),
        "pytest_alembic": pytest_alembic_version,
        "server": server_version,
        "cpus": os.cpu_count(),
    }
    print(
        f"# {platform.python_implementation()} {versions['python']}, Alembic "
        f"{versions['alembic']}, SQLAlchemy {versions['sqlalchemy']}, pytest "
        f"{versions['pytest']}, pytest-alembic {pytest_alembic_version}, {server_version}, "
        f"{versions['cpus']} CPUs; median of {args.repeat} runs after 1 warm-up",
        flush=True,
    )
    with scratch_directory(args.keep, "ci-bench-") as root:
        env = bench_env(root, drop_prefixes=CI_ENV_PREFIXES)
        try:
            pr = pull_request(root, server)
            print(
                f"# project: {pr.project.count} revisions, {len(pr.project.schema.tables)} "
                f"tables (growing schema); origin/main at {pr.base_head}, branch pr adds "
                f"{', '.join(pr.new_revisions)}",
                flush=True,
            )
            measurements = Bench(server, root, env, pr).measure(args.repeat)
        except WrongAnswer as exc:
            print(f"WRONG ANSWER: {exc}", file=sys.stderr)
            return 1
        finally:
            for name in (UPGRADE_SCHEMA, PYTEST_ALEMBIC_SCHEMA):
                server.drop(name)
            server.engine.dispose()

    print(table(measurements))
    fixture = statistics.median(measurements.fixture_seconds)
    ci_upgrade = statistics.median(measurements.ci_upgrade_seconds)
    print(
        f"(pytest-alembic includes {fixture:.2f} s creating and dropping its 4 scratch schemas; "
        f"ci's own report gives {ci_upgrade:.2f} s for its upgrade base -> head and "
        f"{statistics.median(measurements.ci_data_seconds):.2f} s for generating and inserting "
        "its rows)"
    )
    tests = {
        name: statistics.median(seconds) if seconds else None
        for name, seconds in measurements.test_seconds.items()
    }
    print(
        "(pytest-alembic's tests, median call time: "
        + ", ".join(f"{name} {s:.2f} s" for name, s in tests.items() if s is not None)
        + ")"
    )
    for line in verdicts(measurements):
        print(line)
    if args.json:
        document = {
            **versions,
            "repeat": args.repeat,
            "revisions": pr.project.count,
            "tables": len(pr.project.schema.tables),
            "new_revisions": len(pr.new_revisions),
            **{f"{key(kind)}_s": measurements.median(kind) for kind in KINDS},
            **{f"{key(kind)}_cpu_s": measurements.median_cpu(kind) for kind in KINDS},
            "ci_over_upgrade": measurements.median("ci") / measurements.median("upgrade"),
            "ci_no_data_over_upgrade": (
                measurements.median("ci-no-data") / measurements.median("upgrade")
            ),
            "ci_reported_data_s": statistics.median(measurements.ci_data_seconds),
            "pytest_alembic_over_ci": (
                measurements.median("pytest-alembic") / measurements.median("ci-no-data")
            ),
            "pytest_alembic_fixture_s": fixture,
            "pytest_alembic_tests_s": tests,
            "ci_reported_upgrade_s": ci_upgrade,
            "runs": {key(kind): [r.wall for r in measurements.runs[kind]] for kind in KINDS},
        }
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
