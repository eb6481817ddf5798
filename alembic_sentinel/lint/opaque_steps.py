"""Steps of a revision lint cannot read ("opaque steps"), collected once by the reader.

Several warnings say that something is missing: the rows of a dropped table or the values of a
dropped column were not copied first (L304, L305), a dropped column was not carried into the new
one (L306), nothing removed the duplicates a unique key meets (L309), the downgrade does not undo
an upgrade's change (L319). Each fresh history showed another way of writing the missing piece
that lint did not read: a call into a module it cannot open, SQL held in a variable, an operation
on a table named at run time. A claim that something is missing is only as good as lint's
reading of what is there, so the reader records every step it could not follow, with what it
can still tell about it:

- the tables it may touch (`tables`): the literal names it is given, or the names its SQL text
  mentions; None when it may touch any table (a call given no name, SQL lint cannot see);
- what it may do (`effects`): None when it may do anything (write or copy rows, change any
  schema); for an operation whose table or object is named at run time, the kinds of change it
  makes (an unresolved `drop_column` can only drop a column).

A rule then stays quiet when such a step may be the missing piece for its object (the same
table, or a table it cannot name), and still reports when the step clearly touches other tables
or cannot make that kind of change. This module holds the vocabulary and the question the rules
ask (first_touching); unread_calls.py says which calls are steps and what they may touch,
unread_sql.py which SQL, and opaque_reading.py records them as the reader walks. Steps of the
kinds below:

- CALL: a statement calling a function lint does not follow (imported from a module it cannot
  read, a name bound at run time, a method of an object such a call returned, `exec`), or any
  call handed a database handle (`op`, a connection, a session) that lint does not know. A call
  in an `if` test, or one whose name says it reads (`has_table`, `get_columns`), is no step.
- SQL: SQL run through `op.execute` or a connection whose text lint cannot see (a variable, a
  function's result), or a statement of a kind the SQL reader does not know (`CALL proc()`).
- ROWS: rows written in a way the syntax does not show (`setattr`, the session's bulk methods,
  `op.bulk_insert` into a table named at run time).
- ALEMBIC: `op.invoke(...)` and `op.run_async(...)`.
- OPERATION: an Alembic operation whose table or object name is known only at run time (a loop
  over a list built at run time, a helper's parameter).
- REBUILD: `batch_alter_table(..., recreate="always", copy_from=...)`: the table rebuilt from a
  definition the revision gives, which may leave out what the batch does not name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Sequence

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.revision_model import LIKE, OpaqueStep

CALL = "call"
SQL = "sql"
ROWS = "rows"
ALEMBIC = "alembic"
OPERATION = "operation"
REBUILD = "rebuild"


# what an operation named at run time can still do, as downgrade_rules' done keys name it
OPERATION_EFFECTS = {
    "create_table": frozenset(
        {"create_table", "table_rebuilt", "create_constraint", "create_index"}
    ),
    "drop_table": frozenset({"drop_table"}),
    "add_column": frozenset({"add_column", "create_constraint"}),
    "drop_column": frozenset({"drop_column"}),
    "alter_column": frozenset({"alter_column"}),
    "rename_table": frozenset({"rename_table", "table_rebuilt"}),
    "create_index": frozenset({"create_index", "create_constraint"}),
    "drop_index": frozenset({"drop_index", "drop_constraint"}),
    "create_foreign_key": frozenset({"create_constraint", "create_unnamed"}),
    "create_unique_constraint": frozenset({"create_constraint", "create_unnamed", "create_index"}),
    "create_check_constraint": frozenset({"create_constraint", "create_unnamed"}),
    "create_primary_key": frozenset({"create_constraint", "create_unnamed"}),
    "drop_constraint": frozenset({"drop_constraint", "drop_index"}),
}
# the parameter naming each operation's object
OBJECT_PARAMETERS = {
    "add_column": "column",
    "drop_column": "column_name",
    "alter_column": "column_name",
    "create_index": "index_name",
    "drop_index": "index_name",
    "create_foreign_key": "constraint_name",
    "create_unique_constraint": "constraint_name",
    "create_check_constraint": "constraint_name",
    "create_primary_key": "constraint_name",
    "drop_constraint": "constraint_name",
}
# the two operations that run what lint cannot see: op.invoke of an operation object, and
# op.run_async of a function given the connection. (An operation Alembic does not define is
# a project's registered one or a mistake that fails: no step, it undoes nothing lint knows.)
UNREAD_OPERATIONS = frozenset({"invoke", "run_async"})

# the effect of SQL that writes rows of a table whose columns lint reads but whose writes it
# does not keep (a template filled at run time): no copy of a column it does not read, but
# perhaps the rows a unique key needs changed
WRITES_ROWS = "write_rows"

_PLACEHOLDER = LazyPattern(r"__\w+?__")


def table_pattern(word: str) -> str:
    """A name as a table it may be: a placeholder of a run-time value (sql_templates) makes it
    a pattern of the names it can take (a schema prefix, a table prefix: maybe empty)."""
    lowered = word.lower()
    if _PLACEHOLDER.search(lowered) is None:
        return lowered
    return LIKE + _PLACEHOLDER.sub(r"[\\w.]*", re.escape(lowered))


def first_touching(
    steps: Iterable[OpaqueStep],
    table: str | None,
    after: int,
    before: int,
    effects: frozenset[str] = frozenset(),
) -> OpaqueStep | None:
    """The first step between two positions that may touch `table` and may do anything (or
    make one of the changes `effects` names)."""
    for step in steps:
        if not after < step.seq < before or not step.may_touch(table):
            continue
        if step.effects is None or not effects.isdisjoint(step.effects):
            return step
    return None


def rebound_functions(body: Sequence[ast.stmt]) -> frozenset[str]:
    """The names "upgrade" / "downgrade" when a module-level statement binds one other than by a
    top-level `def`: an import, an assignment, or a `def` / assignment inside a module-level
    `if`, `try`, `with` or loop (the function Alembic runs is then not one lint read). Only
    statements are walked, never the expressions in them: a name is bound by a statement."""
    found: set[str] = set()
    pending: list[ast.stmt] = [s for s in body if type(s) not in _TOP_LEVEL_DEFS]
    while pending:
        statement = pending.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.add(statement.name)  # under an `if` or a `try`: its body binds its own
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            found.update((a.asname or a.name).split(".")[0] for a in statement.names)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                found.update(_bound_names(target))
        elif not isinstance(statement, (ast.Expr, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(statement, field, ()):
                    pending.extend(child.body if type(child) is ast.ExceptHandler else [child])
            if isinstance(statement, (ast.For, ast.AsyncFor)):
                found.update(_bound_names(statement.target))
            elif isinstance(statement, (ast.With, ast.AsyncWith)):
                for item in statement.items:
                    if item.optional_vars is not None:
                        found.update(_bound_names(item.optional_vars))
    return frozenset(found & {"upgrade", "downgrade"})


def _bound_names(target: ast.expr) -> Iterator[str]:
    """The bare names an assignment target binds: a name, or the names of a tuple, list or
    starred target; `x.attr` and `x[i]` bind none (nor do the names inside them)."""
    if type(target) is ast.Name:
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _bound_names(element)
    elif type(target) is ast.Starred:
        yield from _bound_names(target.value)


_TOP_LEVEL_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
