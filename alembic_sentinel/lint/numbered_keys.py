"""A first primary key over a column the upgrade adds numbered in every row (L325, round 32).

`op.add_column("t", sa.Column("id", sa.Uuid(), nullable=False,
server_default=sa.text("gen_random_uuid()")))` then `op.create_primary_key("t_pkey", "t",
["id"])` on a table that has no primary key: the server evaluates the default once per existing
row as it adds the column (a uuid function, a sequence's next value: distinct_fills' per-row
values; checked on MariaDB 10.11 with `DEFAULT (uuid())`), NOT NULL leaves no row without one,
and there is no other primary key for the new one to meet. None of L325's failures can happen;
only the rebuild (MySQL) or the lock while the unique index is built (PostgreSQL) is left,
which every key on a table with rows costs. On PostgreSQL an Integer column added as
primary_key=True (autoincrement not False) is SERIAL, and an identity column is numbered too.

Still reported: a table whose primary key the history does not show gone or never made (a
table linted without the revision creating it, one created with a key), a key of more than
one column, a column added nullable or with a constant default, one that a step between the
add and the key may change or write.

Pure: reads operations and the history lint keeps.
"""

from __future__ import annotations

import ast

from alembic_sentinel.lint.distinct_fills import PER_ROW_PYTHON, server_numbered
from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.primary_keys import primary_key_steps
from alembic_sentinel.lint.revision_model import INTEGER, ColumnSpec, Operation


def numbered_first_key(facts: Facts, options: LintOptions, key: Operation) -> bool:
    """Whether a create_primary_key is the first key of its table, over one column the upgrade
    added NOT NULL and numbered per row just before (see above)."""
    columns = [c.lower() for c in string_list(key.param("columns")) or ()]
    if key.table is None or len(columns) != 1:
        return False
    table, column = key.table.lower(), columns[0]
    steps = primary_key_steps(op for op in facts.upgrade_ops if op.seq < key.seq)
    if steps.get(table, options.primary_key(table)) != frozenset():
        return False  # a key there already, or none known to be absent
    added = next(
        (
            (op, spec)
            for (t, c), (op, spec) in facts.added.items()
            if (t or "").lower() == table and (c or "").lower() == column and op.seq < key.seq
        ),
        None,
    )
    if added is None:
        return False
    op, spec = added
    if not spec.not_null or not _numbered(spec, options):
        return False
    return not _touched_between(facts, table, column, op.seq, key.seq)


def _numbered(spec: ColumnSpec, options: LintOptions) -> bool:
    """Whether adding the column gives each existing row a value of its own on the target: a
    per-row server default anywhere; on PostgreSQL also an identity or a SERIAL column."""
    default = spec.server_default_node
    if default is not None and PER_ROW_PYTHON.search(ast.unparse(default)):
        return True
    if options.target.flavor != "postgresql":
        return False  # MySQL's AUTO_INCREMENT needs a key as the column is added (L332)
    serial = (
        spec.primary_key
        and spec.autoincrement is not False
        and spec.type is not None
        and spec.type.family == INTEGER
    )
    return serial or server_numbered(spec)


def _touched_between(facts: Facts, table: str, column: str, after: int, before: int) -> bool:
    """Whether a step between the add and the key may change the column's values: an operation
    on the column (alter, drop), a fill writing it, a step lint cannot read on the table."""
    for op in facts.upgrade_ops:
        if after < op.seq < before and (op.table or "").lower() == table:
            if (op.string("column_name") or "").lower() == column:
                return True
    if facts.written_between(table, column, after, before):
        return True
    return facts.unread_before(table, before, after, writes=True) is not None
