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
- on MySQL and MariaDB an index and a unique key of one name on one table are one object:
  Alembic's `drop_constraint(name, t, type_="unique")` is `ALTER TABLE t DROP INDEX name`,
  which drops a plain index as well. A key the history shows created as a plain index
  (create_index, unique=False) and dropped that way is restored by the plain create_index it
  was (round 23). With no history the drop's `type_="unique"` is taken at its word, and a
  plain create_index is another key. On PostgreSQL a unique constraint is no index: its
  drop fails on one, so this reading is the MySQL family's only.

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
    known = options.key_named(name, op.table)
    if op.name == "drop_index" and known is not None and not known.unique:
        return False  # a plain index: a unique constraint is another key
    if op.name == "drop_constraint":
        type_ = op.string("type_")
        if not (type_ == "unique" or (type_ is None and known is not None and known.unique)):
            return False
    # MySQL's DROP INDEX took a plain index the history shows: its create_index restores it
    plain = op.name == "drop_constraint" and was_plain_index(op, options)
    return any(
        other.name == restore and _same_key(op, name, other, known, plain) for other in downgrade
    )


def was_plain_index(op: Operation, options: LintOptions) -> bool:
    """Whether the key a `drop_constraint(..., type_="unique")` drops is, on a MySQL-family
    target, the plain index an earlier revision created under its name on its table: Alembic
    drops it by `DROP INDEX`, and what restores it is `create_index`, not a unique key."""
    name = op.string("constraint_name")
    if not options.target.is_mysql or op.string("type_") != "unique" or not name:
        return False
    known = options.key_named(name, op.table)
    return known is not None and not known.unique


def _same_key(
    dropped: Operation, name: str, restored: Operation, known: KeyMade | None, plain: bool
) -> bool:
    """The restore is of the same name, on the same table, over the same columns as far as
    they are known, and as unique as the key was (a create_index must say unique=True, unless
    the key was a plain index: `plain`)."""
    restored_name = restored.string("index_name") or restored.string("constraint_name")
    if restored_name is None or restored_name.lower() != name.lower():
        return False
    table = (restored.table or "").lower()
    if dropped.table is not None and dropped.table.lower() != table:
        return False
    if known is not None and known.table != table:
        return False
    if restored.name == "create_index":
        # an index is plain unless it says unique=True (a value lint cannot read: neither)
        given = restored.param("unique")
        unique = literal_bool(given) if given is not None else False
        if unique is not (not plain):
            return False
    listed = string_list(restored.param("columns"))
    if known is not None and known.columns is not None and listed is not None:
        return known.columns == frozenset(c.lower() for c in listed)
    return True
