"""Downgrade/upgrade round trips of a pull request's new revisions, judged by schema snapshots.

Newest first, each new revision is downgraded alone and the schema compared with the snapshot
taken just before its upgrade; then the downgraded revisions are upgraded again and each result
compared with the snapshot taken after its first upgrade. The first revision that does not
restore the schema ends the descent: below it every comparison would see its leftovers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, TextIO

from alembic_sentinel.ci.scratch import Snapshot, differences, snapshot
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from alembic_sentinel.data.capture import DataState
    from alembic_sentinel.engine.migration_steps import Migrations

# the rows of the scratch at a moment (`ci.data_steps.DataSteps.capture`)
CaptureRows = Callable[["Connection"], "DataState"]


class RoundTrip(NamedTuple):
    revision: str
    downgrade_ok: bool
    upgrade_ok: bool
    after_downgrade: list[str]  # how the schema differs from the one before the first upgrade
    after_upgrade: list[str]  # how it differs from the one after the first upgrade
    downgrade_error: Exception | None = None
    upgrade_error: Exception | None = None
    # the rows after the downgrade and after the upgrade again, when the run has rows
    data_after_downgrade: DataState | None = None
    data_after_upgrade: DataState | None = None

    @property
    def differences(self) -> list[str]:
        return [*self.after_downgrade, *self.after_upgrade]

    @property
    def schema_restored(self) -> bool:
        return self.downgrade_ok and self.upgrade_ok and not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "downgrade_ok": self.downgrade_ok,
            "upgrade_ok": self.upgrade_ok,
            "schema_restored": self.schema_restored,
            "differences": self.differences,
        }


def round_trips(
    connection: Connection,
    settings: Settings,
    migrations: Migrations,
    revisions: Sequence[str],
    before: Mapping[str, Snapshot],
    after: Mapping[str, Snapshot],
    progress: TextIO,
    describe_error: Callable[[BaseException], str],
    capture: CaptureRows | None = None,
) -> list[RoundTrip]:
    """Round trip `revisions` (applied, in upgrade order) on `connection`, newest first; the
    result lists the revisions tried, newest first.

    `before[rev]`/`after[rev]` are the schema just before and just after its first upgrade;
    `describe_error(exc)` turns an exception into one line; `capture`, when given, records
    the rows after each downgrade and each upgrade again.
    """
    table = settings.version_table
    downgraded: list[str] = []
    left: dict[str, list[str]] = {}
    failed_downgrade: tuple[str, Exception] | None = None
    rows_down: dict[str, DataState] = {}
    rows_again: dict[str, DataState] = {}
    for revision in reversed(revisions):
        taken: dict[str, Snapshot] = {}

        def keep(on: Connection, rev: str, taken: dict[str, Snapshot] = taken) -> None:
            taken[rev] = snapshot(on, table)
            if capture is not None:
                rows_down[rev] = capture(on)

        outcome = migrations.run(
            connection, settings, [revision], upgrade=False, progress=progress, after_step=keep
        )
        if outcome.error is not None:
            failed_downgrade = (revision, outcome.error)
            break
        downgraded.append(revision)
        left[revision] = differences(before[revision], taken[revision], "left behind")
        if left[revision]:
            break

    again: dict[str, Snapshot] = {}

    def keep_again(connection: Connection, rev: str) -> None:
        again[rev] = snapshot(connection, table)
        if capture is not None:
            rows_again[rev] = capture(connection)

    upgraded = migrations.run(
        connection, settings, downgraded[::-1], progress=progress, after_step=keep_again
    )
    trips = []
    for revision in downgraded:
        if revision in again:
            changed = differences(after[revision], again[revision], "not there after the upgrade")
            trips.append(
                RoundTrip(
                    revision,
                    True,
                    True,
                    left[revision],
                    changed,
                    data_after_downgrade=rows_down.get(revision),
                    data_after_upgrade=rows_again.get(revision),
                )
            )
        elif revision == upgraded.failed and upgraded.error is not None:
            failure = [f"upgrading it again failed: {describe_error(upgraded.error)}"]
            trips.append(
                RoundTrip(
                    revision,
                    True,
                    False,
                    left[revision],
                    failure,
                    upgrade_error=upgraded.error,
                    data_after_downgrade=rows_down.get(revision),
                )
            )
        else:  # an older revision's upgrade failed first: this one was not tried again
            trips.append(
                RoundTrip(
                    revision,
                    True,
                    False,
                    left[revision],
                    [],
                    data_after_downgrade=rows_down.get(revision),
                )
            )
    if failed_downgrade is not None:
        revision, error = failed_downgrade
        trips.append(RoundTrip(revision, False, False, [], [], downgrade_error=error))
    return trips
