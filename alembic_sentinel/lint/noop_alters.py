"""An alter_column that changes nothing (L319; issue 20, round 30).

Autogenerate, and hands copying it, restate a column's attributes: `alter_column("t", "c",
existing_type=sa.String(10), nullable=True)` on a column the history created nullable. Every
attribute the alter sets is what the column already is, so the upgrade leaves no change the
downgrade must undo. An attribute is judged only when lint knows the column's state: the
alter's own existing_* argument (the same expression), or for nullability and the type the
steps before it (column_state.not_null_before, type_before: this upgrade's, else the earlier
revisions'; round 32: `type_=sa.Enum(...)` restating the members the history created, on
MySQL also the same type spelt another way, type_rules.same_on_mysql). Anything else the
alter sets (a new name, a default, a comment not equal to its existing_* twin, autoincrement,
arguments spread in) is a change. An alter naming only the column (`alter_column("t", "c")`,
existing_* at most) sets nothing: Alembic writes no SQL for it (round 41). A no-op has nothing
to undo: L319 and L318 pass it over.
"""

from __future__ import annotations

import ast

from alembic_sentinel.lint.column_state import not_null_before, type_before
from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.literals import literal_bool
from alembic_sentinel.lint.revision_model import ENUM, Operation
from alembic_sentinel.lint.type_rules import same_on_mysql

# the attributes an alter_column sets, and the existing_* argument saying what each was
_SET_ATTRIBUTES = {
    "nullable": "existing_nullable",
    "type_": "existing_type",
    "server_default": "existing_server_default",
    "comment": "existing_comment",
    "new_column_name": None,
    "autoincrement": None,
}

# the arguments that say which column an alter_column is about
_NAMING = frozenset({"table_name", "column_name", "schema"})


def no_op_alter(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether an upgrade alter_column sets only what the column already is (see above)."""
    if op.name != "alter_column" or op.spread or not op.params:
        return False
    stated = [name for name in _SET_ATTRIBUTES if op.param(name) is not None]
    if not stated:
        # naming only the column (and what it is): Alembic emits no statement at all (checked
        # with its offline SQL, round 41); any other keyword is not judged
        return all(name in _NAMING or name.startswith("existing_") for name in op.params)
    for name in stated:
        given = op.param(name)
        twin = _SET_ATTRIBUTES[name]
        existing = op.param(twin) if twin is not None else None
        if given is not None and existing is not None and ast.dump(given) == ast.dump(existing):
            continue
        if name == "nullable" and existing is None:
            nullable = literal_bool(given)
            before = not_null_before(facts, options, op) if nullable is not None else None
            if before is not None and before is (not nullable):
                continue
        if name == "type_" and existing is None and _type_restated(facts, options, op):
            continue
        return False
    return True


def _type_restated(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether an alter's type_= is the type the steps before gave the column (the Enum
    members the history created, in their order); on MySQL also a spelling of the type it
    stores the column as (`sa.Text()` for TEXT)."""
    new = type_spec(op.param("type_"), facts.names)
    recorded = type_before(facts, options, op)
    if new is None or recorded is None:
        return False
    if new.family == ENUM and new.values is None:
        return False  # members lint cannot read
    if recorded == new:
        return True
    mysql = options.target.flavor in ("mysql", "mariadb")
    return mysql and same_on_mysql(recorded, new, options.bytes_per_char(op.table))
