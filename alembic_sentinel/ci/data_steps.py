"""The data part of a `ci` run: rows at the base heads, the new revisions run over them.

`run.py` calls in at four points and this module keeps what it needs in between:

1. each revision of the upgrade to the base heads: the project's fixture for it, if any;
2. at the base heads: the schema is filled (`data.fill`), and its rows captured;
3. each new revision: its rows captured, then its fixture applied (and captured again);
4. the round trips capture the rows after each downgrade and upgrade (`capture`).

Then `report` profiles the columns each new revision added or filled, flags what a reviewer
should see (C508, C509), and names the rows a downgrade did not bring back (C507); a failure over
the rows is translated (`translate`) into the problem it is (unique key over duplicates, ...).
Everything lands in the report's `data` fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from alembic_sentinel.data.rows import DEFAULT_SEED
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from alembic_sentinel.ci.round_trips import RoundTrip
    from alembic_sentinel.ci.scratch import Snapshot
    from alembic_sentinel.data.capture import DataState, TableData
    from alembic_sentinel.data.fixtures import Fixture
    from alembic_sentinel.data.server_errors import Translation
    from alembic_sentinel.data.timings import StatementClock
    from alembic_sentinel.engine.migration_steps import Outcome

DEFAULT_ROWS = 50


def empty_data_facts(enabled: bool, rows_per_table: int) -> dict[str, Any]:
    """The `data` fact with the values it has when the data step does not run."""
    if enabled and rows_per_table < 1:
        raise ConfigError(f"--data-rows: expected a number of rows from 1, got {rows_per_table}")
    return {
        "enabled": enabled,
        "filled": False,
        "skipped": "" if enabled else "turned off (--no-data)",
        "rows_per_table": rows_per_table,
        "rows_by_table": {},  # [tool.alembic-sentinel] data-rows
        "seed": DEFAULT_SEED,
        "seconds": 0.0,
        "tables": [],
        "fixtures": [],
        "revisions": [],
        "round_trips": [],
        # the new revisions' statements over the rows, timed (data/timings.py)
        "timings": {"revisions": [], "statements": []},
    }


def data_steps(
    settings: Settings, facts: dict[str, Any], new: set[str], run: Any
) -> DataSteps | None:
    """The data steps of a run (`run`: its `paths`, `say`, `error_text` and `base_ref`), or
    None when they do not run: turned off, or no new revision to run over rows."""
    if not facts["enabled"]:
        return None
    if not new:
        facts["skipped"] = "no new revisions" if run.base_ref else "no base branch"
        return None
    return DataSteps(settings, facts, run.paths, run.say, run.error_text)


class DataSteps:
    """The data steps of one run; `facts` is the report's `data` fact, `findings` its findings."""

    def __init__(
        self,
        settings: Settings,
        facts: dict[str, Any],
        paths: Mapping[str, str],
        say: Callable[[str], None],
        error_text: Callable[[BaseException], str],
    ) -> None:
        from alembic_sentinel.data.fixtures import find_fixtures

        self.settings = settings
        self.facts = facts
        self.paths = paths
        self.say = say
        self.error_text = error_text
        self.findings: list[Finding] = []
        self.fixtures: dict[str, list[Fixture]] = find_fixtures(settings.migrations)
        self.base: DataState = {}  # at the base heads, after the fill
        self.after: dict[str, DataState] = {}  # after each new revision's upgrade
        self.after_fixture: dict[str, DataState] = {}  # and after its fixture, if it has one
        self.last: DataState = {}  # the latest capture
        # each new revision's added columns in tables too big to capture: their values
        self.added_big: dict[str, dict[tuple[str, str], list[Any]]] = {}
        self.clock: StatementClock | None = None  # while the upgrade to head runs over rows

    @property
    def filled(self) -> bool:
        return bool(self.facts["filled"])

    # --- 1. the base heads ------------------------------------------------------------------

    def at_revision(self, connection: Connection, revision: str) -> bool:
        """Apply the revision's fixtures; whether there was one."""
        from alembic_sentinel.data.fixtures import FixtureFailed, apply_fixture

        fixtures = self.fixtures.get(revision, [])
        for fixture in fixtures:
            shown = self.settings.show(fixture.path)
            try:
                statements = apply_fixture(connection, fixture)
            except FixtureFailed as failed:
                message = self.error_text(failed.cause)
                self.facts["fixtures"].append(
                    {"revision": revision, "path": shown, "ok": False, "error": message}
                )
                self.findings.append(self._fixture_finding(failed, shown, message))
                self.say(f"[data] fixture {shown} failed: {message}")
                continue
            self.facts["fixtures"].append(
                {"revision": revision, "path": shown, "ok": True, "error": None}
            )
            what = f"{statements} statements" if fixture.path.suffix == ".sql" else "insert_rows"
            self.say(f"[data] fixture {shown} applied ({what})")
        return bool(fixtures)

    def _fixture_finding(self, failed: Any, shown: str, message: str) -> Finding:
        from alembic_sentinel.engine.tracebacks import innermost_frame

        line = failed.line
        if line is None:  # a .py fixture: the line in it that raised
            where = innermost_frame(failed.cause, failed.fixture.path.parent, self.settings.root)
            if where is not None and where.rpartition(":")[0] == shown:
                number = where.rpartition(":")[2]
                line = int(number) if number.isdigit() else None
        return Finding(
            "C510",
            "data-fixture-failed",
            ERROR,
            f"the rows of {shown} for {failed.fixture.revision} did not go in: {message}",
            shown,
            line,
            "make the fixture fit the schema at its revision (it runs right after that "
            "revision's upgrade)",
        )

    # --- 2. the fill --------------------------------------------------------------------------

    def fill(self, connection: Connection) -> None:
        from sqlalchemy import inspect

        from alembic_sentinel.data.fill import fill_schema
        from alembic_sentinel.data.rows import PerTable

        rows = int(self.facts["rows_per_table"])
        per_table = dict(self.settings.data_rows)
        self.facts["rows_by_table"] = per_table
        tables = set(inspect(connection).get_table_names())
        unknown = sorted(set(per_table) - tables)
        if unknown:  # a table a new revision creates, or a typo: worth a line either way
            self.say(
                f"[data] data-rows names {_plural(len(unknown), 'table')} not in the schema at "
                f"the base head, not filled: {', '.join(unknown)}"
            )
        result = fill_schema(
            connection,
            [self.settings.version_table],
            PerTable(rows, per_table) if per_table else rows,
            int(self.facts["seed"]),
            self.error_text,
            self.say,
        )
        self.facts["filled"] = True
        self.facts["tables"] = [item.as_dict() for item in result.tables]
        self.facts["seconds"] = round(result.seconds, 3)
        total = sum(item.rows for item in result.tables)
        asked = f"{rows} a table"
        if per_table:
            asked += f", {_plural(len(per_table), 'table')} set in data-rows"
        self.say(
            f"[data] {total} rows in {len(result.tables)} tables "
            f"({asked} asked, seed {self.facts['seed']}) in {result.seconds:.2f}s"
        )
        for item in result.tables:
            if item.note:
                self.say(f"[data] {item.table}: {item.rows} rows; {item.note}")
            if item.refused:
                self.findings.append(
                    Finding(
                        "C511",
                        "data-rows-refused",
                        NOTICE,
                        f"{item.table}: {item.note}",
                        fix="add a fixture with rows the server accepts "
                        "(migrations/data/<revision>.sql or .py)",
                    )
                )
        self.base = self.capture(connection)

    # --- 3. each new revision ---------------------------------------------------------------

    @contextmanager
    def timing(self, connection: Connection, plan: Sequence[str]) -> Iterator[None]:
        """Time the statements of the upgrade to head (`plan`) over the rows; the report's
        `data.timings` (`data.timings`). Each step's callback runs inside `step_done`."""
        from alembic_sentinel.data.timings import StatementClock

        if not self.filled:
            yield
            return
        clock = self.clock = StatementClock((self.settings.version_table,))
        try:
            with clock.attached(connection):
                yield
        finally:
            self.clock = None
            closed = {timing.revision for timing in clock.revisions}
            unfinished = [revision for revision in plan if revision not in closed]
            if clock.pending and unfinished:  # the step that failed: what it got to run
                clock.close(unfinished[0], self._rows_before)
            self.facts["timings"] = clock.as_dict()

    @contextmanager
    def step_done(self, revision: str) -> Iterator[None]:
        """The revision's step is done: its statements are timed; what the caller runs now
        (snapshots, captures, fixtures) is not the revision's."""
        if self.clock is None:
            yield
            return
        self.clock.close(revision, self._rows_before)
        with self.clock.paused():
            yield

    def _rows_before(self, table: str) -> int | None:
        """Rows in a table as the latest capture (before the revision ran) counted them."""
        data = self.last.get(table)
        if data is None:
            return None
        if data.complete:
            return len(data.rows)
        return int(data.fingerprint[1]) if data.fingerprint is not None else None

    def after_new(self, connection: Connection, revision: str) -> None:
        from alembic_sentinel.data.capture import added_over_the_limit

        before = self.last
        self.after[revision] = self.capture(connection)
        self.added_big[revision] = added_over_the_limit(connection, before, self.last)
        if self.at_revision(connection, revision):
            self.after_fixture[revision] = self.capture(connection)

    def capture(self, connection: Connection) -> DataState:
        from sqlalchemy import inspect

        from alembic_sentinel.data.capture import capture

        tables = [
            t for t in inspect(connection).get_table_names() if t != self.settings.version_table
        ]
        # what did not change since the last capture is not read again
        self.last = capture(connection, tables, self.last)
        return self.last

    def explained(
        self,
        finding: Finding,
        outcome: Outcome,
        snapshots: Mapping[str, Snapshot],
        connection: Connection,
    ) -> Finding:
        """An upgrade failure (C502) that rows caused, told as the problem it is; the new
        revisions that ran before it are reported."""
        assert outcome.error is not None
        revision = outcome.failed
        if self.filled:
            self.report(
                [t.revision for t in outcome.timings if t.revision in self.after], snapshots, []
            )
        translation = self.translate(outcome.error, connection)
        if translation is None:
            return finding
        verb, _, error = finding.message.partition(" failed: ")
        over = " over the generated rows" if self.filled else ""
        message = f"{verb} failed{over}: {translation.problem}: {translation.meaning} ({error})"
        if revision is not None:
            self.failed(revision, translation.problem, error)
        return finding._replace(message=message, fix=translation.fix)

    def translate(self, exc: BaseException, connection: Connection) -> Translation | None:
        from alembic_sentinel.data.server_errors import (
            TRUNCATION,
            null_counter,
            repeat_finder,
            translate,
        )
        from alembic_sentinel.engine.database import driver_error_code

        original = getattr(exc, "orig", None)
        if original is None:
            return None
        code = driver_error_code(exc)
        message = (
            str(original.args[1]) if code is not None and len(original.args) > 1 else str(original)
        )
        if connection.dialect.name == "sqlite":
            return translate(code, message, most_repeated=repeat_finder(connection))
        translation = translate(code, message, null_counter(connection))
        statement = str(getattr(exc, "statement", "") or "")
        if translation is not None and translation.problem == TRUNCATION and statement:
            return self.sized(translation, connection, statement, message)
        return translation

    def sized(
        self, translation: Translation, connection: Connection, statement: str, message: str
    ) -> Translation:
        """A truncation told with its table and sizes: `values of party.partyName do not fit:
        the longest value has 14 characters; the new type is VARCHAR(5)`."""
        from alembic_sentinel.data.server_errors import COLUMN_IN_MESSAGE, truncation_detail

        column_match = COLUMN_IN_MESSAGE.search(message)
        if column_match is None:
            return translation
        column = column_match.group(1)
        table, detail = truncation_detail(connection, statement, column)
        if not table:
            return translation
        meaning = f"values of {table}.{column} do not fit its new type" + (
            f": {detail}" if detail else ""
        )
        fix = translation.fix.replace(f"of {column} ", f"of {table}.{column} ")
        return translation._replace(meaning=meaning, fix=fix)

    # --- 4. the report ----------------------------------------------------------------------

    def failed(self, revision: str, problem: str, message: str) -> None:
        """A new revision that failed over the rows (after `report`'s, in upgrade order)."""
        self.facts["revisions"].append(
            {
                "revision": revision,
                "path": self.paths.get(revision),
                "ok": False,
                "problem": problem,
                "error": message,
                "tables": [],
                "profiles": [],
            }
        )

    def report(
        self,
        applied: Sequence[str],
        snapshots: Mapping[str, Snapshot],
        trips: Sequence[RoundTrip],
    ) -> None:
        """Profiles, flags and losses of the new revisions that ran over the rows."""
        if not self.filled:
            return
        before: dict[str, DataState] = {}
        previous = self.base
        for revision in applied:
            before[revision] = previous
            previous = self.after_fixture.get(revision, self.after[revision])
        profiles = 0
        entries = []
        for revision in applied:
            entry = self._revision_entry(revision, before[revision], snapshots.get(revision, {}))
            profiles += len(entry["profiles"])
            entries.append(entry)
        # a failure recorded during the upgrade comes after the revisions that ran
        self.facts["revisions"][:0] = entries
        lost = self._round_trip_losses(before, trips)
        self.say(
            f"[data] {_plural(len(applied), 'new revision')} over the rows: "
            f"{_plural(profiles, 'column')} profiled, {_plural(lost, 'round trip')} losing rows"
        )

    def _revision_entry(
        self, revision: str, before: DataState, snapshot: Snapshot
    ) -> dict[str, Any]:
        from alembic_sentinel.data.capture import step_changes
        from alembic_sentinel.data.profile import profile_column

        after = self.after[revision]
        path = self.paths.get(revision)
        tables = []
        profiles = []
        columns: list[tuple[str, str, str, list[Any]]] = []  # table, column, change, values
        for change in step_changes(before, after):
            tables.append(
                {"table": change.table, "inserted": change.inserted, "deleted": change.deleted}
            )
            data: TableData = after[change.table]
            columns += [(change.table, c, "added", data.values(c)) for c in change.added_columns]
            columns += [(change.table, c, "filled", data.values(c)) for c in change.filled_columns]
        for (table, column), values in self.added_big.get(revision, {}).items():
            columns.append((table, column, "added", values))
        for table, column, kind, values in columns:
            declared = snapshot.get(("column", table, column), "")
            profile = profile_column(table, column, kind, declared, values)
            profiles.append(profile.as_dict())
            self.say(f"[data] {revision}: {profile.line()}")
            for flag in profile.flags:
                self.findings.append(self._flag_finding(revision, path, profile.name, column, flag))
        return {
            "revision": revision,
            "path": path,
            "ok": True,
            "problem": None,
            "error": None,
            "tables": tables,
            "profiles": profiles,
        }

    def _flag_finding(
        self, revision: str, path: str | None, name: str, column: str, flag: str
    ) -> Finding:
        implicit = flag.startswith("every one")
        return Finding(
            "C508" if implicit else "C509",
            "implicit-default-rows" if implicit else "fill-of-the-wrong-kind",
            WARNING,
            f"after {revision}, {name}: {flag}",
            path,
            _mention_line(self.settings, path, column, assigned=not implicit),
            "add the column nullable, fill it, then make it NOT NULL (or give it a server default)"
            if implicit
            else f"write values of the column's declared type into {name}",
        )

    def _round_trip_losses(
        self, before: Mapping[str, DataState], trips: Sequence[RoundTrip]
    ) -> int:
        from alembic_sentinel.data.capture import losses

        reported: set[str] = set()  # a newer revision's loss is not an older one's again
        count = 0
        for trip in trips:  # newest first
            lines: list[str] = []
            if trip.data_after_downgrade is not None and trip.revision in before:
                lines += losses(before[trip.revision], trip.data_after_downgrade)
            if trip.data_after_upgrade is not None and trip.revision in self.after:
                again = losses(self.after[trip.revision], trip.data_after_upgrade)
                lines += [f"after upgrading again, {line}" for line in again]
            fresh = [line for line in lines if _loss_key(line) not in reported]
            reported |= {_loss_key(line) for line in lines}
            self.facts["round_trips"].append({"revision": trip.revision, "lost": fresh})
            if not fresh:
                continue
            count += 1
            path = self.paths.get(trip.revision)
            shown = "; ".join(fresh[:3]) + (
                f" (and {len(fresh) - 3} more)" if len(fresh) > 3 else ""
            )
            self.findings.append(
                Finding(
                    "C507",
                    "round-trip-loses-rows",
                    WARNING,
                    f"downgrade and upgrade of {trip.revision} do not keep the rows: {shown}",
                    path,
                    _function_line(self.settings, path, "downgrade"),
                    "make downgrade() put the data back where upgrade() took it from, or say "
                    "in the revision that its downgrade cannot",
                )
            )
            self.say(f"[data] round trip {trip.revision}: {shown}")
        return count


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _loss_key(line: str) -> str:
    """`party.partySymbol` of `after upgrading again, party.partySymbol: 3 of 50 ...`."""
    return line.removeprefix("after upgrading again, ").split(":", 1)[0]


