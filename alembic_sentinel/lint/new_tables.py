"""Changes an upgrade makes to a table it created itself (L319).

A revision that builds a table and then works on it (fills a temporary column and drops it,
adds an index) leaves nothing of those steps once the table is gone: the downgrade that drops
the table undoes every one of them, and needs no inverse per step.
"""

from __future__ import annotations

from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.revision_model import Operation


def goes_with_its_new_table(facts: Facts, op: Operation, done: set[tuple[str, ...]]) -> bool:
    """Whether `op` changes a table the upgrade created before it, and the downgrade drops the
    table under that name (`done`: the downgrade's keys, lowercase, as downgrade_rules builds
    them). A rename of the table (this operation or a later one) leaves it under another name,
    so a drop of the name it was created under undoes nothing: the rename rules judge it."""
    table = (op.table or "").lower()
    if not facts.created_before(op.table, op.seq) or op.name == "rename_table":
        return False
    renamed = any(
        other.name == "rename_table" and (other.table or "").lower() == table
        for other in facts.upgrade_ops
        if other.seq > op.seq
    )
    return not renamed and ("drop_table", table) in done
