"""Columns an upgrade drops whose values are none lost with them (L305): scratch columns its own
raw SQL added first (`ALTER TABLE t ADD [COLUMN] c ...`, round 37), as one op.add_column adds,
and a column converted into a new one that then takes its name (MySQL has no ALTER ... USING).
"""

from __future__ import annotations

from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.revision_model import Operation


def replaced_through_new_column(facts: Facts, drop: Operation) -> bool:
    """Whether the upgrade replaces the dropped column by a new one under its name: a column
    added to the table before the drop, rows written after that add (the values converted
    into it), and after the drop an alter_column of the table renaming a column to the
    dropped one's name (MySQL has no ALTER ... USING: a type conversion goes this way)."""
    column = drop.string("column_name")
    if drop.table is None or column is None:
        return False
    added = [
        o.seq
        for o in facts.upgrade_ops
        if o.name == "add_column" and o.table == drop.table and o.seq < drop.seq
    ]
    renamed = any(
        o.name == "alter_column"
        and o.table == drop.table
        and o.seq > drop.seq
        and o.string("new_column_name") == column
        for o in facts.upgrade_ops
    )
    return renamed and bool(added) and any(min(added) < fill.seq < drop.seq for fill in facts.fills)


def columns_added_by_sql(facts: Facts) -> dict[tuple[str, str], tuple[int, int]]:
    """(table, column), lowercase -> where the upgrade's raw SQL first adds it (`ALTER TABLE t
    ADD [COLUMN] c ...`): the fill's seq and the statement's place in it. A column the same
    upgrade adds and drops again is its scratch space, holding nothing from before it, as one
    op.add_column adds (round 37)."""
    added: dict[tuple[str, str], tuple[int, int]] = {}
    for fill in facts.fills:
        for index, statement in enumerate(fill.statements):
            for action in statement.actions:
                if action.kind == "add_column" and statement.table and action.name:
                    key = (statement.table.lower(), action.name.lower())
                    added.setdefault(key, (fill.seq, index))
    return added