def _function_line(settings: Settings, path: str | None, function: str) -> int | None:
    source = _source(settings, path)
    match = re.search(rf"^def {function}\s*\(", source, re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else None


def _mention_line(
    settings: Settings, path: str | None, column: str, assigned: bool = False
) -> int | None:
    """The first line of upgrade() naming the column: where a value is assigned to it (`x.col =`)
    when `assigned`, else in quotes (its add_column), else at all; else `def upgrade(`."""
    source = _source(settings, path)
    upgrade = re.search(r"^def upgrade\s*\(", source, re.MULTILINE)
    if upgrade is None:
        return None
    end = re.search(r"^def ", source[upgrade.end() :], re.MULTILINE)
    body_end = upgrade.end() + end.start() if end else len(source)
    name = re.escape(column)
    patterns = [rf"[\"']{name}[\"']", rf"\b{name}\b"]
    if assigned:
        patterns.insert(0, rf"\.{name}\s*=(?!=)")
    for pattern in patterns:
        found = re.compile(pattern).search(source, upgrade.start(), body_end)
        if found:
            return source.count("\n", 0, found.start()) + 1
    return source.count("\n", 0, upgrade.start()) + 1


def _source(settings: Settings, path: str | None) -> str:
    if path is None:
        return ""
    try:
        return (settings.root / path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
