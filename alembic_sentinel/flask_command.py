"""`flask sentinel ...`: the same verbs inside Flask's own CLI, so a Flask team keeps one CLI.

Registered through Flask's `flask.commands` entry point. Flask has already found and loaded the
app (FLASK_APP, `--app`, `wsgi.py`/`app.py`), so the settings come from that very app:
`flask sentinel check`, `flask sentinel migrate -m "..."`, `flask sentinel help`.
"""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command(
    "sentinel",
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("argv", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def sentinel(argv: tuple[str, ...]) -> None:
    """alembic-sentinel's verbs on this app (`flask sentinel help` lists them)."""
    from alembic_sentinel.cli import main

    app: Any = current_app._get_current_object()  # type: ignore[attr-defined]
    raise SystemExit(main(list(argv) or ["--help"], flask_app=app, prog="flask sentinel"))
