"""The server default a MySQL MODIFY for a nullability, a comment or an autoincrement drops (L330).

Alembic's MySQL implementation writes `alter_column(t, c, existing_type=..., nullable=False)` (and
a comment= or autoincrement= alone) as `MODIFY c <type> NOT NULL`: the whole column definition,
with a DEFAULT only from server_default= / existing_server_default= (checked offline, Alembic
1.20; MariaDB 10.11 leaves the column without the `DEFAULT 'loading'` it had). A type change or
a rename is restated_losses'; this module reports the rest, when the history certainly shows a
default, naming it and where it was set (issue 20: bunkerweb's batch making `status` NOT NULL
after the type change that stated `existing_server_default="loading"`). PostgreSQL and SQLite
keep the default (`ALTER COLUMN ... SET NOT NULL`); L330 runs only for MySQL/MariaDB targets.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from alembic_sentinel.lint.column_state import default_before, renamed_to, restoring_steps
from alembic_sentinel.lint.column_steps import (
    column_steps,
    modifying_alter,
    restates_default,
    writes_modify,
)
from alembic_sentinel.lint.facts import (
    Facts,
    Hit,
    LintOptions,
    column_label,
    literal_bool,
    op_hit,
)
from alembic_sentinel.lint.restated_losses import drops_not_null
from alembic_sentinel.lint.revision_model import Operation

# the longest default text a message quotes
_SHOWN = 60


def dropped_default(facts: Facts, options: LintOptions, op: Operation) -> Iterator[Hit]:
    """L330 for an alter_column changing neither type nor name whose MODIFY drops the default
    the history certainly shows (default_witness). A table made earlier in the same upgrade
    counts too: rows inserted later miss the default all the same. Not when the alter states
    either default keyword (server_default=None removes it on purpose). A comment= or
    autoincrement=False alone, stating no nullability, is written `MODIFY c <type> NULL`
    (checked offline, Alembic 1.20): it drops the NOT NULL the history shows too
    (drops_not_null, as for a type change), in the same finding."""
    if modifying_alter(op) or not writes_modify(op):
        return  # a type change or rename (restated_losses'), or no MODIFY at all
    said = any(op.param(p) is not None for p in ("server_default", "existing_server_default"))
    default = None if said else default_witness(facts, options, op)
    # an AUTO_INCREMENT column stays NOT NULL whatever the MODIFY says (MariaDB 10.11, checked:
    # `MODIFY id INTEGER NULL AUTO_INCREMENT` leaves `id int NOT NULL AUTO_INCREMENT`)
    increments = literal_bool(op.param("autoincrement")) is True
    not_null = not increments and drops_not_null(facts, options, op)
    if default is None and not not_null:
        return
    column = op.string("column_name") or ""
    given = ", ".join(
        f"{p}=" for p in ("nullable", "autoincrement", "comment") if op.param(p) is not None
    )
    lost = ["NOT NULL (Alembic writes the column NULL)"] if not_null else []
    fix = "state existing_nullable=False" if not_null else "state"
    if default is not None:
        lost.append(default)
        value = default.split(" set ", 1)[0].replace("a DEFAULT", "default")
        fix += f"{' and' if not_null else ''} existing_server_default= in the alter_column "
        fix += f"(the column's {value})"
    else:
        fix += " in the alter_column"
    unsaid = " or ".join(
        w
        for w, lacks in (("existing_nullable=", not_null), ("existing_server_default=", default))
        if lacks
    )
    yield op_hit(
        "L330",
        op,
        f"alter_column {column_label(op, column)} ({given}) without {unsaid}: "
        f"MySQL's MODIFY restates the whole column and silently drops {' and '.join(lost)}",
        fix=fix,
    )


def default_witness(facts: Facts, options: LintOptions, op: Operation) -> str | None:
    """The server default the column `op` touches certainly has just before it, and who says
    so: the latest step of this revision stating a default gave one ("DEFAULT 'loading' set at
    line 263", its value as written) and ran whatever the schema held (not under an `if` lint
    cannot decide, nor refused under a handler that carries on, nor in a MariaDB-only branch);
    with no such step, the revisions before this one give it one ("a DEFAULT set by an earlier
    revision"). None when the column has none, or it is not known, and for a downgrade step
    when the default is its revision's upgrade's own."""
    column = op.string("column_name")
    if op.table is None or column is None or default_before(facts, options, op) is not True:
        return None
    key = (op.table.lower(), column.lower())
    before = restoring_steps(facts, op, restates_default)
    # step by step in the order they run (a downgrade's list holds the upgrade's steps first;
    # seq counts within one function)
    setters = [
        o
        for o in before
        if any(k == key and state.has_default is not None for _, k, state in column_steps([o]))
    ]
    if not setters:
        if renamed_to(before, key) is not None:
            return None  # what the old column was: not followed here
        return "a DEFAULT set by an earlier revision"
    setter = setters[-1]
    upgrade, downgrade = facts.module.upgrade, facts.module.downgrade
    by_upgrade = any(setter is o for o in facts.upgrade_ops)
    if by_upgrade and not any(op is o for o in facts.upgrade_ops):
        # a downgrade's MODIFY dropping the default its own revision's upgrade set takes the
        # column back towards what it was (autogenerate's `nullable=True` undoing
        # `nullable=False, server_default="csv"`): no loss
        return None
    body = upgrade if by_upgrade else downgrade
    if body is None or setter.seq in body.conditional | body.caught | body.mariadb_only:
        return None
    value = _default_given(setter, key[1])
    said = f"DEFAULT {value}" if value is not None else "a DEFAULT"
    return f"{said} set at line {setter.line}"


def _default_given(op: Operation, column: str) -> str | None:
    """The server default a step gives the column, as written (a create_table's or add_column's
    server_default=, an alter_column's server_default= or existing_server_default=); None when
    lint cannot show it (raw SQL)."""
    if op.name == "alter_column":
        node = op.param("server_default") or op.param("existing_server_default")
    else:
        node = next(
            (s.server_default_node for s in op.columns if (s.name or "").lower() == column), None
        )
    if node is None:
        return None
    text = ast.unparse(node)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
