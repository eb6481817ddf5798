"""Changes an upgrade makes to a table it created itself (L319, L314).

A revision that builds a table and then works on it (fills a temporary column and drops it,
adds an index) leaves nothing of those steps once the table is gone: the downgrade that drops
the table undoes every one of them, and needs no inverse per step. And until rows are written
into it, the new table is empty: copying it costs nothing and blocks nobody (L314; round 39:
also a table raw SQL creates, `CREATE TABLE t LIKE u` filled by an `INSERT ... SELECT` only
after the foreign key is added).
"""

from __future__ import annotations

from alembic_sentinel.lint.facts import Facts, raw_sql
from alembic_sentinel.lint.revision_model import Operation
from alembic_sentinel.lint.sql_reader import INSERT


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


def empty_at(facts: Facts, table: str | None, seq: int) -> bool:
    """Whether the table is one the upgrade created (Facts.creations) before step `seq` with
    no raw `INSERT` into it between the creation and the step: it holds no rows yet. (Rows an
    op.bulk_insert writes are a few literal ones, no copy worth a warning.)"""
    if table is None:
        return False
    lowered = table.lower()
    created = [step for step, name in facts.creations if step < seq and name.lower() == lowered]
    if not created:
        return False
    since = max(created)
    return not any(
        since < fill.seq < seq and statement.kind == INSERT and statement.table == lowered
        for fill, statement in raw_sql(facts)
    )
