"""What every hook entry point shares: the --migrations flag and the one-line error handling."""

from __future__ import annotations

import argparse
from typing import Callable

from alembic_sentinel.settings import Overrides, Settings, resolve_settings


def add_migrations_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--migrations",
        help="migrations directory (the one holding versions/); default from pyproject.toml, "
        "alembic.ini, or `migrations`",
    )


def run_hook(prog: str, args: argparse.Namespace, body: Callable[[Settings], int]) -> int:
    """Resolve the file-only settings and run `body` under the CLI's error handling."""
    from alembic_sentinel.error_handler import guarded

    return guarded(
        prog,
        lambda: resolve_settings(Overrides(migrations=args.migrations), database=False),
        body,
    )
