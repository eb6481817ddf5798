"""The one top-level handler every entry point shares: exceptions become one line and an exit code.

The CLI, every hook and `flask sentinel` run their work through `guarded()`: errors a user can
cause exit 1-3 as documented, anything else is a bug (exit 4) with its traceback only under
`--debug`, and SIGTERM unwinds so scratch schemas are dropped on the way out.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from alembic_sentinel.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_USAGE,
    SentinelError,
    Terminated,
)
from alembic_sentinel.report.render import terminal_safe
from alembic_sentinel.settings import Settings

DEBUG_ENV = "ALEMBIC_SENTINEL_DEBUG"
# directories inside a project that hold installed code, not the project's own
NOT_PROJECT_CODE = (".venv", "venv", ".tox", ".nox", "site-packages")
PROG = "alembic-sentinel"


def guarded(
    prog: str,
    resolve: Callable[[], Settings],
    body: Callable[[Settings], int],
    *,
    debug: bool = False,
) -> int:
    """Resolve the settings and run `body`; every error becomes one line and an exit code.

    The single top-level handler of every entry point (the CLI and the hooks): errors a user
    can cause exit 1-3 as documented; anything else is a bug, exit 4, with its traceback only
    under `--debug` (or ALEMBIC_SENTINEL_DEBUG=1). A crash never exits 1, which CI reads as
    findings. SIGTERM unwinds like Ctrl-C, so scratch schemas are dropped on the way out.
    """
    debug = debug or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    settings: Settings | None = None
    with terminated_on_sigterm():
        try:
            settings = resolve()
            return body(settings)
        except SentinelError as exc:
            return report_error(prog, exc.message, exc.exit_code, settings)
        except SystemExit as exc:
            # nothing of ours calls sys.exit inside a verb: the project's app, config, revision
            # or fixture did, where it should have raised or returned
            return report_error(prog, project_exit_message(exc, settings), EXIT_USAGE, settings)
        except KeyboardInterrupt:
            return report_error(prog, "interrupted", EXIT_INTERNAL, settings)
        except Terminated:
            return report_error(prog, "terminated (SIGTERM)", EXIT_INTERNAL, settings)
        except Exception as exc:
            located = describe_project_error(exc, settings)
            if located is not None:
                return report_error(prog, located[0], located[1], settings)
            if debug:
                import traceback  # only for --debug

                traceback.print_exc()
            first_line = next(iter(str(exc).strip().splitlines()), "")
            what = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
            hint = "" if debug else " (run with --debug for the traceback)"
            return report_error(prog, f"internal error: {what}{hint}", EXIT_INTERNAL, settings)


@contextmanager
def terminated_on_sigterm() -> Iterator[None]:
    """SIGTERM raises `Terminated` in the main thread for the block, then the old handler."""

    def on_sigterm(signum: int, frame: object) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, on_sigterm)
    except ValueError:  # not the main thread (only the main thread can take signals)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def report_error(prog: str, message: str, exit_code: int, settings: Settings | None) -> int:
    """The one-line error every entry point prints, with the password scrubbed."""
    if settings is not None and settings.url:
        from alembic_sentinel.engine.database import scrub

        message = scrub(message, settings)
    print(f"{prog}: error: {terminal_safe(message)}", file=sys.stderr)
    return exit_code


def describe_project_error(exc: Exception, settings: Settings | None) -> tuple[str, int] | None:
    """One line and an exit code for errors raised by Alembic, the database, or revision code.

    Returns None for anything else: that is a bug in alembic-sentinel and keeps its traceback.
    """
    # imported on an error only: a run without one (every hook that passes) skips the engine
    from alembic_sentinel.engine.tracebacks import innermost_frame

    alembic_util = sys.modules.get("alembic.util")
    if alembic_util is not None and isinstance(exc, alembic_util.CommandError):
        return describe_command_error(exc), EXIT_USAGE if _unknown_revision(exc) else EXIT_FINDINGS
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if settings is not None and sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
        from alembic_sentinel.engine.database import describe_driver_error

        where = innermost_frame(exc, settings.migrations, settings.root)
        prefix = f"{where}: " if where else ""
        return f"{prefix}database error: {describe_driver_error(exc, settings)}", EXIT_FINDINGS
    if settings is not None:
        where = innermost_frame(exc, settings.migrations, settings.root)
        if where is not None:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            return f"{where}: {type(exc).__name__}: {first_line}", EXIT_FINDINGS
    return None


def project_exit_message(exc: SystemExit, settings: Settings | None) -> str:
    """`path:line: the project's code exited (sys.exit(CODE))`, at the innermost frame in the
    project (its migrations, else its root; the current directory before settings exist)."""
    from alembic_sentinel.engine.tracebacks import innermost_frame

    root = settings.root if settings is not None else Path.cwd().resolve()
    where = None
    if settings is not None:
        where = innermost_frame(exc, settings.migrations, root)
    where = where or innermost_frame(exc, root, root, skip=NOT_PROJECT_CODE)
    prefix = f"{where}: " if where else ""
    return f"{prefix}the project's code exited (sys.exit({exc.code!r})) instead of returning"


def describe_command_error(exc: Exception) -> str:
    from alembic.script.revision import MultipleHeads

    cause = exc.__cause__
    if isinstance(cause, MultipleHeads):
        heads = ", ".join(sorted(cause.heads))
        return (
            f"multiple heads ({heads}): run `{PROG} merge heads`, "
            "or name a revision (`upgrade heads` applies every head)"
        )
    return str(exc).splitlines()[0]


def _unknown_revision(exc: Exception) -> bool:
    from alembic.script.revision import ResolutionError

    return isinstance(exc.__cause__, ResolutionError) or "Can't locate revision" in str(exc)
