"""A primary key that swaps part of the dropped one for columns free of NULL (L325, r35).

Once the upgrade has dropped the table's primary key (no second key is left) and no column of
the new key can hold NULL, the only failure left is a duplicate. A duplicate needs two rows
the old key kept apart to agree on every column of the new key. A key that keeps some of the
old key's columns and puts other columns in place of the rest is the shape of a re-keying: the
natural key (`user_name, project_cod, ass_cod`) giving way to a surrogate id filled from the
columns it replaces (`project_id, ass_cod`), the id looked up through the old columns by a
loop or a join lint may not follow across revisions. Such a replacement meets a duplicate
only when the new columns are coarser than the ones they replace, which the revision does not
mean; the copy itself is L314's.

What stays reported: a key over the same columns as the old one or a subset of them (NARROWER:
rows told apart by the dropped columns collide), a key sharing no column with the old one (a
new key, not a re-keyed old one: `(id)` giving way to `(user_id, device_id)`), a key with a
column that may hold NULL, an old key known nowhere, or a kept column of the old key written,
retyped or renamed before the key.

The old key known nowhere (a table made before the history, its downgrade not restoring it):
a key over columns already there, unchanged by the upgrade, plus columns this upgrade has just
added NOT NULL (every row holding their default) is a dimension added to the key the table
had: the added columns cannot tell rows apart, so the revision rests the key on the columns the
table kept, the old key's (round 35's MAD `(GUID)` becoming `(GUID, layer)`, its old key known
only from the project's SQL schema). A key over columns already there alone, or with a column
added nullable, is still reported.
"""

from __future__ import annotations

from collections.abc import Collection

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.null_free import never_null
from alembic_sentinel.lint.revision_model import Fill, Operation
from alembic_sentinel.lint.sql_reader import SqlStatement
from alembic_sentinel.lint.widened_keys import (
    added_not_null,
    changed_before,
    in_old_key,
    old_primary_key,
    stand_in_key,
)


def swaps_old_primary_key(
    facts: Facts, options: LintOptions, key: Operation, columns: Collection[str]
) -> bool:
    """Whether a primary key, the table's old one dropped before it, keeps at least one
    column of the old key, is neither the old key nor a subset of it, and none of its columns
    may hold NULL (the kept ones unchanged before the key); or, the old key known nowhere,
    adds to columns NOT NULL already there columns this upgrade has just added NOT NULL."""
    table = (key.table or "").lower()
    wanted = {c.lower() for c in columns}
    old = old_primary_key(facts, options, table)
    if old is None:
        return _dimension_added(facts, options, key, table, wanted)
    kept = wanted & old
    if not kept or wanted <= old:
        return False  # a new key, or the old one again or narrowed: left to the rule
    if any(changed_before(facts, key, c) for c in kept):
        return False
    # the swapped-out columns' values carried into another column by an earlier revision (a
    # per-row loop or a join matching on them: copied_values): the id swapped in was filled
    # from them and stands for them. Without that, columns left out and others put in may be
    # coarser (rows the old key kept apart collide): left to the rule
    if not any(options.copied_earlier(table, c) for c in old - wanted):
        return False
    return all(
        in_old_key(options, c, old)
        or added_not_null(facts, table, c, key.seq)
        or never_null(facts, options, key, c)
        or not _added_here(facts, table, c)
        for c in wanted
    )


def _downgrade_shrinks_back(facts: Facts, table: str, added: set[str]) -> bool:
    """Whether the downgrade drops every added column of the key and makes no primary key on
    the table: on MySQL a column dropped from a key leaves the key over the others, so the
    downgrade takes the table's old key to be the columns that were there."""
    downgrade = facts.module.downgrade
    if downgrade is None:
        return False
    dropped: set[str] = set()
    for op in downgrade.operations:
        if (op.table or "").lower() != table:
            continue
        if op.name == "create_primary_key":
            return False
        if op.name == "drop_column":
            dropped.add((op.string("column_name") or "").lower())
    return added <= dropped


def raw_key_swapped(
    facts: Facts, options: LintOptions, fill: Fill, statement: SqlStatement
) -> bool:
    """swaps_old_primary_key for a raw `ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY
    (...)`."""
    columns = [c for a in statement.actions if a.kind == "add_primary_key" for c in a.columns]
    if not statement.table or not columns:
        return False
    return swaps_old_primary_key(facts, options, stand_in_key(statement.table, fill), columns)


def _added_here(facts: Facts, table: str, column: str) -> bool:
    # a column this upgrade adds holds its default or NULL, not a value filled from the old key
    return any((t or "").lower() == table and (c or "").lower() == column for t, c in facts.added)


def _dimension_added(
    facts: Facts, options: LintOptions, key: Operation, table: str, wanted: set[str]
) -> bool:
    added = {c for c in wanted if added_not_null(facts, table, c, key.seq)}
    there = wanted - added
    if not added or not there or not _downgrade_shrinks_back(facts, table, added):
        return False
    # SQLite lets a key column hold NULL; elsewhere the dropped key's columns are NOT NULL
    return options.target.flavor != "sqlite" and not any(
        changed_before(facts, key, c) for c in there
    )
