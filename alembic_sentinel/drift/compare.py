"""The comparison at the heart of the drift check: a migrated database against the models.

Alembic's autogenerate comparison with MySQL/MariaDB's known false positives dropped, each
difference described in one line, and the `op.*` code `migrate` would write for them. Used by
`check` (on the shadow database, drift/check.py) and by `ci` (on its scratch schema).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alembic_sentinel.drift.shadow import STATE_TABLE
from alembic_sentinel.report.model import ERROR, Finding
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from alembic.operations.ops import UpgradeOps
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Connection

    from alembic_sentinel.engine.target_metadata import TargetMetadata

# A difference is a model change without a revision, or a hand-written revision that changed the
# schema without the models: `migrate` fixes the first and would undo the second.
MIGRATE_FIX = (
    'alembic-sentinel migrate -m "describe the change" for a model change; for a change a '
    "hand-written revision made, update the models to match instead (migrate would write a "
    "revision undoing it)"
)
# a table the revisions create that the models lack may belong to another tool
OWNED_ELSEWHERE_FIX = (
    'a table another tool owns (a plugin, another service): ignore-tables = ["{table}"] in '
    "[tool.alembic-sentinel] (or an include-object filter); else " + MIGRATE_FIX
)


def drift_findings(upgrade_ops: UpgradeOps, command: str = "alembic-sentinel") -> list[Finding]:
    """One D401 per difference, with the fix that fits it, naming the `command` users run."""
    findings = []
    for diff in upgrade_ops.as_diffs():
        fix = MIGRATE_FIX
        if not isinstance(diff, list) and diff[0] == "remove_table":
            fix = OWNED_ELSEWHERE_FIX.format(table=diff[1].name)
        fix = fix.replace("alembic-sentinel migrate", f"{command} migrate")
        findings.append(
            Finding("D401", "model-change-without-revision", ERROR, describe_diff(diff), fix=fix)
        )
    return findings


def compare(connection: Connection, settings: Settings, metadata: TargetMetadata) -> UpgradeOps:
    """Alembic's autogenerate comparison, without the false positives MySQL/MariaDB produce."""
    from alembic.autogenerate import produce_migrations
    from alembic.runtime.migration import MigrationContext

    from alembic_sentinel.engine.target_metadata import autogenerate_filters, refuse_empty_models

    filters = autogenerate_filters(settings)
    project_include_name = filters.get("include_name")

    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        if type_ == "table" and name == STATE_TABLE:
            return False
        return project_include_name is None or project_include_name(name, type_, parent_names)

    opts: dict[str, Any] = {
        "compare_type": settings.compare_type,
        "compare_server_default": settings.compare_server_default,
        "version_table": settings.version_table,
        **filters,
        "include_name": include_name,
        "target_metadata": metadata,
    }
    context = MigrationContext.configure(connection, opts=opts)
    script = produce_migrations(context, metadata)  # type: ignore[arg-type]
    upgrade_ops = script.upgrade_ops
    assert upgrade_ops is not None
    refuse_empty_models(settings, metadata, upgrade_ops.as_diffs())
    server_version = getattr(connection.dialect, "server_version_info", None)
    drop_false_positives(
        upgrade_ops, connection.dialect.name, server_version, metadata_for_filters(metadata)
    )
    return upgrade_ops


def without_false_positives_in_revision(
    script: Any, dialect: Any, metadata: TargetMetadata
) -> None:
    """What `migrate` writes, filtered as `check` and `ci` filter what they report: an index
    drop `check` calls MySQL/MariaDB noise is not written either (the server would refuse it:
    `(1553) needed in a foreign key`). The downgrade is rebuilt from what is left."""
    upgrade_ops = script.upgrade_ops
    if upgrade_ops is None:
        return
    server_version = getattr(dialect, "server_version_info", None)
    drop_false_positives(upgrade_ops, dialect.name, server_version, metadata_for_filters(metadata))
    script.downgrade_ops = upgrade_ops.reverse()


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

    from alembic_sentinel.drift.filters import without_false_positives

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


