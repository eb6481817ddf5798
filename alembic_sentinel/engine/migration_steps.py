"""Run chosen revision steps (upgrade or downgrade) on one open connection, one plan at a time.

`alembic.command.upgrade` builds a new `ScriptDirectory` on every call (loading one imports every
revision file) and `migration_env` opens a new connection for every command (about 20 ms on
MySQL). A CI run executes several small plans on its scratch database (to the base heads, to
head, a downgrade per new revision, the way back), so here the scripts are loaded once and each
plan runs through Alembic's own `EnvironmentContext` on the connection the run holds, configured
with the same options as every other command (`migration_env.context_options`).
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, TextIO

from alembic_sentinel.engine.database import commit
from alembic_sentinel.engine.lock_timeout import set_lock_timeout
from alembic_sentinel.engine.migration_env import (
    Progress,
    alembic_config,
    bound_app,
    context_options,
    migration_metadata,
)
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationStep
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection

# called after each step, inside its transaction, with the connection and the step's revision
AfterStep = Callable[["Connection", str], None]


class StepTiming(NamedTuple):
    revision: str
    message: str
    seconds: float


class Outcome(NamedTuple):
    """What running a plan did: the steps that finished, and the error that stopped it."""

    timings: list[StepTiming]
    error: Exception | None
    failed: str | None  # the revision whose step raised; None when it was not a step's fault
    seconds: float


class Migrations:
    """The project's revision scripts, loaded once, and the plans run over them."""

    def __init__(self, settings: Settings) -> None:
        from alembic.script import ScriptDirectory

        self.config: Config = alembic_config(settings, io.StringIO())
        self.script: ScriptDirectory = ScriptDirectory.from_config(self.config)
        # env.py's target metadata: its naming convention names unnamed constraints; models
        # that cannot be imported are reported by the drift step, the revisions still run
        try:
            self.metadata = migration_metadata(settings)
        except ConfigError:
            self.metadata = None

    def message(self, revision: str) -> str:
        script = self.script.get_revision(revision)
        return (script.doc or "").strip() if script is not None else ""

    def upgrade_plan(self, destination: str | Sequence[str], current: Sequence[str]) -> list[str]:
        """The revisions Alembic would apply, in order, to go from `current` to `destination`."""
        steps = self.script._upgrade_revs(destination, tuple(current))  # type: ignore[arg-type]
        return [step.revision.revision for step in steps]

    def step(self, revision: str, upgrade: bool) -> MigrationStep:
        from alembic.runtime.migration import MigrationStep

        script = self.script.get_revision(revision)
        assert script is not None
        if upgrade:
            return MigrationStep.upgrade_from_script(self.script.revision_map, script)
        return MigrationStep.downgrade_from_script(self.script.revision_map, script)

    def run(
        self,
        connection: Connection,
        settings: Settings,
        revisions: Sequence[str],
        *,
        upgrade: bool = True,
        progress: TextIO | None = None,
        after_step: AfterStep | None = None,
    ) -> Outcome:
        """Apply (or undo) exactly `revisions`, in this order, on `connection`."""
        from alembic import context
        from alembic.runtime.environment import EnvironmentContext

        timer = Progress(len(revisions), progress if progress is not None else io.StringIO())
        timings: list[StepTiming] = []

        def applied(*, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
            set_lock_timeout(ctx.connection, settings.lock_timeout)  # before the next revision
            timer(ctx=ctx, step=step, heads=heads, run_args=run_args)
            revision = step.up_revision_id
            timings.append(StepTiming(revision, self.message(revision), timer.timings[-1][1]))
            if after_step is not None:
                after_step(ctx.connection, revision)
                # the snapshot is ours, not the next revision's: its time starts now
                timer.started = time.perf_counter()

        started = time.perf_counter()
        error: Exception | None = None
        running = False
        set_lock_timeout(connection, settings.lock_timeout)
        if connection.in_transaction():
            # else Alembic takes it for the caller's transaction and commits no step
            commit(connection)
        try:
            if upgrade and settings.shadow_prepare is not None:
                from alembic_sentinel.engine.shadow_prepare import prepare_if_empty

                # the scratch is empty before its first plan: the tables made outside Alembic
                prepare_if_empty(connection, settings)
                commit(connection)
            steps = [self.step(revision, upgrade) for revision in revisions]
            running = True
            timer.started = time.perf_counter()  # loading the scripts is no revision's time
            # what env.py would do, with our options, inside Alembic's own environment
            options = context_options(settings, self.metadata, applied)
            environment = EnvironmentContext(self.config, self.script, fn=lambda heads, ctx: steps)
            with bound_app(settings), environment:
                context.configure(connection=connection, **options)
                with context.begin_transaction():
                    context.run_migrations()
        except Exception as exc:  # a revision may raise anything; the caller reports it
            error = exc
        done = len(timings)
        failed = (
            revisions[done] if error is not None and running and done < len(revisions) else None
        )
        return Outcome(timings, error, failed, time.perf_counter() - started)
