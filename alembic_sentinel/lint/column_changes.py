"""Which `alter_column` calls Alembic's MySQL dialect writes as CHANGE / MODIFY COLUMN, and which
of those it cannot write at all (L322, and lint/try_blocks.py's handlers never reached).

MySQL changes a column only by restating its whole definition: a rename, a nullability,
autoincrement or comment change is CHANGE / MODIFY COLUMN with the type. Given neither `type_=`
nor `existing_type=`, Alembic stops with `CommandError: All MySQL CHANGE/MODIFY COLUMN
operations require the existing type` before any SQL is sent (alembic/ddl/mysql.py).
"""

from __future__ import annotations

from alembic_sentinel.lint.literals import is_none, literal_bool
from alembic_sentinel.lint.revision_model import Operation

# alter_column parameters that make Alembic write CHANGE / MODIFY COLUMN on MySQL (with the
# column's full definition, type included) rather than ALTER COLUMN ... SET DEFAULT
CHANGE_PARAMETERS = ("new_column_name", "nullable", "autoincrement", "comment")


def changes_column_definition(op: Operation) -> list[str]:
    """The alter_column parameters that make Alembic write CHANGE / MODIFY on MySQL."""
    given = []
    for name in CHANGE_PARAMETERS:
        node = op.param(name)
        if node is None or (is_none(node) and name != "comment"):
            continue  # nullable=None / autoincrement=None are Alembic's "not given"
        if name == "comment" and literal_bool(node) is False:
            continue
        given.append(name)
    return given


def needs_existing_type(op: Operation) -> bool:
    """Whether Alembic's MySQL dialect refuses the operation for want of the column's type: an
    alter_column writing CHANGE / MODIFY with neither `type_=` nor `existing_type=`. A call with
    `**kwargs` is not judged, nor one in a rebuilt batch (it writes CREATE TABLE from the
    reflected table, no MODIFY)."""
    if op.name != "alter_column" or op.spread or op.rebuilt:
        return False
    if op.param("existing_type") is not None or op.param("type_") is not None:
        return False
    return bool(changes_column_definition(op))
