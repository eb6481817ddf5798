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
"""

from __future__ import annotations

from alembic_sentinel.lint.column_steps import UNKNOWN_TYPE, ColumnState
from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.revision_model import Operation

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
    if _made_before(options, op.table, column):
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


def _made_before(options: LintOptions, table: str, column: str) -> bool:
    """Whether the revisions before this one leave the column on the table: a step gave it a
    type (created or added it), and no drop came after."""
    state = options.state_before(table, column)
    return state.column_type is not None and state._replace(loosened=None) != _GONE
