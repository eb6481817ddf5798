"""Why the shadow could not be built: the revision that failed and the server's words.

The drift check migrates a shadow to head before it compares. When a revision fails there (a
table created outside Alembic that the first revision expects, a constraint dropped under a
name the server never gave it), no comparison was made, so it is neither "drift found" (1)
nor a bug (4): it is the project's history that does not build, `D405 shadow could not be
built`, exit 2, with the revision and the error, the way the app's own `upgrade` would fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic_sentinel.engine.tracebacks import innermost_frame
from alembic_sentinel.errors import SentinelError, ShadowNotBuilt
from alembic_sentinel.settings import Settings


class AppliedSteps:
    """The revisions applied so far (Alembic's `on_version_apply`), to name the next one."""

    def __init__(self) -> None:
        self.revisions: list[str] = []

    def append_step(self, *, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        self.revisions.append(str(step.up_revision_id))


@contextmanager
def shadow_build_failures(settings: Settings, applied: AppliedSteps) -> Iterator[None]:
    """Any failure of the upgrade in this block becomes one `D405` line (exit 2)."""
    try:
        yield
    except SentinelError:
        raise  # already one line with its own exit code (a refused connection, a setting)
    except Exception as exc:
        raise ShadowNotBuilt(describe_failure(settings, applied, exc)) from None


def describe_failure(settings: Settings, applied: AppliedSteps, exc: BaseException) -> str:
    from alembic_sentinel.engine.database import describe_driver_error

    where = innermost_frame(exc, settings.migrations, settings.root)
    after = applied.revisions[-1] if applied.revisions else None
    position = f"after {after}" if after else "at the first revision"
    located = f"{where} ({position})" if where else position
    sa_exc = _sqlalchemy_errors()
    if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
        error = describe_driver_error(exc, settings)
    else:
        lines = str(exc).strip().splitlines()
        error = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return (
        f"D405 shadow could not be built: {located}: {error} "
        "(tables the app makes outside Alembic: see the shadow-prepare setting)"
    )


def _sqlalchemy_errors() -> Any:
    import sys

    return sys.modules.get("sqlalchemy.exc")
