"""The `stats` and `plan` verbs: settings and options in, the statistics file or the plan out.

`stats` reads the configured database's statistics (SELECTs only) and writes them as JSON,
atomically. `plan` reads revision files statically, from the statistics file's revision (or
the configured database's, or `--from`) to head (or `--to`), times every change with the cost
model (the defaults, or `--calibrate-url`'s measurement) and advises on the ones that block
writes longer than `max-blocking-seconds`. It exits 1 when a revision does (R601).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from alembic_sentinel.errors import EXIT_FINDINGS, EXIT_OK, ConfigError
from alembic_sentinel.plan.table_stats import StatsFile
from alembic_sentinel.report.model import Finding, Suppressed
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from alembic_sentinel.plan.cost_model import CostModel
    from alembic_sentinel.plan.operations import RevisionChanges


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    """The `plan` verb's options (the settings options come from the CLI)."""
    parser.add_argument(
        "--table-stats",
        metavar="FILE",
        help="the statistics file of `stats` (default: the table-stats setting)",
    )
    parser.add_argument(
        "--from",
        dest="from_revision",
        metavar="REV",
        help="plan from this revision (default: the statistics' revision, else the database's)",
    )
    parser.add_argument(
        "--to", dest="to_revision", metavar="REV", help="plan up to this revision (default: head)"
    )
    parser.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="output format"
    )
    parser.add_argument(
        "--calibrate-url",
        metavar="URL",
        help="measure the cost model on this scratch server (never the production database)",
    )
    parser.add_argument(
        "--max-blocking-seconds",
        type=float,
        metavar="SECONDS",
        help="advise on and report (R601) what blocks writes longer (default: the setting, 10)",
    )
    parser.add_argument(
        "--target-server",
        metavar="SERVER",
        help="release to judge for when the statistics do not say (e.g. mysql-8.0)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the plan here")


class PlanRequest(NamedTuple):
    table_stats: str | None = None  # a path; None: the `table-stats` setting
    from_revision: str | None = None
    to_revision: str | None = None
    fmt: str = "text"
    calibrate_url: str | None = None
    output: str | None = None
    max_blocking_seconds: float | None = None  # None: the setting
    # what ci's data run timed on its scratch server (data.timings.statements), and that
    # server's version: the cost model is fitted to it where it measured enough (measured.py)
    measured: tuple[Mapping[str, Any], ...] = ()
    measured_on: str = ""


class PlanResult(NamedTuple):
    plan: dict[str, object]
    findings: list[Finding]
    suppressed: list[Suppressed]
    notes: list[str]


def stats(settings: Settings, output: str | None, out: TextIO) -> int:
    from alembic_sentinel.plan.stats_reader import collect_stats
    from alembic_sentinel.plan.table_stats import stats_to_json, write_atomically

    settings.require_url()
    collected = collect_stats(settings)
    text = stats_to_json(collected)
    if output is None:
        out.write(text)
        return EXIT_OK
    path = settings.root / output
    write_atomically(path, text)
    print(
        f"wrote {settings.show(path)}: {len(collected.tables)} tables of {collected.database}, "
        f"at {', '.join(collected.revisions) or 'no revision'}",
        file=out,
    )
    return EXIT_OK


def load_stats(settings: Settings, given: str | None) -> StatsFile | None:
    """The statistics file named by the option, else by the `table-stats` setting."""
    from alembic_sentinel.plan.table_stats import read_stats_file

    name = given if given is not None else settings.table_stats
    if name is None:
        return None
    path = settings.root / name
    return read_stats_file(path, settings.show(path))


