"""A first primary key over columns the revision cleared of NULLs and duplicates (L325, round 38).

A table created without a primary key (an association table, say) gets one later. The revision
first deletes the rows with a NULL in the key's columns and the duplicates over them (`DELETE
FROM t WHERE rowid NOT IN (SELECT MIN(rowid) FROM t GROUP BY a, b)`, the PostgreSQL `ctid`
form, a function named for it, a project helper), makes the columns NOT NULL, then creates the
key. None of L325's failures is left: no NULL, no duplicate (the evidence L309 takes for a
unique key: lint/deduplications.py), no second key (the history shows the table without one,
or the upgrade dropped it). Only the rebuild is left, the cost of any key on a table with rows.

Still reported: a table whose key the history does not show absent (linted without the revision
creating it, or created with one), a key over columns the de-duplication did not group by, a
column that may hold NULL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from alembic_sentinel.lint.deduplications import ANY_COLUMNS
from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.null_free import never_null
from alembic_sentinel.lint.primary_keys import primary_key_steps
from alembic_sentinel.lint.revision_model import Operation

# whether a project helper's de-duplication covers the key (key_rules._deduplicated_by_helper)
HelperCovers = Callable[[Facts, Operation, Sequence[str]], bool]


def deduplicated_first_key(
    facts: Facts, options: LintOptions, key: Operation, by_helper: HelperCovers
) -> bool:
    """Whether a create_primary_key is the table's only key, over columns free of NULL after
    the revision removed the duplicates over them (see above)."""
    columns = [c.lower() for c in string_list(key.param("columns")) or ()]
    if key.table is None or not columns:
        return False
    table = key.table.lower()
    steps = primary_key_steps(op for op in facts.upgrade_ops if op.seq < key.seq)
    if steps.get(table, options.primary_key(table)) != frozenset():
        return False  # a key there already, or none known to be absent
    wanted = frozenset(columns)
    searched = any(
        checked == ANY_COLUMNS or (checked and checked <= wanted)
        for checked in facts.module.duplicate_checks
    )
    if not searched and not by_helper(facts, key, columns):
        return False
    return all(never_null(facts, options, key, c) for c in columns)
