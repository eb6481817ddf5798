"""The drift check: do the models match what the revisions build?

Migrates a shadow database (never the configured one) to head through the same hermetic Alembic
environment the CLI uses, compares it with the target metadata (drift/compare.py), and reports
each change with the `op.*` code `migrate` would write for it.
"""

from __future__ import annotations

import io

from alembic_sentinel.drift.compare import compare, drift_findings, render_operations
from alembic_sentinel.drift.relevance import record_model_modules
from alembic_sentinel.drift.shadow import (
    ShadowState,
    opened_shadow,
    plan_shadow,
    read_state,
    rebuild,
    reusable,
    revision_hashes,
    schema_fingerprint,
    stamp,
    write_state,
)
from alembic_sentinel.drift.shadow_build import AppliedSteps, shadow_build_failures
from alembic_sentinel.engine.migration_env import alembic_config, migration_environment
from alembic_sentinel.engine.target_metadata import load_target_metadata
from alembic_sentinel.graph.revision_check import refuse_missing_parents, working_tree_revisions
from alembic_sentinel.report.model import Report
from alembic_sentinel.settings import Settings


def check_drift(settings: Settings, *, shadow_url: str | None = None, cache: bool = True) -> Report:
    from alembic import command

    from alembic_sentinel.engine import database

    revisions = working_tree_revisions(settings)
    refuse_missing_parents(settings, revisions)  # Alembic's KeyError otherwise (after a rebase)
    metadata = load_target_metadata(settings)
    record_model_modules(settings)  # for the hook's fast path (drift/relevance.py)
    hashes = revision_hashes(settings, {r.revision: r.path for r in revisions.read.revisions})
    shadow = plan_shadow(settings, shadow_url, cache)
    shadow_settings = settings._replace(
        url=shadow.url, sources={**settings.sources, "url": "shadow database"}
    )
    expected_stamp = stamp(settings)
    applied = AppliedSteps()
    with opened_shadow(settings, shadow):
        rebuilt = False
        at_head = False
        if shadow.cached:
            with database.connect(shadow_settings, create=True) as connection:
                state = read_state(connection)
                fresh = state is not None and state.schema == schema_fingerprint(
                    connection, settings.version_table
                )
            if not (fresh and reusable(state, expected_stamp, hashes)):
                rebuild(settings, shadow)
                rebuilt = True
            else:
                # every revision there is was applied, unchanged: Alembic would load them all
                # only to find nothing to do
                at_head = state is not None and set(state.applied) == set(hashes)
        if not at_head:
            # as the app's tooling migrates: env.py's metadata (its naming convention names
            # unnamed constraints), the app bound to the shadow, the configured DB untouchable
            environment = migration_environment(
                shadow_settings,
                metadata=metadata,
                on_version_apply=applied.append_step,
                create=True,
                protected_url=settings.url,
            )
            with environment, shadow_build_failures(settings, applied):
                command.upgrade(alembic_config(shadow_settings, io.StringIO()), "heads")
        with database.connect(shadow_settings) as connection:
            upgrade_ops = compare(connection, shadow_settings, metadata)
            if shadow.cached:
                write_state(
                    connection,
                    ShadowState(
                        expected_stamp,
                        hashes,
                        schema_fingerprint(connection, settings.version_table),
                    ),
                )
    findings = drift_findings(upgrade_ops, settings.command)
    changes = [finding.message for finding in findings]
    report = Report(
        command="check",
        findings=findings,
        facts={
            "shadow": shadow.safe_url,
            "shadow_rebuilt": rebuilt,
            "changes": changes,
            "operations": render_operations(upgrade_ops, settings, shadow.backend)
            if changes
            else "",
        },
    )
    if changes:
        report.summary = [
            f"the models differ from what the revisions build "
            f"({len(changes)} change{'s' if len(changes) != 1 else ''}); "
            "the revision `migrate` would write:",
            *report.facts["operations"].splitlines(),
        ]
    else:
        report.summary = ["no changes: the models match the revisions"]
    return report
