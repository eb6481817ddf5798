"""What to do instead of an operation that would block writes for too long.

In order of preference: the INSTANT form of the same change when the target release has one;
for a column that must end up NOT NULL (or change type), an expand/contract split; and always a
ready `gh-ost` and `pt-online-schema-change` command line (a dry run: neither tool changes
anything until `--execute`). Credentials come from the MySQL option file (~/.my.cnf), never
from here; identifiers are backtick-quoted in the ALTER clause and shell-quoted on the line.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from types import MappingProxyType

from alembic_sentinel.lint.facts import literal_bool
from alembic_sentinel.lint.online_ddl import INSTANT, DdlChange, ServerVersion, ddl_algorithm
from alembic_sentinel.lint.revision_model import RevisionModule
from alembic_sentinel.plan.alter_sql import alter_clause
from alembic_sentinel.plan.operations import PlannedChange

# change kind -> (the kind of its INSTANT form, how to write it)
_INSTANT_FORMS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "enum_change": (
            "enum_append",
            "append the new ENUM/SET members at the end of the list (keep the existing ones in "
            "order) and the change is INSTANT",
        ),
        "add_stored_column": (
            "add_column",
            "make the generated column VIRTUAL (sa.Computed(..., persisted=False)) and adding it "
            "is INSTANT; index it if it must be read fast",
        ),
        "add_column_positioned": (
            "add_column",
            "add the column last (no FIRST / AFTER) and it is INSTANT",
        ),
    }
)
# changes that end with values constrained or converted in every row: expand/contract applies
_EXPAND_CONTRACT = frozenset(
    {"change_type", "widen_varchar", "enum_change", "enum_grow", "set_not_null"}
)


def instant_form(change: DdlChange, target: ServerVersion) -> str | None:
    form = _INSTANT_FORMS.get(change.kind)
    if form is None:
        return None
    kind, how = form
    if ddl_algorithm(DdlChange(kind), target) != INSTANT:
        return None
    return f"INSTANT on {target}: {how}"


def expand_contract(planned: PlannedChange) -> str | None:
    op, change = planned.op, planned.change
    not_null_add = op.name == "add_column" and any(c.not_null for c in op.columns)
    sets_not_null = op.name == "alter_column" and literal_bool(op.param("nullable")) is False
    if change.kind not in _EXPAND_CONTRACT and not not_null_add and not sets_not_null:
        return None
    column = planned.label.split(".", 1)[-1]
    return (
        f"expand/contract: add `{column}`'s new form as a nullable column (INSTANT), backfill it "
        "in batches of a few thousand rows (UPDATE ... WHERE id BETWEEN ...), switch the code "
        "to it, then constrain it (NOT NULL, the new type) and drop the old one in a later "
        "revision"
    )


def tool_commands(
    planned: PlannedChange,
    module: RevisionModule,
    database: str,
    host: str | None,
    port: int | None,
) -> list[str]:
    """The gh-ost and pt-online-schema-change lines for the operation (dry runs)."""
    table = planned.table
    if table is None:
        return []
    clause = alter_clause(planned.op, module)
    if clause is None:
        previous = module.down_revisions[0] if len(module.down_revisions) == 1 else "PREVIOUS"
        sql = f"alembic upgrade {previous}:{planned.revision} --sql"
        clause = f"<the ALTER clause of `{sql}`>"
    where = host or "HOST"
    ghost = [
        "gh-ost",
        f"--host={where}",
        *([f"--port={port}"] if port else []),
        f"--database={database}",
        f"--table={table}",
        f"--alter={clause}",
        "--chunk-size=1000",
        "--max-load=Threads_running=25",
        "--critical-load=Threads_running=100",
        "--cut-over=default",
        "--initially-drop-ghost-table",
        "--verbose",
    ]
    dsn = f"h={where},{f'P={port},' if port else ''}D={database},t={table}"
    pt_osc = ["pt-online-schema-change", f"--alter={clause}", "--dry-run", dsn]
    conf = ' --conf="$HOME/.my.cnf"'
    return [
        f"gh-ost (add --execute to run): {shlex.join(ghost)}{conf}",
        f"pt-online-schema-change (--execute instead of --dry-run to run): {shlex.join(pt_osc)}",
    ]


def advise(
    planned: PlannedChange,
    module: RevisionModule,
    target: ServerVersion,
    database: str,
    host: str | None,
    port: int | None,
) -> list[str]:
    """Every piece of advice for an operation that blocks writes too long, best first."""
    advice = []
    instant = instant_form(planned.change, target)
    if instant is not None:
        advice.append(instant)
    split = expand_contract(planned)
    if split is not None:
        advice.append(split)
    advice.extend(tool_commands(planned, module, database, host, port))
    return advice
