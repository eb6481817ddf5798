"""What the benchmarks share: tool paths, a clean environment, an alembic.ini, timed processes,
the common options and the Markdown table."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
# the venv running the benchmark (`make bench`), else the repository's .venv
BIN = next(
    (d for d in (Path(sys.executable).parent, REPO / ".venv" / "bin") if (d / "alembic").is_file()),
    Path(sys.executable).parent,
)
TEMPLATE = REPO / "migrations" / "script.py.mako"
DEFAULT_SERVER = (
    os.environ.get("BENCH_MYSQL_URL")
    or os.environ.get("TEST_MYSQL_URL")
    or "mysql+pymysql://root@127.0.0.1:3306/"
)

# variables that would point either tool somewhere other than the generated project, or change
# how bytecode is cached (the benchmarks set that themselves)
SCRUBBED_ENV = (
    "ENV_CONFIG",
    "SENTINEL_DATABASE_URL",
    "SENTINEL_MIGRATIONS",
    "SENTINEL_METADATA",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPYCACHEPREFIX",
    "NO_COLOR",
)

_LOGGING = """
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
"""


def alembic_ini(*options: str) -> str:
    """An alembic.ini as `alembic init` writes it, with these extra [alembic] options."""
    lines = ["[alembic]", "script_location = %(here)s/migrations", *options]
    return "\n".join(lines) + "\n" + _LOGGING


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sizes_argument(minimum: int) -> Callable[[str], list[int]]:
    """An argparse type for `--sizes 100,1000`: comma-separated integers of at least `minimum`."""

    def parse(text: str) -> list[int]:
        try:
            sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a list of integers: {text}") from None
        if not sizes or min(sizes) < minimum:
            raise argparse.ArgumentTypeError(f"sizes must be integers of at least {minimum}")
        return sizes

    return parse


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_repeat_argument(parser: argparse.ArgumentParser, default: int, runs_of: str) -> None:
    """`--repeat N`: the timed runs `runs_of` (e.g. "per tool") after the warm-up, at least 1."""
    parser.add_argument(
        "--repeat",
        type=_at_least_one,
        default=default,
        help=f"timed runs {runs_of}, after one warm-up (default {default})",
    )


def add_server_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        default=DEFAULT_SERVER,
        help="MariaDB/MySQL server URL (default: BENCH_MYSQL_URL, TEST_MYSQL_URL, or "
        "mysql+pymysql://root@127.0.0.1:3306/)",
    )


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")


def add_keep_argument(parser: argparse.ArgumentParser, generated: str) -> None:
    """`--keep DIR`; `generated` is "project" or "projects", as the help says."""
    them = "them" if generated.endswith("s") else "it"
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help=f"generate the {generated} in DIR and keep {them} (must not exist)",
    )


def require_tools(*names: str) -> bool:
    """Whether these console scripts are all in BIN; if not, say which one is missing."""
    for name in names:
        if not (BIN / name).is_file():
            print(f"{BIN / name} not found: run `make venv` first", file=sys.stderr)
            return False
    return True


@contextmanager
def scratch_directory(keep: str | None, prefix: str) -> Iterator[Path]:
    """A temporary directory, or `keep` (created, must not exist) when the projects are kept."""
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        root = Path(keep) if keep else Path(scratch)
        root.mkdir(parents=True, exist_ok=not keep)
        yield root.resolve()


def bench_env(root: Path, drop_prefixes: tuple[str, ...] = ()) -> dict[str, str]:
    """The children's environment: this one without SCRUBBED_ENV (nor variables starting with
    `drop_prefixes`), no colour, bytecode and caches under `root`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SCRUBBED_ENV and not k.startswith(drop_prefixes)
    }
    env["NO_COLOR"] = "1"
    env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    env["XDG_CACHE_HOME"] = str(root / "xdg-cache")
    return env


def timed(
    command: Sequence[str], cwd: Path, env: dict[str, str]
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU time of one process, and what it printed; the caller judges the answer."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    return time.perf_counter() - started, children_cpu() - cpu_before, completed


def failed_run(
    command: Sequence[str], cwd: Path, completed: subprocess.CompletedProcess[str]
) -> str:
    """What a process that should have succeeded said, for the wrong-answer message."""
    return (
        f"{' '.join(command)} exited {completed.returncode} in {cwd}:\n"
        f"{completed.stdout}{completed.stderr}"
    )


def markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], label_column: bool = False
) -> str:
    """A Markdown table padded to read as plain text too: cells right-aligned (they are numbers),
    the first column left-aligned when it holds labels (`label_column`)."""
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        aligned = [
            cell.ljust(width) if label_column and i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths))
        ]
        return "| " + " | ".join(aligned) + " |"

    separator = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])


# one revision file as `alembic revision` writes it from the generic script.py.mako
REVISION = '''\
"""{message}

Revision ID: {revision}
Revises: {revises}
Create Date: {create_date}

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''
