"""Benchmark `alembic-sentinel heads` against `alembic heads` as whole processes.

Generates synthetic Alembic projects (100 / 1,000 / 5,000 revisions by default, a linear chain
and a history with regular branch-and-merge blocks, both ending in one head), then times each
tool as a separate process started from the project directory, the way a pre-commit hook or a
developer's shell runs it: interpreter start-up, imports and the work itself.

Each measurement warms up once, then takes the median of `--repeat` runs, alternating which tool
goes first; wall-clock time is the headline, the children's CPU time (user + system) is recorded
too because it is less sensitive to other load on the machine. Both tools must report the same
single head; any disagreement exits 1. Timings never fail the run.

Bytecode is controlled, not inherited: the children run with bytecode writing on and
PYTHONPYCACHEPREFIX pointing into the scratch directory (nothing is written into the repository
or the venv). Each tool has a cache of what it made of the revision files: Alembic the bytecode
of the revision modules it imports, alembic-sentinel its parse cache (under XDG_CACHE_HOME, also
pointed into the scratch directory). `--pycache warm` (default) keeps both caches the warm-up
wrote, like a developer's repeated runs; `--pycache cold` deletes both before every run, like a
fresh checkout in CI. Installed packages' bytecode stays cached in both modes.

    .venv/bin/python bench/heads_bench.py [--sizes 100,1000,5000] [--shapes linear,merges]
                                          [--repeat 5] [--pycache warm|cold]
                                          [--json results.json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from harness import (
    BIN,
    REVISION,
    TEMPLATE,
    add_json_argument,
    add_keep_argument,
    add_repeat_argument,
    alembic_ini,
    bench_env,
    failed_run,
    markdown_table,
    require_tools,
    scratch_directory,
    sizes_argument,
    timed,
)

SHAPES = ("linear", "merges")
DEFAULT_SIZES = (100, 1000, 5000)
# merges: one trunk revision, two parallel branches of BRANCH_LENGTH, one merge revision
BRANCH_LENGTH = 4
BLOCK = 1 + 2 * BRANCH_LENGTH + 1
PYCACHE_MODES = ("warm", "cold")


ENV_PY = '''\
"""Minimal environment; `heads` never runs it."""

from alembic import context


def run_migrations_offline():
    context.configure(url="sqlite://", target_metadata=None, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_offline()
'''


@dataclass(frozen=True)
class Revision:
    revision: str
    down_revision: str | tuple[str, ...] | None
    message: str


@dataclass
class Result:
    shape: str
    revisions: int
    head: str
    alembic_s: float
    sentinel_s: float
    alembic_cpu_s: float
    sentinel_cpu_s: float
    alembic_runs: list[float]
    sentinel_runs: list[float]

    @property
    def ratio(self) -> float:
        return self.alembic_s / self.sentinel_s

    @property
    def cpu_ratio(self) -> float:
        return self.alembic_cpu_s / self.sentinel_cpu_s


def plan_history(size: int, shape: str, rng: random.Random) -> tuple[list[Revision], str]:
    """The revisions of one synthetic history, oldest first, and its single head."""
    used: set[str] = set()

    def new_id() -> str:
        while True:
            rev = f"{rng.getrandbits(48):012x}"
            if rev not in used:
                used.add(rev)
                return rev

    revisions: list[Revision] = []
    head: str | None = None

    def add(down: str | tuple[str, ...] | None, message: str) -> str:
        rev = new_id()
        revisions.append(Revision(rev, down, message))
        return rev

    while len(revisions) < size:
        remaining = size - len(revisions)
        if shape == "merges" and head is not None and remaining >= BLOCK:
            trunk = add(head, f"trunk change {len(revisions)}")
            tips = []
            for side in ("a", "b"):
                tip = trunk
                for step in range(BRANCH_LENGTH):
                    tip = add(tip, f"feature {side} step {step} at {len(revisions)}")
                tips.append(tip)
            head = add(tuple(tips), "merge heads")
        else:
            head = add(head, "initial schema" if head is None else f"change {len(revisions)}")
    assert head is not None
    return revisions, head


def slug(message: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", message.lower()).strip("_")[:40]


def operations(index: int, rng: random.Random) -> tuple[str, str]:
    """A few plausible `op` calls for upgrade() and their inverse for downgrade()."""
    table = f"table_{index}"
    up = [
        "    # ### commands auto generated by Alembic - please adjust! ###",
        "    op.create_table(",
        f"        {table!r},",
        '        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),',
        '        sa.Column("name", sa.String(length=120), nullable=False),',
        '        sa.Column("created", sa.DateTime(), nullable=True),',
        f'        sa.PrimaryKeyConstraint("id", name=op.f("pk_{table}")),',
        "    )",
    ]
    down = []
    columns = [f"column_{index}_{n}" for n in range(rng.randint(1, 3))]
    for column in columns:
        up.append(f'    op.add_column("area", sa.Column({column!r}, sa.Integer(), nullable=True))')
    for column in reversed(columns):
        down.append(f'    op.drop_column("area", {column!r})')
    down.append(f"    op.drop_table({table!r})")
    up.append("    # ### end Alembic commands ###")
    return "\n".join(up), "\n".join(down)


def write_project(root: Path, size: int, shape: str, seed: int = 0) -> str:
    """Write alembic.ini and migrations/ for one history under `root`; return its head."""
    rng = random.Random(f"{shape}-{size}-{seed}")
    revisions, head = plan_history(size, shape, rng)
    migrations = root / "migrations"
    versions = migrations / "versions"
    versions.mkdir(parents=True)
    (root / "alembic.ini").write_text(alembic_ini(), encoding="utf-8")
    (migrations / "env.py").write_text(ENV_PY, encoding="utf-8")
    shutil.copyfile(TEMPLATE, migrations / "script.py.mako")
    start = datetime(2023, 1, 2, 9, 0, 0)
    for index, rev in enumerate(revisions):
        down = rev.down_revision
        revises = ", ".join(down) if isinstance(down, tuple) else (down or "")
        if isinstance(down, tuple):
            upgrade = downgrade = "    pass"
        else:
            upgrade, downgrade = operations(index, rng)
        text = REVISION.format(
            message=rev.message,
            revision=rev.revision,
            revises=revises,
            create_date=start + timedelta(minutes=37 * index, microseconds=index),
            down_revision=down,
            upgrade=upgrade,
            downgrade=downgrade,
        )
        path = versions / f"{rev.revision}_{slug(rev.message)}.py"
        path.write_text(text, encoding="utf-8")
    return head


def tool_commands() -> dict[str, list[str]]:
    return {
        "alembic": [str(BIN / "alembic"), "heads"],
        "sentinel": [str(BIN / "alembic-sentinel"), "heads"],
    }


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    output: str


def run_once(command: Sequence[str], cwd: Path, env: dict[str, str]) -> Run:
    wall, cpu, completed = timed(command, cwd, env)
    if completed.returncode != 0:
        raise Mismatch(failed_run(command, cwd, completed))
    return Run(wall, cpu, completed.stdout)


class Mismatch(Exception):
    """The tools disagree with each other or with the generated history."""


def reported_heads(output: str) -> set[str]:
    """Both tools print one `<rev> (head)...` line per head."""
    return {line.split()[0] for line in output.splitlines() if "(head)" in line}


def check_heads(name: str, output: str, expected: str, where: str) -> None:
    heads = reported_heads(output)
    if heads != {expected}:
        raise Mismatch(
            f"{name} heads in {where}: expected {expected}, got "
            f"{', '.join(sorted(heads)) or '(none)'}\n--- output ---\n{output}"
        )


def revision_bytecode(project: Path, pycache_prefix: Path) -> Path:
    """Where Python caches the bytecode of the project's modules under PYTHONPYCACHEPREFIX."""
    return pycache_prefix / project.resolve().relative_to(project.resolve().anchor)


