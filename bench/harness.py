"""What both benchmarks share: tool paths, a clean environment, an alembic.ini, CPU time."""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
# the venv running the benchmark (`make bench`), else the repository's .venv
BIN = next(
    (d for d in (Path(sys.executable).parent, REPO / ".venv" / "bin") if (d / "alembic").is_file()),
    Path(sys.executable).parent,
)
TEMPLATE = REPO / "migrations" / "script.py.mako"

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