def render_operations(upgrade_ops: UpgradeOps, settings: Settings, backend: str) -> str:
    """The `op.*` code `migrate` would write, batch mode as `migrate` chooses it."""
    from alembic.autogenerate import render_python_code

    batch = backend == "sqlite" if settings.render_as_batch is None else settings.render_as_batch
    code = render_python_code(upgrade_ops, render_as_batch=batch)
    # Alembic renders the body of an indented `def upgrade():`, all but its first line indented
    return "\n".join(
        line[4:] if line.startswith("    ") else line for line in code.strip("\n").splitlines()
    )


def describe_diff(diff: Any, dialect: Any = None) -> str:
    """One line per autogenerate difference, e.g. `+ column election.isListed BOOLEAN NOT NULL`.

    Types are written as `dialect` renders them (`ENUM('a','b')`, `VARCHAR(9)`); without one,
    as the dialect of the types reflected from the database in the difference, since
    SQLAlchemy's default rendering shows a MySQL ENUM as VARCHAR and drops collations.
    """
    dialect = dialect if dialect is not None else _reflected_dialect(diff)
    if isinstance(diff, list):
        return "; ".join(describe_diff(item, dialect) for item in diff)
    kind = diff[0]
    if kind in ("add_table", "remove_table"):
        return f"{_sign(kind)} table {diff[1].name}"
    if kind in ("add_column", "remove_column"):
        column = diff[3]
        null = "" if column.nullable else " NOT NULL"
        return f"{_sign(kind)} column {diff[2]}.{column.name} {_type(column.type, dialect)}{null}"
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint"):
        obj = diff[1]
        what = "index" if "index" in kind else _constraint_kind(obj)
        return f"{_sign(kind)} {what} {_name_or_columns(obj)} on {obj.table.name}"
    if kind in ("add_fk", "remove_fk"):
        fk = diff[1]
        return f"{_sign(kind)} foreign key {_name_or_columns(fk)} on {fk.parent.name}"
    if kind.startswith("modify_"):
        table, column, old, new = diff[2], diff[3], diff[5], diff[6]
        if kind == "modify_type":
            old, new = _type(old, dialect), _type(new, dialect)
        return f"~ {kind[len('modify_') :]} {table}.{column}: {old} -> {new}"
    return f"{kind} {diff[1:]}"


def _type(type_: Any, dialect: Any) -> str:
    """A type as `dialect` writes it in DDL; SQLAlchemy's default rendering without one."""
    try:
        return str(type_.compile(dialect=dialect)) if dialect is not None else str(type_)
    except Exception:  # a type the dialect cannot render: its generic name is still a name
        return str(type_)


def _reflected_dialect(diff: Any) -> Any:
    """The dialect whose types the database side of a difference was reflected as, or None."""
    items = diff if isinstance(diff, list) else [diff]
    for item in items:
        kind = item[0]
        candidates = []
        if kind == "modify_type":
            candidates.append(item[5])
        elif kind == "remove_column":
            candidates.append(item[3].type)
        for type_ in candidates:
            module = type(type_).__module__
            if module.startswith("sqlalchemy.dialects."):
                name = module.split(".")[2]
                from sqlalchemy.dialects import registry

                try:
                    return registry.load(name)()
                except Exception:  # a dialect that is not installed: the default rendering
                    return None
    return None


def _constraint_kind(constraint: Any) -> str:
    """'unique constraint', 'check constraint', ... from the constraint's class."""
    name = type(constraint).__name__.replace("Constraint", "")
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return f"{words} constraint" if words else "constraint"


def _name_or_columns(obj: Any) -> str:
    """The object's name, or `(unnamed) (a, b)` when the model left it unnamed."""
    if obj.name:
        return str(obj.name)
    columns = [getattr(c, "name", str(c)) for c in getattr(obj, "columns", ())]
    return f"(unnamed) ({', '.join(columns)})" if columns else "(unnamed)"


def _sign(kind: str) -> str:
    return "+" if kind.startswith("add_") else "-"
