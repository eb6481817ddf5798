"""The primary key each table has, as a revision's operations state it (L330).

MySQL keeps every primary-key column NOT NULL: a CHANGE/MODIFY that writes such a column NULL
is refused by MySQL 8.0 (ERROR 1171, "All parts of a PRIMARY KEY must be NOT NULL") and
ignored by MariaDB, which keeps the column NOT NULL. So a restatement never silently drops
the NOT NULL of a primary-key column, and L330 must not say it does. lint.history keeps what
each revision says, per table, with the revision's depth.

Pure: reads operations.
"""

from __future__ import annotations

from collections.abc import Iterable

from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.revision_model import Operation, RevisionModule


def primary_key_steps(operations: Iterable[Operation]) -> dict[str, frozenset[str]]:
    """table (lowercase) -> the primary key's columns (lowercase) the operations leave it with,
    the latest step winning: create_table's primary_key=True columns or PrimaryKeyConstraint,
    create_primary_key; a drop of the primary key (drop_constraint type_="primary") or of the
    table leaves it none (an empty set)."""
    found: dict[str, frozenset[str]] = {}
    for op in operations:
        table = (op.table or "").lower()
        if not table:
            continue
        if op.name == "create_table":
            columns = {c.name.lower() for c in op.columns if c.primary_key and c.name}
            for constraint in op.constraints:
                if constraint.kind == "primary_key":
                    columns.update(c.lower() for c in constraint.columns)
            found[table] = frozenset(columns)
        elif op.name == "create_primary_key":
            listed = string_list(op.param("columns"))
            found[table] = frozenset(c.lower() for c in listed or ())
        elif op.name == "drop_table" or (
            op.name == "drop_constraint" and op.string("type_") == "primary"
        ):
            found[table] = frozenset()
    return found


def primary_keys(module: RevisionModule) -> dict[str, frozenset[str]]:
    """primary_key_steps of the module's upgrade."""
    upgrade = module.upgrade
    return primary_key_steps(upgrade.operations) if upgrade is not None else {}
