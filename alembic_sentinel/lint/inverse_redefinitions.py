"""Inverses L319 reads in a downgrade's other words: a key the downgrade drops under a name
found at run time and then defines again, and a table a project helper recreates whole.

A revision that changes a foreign key's options (`ondelete="CASCADE"`) drops the old key and
creates the new one under a name; its downgrade does the same backwards: it drops the key it
finds on the table at run time (`generic_find_fk_constraint_name("t", {"id"}, "dbs", insp)`,
a variable, a project function lint does not read) and creates the old definition under the
same name again. The creation under the upgrade's name proves the drop took the upgrade's key:
MySQL refuses a second foreign key or index of one name on a table (ERROR 1826, ERROR 1061),
so that key must be gone by then. Such an upgrade `create_*` is undone.

Only a drop of the same kind on the same table whose name lint cannot read counts: a downgrade
that merely creates the name again, with no such drop before it, or that drops another named
key, is still reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from alembic_sentinel.lint.literals import is_none
from alembic_sentinel.lint.naming_convention import named_object
from alembic_sentinel.lint.revision_model import FunctionBody, Operation
from alembic_sentinel.lint.table_definitions import CREATE

_DROPS = ("drop_constraint", "drop_index")


def rebuilt_table_keys(
    rebuilt: Iterable[tuple[int, str]],
) -> list[tuple[int, tuple[str, ...]]]:
    """L319's keys for the tables a helper of another module recreates from their whole
    definition (name and primary key: `create_table("t", sa.Column(...),
    sa.PrimaryKeyConstraint("id"))` after `from app.migrations.utils import create_table`):
    every change to such a table is undone, and it is the table created again, so it restores
    one the upgrade dropped as op.create_table would (round 14)."""
    keys: list[tuple[int, tuple[str, ...]]] = []
    for seq, table in rebuilt:
        keys.append((seq, ("table_rebuilt", table.lower(), "")))
        keys.append((seq, ("create_table", table.lower())))
    return keys


def whole_table_keys(body: FunctionBody) -> list[tuple[int, tuple[str, ...]]]:
    """L319's keys for the tables a function creates or drops whole outside `op.*`."""
    return [*rebuilt_table_keys(body.rebuilt_tables), *definition_ddl_keys(body.table_ddl)]


def definition_ddl_keys(
    ddl: Iterable[tuple[int, str, str]],
) -> list[tuple[int, tuple[str, ...]]]:
    """L319's keys for tables SQLAlchemy's own DDL creates or drops from the file's definitions
    (`metadata.create_all(bind, tables=[...])`, `t.drop(bind)`; table_definitions.py): a
    creation is the table created again from its whole definition, a drop is drop_table
    (round 15)."""
    keys: list[tuple[int, tuple[str, ...]]] = []
    for seq, kind, table in ddl:
        if kind == CREATE:
            keys.append((seq, ("table_rebuilt", table.lower(), "")))
            keys.append((seq, ("create_table", table.lower())))
        else:
            keys.append((seq, ("drop_table", table.lower())))
    return keys


def redefined_in_place(op: Operation, downgrade: Sequence[Operation]) -> bool:
    """Whether the downgrade drops a key of `op`'s kind on its table under a name lint cannot
    read and then creates one under `op`'s name on that table."""
    made = named_object(op) if op.name.startswith("create_") else None
    if made is None or made.name is None:
        return False
    for later in downgrade:
        again = named_object(later) if later.name.startswith("create_") else None
        if again is None or (again.kind, again.table, again.name) != (
            made.kind,
            made.table,
            made.name,
        ):
            continue
        if any(_unread_drop_before(drop, later, made.kind, made.table) for drop in downgrade):
            return True
    return False


def _unread_drop_before(drop: Operation, created: Operation, kind: str, table: str) -> bool:
    """A drop before `created`, on `table`, of `kind` (or of an unstated kind), whose name is
    an expression lint does not read."""
    if drop.name not in _DROPS or drop.seq >= created.seq:
        return False
    dropped = named_object(drop)
    if dropped is None or dropped.table != table or dropped.name is not None:
        return False
    if dropped.kind not in (kind, ""):
        return False
    name = drop.param("index_name") if drop.name == "drop_index" else drop.param("constraint_name")
    # a name given but not readable (a variable, a call); `None` is L310's, no key is dropped
    return name is not None and not is_none(name)
