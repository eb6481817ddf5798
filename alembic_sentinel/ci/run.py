"""The engine of `alembic-sentinel ci`: every check a pull request's revisions go through.

In order: the revision graph (and the heads a merge into the base branch would leave); the
revisions the branch adds or edits; on a fresh scratch database, the upgrade to the base
branch's heads and from there to head, timed per revision; drift at head; a downgrade/upgrade
round trip of each new revision; lint and offline MySQL SQL of the new revisions. One `Report`
(command "ci") holds it all; nothing here knows about GitHub.

Drift is checked before the round trips (not after, as the report lists them): at that moment
the scratch is certainly at head, whatever a round trip later leaves behind.

Without a base ref (a push build) nothing is "new": only the graph, the full upgrade and drift.

Longer than 500 lines: one class walks every step in the order a run takes them, which reads
best in one file; what the data steps do between them lives in `data_steps`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from alembic_sentinel.ci.data_steps import DEFAULT_ROWS, data_steps, empty_data_facts
from alembic_sentinel.ci.facts import count_findings, empty_facts, plural, text_summary
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.graph.revision_changes import RevisionChanges
from alembic_sentinel.graph.revision_check import (
    Revisions,
    collision_findings,
    graph_report,
    ref_revisions,
    working_tree_revisions,
)
from alembic_sentinel.graph.revision_graph import RevisionGraph
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding, Report
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from alembic_sentinel.ci.data_steps import DataSteps
    from alembic_sentinel.ci.round_trips import RoundTrip
    from alembic_sentinel.ci.scratch import Scratch, Snapshot
    from alembic_sentinel.engine.migration_steps import Migrations, Outcome, StepTiming

FAIL_ON = ("error", "warning", "never")
FAILING_SEVERITIES = {"error": (ERROR,), "warning": (ERROR, WARNING), "never": ()}


class CiOptions(NamedTuple):
    # the server the scratch schema goes on (its database part is ignored); None: the configured
    # URL's server, or a scratch SQLite file when that URL is SQLite or missing
    server_url: str | None
    # the base branch's git ref; None: no base comparisons (no new revisions)
    base_ref: str | None
    wait_seconds: float = 60.0
    fail_on: str = "error"  # error | warning | never
    # run the new revisions over generated rows (and the project's fixtures), `data_rows` a table
    data: bool = True
    data_rows: int = DEFAULT_ROWS
    # a scratch the parent process made, reached through an account confined to it (ci/confined)
    prepared: Scratch | None = None
    # the production tables' statistics (`stats`): a Rollout section and R601; None: the
    # `table-stats` setting, if any
    table_stats: str | None = None


def run_ci(settings: Settings, options: CiOptions, progress: TextIO) -> Report:
    """Run every check; `progress` gets a human line per step as it goes.

    Raises DatabaseUnreachable when the server does not accept connections within the wait and
    ConfigError for bad settings; whatever a revision does wrong is a finding.
    """
    if options.fail_on not in FAIL_ON:
        raise ConfigError(
            f"--fail-on: expected one of {', '.join(FAIL_ON)}, got {options.fail_on!r}"
        )
    return _CiRun(settings, options, progress).run()


class _CiRun:
    """One run's state: the report being filled, and what the steps hand each other."""

    def __init__(self, settings: Settings, options: CiOptions, progress: TextIO) -> None:
        self.settings = settings
        self.options = options
        self.progress = progress
        self.base_ref = options.base_ref
        self.report = Report("ci", facts=empty_facts(settings, options.base_ref))
        self.report.facts["data"] = empty_data_facts(options.data, options.data_rows)
        self.changes = RevisionChanges([], [], [])
        self.paths: dict[str, str] = {}  # revision -> its file, in this branch
        self.graph = RevisionGraph.build([])  # this branch's, once read
        self.scratch_settings = settings  # replaced by the scratch's once it exists
        # the schema after each new revision's first upgrade, and at the base heads ("")
        self.snapshots: dict[str, Snapshot] = {"": {}}
        self.applied_new: list[str] = []  # the new revisions the upgrade applied, in order
        self.data: DataSteps | None = None  # when the new revisions run over rows

    def say(self, line: str) -> None:
        print(line, file=self.progress, flush=True)

    def run(self) -> Report:
        from alembic_sentinel.engine.migration_steps import Migrations

        started = time.perf_counter()
        ours = working_tree_revisions(self.settings)
        self.paths = {rev: file.path for rev, file in ours.graph.revisions.items()}
        self.graph = ours.graph
        theirs = ref_revisions(self.settings, self.base_ref, ours) if self.base_ref else None
        self.graph_step(ours, theirs)
        if theirs is not None:
            self.changes_step(ours, theirs)
        migrations = Migrations(self.settings)
        self.database_steps(migrations)
        self.rollout_step()  # after the data run: what it timed calibrates the estimates
        if self.changes.new:
            self.lint_step()
            self.sql_step(migrations)
        if self.data is not None:
            self.report.findings.extend(self.data.findings)
        failing = FAILING_SEVERITIES[self.options.fail_on]
        failed = any(finding.severity in failing for finding in self.report.findings)
        self.report.facts["status"] = "failed" if failed else "passed"
        self.report.summary = text_summary(self.report)
        elapsed = time.perf_counter() - started
        counted = count_findings(self.report.findings)
        self.say(f"[ci] {self.report.facts['status']} in {elapsed:.2f}s: {counted}")
        return self.report

    # --- 1. the graph, and the collision a merge would cause -------------------------------

    def graph_step(self, ours: Revisions, theirs: Revisions | None) -> None:
        graph = graph_report(self.settings, ours, "ci")
        findings = list(graph.findings)
        if theirs is not None and self.base_ref is not None:
            findings.extend(collision_findings(ours, theirs, self.base_ref))
            self.report.facts["base_heads"] = sorted(theirs.graph.heads())
        self.report.findings.extend(findings)
        heads = graph.facts["heads"]
        self.report.facts["heads"] = heads
        self.say(
            f"[graph] {graph.facts['revisions']} revisions, head{'s' * (len(heads) != 1)} "
            f"{', '.join(heads) or '(none)'}: {count_findings(findings)}"
        )

    # --- 2. new and edited revisions ---------------------------------------------------------

    def changes_step(self, ours: Revisions, theirs: Revisions) -> None:
        from alembic_sentinel.graph import revision_changes

        assert self.base_ref is not None
        shared = {rev.revision for rev in theirs.read.revisions}
        self.changes = revision_changes.compare(
            ours.read,
            theirs.read,
            revision_changes.working_tree_digests(
                self.settings.root,
                [rev.path for rev in ours.read.revisions if rev.revision in shared],
            ),
            revision_changes.ref_digests(
                self.settings.root, self.base_ref, [rev.path for rev in theirs.read.revisions]
            ),
        )
        self.report.findings.extend(revision_changes.edited_findings(self.changes, self.base_ref))
        self.report.facts["new_revisions"] = [
            {"revision": rev.revision, "message": rev.message, "path": rev.path}
            for rev in self.changes.new
        ]
        self.report.facts["edited_revisions"] = [
            {"revision": rev.revision, "path": rev.path} for rev in self.changes.edited
        ]
        new = ", ".join(rev.revision for rev in self.changes.new) or "none"
        self.say(
            f"[changes] against {self.base_ref}: {len(self.changes.new)} new ({new}), "
            f"{len(self.changes.edited)} edited"
        )

    # --- 3. the scratch database, and everything that runs on it ---------------------------

    def database_steps(self, migrations: Migrations) -> None:
        from alembic_sentinel.ci.scratch import opened_scratch, server_url
        from alembic_sentinel.engine import database

        server = server_url(self.settings, self.options.server_url)
        where = server.render_as_string(hide_password=True) if server else "a scratch SQLite file"
        self.say(f"[database] {where} (waiting up to {self.options.wait_seconds:g}s)")
        with opened_scratch(
            self.settings,
            self.options.server_url,
            self.options.wait_seconds,
            self.options.prepared,
        ) as scratch:
            self.report.facts["database"] = {
                "dialect": scratch.backend,
                "server_version": scratch.server_version,
                "scratch": scratch.name,
                "confinement": scratch.confinement,
            }
            self.confinement_step(scratch)
            self.say(
                f"[database] scratch {scratch.name} ({scratch.server_version or scratch.backend})"
            )
            self.follow_the_server(scratch.server_version)
            self.scratch_settings = self.settings._replace(
                url=scratch.url, sources={**self.settings.sources, "url": "scratch database"}
            )
            # one connection for every step: connecting costs about 20 ms on MySQL
            with database.connect(self.scratch_settings, create=True) as connection:
                if self.upgrade_steps(connection, migrations):
                    self.drift_step(connection, scratch.backend)
                    self.round_trip_step(connection, migrations)
        self.say(f"[database] dropped {scratch.name}")

    def confinement_step(self, scratch: Scratch) -> None:
        """What the pull request's code can reach on the server; a notice when the parent could
        not give it an account of its own (docs/security.md)."""
        kind, _, reason = scratch.confinement.partition(": ")
        if kind == "account":
            self.say(f"[database] the run's code reaches {scratch.name} only, as its own account")
        elif kind in ("fallback", "none"):
            self.say(f"[database] the run's code uses the configured account: {reason}")
        if kind != "fallback":
            return
        self.report.findings.append(
            Finding(
                "C512",
                "unconfined-run",
                NOTICE,
                f"the revisions, fixtures and app ran with the configured database account, "
                f"not one confined to {scratch.name}: {reason}",
                fix="give ci a server URL (--database-url, the Action's database-url) whose "
                "account may CREATE USER and GRANT, so the run's code can reach its scratch only",
            )
        )

    # --- 4. upgrade to the base heads, then to head ----------------------------------------

    def upgrade_steps(self, connection: Connection, migrations: Migrations) -> bool:
        """Upgrade the scratch the way production will go; False when that failed."""
        from alembic_sentinel.ci.scratch import snapshot

        upgrade = self.report.facts["upgrade"]
        base_heads = self.changes.shared_heads
        # where the upgrade to head starts: the base's heads as far as this branch has them
        upgrade["from_heads"] = list(base_heads)
        new_ids = {rev.revision for rev in self.changes.new}
        table = self.settings.version_table
        data = self.data = data_steps(self.settings, self.report.facts["data"], new_ids, self)

        split = self.split_plan(migrations, base_heads)
        if split is None:
            return False
        to_base, planned_to_head = split
        if self.base_ref is not None:
            self.say(f"[upgrade] to the base heads: {plural(len(to_base), 'revision')}")

        def at_base_heads(connection: Any, revision: str) -> None:
            if data is not None:
                data.at_revision(connection, revision)
            if new_ids and revision == to_base[-1]:
                self.snapshots[""] = snapshot(connection, table)

        first = migrations.run(
            connection,
            self.scratch_settings,
            to_base,
            progress=self.progress,
            after_step=at_base_heads,
        )
        upgrade["base_to_base_head"] = _timings(first.timings)
        upgrade["seconds"] = round(first.seconds, 3)
        if first.error is not None:
            self.upgrade_failed(first, connection)
            return False
        if data is not None:
            data.fill(connection)

        to_head = planned_to_head
        if to_head is None:
            to_head = self.plan(migrations, "heads", base_heads)
        if to_head is None:
            return False
        self.say(f"[upgrade] to head: {plural(len(to_head), 'revision')}")

        def after_new(connection: Any, revision: str) -> None:
            # the revision's statements are timed up to here; what follows is ours
            with data.step_done(revision) if data is not None else nullcontext():
                if revision in new_ids:
                    self.snapshots[revision] = snapshot(connection, table)
                    if data is not None:
                        data.after_new(connection, revision)

        with data.timing(connection, to_head) if data is not None else nullcontext():
            second = migrations.run(
                connection,
                self.scratch_settings,
                to_head,
                progress=self.progress,
                after_step=after_new if new_ids else None,
            )
        upgrade["base_head_to_head"] = _timings(second.timings)
        upgrade["seconds"] = round(first.seconds + second.seconds, 3)
        if second.error is not None:
            self.upgrade_failed(second, connection)
            return False
        upgrade["ok"] = True
        self.applied_new = [revision for revision in to_head if revision in new_ids]
        return True

    def split_plan(
        self, migrations: Migrations, base_heads: Sequence[str]
    ) -> tuple[list[str], list[str] | None] | None:
        """The plan to the base heads, and (when it can be had from the same plan) on to head.

        Planning walks the whole revision map (about 0.1 s at 500 revisions): one plan to head,
        split at the base heads' ancestors, serves both upgrades. `depends_on` can tie a base
        revision to a new one, so then Alembic plans the second part itself.
        """
        if not base_heads:
            return [], None
        if any(rev.depends_on for rev in self.graph.revisions.values()):
            to_base = self.plan(migrations, tuple(base_heads), ())
            return None if to_base is None else (to_base, None)
        full = self.plan(migrations, "heads", ())
        if full is None:
            return None
        shared: set[str] = set()
        for head in base_heads:
            shared |= self.graph.ancestors(head)
        return [r for r in full if r in shared], [r for r in full if r not in shared]

    def plan(
        self, migrations: Migrations, destination: str | Sequence[str], current: Sequence[str]
    ) -> list[str] | None:
        try:
            return migrations.upgrade_plan(destination, current)
        except Exception as exc:  # e.g. a revision file that does not even import
            self.report.findings.append(
                self.failure("C502", "upgrade-failed", "upgrade", None, exc)
            )
            self.say(f"[upgrade] failed: {self.error_text(exc)}")
            return None

    def upgrade_failed(self, outcome: Outcome, connection: Connection) -> None:
        assert outcome.error is not None
        finding = self.failure("C502", "upgrade-failed", "upgrade", outcome.failed, outcome.error)
        if self.data is not None:  # what in the rows made it fail
            finding = self.data.explained(finding, outcome, self.snapshots, connection)
        self.report.findings.append(finding)
        self.say(f"[upgrade] {finding.location()}: {finding.message}")

    # --- 5. drift at head --------------------------------------------------------------------

    def drift_step(self, connection: Connection, backend: str) -> None:
        from alembic_sentinel.engine.target_metadata import metadata_choice

        # a setting, else env.py's own target_metadata, else the Flask app's db.metadata
        if metadata_choice(self.settings)[0] is None:
            self.report.findings.append(
                Finding(
                    "C506",
                    "no-metadata",
                    NOTICE,
                    "drift not checked: no target metadata configured",
                    fix='set metadata = "MODULE:ATTRIBUTE" in [tool.alembic-sentinel], '
                    "SENTINEL_METADATA, or pass --metadata",
                )
            )
            self.say("[drift] not checked: no metadata setting")
            return
        from alembic_sentinel.drift.compare import compare, drift_findings, render_operations
        from alembic_sentinel.engine.env_py import hermetic_notices
        from alembic_sentinel.engine.target_metadata import load_target_metadata

        metadata = load_target_metadata(self.settings)
        upgrade_ops = compare(connection, self.scratch_settings, metadata)
        findings = drift_findings(upgrade_ops, self.settings.command)
        changes = [finding.message for finding in findings]
        self.report.findings.extend(findings)
        self.report.findings.extend(hermetic_notices(self.settings))  # D403: env.py's extras
        self.report.facts["drift"] = {
            "checked": True,
            "changes": changes,
            "operations": render_operations(upgrade_ops, self.settings, backend) if changes else "",
        }
        self.say(f"[drift] {plural(len(changes), 'model change')} without a revision")

    # --- 6. round trips of the new revisions -------------------------------------------------

    def round_trip_step(self, connection: Connection, migrations: Migrations) -> None:
        from alembic_sentinel.ci.round_trips import round_trips

        if not self.applied_new:
            return
        before: dict[str, Snapshot] = {}
        previous = self.snapshots[""]
        for revision in self.applied_new:
            before[revision], previous = previous, self.snapshots[revision]
        self.say(f"[round trip] {plural(len(self.applied_new), 'new revision')}, newest first")
        trips = round_trips(
            connection,
            self.scratch_settings,
            migrations,
            self.applied_new,
            before,
            self.snapshots,
            self.progress,
            self.error_text,
            self.data.capture if self.data is not None and self.data.filled else None,
        )
        if self.data is not None:
            self.data.report(self.applied_new, self.snapshots, trips)
        self.report.facts["round_trips"] = [trip.as_dict() for trip in trips]
        for trip in trips:
            self.report.findings.extend(self.round_trip_findings(trip))
            if trip.downgrade_error is not None:
                state = f"downgrade failed: {self.error_text(trip.downgrade_error)}"
            elif not trip.upgrade_ok and not trip.differences:
                state = "downgrade restored the schema; not upgraded again"
            else:
                state = "; ".join(trip.differences) or "schema restored"
            self.say(f"[round trip] {trip.revision}: {state}")
        unchecked = len(self.applied_new) - len(trips)
        if unchecked:
            self.say(
                f"[round trip] stopped there: {plural(unchecked, 'older revision')} not checked"
            )

    def round_trip_findings(self, trip: RoundTrip) -> list[Finding]:
        if trip.downgrade_error is not None:
            return [
                self.failure(
                    "C503", "downgrade-failed", "downgrade", trip.revision, trip.downgrade_error
                )
            ]
        if not trip.differences:  # restored, or not tried again after an older one failed
            return []
        path = self.paths.get(trip.revision)
        # what the schema says first points at the function to look at
        function = "downgrade" if trip.after_downgrade else "upgrade"
        line = _function_line(self.settings, path, function)
        shown = "; ".join(trip.differences[:3])
        more = len(trip.differences) - 3
        return [
            Finding(
                "C504",
                "round-trip-mismatch",
                ERROR,
                f"downgrade and upgrade of {trip.revision} do not restore the schema: {shown}"
                + (f" (and {more} more)" if more > 0 else ""),
                path,
                line,
                f"make downgrade() of {trip.revision} undo exactly what its upgrade() does",
            )
        ]

    def follow_the_server(self, server_version: str) -> None:
        """Without a target-server setting, the lint's online-DDL classes and the rendered SQL
        are for the server the revisions just ran on, not for the default mysql-8.0."""
        from alembic_sentinel.lint.online_ddl import server_target

        target = server_target(server_version) if server_version else None
        if target is None or self.settings.target_server_given:
            return
        sources = {**self.settings.sources, "target_server": f"the server ({server_version})"}
        self.settings = self.settings._replace(target_server=str(target), sources=sources)
        self.say(f"[database] lint and SQL for {target}, the server's release")

    # --- 7. lint, 8. offline SQL ----------------------------------------------------------------

    def lint_step(self) -> None:
        from alembic_sentinel.lint.commands import lint_report

        linted = lint_report(
            self.settings, [self.settings.root / rev.path for rev in self.changes.new]
        )
        self.report.findings.extend(linted.findings)
        # what a reason in the revision suppressed is counted in the comment, not hidden
        self.report.suppressed = [*(self.report.suppressed or []), *(linted.suppressed or [])]
        self.report.facts["lint"] = {
            "files": linted.facts.get("files", 0),
            "statements": linted.facts.get("statements", []),
            # the server release the online-DDL classes are for, and where that came from
            "target_server": linted.facts.get("target_server", self.settings.target_server),
            "target_server_source": self.settings.sources.get("target_server", "default"),
        }
        self.say(
            f"[lint] {plural(len(self.changes.new), 'file')}: {count_findings(linted.findings)}"
        )

    def rollout_step(self) -> None:
        """With table statistics: the plan from their revision to head, as `plan` gives it."""
        from alembic_sentinel.plan.commands import PlanRequest, build, load_stats

        stats_file = load_stats(self.settings, self.options.table_stats)
        if stats_file is None:
            return
        database = self.report.facts["database"]
        timings = self.report.facts["data"].get("timings") or {}
        measured: tuple[Any, ...] = ()
        if database.get("dialect") == "mysql":  # SQLite's batch copies say nothing of MySQL
            measured = tuple(timings.get("statements") or ())
        request = PlanRequest(measured=measured, measured_on=database.get("server_version", ""))
        planned = build(self.settings, request, stats_file)
        self.report.facts["rollout"] = planned.plan
        self.report.findings.extend(planned.findings)
        self.report.suppressed = [*(self.report.suppressed or []), *planned.suppressed]
        operations = planned.plan["operations"]
        assert isinstance(operations, list)
        self.say(
            f"[rollout] {plural(len(operations), 'operation')}, writes blocked about "
            f"{planned.plan['write_blocking_seconds']}s: {count_findings(planned.findings)}"
        )
        for note in planned.notes:
            self.say(f"[rollout] {note}")

    def sql_step(self, migrations: Migrations) -> None:
        from alembic_sentinel.ci.offline_sql import render_revisions

        rendered = render_revisions(self.settings, migrations, self.changes.new)
        self.report.facts["sql"] = [item._asdict() for item in rendered]
        # rendered for the target server, whatever the scratch database was (SQLite locally)
        self.report.facts["sql_dialect"] = self.settings.target_server
        lines = {rev.revision: rev.line for rev in self.changes.new}
        for item in rendered:
            if item.error is not None:
                self.report.findings.append(
                    Finding(
                        "C505",
                        "offline-sql-unavailable",
                        NOTICE,
                        f"no offline SQL for {item.revision}: {item.error}",
                        item.path,
                        lines.get(item.revision),
                        "review its SQL on a database instead (`alembic-sentinel upgrade`)",
                    )
                )
        done = sum(1 for item in rendered if item.error is None)
        self.say(f"[sql] rendered {done} of {plural(len(rendered), 'new revision')}")

    # --- shared --------------------------------------------------------------------------------

    def error_text(self, exc: BaseException) -> str:
        """One line about an exception, with no password in it."""
        from sqlalchemy.exc import DBAPIError

        from alembic_sentinel.engine.database import describe_driver_error, scrub

        if isinstance(exc, DBAPIError):
            text = describe_driver_error(exc, self.scratch_settings)
        else:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        return scrub(scrub(text, self.scratch_settings), self.settings)

    def failure(
        self, code: str, name: str, verb: str, revision: str | None, exc: BaseException
    ) -> Finding:
        """A finding at the line of the revision file that raised, else at the revision."""
        from alembic_sentinel.engine.tracebacks import innermost_frame

        where = None
        for location in self.settings.version_locations:
            where = where or innermost_frame(exc, location, self.settings.root)
        path: str | None = None
        line: int | None = None
        if where is not None:
            path, _, number = where.rpartition(":")
            line = int(number) if number.isdigit() else None
            line = self.operation_line(path, line, exc)
        elif revision is not None:
            path = self.paths.get(revision)
        subject = f"{verb} of {revision}" if revision else verb
        return Finding(code, name, ERROR, f"{subject} failed: {self.error_text(exc)}", path, line)

    def operation_line(self, path: str, line: int | None, exc: BaseException) -> int | None:
        """Inside a batch block the traceback stops at its `with`: the line of the operation
        whose names the failed statement mentions, where one can be told."""
        from alembic_sentinel.engine.tracebacks import batch_operation_line

        statement = getattr(exc, "statement", None)
        if line is None or not isinstance(statement, str):
            return line
        try:
            source = (self.settings.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return line
        return batch_operation_line(source, line, statement) or line


def _timings(timings: list[StepTiming]) -> list[dict[str, Any]]:
    return [
        {"revision": t.revision, "message": t.message, "seconds": round(t.seconds, 3)}
        for t in timings
    ]


def _function_line(settings: Settings, path: str | None, function: str) -> int | None:
    """The line of `def function(` in a revision file, for a finding about that function."""
    if path is None:
        return None
    try:
        source = (settings.root / path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(rf"^def {function}\s*\(", source, re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else None
