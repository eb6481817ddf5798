"""Benchmark the `alembic-drift` hook on a commit that touches no model, beside `alembic check`.

pre-commit passes the drift hook every staged Python file (a single-module `app.py` must
trigger it, so the manifest cannot filter by path). A commit that stages no revision file and
no module the models import is answered from the hook's record of the last check, without
importing SQLAlchemy. Times, as whole processes in the drift benchmark's synthetic project on
MariaDB/MySQL (a `sentinel_bench_hook_*` schema, dropped after; the shadow too):

- `alembic check`: what a team without alembic-sentinel would run in a hook, on a database at
  head (upgraded once, untimed);
- `alembic-drift tools/report.py`: the hook on a commit that stages a file the models do not
  import: the fast path;
- `alembic-drift models.py`: the hook on a commit that stages the models: the full check, its
  cached shadow at head.

The fast path must exit 0, print nothing and import no SQLAlchemy (checked once in a child
process); the full check must pass. Median of `--repeat` runs after one warm-up.

    .venv/bin/python bench/hook_bench.py [--sizes 100,500] [--repeat 9] [--json out.json]
                                         [--server mysql+pymysql://root@127.0.0.1:3306/]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from drift_bench import SCHEMA_PREFIX, Project, Server, reach_server
from harness import (
    BIN,
    add_json_argument,
    add_repeat_argument,
    add_server_argument,
    bench_env,
    markdown_table,
    scratch_directory,
    sizes_argument,
    timed,
)

KINDS = ("alembic check", "drift hook, no model staged", "drift hook, models staged")
PROBE = (
    "import sys\n"
    "from alembic_sentinel.hooks.alembic_drift import main\n"
    "code = main(sys.argv[1:])\n"
    "print(code, 'sqlalchemy' in sys.modules)\n"
)


class WrongAnswer(Exception):
    pass


def answered(command: Sequence[str], cwd: Path, env: dict[str, str], expect: str) -> float:
    wall, _, completed = timed(command, cwd, env)
    output = completed.stdout + completed.stderr
    if completed.returncode != 0 or expect not in output:
        raise WrongAnswer(f"{' '.join(command)} exited {completed.returncode}:\n{output}")
    return wall


def measure(
    server: Server, root: Path, size: int, repeat: int, env: dict[str, str]
) -> dict[str, object]:
    name = f"{SCHEMA_PREFIX}hook_{size}"
    server.create(name)
    try:
        return measure_on(server.database_url(name), root, size, repeat, env)
    finally:
        server.drop(name)


def measure_on(
    url: str, root: Path, size: int, repeat: int, env: dict[str, str]
) -> dict[str, object]:
    directory = root / f"project-{size}"
    directory.mkdir()
    Project(directory, size, url, fixed=True)
    (directory / "tools").mkdir()
    (directory / "tools" / "report.py").write_text("print('not a model')\n", encoding="utf-8")
    upgraded = subprocess.run(
        [str(BIN / "alembic"), "upgrade", "head"], cwd=directory, env=env, capture_output=True
    )
    if upgraded.returncode != 0:
        raise WrongAnswer(upgraded.stderr.decode())
    hook = [str(BIN / "alembic-drift"), "--url", url]
    # the first check records what the models import and builds the shadow
    answered([*hook, "models.py"], directory, env, "")
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, "--url", url, "tools/report.py"],
        cwd=directory, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if probe.stdout.strip().splitlines()[-1:] != ["0 False"]:
        raise WrongAnswer(f"the fast path imported SQLAlchemy or failed:\n{probe.stdout}")
    commands = {
        KINDS[0]: ([str(BIN / "alembic"), "check"], "No new upgrade operations detected"),
        KINDS[1]: ([*hook, "tools/report.py"], ""),
        KINDS[2]: ([*hook, "models.py"], "no changes"),
    }
    runs: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for command, expect in commands.values():
        answered(command, directory, env, expect)  # warm-up
    for index in range(repeat):
        order = KINDS if index % 2 == 0 else tuple(reversed(KINDS))
        for kind in order:
            command, expect = commands[kind]
            runs[kind].append(answered(command, directory, env, expect))
    subprocess.run(
        [str(BIN / "alembic-sentinel"), "cache", "clear", "--url", url],
        cwd=directory, env=env, capture_output=True,
    )  # fmt: skip
    return {"revisions": size, **{kind: statistics.median(runs[kind]) for kind in KINDS}}


def table(results: Sequence[dict[str, object]]) -> str:
    header = ["revisions", *(f"{kind} (s)" for kind in KINDS), "alembic check / no model"]
    rows = []
    for result in results:
        times = [float(str(result[kind])) for kind in KINDS]
        rows.append(
            [
                f"{result['revisions']:,}",
                *(f"{t:.3f}" for t in times),
                f"{times[0] / times[1]:.1f}x",
            ]
        )
    return markdown_table(header, rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=sizes_argument(1), default=[100, 500], help="revision counts"
    )
    add_repeat_argument(parser, 9, "each command")
    add_server_argument(parser)
    add_json_argument(parser)
    args = parser.parse_args(argv)
    server = reach_server(args.server)
    if server is None:
        return 1
    results = []
    with scratch_directory(None, "hook-bench-") as root:
        env = bench_env(root)
        try:
            for size in args.sizes:
                results.append(measure(server, root, size, args.repeat, env))
        except WrongAnswer as wrong:
            print(f"wrong answer: {wrong}", file=sys.stderr)
            return 1
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, median of "
        f"{args.repeat} runs after one warm-up"
    )
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