def build(settings: Settings, request: PlanRequest, stats_file: StatsFile | None) -> PlanResult:
    """The plan of the revisions to apply and its R601 findings (no rendering, no exit code)."""
    from alembic_sentinel.graph.revision_check import working_tree_revisions
    from alembic_sentinel.lint.online_ddl import parse_server_version, server_target
    from alembic_sentinel.plan.cost_model import DEFAULT_MODEL
    from alembic_sentinel.plan.operations import (
        read_changes,
        resolve_revision,
        revisions_to_apply,
    )
    from alembic_sentinel.plan.rollout import blocking_findings, build_plan

    notes: list[str] = []
    revisions = working_tree_revisions(settings)
    graph = revisions.graph
    if request.from_revision is not None:
        applied = [resolve_revision(graph, request.from_revision, "--from")]
    elif stats_file is not None:
        applied = list(stats_file.revisions) or ["base"]
        unknown = [rev for rev in applied if rev != "base" and rev not in graph.revisions]
        if unknown:
            raise ConfigError(
                f"the table statistics are at {', '.join(unknown)}, which this branch does "
                "not have: collect them again (`alembic-sentinel stats`), or give `plan --from`"
            )
    elif settings.url and settings.url.split(":", 1)[0].split("+")[0] in ("mysql", "mariadb"):
        from alembic_sentinel.plan.stats_reader import current_revisions

        applied = current_revisions(settings) or ["base"]
    else:
        applied = ["base"]
        notes.append("no table statistics and no database: planned from base, sizes unknown")
    targets = (
        [resolve_revision(graph, request.to_revision, "--to")]
        if request.to_revision is not None
        else graph.heads()
    )
    order = revisions_to_apply(graph, applied, targets)
    changes, unreadable = read_changes(graph, order, settings.root)
    notes += unreadable
    target = None
    if stats_file is not None:
        target = server_target(stats_file.server_version)
    if target is None:
        try:
            target = parse_server_version(settings.target_server)
        except ValueError as exc:
            source = settings.sources.get("target_server", "default")
            raise ConfigError(f"{source}: {exc}") from None
    model = DEFAULT_MODEL
    if request.calibrate_url is not None:
        model = calibrated(settings, request.calibrate_url, stats_file)
    elif request.measured:
        model = measured_model(changes, request.measured, request.measured_on)
    notes.append(f"cost model: {model.source}")
    threshold = request.max_blocking_seconds
    if threshold is None:
        threshold = settings.max_blocking_seconds
    plan = build_plan(changes, stats_file, target, model, threshold)
    severity = settings.lint_severity.get("R601")
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    if severity != "off":
        findings, suppressed = blocking_findings(plan, threshold, severity)
    return PlanResult(plan.as_dict(), findings, suppressed, notes)


def measured_model(
    changes: Sequence[RevisionChanges], statements: Sequence[Mapping[str, Any]], server: str
) -> CostModel:
    """The defaults, with each kind of work ci's data run measured on its scratch fitted to it."""
    from alembic_sentinel.lint.online_ddl import server_target
    from alembic_sentinel.plan.cost_model import DEFAULT_MODEL, calibrated_model
    from alembic_sentinel.plan.measured import samples_from_timings

    target = server_target(server) if server else None
    samples = samples_from_timings(changes, statements, target) if target is not None else []
    if not samples:
        return DEFAULT_MODEL
    kinds = ", ".join(sorted({sample.work for sample in samples}))
    largest = max(sample.rows for sample in samples)
    return calibrated_model(
        samples,
        f"{kinds} fitted to ci's data run on {server} ({len(samples)} timed change"
        f"{'s' * (len(samples) != 1)}, up to {largest} rows); the rest defaults",
    )


def calibrated(settings: Settings, url: str, stats_file: StatsFile | None) -> CostModel:
    from sqlalchemy.engine import make_url

    from alembic_sentinel.plan.calibration import Identity, calibrate

    production = []
    if settings.url:
        configured = make_url(settings.url)
        identity = Identity.of(configured.host, configured.port, configured.database)
        production.append((identity, "the configured database"))
    if stats_file is not None:
        identity = Identity.of(stats_file.host, stats_file.port, stats_file.database)
        production.append((identity, "the database of the table statistics"))
    return calibrate(url, production)


def plan(settings: Settings, request: PlanRequest, out: TextIO) -> int:
    from alembic_sentinel.plan.render import FORMATS, render_plan
    from alembic_sentinel.plan.table_stats import write_atomically
    from alembic_sentinel.report.model import Report
    from alembic_sentinel.report.render import render_text

    if request.fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}")
    result = build(settings, request, load_stats(settings, request.table_stats))
    notes = list(result.notes)
    if request.fmt != "json" and result.findings:
        notes.append(render_text(Report("plan", list(result.findings))).rstrip("\n"))
    if request.fmt != "json":
        notes += [
            f"{item.finding.location()}: {item.finding.code} suppressed: {item.reason}"
            for item in result.suppressed
        ]
    text = render_plan(dict(result.plan), request.fmt, notes)
    if request.output is not None:
        path = settings.root / request.output
        write_atomically(path, text)
        print(f"wrote {settings.show(path)}", file=out)
    else:
        out.write(text)
    return EXIT_FINDINGS if result.findings else EXIT_OK
