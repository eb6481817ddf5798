"""The foreign keys a revision's upgrade leaves declared, one column to one column.

A foreign key that held up to a revision says every non-NULL value of its column is a value
of the referred column: a lookup of the referred table through that column finds a row for
each of them (L325: a key column filled by such a lookup gets no NULL from a row nothing
matched). lint.history keeps what each revision leaves, and which tables' foreign keys a
revision dropped without saying which (a name lint cannot read): those it made before may
be gone.
"""

from __future__ import annotations

from typing import NamedTuple

from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.revision_model import Operation, RevisionModule

# "table.column" (lowercase) a (table, column) refers to
References = dict[tuple[str, str], str]


class DeclaredReferences(NamedTuple):
    made: References  # what the upgrade leaves declared, at its end
    # tables (lowercase; "" for one lint cannot name) whose foreign keys it dropped, some
    # perhaps made before it and not made again
    cleared: frozenset[str]


def declared_references(module: RevisionModule) -> DeclaredReferences:
    """The one-column foreign keys the upgrade's operations declare (create_table's columns
    and constraints, add_column's, create_foreign_key), less those it drops again."""
    made: References = {}
    cleared: set[str] = set()
    upgrade = module.upgrade
    for op in upgrade.operations if upgrade is not None else ():
        table = (op.table or "").lower()
        if op.name in ("create_table", "add_column") and table:
            made.update(_declared(op, table))
        elif op.name == "create_foreign_key" and table:
            local = string_list(op.param("local_cols"))
            remote = string_list(op.param("remote_cols"))
            referent = op.string("referent_table")
            if local and remote and referent and len(local) == len(remote) == 1:
                made[(table, local[0].lower())] = f"{referent.lower()}.{remote[0].lower()}"
        elif op.name in ("drop_table", "drop_constraint"):
            if op.name == "drop_constraint" and op.string("type_") != "foreignkey":
                continue
            cleared.add(table)
            for key in [key for key in made if key[0] == table or not table]:
                del made[key]
        elif op.name == "drop_column" and table:
            made.pop((table, (op.string("column_name") or "").lower()), None)
    return DeclaredReferences(made, frozenset(cleared))


def _declared(op: Operation, table: str) -> References:
    found: References = {}
    for spec in op.columns:
        for key in spec.foreign_keys:
            if spec.name and key.target:
                found[(table, spec.name.lower())] = key.target
    for constraint in op.constraints:
        if constraint.kind == "foreign_key" and constraint.target and len(constraint.columns) == 1:
            found[(table, constraint.columns[0].lower())] = constraint.target
    return found
