"""An add_column that is only a fallback (L319, round r37): the downgrade rightly leaves it.

A revision written against databases that drifted from the history guards its steps by what it
reflects (`if "x" not in columns: op.add_column(...)`). Two such adds are no change the
downgrade owes an inverse:

- the add of a column the revisions before this one already made (and did not drop since):
  on this history the guard is false, and the add runs only on a database missing a column it
  should have had ("self-healing"); the state before the revision has the column, so a
  downgrade leaving it restores that state;
- the add of the column another branch of the same upgrade makes by renaming an older column
  into it (`if "old" in columns: rename old -> x  elif "x" not in columns: add x`), when the
  downgrade renames x back to the old name: that rename is the inverse of both branches.

Only under an `if` lint cannot decide (FunctionBody.conditional): an unconditional add of an
existing column fails on its own, and is no fallback.

The same holds for the other objects such a guard tests (round 38): a create_index, a unique
key, a CHECK or a named foreign key under an undecided `if` (`if not _has_index("t", "ix"):`,
a helper over `inspector.get_indexes`, an information_schema query) whose name the table holds
just before it, as the history and this upgrade's earlier steps leave it (name_events: made,
and not dropped or touched in a way lint cannot follow since), and a guarded create_table of a
table the history has: the guard is false there, the create never runs and owes no inverse.
"""

from __future__ import annotations

from alembic_sentinel.lint.column_steps import UNKNOWN_TYPE, ColumnState
from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.name_clashes import exists_before
from alembic_sentinel.lint.name_events import CHECK, FOREIGN_KEY, INDEX
from alembic_sentinel.lint.revision_model import Operation
from alembic_sentinel.lint.table_presence import CREATED

# what a dropped column leaves (column_steps._GONE): nothing of it is there
_GONE = ColumnState(False, False, False, UNKNOWN_TYPE, False, False)


def fallback_add(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether `op` is an add_column guarded by an undecided `if` that the history shows to be
    a fallback (the module's docstring says which two)."""
    upgrade, downgrade = facts.module.upgrade, facts.module.downgrade
    if op.name != "add_column" or upgrade is None or downgrade is None or not op.table:
        return False
    if op.seq not in upgrade.conditional or len(op.columns) != 1 or not op.columns[0].name:
        return False
    table, column = op.table.lower(), op.columns[0].name.lower()
    if made_before(options, op.table, column):
        return True
    olds = {
        (other.string("column_name") or "").lower()
        for other in facts.upgrade_ops
        if other.name == "alter_column"
        and (other.table or "").lower() == table
        and (other.string("new_column_name") or "").lower() == column
    }
    return any(
        back.name == "alter_column"
        and (back.table or "").lower() == table
        and (back.string("column_name") or "").lower() == column
        and (back.string("new_column_name") or "").lower() in olds - {""}
        for back in downgrade.operations
    )


def made_before(options: LintOptions, table: str, column: str) -> bool:
    """Whether the revisions before this one leave the column on the table: a step gave it a
    type (created or added it), and no drop came after."""
    state = options.state_before(table, column)
    return state.column_type is not None and state._replace(loosened=None) != _GONE


# the guarded creates of a named object, and the name space it takes its name in
_NAMED_CREATES = {
    "create_index": ("index_name", INDEX),
    "create_unique_constraint": ("constraint_name", INDEX),
    "create_check_constraint": ("constraint_name", CHECK),
    "create_foreign_key": ("constraint_name", FOREIGN_KEY),
}


def fallback_create(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether `op` is a create under an undecided `if` of what the table already has just
    before it (the module's docstring): it never runs on a database built from the history."""
    upgrade = facts.module.upgrade
    if upgrade is None or op.seq not in upgrade.conditional or not op.table:
        return False
    if op.name == "create_table":
        there = options.table_state(op.table) == CREATED or options.table_present(op.table)
        return there and not any(
            other.seq < op.seq and (other.table or "").lower() == op.table.lower()
            for other in facts.upgrade_ops
        )
    known = _NAMED_CREATES.get(op.name)
    name = op.string(known[0]) if known is not None else None
    if known is None or not name:
        return False
    return exists_before(facts, options, known[1], op.table.lower(), name.lower(), op.seq) is True


def guarded_noop(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether `op` is an upgrade step under an undecided `if` that makes only what the history
    already has just before it (round r40: agena's `if column exists: return` before the
    add_column of a column the first revision made): on a database built from the history the
    guard stops it, so it names no key (L311) and copies no table (L314)."""
    upgrade = facts.module.upgrade
    if upgrade is None or not any(step is op for step in upgrade.operations):
        return False  # a downgrade's step: its seq numbers another body
    if op.name == "add_column":
        if op.seq not in upgrade.conditional or not op.table or not op.columns:
            return False
        table = op.table
        return all(c.name and made_before(options, table, c.name.lower()) for c in op.columns)
    return fallback_create(facts, options, op)
