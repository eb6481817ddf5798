"""Benchmark `alembic-sentinel lint --all` on synthetic histories, beside `alembic history`.

Generates the drift benchmark's synthetic projects (revisions that create tables with foreign
keys, add, widen and drop columns, add indexes, branch and merge; 100 / 1,000 revisions by
default, no database needed) and times as whole processes started from the project directory:

- `alembic history`: the plain Alembic CLI loading every revision file (Alembic imports each one:
  its bytecode is kept warm between runs) and printing the history; the cheapest Alembic command
  that reads them all, for scale;
- `alembic-sentinel lint --all --format json`: every revision file read, parsed and reviewed
  (the linter keeps no cache: every run parses every file).

The issue's target is whole-process time for 1,000 files under 0.5 s; the output says whether it
holds. Each measurement warms up once, then takes the median of `--repeat`
runs, alternating the order. The lint must produce a JSON report that covers every file (exit 0
or 1 are both answers: the synthetic history has findings); anything else exits 1.

    .venv/bin/python bench/lint_bench.py [--sizes 100,1000] [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

from drift_bench import Project
from harness import (
    BIN,
    add_json_argument,
    add_repeat_argument,
    bench_env,
    markdown_table,
    require_tools,
    scratch_directory,
    sizes_argument,
    timed,
)

DEFAULT_SIZES = (100, 1000)
KINDS = ("alembic history", "lint")
TARGET_SECONDS = 0.5


class WrongAnswer(Exception):
    pass


def answered(command: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Wall time and stdout of one process that answered (lint: 0 or 1; history: 0)."""
    wall, _, completed = timed(command, cwd, env)
    if completed.returncode not in (0, 1) or (
        command[-1] == "history" and completed.returncode != 0
    ):
        raise WrongAnswer(
            f"{' '.join(command)} exited {completed.returncode}:\n"
            f"{completed.stdout[-2000:]}{completed.stderr[-2000:]}"
        )
    return wall, completed.stdout


def measure(root: Path, size: int, repeat: int, env: dict[str, str]) -> dict[str, object]:
    directory = root / f"project-{size}"
    directory.mkdir()
    project = Project(directory, size, "sqlite:///unused.db")
    commands = {
        "alembic history": [str(BIN / "alembic"), "history"],
        # the synthetic project's alembic.ini names SQLite: judge for MySQL, the full rule set
        "lint": [
            str(BIN / "alembic-sentinel"),
            "lint",
            "--all",
            "--format",
            "json",
            "--target-server",
            "mysql-8.0",
        ],
    }
    walls: dict[str, list[float]] = {kind: [] for kind in KINDS}
    findings = 0

    def once(kind: str) -> float:
        nonlocal findings
        wall, out = answered(commands[kind], directory, env)
        if kind != "alembic history":
            report = json.loads(out)
            if report.get("files") != project.count:
                raise WrongAnswer(f"lint covered {report.get('files')} of {project.count} files")
            findings = len(report["findings"])
        return wall

    for kind in KINDS:
        once(kind)
    for index in range(repeat):
        for kind in KINDS if index % 2 == 0 else KINDS[::-1]:
            walls[kind].append(once(kind))
    medians = {kind: statistics.median(walls[kind]) for kind in KINDS}
    return {"revisions": project.count, "findings": findings, "medians": medians, "runs": walls}


def table(results: Sequence[dict[str, object]]) -> str:
    header = ("revisions", "alembic history (s)", "alembic-sentinel lint --all (s)", "ratio")
    rows = []
    for r in results:
        m = r["medians"]
        assert isinstance(m, dict)
        rows.append(
            (
                f"{r['revisions']:,}",
                *(f"{m[k]:.3f}" for k in KINDS),
                f"{m['alembic history'] / m['lint']:.1f}x faster",
            )
        )
    return markdown_table(header, rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes_argument(10), default=list(DEFAULT_SIZES))
    add_repeat_argument(parser, 5, "of each")
    add_json_argument(parser)
    args = parser.parse_args(argv)
    if not require_tools("alembic", "alembic-sentinel"):
        return 2
    import alembic

    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"Alembic {alembic.__version__}, {os.cpu_count()} CPUs; "
        f"median of {args.repeat} runs after 1 warm-up"
    )
    results = []
    with scratch_directory(None, "lint-bench-") as root:
        env = bench_env(root)
        try:
            for size in args.sizes:
                results.append(measure(root, size, args.repeat, env))
        except WrongAnswer as exc:
            print(f"WRONG ANSWER: {exc}", file=sys.stderr)
            return 1
    print(table(results))
    for r in results:
        m = r["medians"]
        assert isinstance(m, dict)
        if r["revisions"] == 1000:
            verdict = "holds" if m["lint"] < TARGET_SECONDS else "does not hold"
            print(f"lint of 1,000 files: {m['lint']:.3f} s; under {TARGET_SECONDS} s: {verdict}")
        print(f"{r['revisions']:,} revisions: {r['findings']} findings")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