def measure(
    root: Path,
    shape: str,
    size: int,
    repeat: int,
    env: dict[str, str],
    pycache: str,
) -> Result:
    project = root / f"{shape}-{size}"
    project.mkdir()
    head = write_project(project, size, shape)
    bytecode = revision_bytecode(project, Path(env["PYTHONPYCACHEPREFIX"]))
    commands = tool_commands()
    names = list(commands)
    # warm-up: page cache, installed packages' bytecode, and the correctness check
    for name in names:
        check_heads(name, run_once(commands[name], project, env).output, head, str(project))
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for index in range(repeat):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            if pycache == "cold":
                shutil.rmtree(bytecode, ignore_errors=True)
                shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
            run = run_once(commands[name], project, env)
            check_heads(name, run.output, head, str(project))
            runs[name].append(run)

    def median(name: str, cpu: bool = False) -> float:
        return statistics.median(run.cpu if cpu else run.wall for run in runs[name])

    return Result(
        shape=shape,
        revisions=size,
        head=head,
        alembic_s=median("alembic"),
        sentinel_s=median("sentinel"),
        alembic_cpu_s=median("alembic", cpu=True),
        sentinel_cpu_s=median("sentinel", cpu=True),
        alembic_runs=[run.wall for run in runs["alembic"]],
        sentinel_runs=[run.wall for run in runs["sentinel"]],
    )


