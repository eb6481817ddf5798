"""A key a downgrade restores as the other kind of the same thing (L319): an index the upgrade
drops, created again by `create_unique_constraint` under its name, or a unique constraint the
upgrade drops, created again by `create_index(..., unique=True)`. On MySQL and MariaDB a UNIQUE
constraint is a unique index (`SHOW INDEX` lists it; `DROP INDEX` removes it), so either call
restores the same object.

What counts:

- the same name, and the same table when the drop names one;
- the columns, when both the restore and the revision that created the key (lint.history)
  give them literally, must be the same;
- uniqueness: a unique key is restored by a unique one. An index dropped by name says nothing
  of its uniqueness; when an earlier revision linted with this one created it, that says (a
  plain index restored as a unique constraint is another key: reported); when no revision
  shows it, the downgrade's own choice is taken as what it was (the author restored what the
  database had; lint has nothing to say otherwise). A `drop_constraint` without `type_=`
  is a unique key only when the history shows it created as one.

Pure: reads the operations and the history's facts.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic_sentinel.lint.facts import LintOptions
from alembic_sentinel.lint.history import KeyMade
from alembic_sentinel.lint.literals import literal_bool, string_list
from alembic_sentinel.lint.revision_model import Operation


def restored_as_other_kind(
    op: Operation, downgrade: Sequence[Operation], options: LintOptions
) -> bool:
    """Whether the downgrade restores the index or unique key the upgrade's `op` drops through
    the other call (see the module's docstring)."""
    if op.name == "drop_index":
        name = op.string("index_name")
        restore = "create_unique_constraint"
    elif op.name == "drop_constraint":
        name = op.string("constraint_name")
        restore = "create_index"
    else:
        return False
    if not name:
        return False
    known = options.key_named(name)
    if op.name == "drop_index" and known is not None and not known.unique:
        return False  # a plain index: a unique constraint is another key
    if op.name == "drop_constraint":
        type_ = op.string("type_")
        if not (type_ == "unique" or (type_ is None and known is not None and known.unique)):
            return False
    return any(other.name == restore and _same_key(op, name, other, known) for other in downgrade)


def _same_key(dropped: Operation, name: str, restored: Operation, known: KeyMade | None) -> bool:
    """The restore is of the same name, on the same table, over the same columns as far as
    they are known, and unique (a create_index must say unique=True)."""
    restored_name = restored.string("index_name") or restored.string("constraint_name")
    if restored_name is None or restored_name.lower() != name.lower():
        return False
    table = (restored.table or "").lower()
    if dropped.table is not None and dropped.table.lower() != table:
        return False
    if known is not None and known.table != table:
        return False
    if restored.name == "create_index" and literal_bool(restored.param("unique")) is not True:
        return False
    listed = string_list(restored.param("columns"))
    if known is not None and known.columns is not None and listed is not None:
        return known.columns == frozenset(c.lower() for c in listed)
    return True
