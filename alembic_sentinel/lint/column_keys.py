"""A primary key that MySQL drops with its column (L319, round 32).

MySQL removes a dropped column from every index it is part of, and drops an index all of whose
columns are gone (the manual's ALTER TABLE, "Adding and Dropping Columns"): the PRIMARY key
included. So a downgrade's drop_column of the one column of a primary key the upgrade created
(`create_primary_key("t_pkey", "t", ["id"])`) takes the key with it, as on PostgreSQL: no
separate drop_constraint is needed (checked on MariaDB 10.11: `ALTER TABLE t DROP COLUMN id`
leaves the table with no key).

Not so, and still reported:

- a key of several columns: MariaDB refuses to drop one of them (ERROR 1072, "Key column
  doesn't exist in table", checked on 10.11), MySQL narrows the key to the others, and
  Alembic drops each column by a statement of its own;
- a column a foreign key holds, its own (ERROR 1828, "needed in a foreign key constraint") or
  another table's referring to it (ERROR 1829): the server refuses the drop, unless the
  downgrade drops that foreign key by name before. Foreign keys of the upgrade and of the
  revisions before count; one lint cannot tie to the column is not seen.

Pure: reads operations and the history lint keeps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from alembic_sentinel.lint.facts import LintOptions
from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.naming_convention import NamedObject, undone_by
from alembic_sentinel.lint.revision_model import Operation


def primary_key_dropped_with_column(
    made: NamedObject,
    upgrade: Sequence[Operation],
    downgrade: Sequence[Operation],
    options: LintOptions,
) -> bool:
    """Whether the downgrade's drop_column of the one column of the primary key `made` (its
    create_primary_key's object) takes the key with it on MySQL (see above)."""
    if made.kind != "pk" or made.columns is None or len(made.columns) != 1:
        return False
    table, column = made.table, made.columns[0]
    drop = next(
        (
            op
            for op in downgrade
            if op.name == "drop_column"
            and (op.table or "").lower() == table
            and (op.string("column_name") or "").lower() == column
        ),
        None,
    )
    if drop is None:
        return False
    before = [op for op in downgrade if op.seq < drop.seq]
    templates = options.convention_templates()
    for key in upgrade:
        if _holds(key, table, column) and not undone_by(key, before, templates):
            return False  # the server refuses to drop the column while the key is there
    if options.refers_before(table, column):
        return False  # a foreign key of an earlier revision from the column
    target = f"{table}.{column}"
    return not _referred_before(options, target)


def _holds(key: Operation, table: str, column: str) -> bool:
    """Whether an upgrade step makes a foreign key from table.column or to it."""
    if key.name == "create_foreign_key":
        local = [c.lower() for c in string_list(key.param("local_cols")) or ()]
        remote = [c.lower() for c in string_list(key.param("remote_cols")) or ()]
        referent = (key.string("referent_table") or "").lower()
        return ((key.table or "").lower() == table and column in local) or (
            referent == table and column in remote
        )
    if key.name not in ("add_column", "create_table"):
        return False
    target = f"{table}.{column}"
    own = (key.table or "").lower() == table
    for spec in key.columns:
        for foreign in spec.foreign_keys:
            if (foreign.target or "").lower() == target:
                return True
            if own and (spec.name or "").lower() == column:
                return True
    for constraint in key.constraints:
        if constraint.kind != "foreign_key":
            continue
        if (constraint.target or "").lower() == target:
            return True
        if own and column in (c.lower() for c in constraint.columns):
            return True
    return False


def _referred_before(options: LintOptions, target: str) -> bool:
    """Whether a foreign key the revisions before this one leave declared refers to `target`
    ("table.column")."""
    references: Mapping[tuple[str, str], object] = options.history.references
    return any(target in options.refers_before(table, column) for table, column in references)
