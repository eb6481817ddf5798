"""The drift check: do the models match what the revisions build?

Migrates a shadow database (never the configured one) to head through the same hermetic Alembic
environment the CLI uses, compares it with the target metadata through Alembic's autogenerate,
drops MySQL/MariaDB's known false positives, and reports each change with the `op.*` code
`migrate` would write for it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from alembic_sentinel.migration_env import alembic_config, migration_environment
from alembic_sentinel.report import ERROR, Finding, Report
from alembic_sentinel.revision_check import working_tree_revisions
from alembic_sentinel.settings import Settings
from alembic_sentinel.shadow_database import (
    STATE_TABLE,
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
from alembic_sentinel.target_metadata import load_target_metadata

if TYPE_CHECKING:
    from alembic.operations.ops import UpgradeOps
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Connection

    from alembic_sentinel.target_metadata import TargetMetadata

MIGRATE_FIX = 'alembic-sentinel migrate -m "describe the change"'


def check_drift(settings: Settings, *, shadow_url: str | None = None, cache: bool = True) -> Report:
    from alembic import command

    from alembic_sentinel import database
    from alembic_sentinel.commands import describe_diff

    metadata = load_target_metadata(settings)
    revisions = working_tree_revisions(settings)
    hashes = revision_hashes(settings, {r.revision: r.path for r in revisions.read.revisions})
    shadow = plan_shadow(settings, shadow_url, cache)
    shadow_settings = settings._replace(
        url=shadow.url, sources={**settings.sources, "url": "shadow database"}
    )
    expected_stamp = stamp(settings)
    with opened_shadow(settings, shadow):
        rebuilt = False
        at_head = False
        if shadow.cached:
            with database.connect(shadow_settings, create=True) as connection:
                state = read_state(connection)
                fresh = state is not None and state.schema == schema_fingerprint(connection)
            if not (fresh and reusable(state, expected_stamp, hashes)):
                rebuild(settings, shadow)
                rebuilt = True
            else:
                # every revision there is was applied, unchanged: Alembic would load them all
                # only to find nothing to do
                at_head = state is not None and set(state.applied) == set(hashes)
        if not at_head:
            with migration_environment(shadow_settings, create=True):
                command.upgrade(alembic_config(shadow_settings, io.StringIO()), "heads")
        with database.connect(shadow_settings) as connection:
            upgrade_ops = compare(connection, shadow_settings, metadata)
            if shadow.cached:
                write_state(
                    connection,
                    ShadowState(expected_stamp, hashes, schema_fingerprint(connection)),
                )
    changes = [describe_diff(diff) for diff in upgrade_ops.as_diffs()]
    report = Report(
        command="check",
        findings=[
            Finding("D401", "model-change-without-revision", ERROR, change, fix=MIGRATE_FIX)
            for change in changes
        ],
        facts={
            "shadow": shadow.safe_url,
            "shadow_rebuilt": rebuilt,
            "changes": changes,
            "operations": render_operations(upgrade_ops, shadow.backend) if changes else "",
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


def compare(connection: Connection, settings: Settings, metadata: TargetMetadata) -> UpgradeOps:
    """Alembic's autogenerate comparison, without the false positives MySQL/MariaDB produce."""
    from alembic.autogenerate import produce_migrations
    from alembic.runtime.migration import MigrationContext

    from alembic_sentinel.target_metadata import load_filter

    project_include_name = load_filter(settings, "include_name")

    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        if type_ == "table" and name == STATE_TABLE:
            return False
        return project_include_name is None or project_include_name(name, type_, parent_names)

    opts: dict[str, Any] = {
        "compare_type": settings.compare_type,
        "compare_server_default": settings.compare_server_default,
        "version_table": settings.version_table,
        "include_name": include_name,
        "target_metadata": metadata,
    }
    include_object = load_filter(settings, "include_object")
    if include_object is not None:
        opts["include_object"] = include_object
    context = MigrationContext.configure(connection, opts=opts)
    script = produce_migrations(context, metadata)  # type: ignore[arg-type]
    upgrade_ops = script.upgrade_ops
    assert upgrade_ops is not None
    server_version = getattr(connection.dialect, "server_version_info", None)
    drop_false_positives(
        upgrade_ops, connection.dialect.name, server_version, metadata_for_filters(metadata)
    )
    return upgrade_ops


def metadata_for_filters(metadata: TargetMetadata) -> MetaData | None:
    return metadata if not isinstance(metadata, list) else (metadata[0] if metadata else None)


def leaf_operations(container: Any) -> list[tuple[Any, Any]]:
    """(container, op) for every operation that is not itself a container, in order."""
    from alembic.operations import ops

    leaves = []
    for op in container.ops:
        if isinstance(op, ops.OpContainer):
            leaves.extend(leaf_operations(op))
        else:
            leaves.append((container, op))
    return leaves


def drop_false_positives(
    upgrade_ops: Any,
    dialect_name: str,
    server_version: tuple[int, ...] | None,
    metadata: MetaData | None,
) -> None:
    """Remove, in place, every operation (or part of one) the filters call spurious."""
    from alembic.operations import ops

    from alembic_sentinel.drift_filters import without_false_positives

    leaves = [(container, op, op.to_diff_tuple()) for container, op in leaf_operations(upgrade_ops)]
    _, dropped = without_false_positives(
        [diff for _, _, diff in leaves], dialect_name, server_version, metadata=metadata
    )
    # the filters return the very diff objects they drop, so identity tells which op they were
    dropped_ids = {
        id(item) for diff in dropped for item in (diff if isinstance(diff, list) else [diff])
    }
    for container, op, diff in leaves:
        if isinstance(diff, list):
            kept_kinds = {item[0] for item in diff if id(item) not in dropped_ids}
            if not kept_kinds:
                _remove(container, op)
            elif isinstance(op, ops.AlterColumnOp):
                _keep_only(op, kept_kinds)
        elif id(diff) in dropped_ids:
            _remove(container, op)
    _prune_empty(upgrade_ops)


def _prune_empty(container: Any) -> None:
    from alembic.operations import ops

    for op in list(container.ops):
        if isinstance(op, ops.OpContainer):
            _prune_empty(op)
            if op.is_empty():
                _remove(container, op)


def _remove(container: Any, op: Any) -> None:
    container.ops = [other for other in container.ops if other is not op]


def _keep_only(op: Any, kinds: set[str]) -> None:
    """Clear the parts of an AlterColumnOp whose modify_* diff was filtered out."""
    if "modify_type" not in kinds:
        op.modify_type = None
    if "modify_default" not in kinds:
        op.modify_server_default = False
    if "modify_nullable" not in kinds:
        op.modify_nullable = None
    if "modify_comment" not in kinds:
        op.modify_comment = False


def render_operations(upgrade_ops: UpgradeOps, backend: str) -> str:
    from alembic.autogenerate import render_python_code

    code = render_python_code(upgrade_ops, render_as_batch=backend == "sqlite")
    # Alembic renders the body of an indented `def upgrade():`, all but its first line indented
    return "\n".join(
        line[4:] if line.startswith("    ") else line for line in code.strip("\n").splitlines()
    )