def table(results: Sequence[Result]) -> str:
    header = (
        "shape",
        "revisions",
        "alembic heads (s)",
        "alembic-sentinel heads (s)",
        "ratio",
        "CPU ratio",
    )
    rows = [
        (
            r.shape,
            f"{r.revisions:,}",
            f"{r.alembic_s:.3f}",
            f"{r.sentinel_s:.3f}",
            f"{r.ratio:.1f}x",
            f"{r.cpu_ratio:.1f}x",
        )
        for r in results
    ]
    return markdown_table(header, rows, label_column=True)


def parse_shapes(text: str) -> list[str]:
    shapes = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(shapes) - set(SHAPES))
    if not shapes or unknown:
        raise argparse.ArgumentTypeError(f"shapes are {', '.join(SHAPES)}")
    return shapes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Time `alembic-sentinel heads` vs `alembic heads` as whole processes."
    )
    parser.add_argument(
        "--sizes",
        type=sizes_argument(1),
        default=list(DEFAULT_SIZES),
        help="comma-separated revision counts (default: 100,1000,5000)",
    )
    parser.add_argument(
        "--shapes",
        type=parse_shapes,
        default=list(SHAPES),
        help="comma-separated history shapes: linear, merges (default: both)",
    )
    add_repeat_argument(parser, 5, "per tool")
    parser.add_argument(
        "--pycache",
        choices=PYCACHE_MODES,
        default="warm",
        help="warm: keep the revision modules' bytecode between runs (default); "
        "cold: delete it before every run",
    )
    add_json_argument(parser)
    add_keep_argument(parser, "projects")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not require_tools("alembic", "alembic-sentinel"):
        return 2

    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, median of {args.repeat} runs after 1 warm-up, "
        f"revision bytecode {args.pycache}",
        flush=True,
    )
    results: list[Result] = []
    with scratch_directory(args.keep, "heads-bench-") as root:
        env = bench_env(root)
        try:
            for size in args.sizes:
                for shape in args.shapes:
                    result = measure(root, shape, size, args.repeat, env, args.pycache)
                    results.append(result)
                    print(
                        f"  {shape:6} {size:>6,}: alembic {result.alembic_s:.3f}s, "
                        f"alembic-sentinel {result.sentinel_s:.3f}s "
                        f"({result.ratio:.1f}x, CPU {result.cpu_ratio:.1f}x)",
                        file=sys.stderr,
                        flush=True,
                    )
        except Mismatch as exc:
            print(f"MISMATCH: {exc}", file=sys.stderr)
            return 1

    print(table(results))
    if args.json:
        document = {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "repeat": args.repeat,
            "pycache": args.pycache,
            "results": [{**asdict(r), "ratio": r.ratio, "cpu_ratio": r.cpu_ratio} for r in results],
        }
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
