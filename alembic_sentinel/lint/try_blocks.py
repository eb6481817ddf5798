"""How lint reads `try` / `except`: which statements run in the normal case.

A revision's `try:` body is the path that runs when nothing goes wrong; an `except` handler is
the alternative taken when the body failed (`try: batch_op.alter_column("c", ...,
postgresql_using=...) except TypeError: batch_op.alter_column(...)`, a fallback for another
server or another Alembic version). When the handler does what the body tried, an operation of
the same kind on the same table, it is the body's change retried: like two dialect branches,
either undoes an upgrade's change (L319), but the change's hazards are reported once, on the
normal path, the body's line; the retry needs no inverse of its own. A handler that does
something else (cleans up, drops another table) is read as any other statement (round 15).

A statement lint knows always raises ends its block: `raise` (what follows is dead code), and
inside a `try` body an operation Alembic cannot run at all, `op.drop_constraint(None, ...)` or
`op.drop_index(None)` (it has no name to drop; L310 reports it): the rest of that body never
runs, the handler swallows the error. Outside a `try` such a call is an error the author fixes
by naming the key, after which the statements after it do run, so they are still read.
"""

from __future__ import annotations

import ast

from alembic_sentinel.lint.literals import is_none
from alembic_sentinel.lint.revision_model import Operation


def always_raises(operation: Operation) -> bool:
    """Whether Alembic refuses the operation whatever the database holds: a drop of a key or
    index given no name."""
    if operation.name == "drop_constraint":
        return is_none(operation.param("constraint_name"))
    if operation.name == "drop_index":
        return is_none(operation.param("index_name"))
    return False


def is_try(statement: ast.stmt) -> bool:
    """`try:` (and Python 3.11's `try: ... except* ...:`)."""
    return type(statement).__name__ in ("Try", "TryStar")
