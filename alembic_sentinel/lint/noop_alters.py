"""An alter_column that changes nothing (L319; issue 20, round 30).

Autogenerate, and hands copying it, restate a column's attributes: `alter_column("t", "c",
existing_type=sa.String(10), nullable=True)` on a column the history created nullable. Every
attribute the alter sets is what the column already is, so the upgrade leaves no change the
downgrade must undo. An attribute is judged only when lint knows the column's state: the
alter's own existing_* argument (the same expression), or for nullability the steps before it
(column_state.not_null_before: this upgrade's, else the earlier revisions'). Anything else the
alter sets (a new name, a type, a default, a comment not equal to its existing_* twin,
autoincrement, arguments spread in) is a change.
"""

from __future__ import annotations

import ast

from alembic_sentinel.lint.column_state import not_null_before
from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.literals import literal_bool
from alembic_sentinel.lint.revision_model import Operation

# the attributes an alter_column sets, and the existing_* argument saying what each was
_SET_ATTRIBUTES = {
    "nullable": "existing_nullable",
    "type_": "existing_type",
    "server_default": "existing_server_default",
    "comment": "existing_comment",
    "new_column_name": None,
    "autoincrement": None,
}


def no_op_alter(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether an upgrade alter_column sets only what the column already is (see above)."""
    if op.name != "alter_column" or op.spread or not op.params:
        return False
    stated = [name for name in _SET_ATTRIBUTES if op.param(name) is not None]
    if not stated:
        return False  # nothing set lint can see (only extra keywords): not judged
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
        return False
    return True
