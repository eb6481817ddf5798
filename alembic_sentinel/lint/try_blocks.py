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

A handler the target never reaches is not read at all, as the branch of another dialect is
not (round 32): `except ValueError:` around `op.batch_alter_table(...)` catches what Alembic's
batch "move and copy" path raises (`No such constraint`, `No such index`, `Constraint must
have a name`), which runs on SQLite (or with `recreate="always"`); on MySQL, MariaDB and
PostgreSQL the batch's operations are plain ALTERs whose failures are SQLAlchemy's errors,
never ValueError. It holds when the body does nothing else that may raise ValueError: its
statements are `with`, `if`, `for` over a name, calls and assignments to one name; no call
converts or parses a value (`int()`, `float()`, `json.loads()`, `.index()`, ...), and no
operation of it always raises.

The same holds of two more handlers, each the fallback of another database (round 37):

- `except NotImplementedError:` around Alembic operations: Alembic raises it when a dialect has
  no way to do the operation at all, SQLite's ALTER of constraints (`create_foreign_key`,
  `drop_constraint` outside a batch). On MySQL, MariaDB and PostgreSQL those operations are
  plain ALTERs; the one NotImplementedError there is MySQL's `drop_constraint` given no
  `type_=` ("No generic 'DROP CONSTRAINT' in MySQL"), so a body holding one on a MySQL target
  keeps its handler. The body must be `op.X(...)` calls only: a function of the project's own
  may raise NotImplementedError for anything.
- A handler that does not catch Alembic's CommandError, after a body that raises it on the
  target before any SQL is sent (an alter_column renaming, or changing the nullability of, a
  column without its type on MySQL: L322): the migration stops at the body, which L322
  reports; the handler (`except sa.exc.OperationalError:`, a SQLite fallback) never runs.
  `except Exception:`, a bare `except:` or one naming CommandError catches it: that handler
  is the target's own path and is read.

Any other handler may be the path the target takes (a body of PostgreSQL's SQL with a MySQL
fallback, a second constraint name tried when the first is not there): its statements are read
and reported at their own severity.
"""

from __future__ import annotations

import ast
import builtins

from alembic_sentinel.lint.column_changes import needs_existing_type
from alembic_sentinel.lint.literals import Names, is_none, string_value
from alembic_sentinel.lint.revision_model import FunctionBody, Operation


def always_raises(operation: Operation) -> bool:
    """Whether Alembic refuses the operation whatever the database holds: a drop of a key or
    index given no name."""
    if operation.name == "drop_constraint":
        return is_none(operation.param("constraint_name"))
    if operation.name == "drop_index":
        return is_none(operation.param("index_name"))
    return False


def quietly_caught(source: str | bytes | None, *bodies: FunctionBody | None) -> set[int]:
    """The ids of the bodies' operations and fills run in a `try:` whose handlers carry on
    (round 35): a server's refusal there does not stop the migration. A handler that may
    raise again (`except ProgrammingError as e: if "exists" not in str(e): raise`) lets it
    through: its `try` does not count. The file is parsed again only when something is
    caught."""
    steps: list[tuple[int, int]] = []
    for body in bodies:
        if body is not None:
            steps += [(op.line, id(op)) for op in body.operations if op.seq in body.caught]
            steps += [(f.line, id(f)) for f in body.fills if f.line in body.caught_fills]
    if not steps or source is None:
        return set()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    lines = caught_lines(tree)
    return {step for line, step in steps if line in lines}


def caught_lines(tree: ast.AST) -> set[int]:
    """The lines of the `try:` bodies in the syntax whose handlers carry on: it has some, and
    none raises (round 35)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        handlers = getattr(node, "handlers", None) if is_try(node) else None
        if not handlers or any(type(n) is ast.Raise for h in handlers for n in ast.walk(h)):
            continue
        body = getattr(node, "body", [])
        lines.update(range(body[0].lineno, (body[-1].end_lineno or body[-1].lineno) + 1))
    return lines


def is_try(statement: ast.AST) -> bool:
    """`try:` (and Python 3.11's `try: ... except* ...:`)."""
    return type(statement).__name__ in ("Try", "TryStar")


# what a handler catches that only Alembic's batch "move and copy" path raises
_RECREATE_ERRORS = frozenset({"ValueError"})
# builtins a body may call without raising ValueError
_SAFE_BUILTINS = frozenset(
    {
        "len",
        "isinstance",
        "print",
        "str",
        "repr",
        "bool",
        "list",
        "tuple",
        "dict",
        "set",
        "frozenset",
        "sorted",
        "getattr",
        "hasattr",
        "any",
        "all",
        "enumerate",
        "zip",
    }
)
_BUILTINS = frozenset(dir(builtins))
# methods that parse or look up a value and raise ValueError when it is not there
_PARSING_METHODS = frozenset(
    {"index", "remove", "loads", "strptime", "fromisoformat", "fromhex", "decode", "encode"}
)
# statements that raise nothing by themselves (a tuple unpacking may: ValueError)
_PLAIN_STATEMENTS = (ast.With, ast.Expr, ast.If, ast.Pass, ast.For, ast.Assign, ast.AnnAssign)


def handler_never_runs(
    handler: ast.ExceptHandler, body: list[ast.stmt], names: Names, dialects: frozenset[str]
) -> bool:
    """Whether the target never reaches `handler`: it catches only ValueError, the target is
    not SQLite, and the `try` body runs a batch_alter_table that does not recreate its table
    and nothing else that may raise ValueError (module docstring)."""
    if "sqlite" in dialects or not _catches_only(handler.type, _RECREATE_ERRORS):
        return False
    batches = [
        item.context_expr
        for node in ast.walk(ast.Module(body=body, type_ignores=[]))
        if isinstance(node, (ast.With, ast.AsyncWith))
        for item in node.items
        if _is_batch(item.context_expr, names)
    ]
    if not batches or any(_recreates(batch) for batch in batches):
        return False
    return all(_plain(statement, names) for statement in body)


# what Alembic raises when a dialect cannot do an operation at all (SQLite's ALTER of
# constraints): never raised by MySQL's, MariaDB's or PostgreSQL's, but for the case below
_DIALECT_REFUSALS = frozenset({"NotImplementedError"})
# exceptions a handler may name that Alembic's CommandError (an Exception, no SQLAlchemy error)
# is none of: the DBAPI errors SQLAlchemy wraps, and Python's own specific ones
_NOT_COMMAND_ERRORS = frozenset(
    {
        "OperationalError",
        "ProgrammingError",
        "InternalError",
        "IntegrityError",
        "DataError",
        "DatabaseError",
        "DBAPIError",
        "NotSupportedError",
        "InterfaceError",
        "NoSuchTableError",
        "CompileError",
        "NotImplementedError",
        "ValueError",
        "TypeError",
        "KeyError",
        "IndexError",
        "AttributeError",
        "LookupError",
        "RuntimeError",
    }
)


def refused_elsewhere(
    handler: ast.ExceptHandler, body: list[ast.stmt], names: Names, dialects: frozenset[str]
) -> bool:
    """Whether `handler` catches only NotImplementedError after a body of Alembic operations
    none of which raises it on the target (module docstring): SQLite's fallback."""
    if "sqlite" in dialects or not _caught_names(handler.type) <= _DIALECT_REFUSALS:
        return False
    if not body:
        return False
    mysql = bool({"mysql", "mariadb"} & dialects)
    for statement in body:
        call = statement.value if type(statement) is ast.Expr else None
        if type(call) is not ast.Call or type(call.func) is not ast.Attribute:
            return False
        if not names.is_op(call.func.value):
            return False  # a function of the project's own may raise it for anything
        typed = any(kw.arg == "type_" or kw.arg is None for kw in call.keywords)
        if mysql and call.func.attr == "drop_constraint" and not typed and len(call.args) < 3:
            return False  # "No generic 'DROP CONSTRAINT' in MySQL": raised on the target too
    return True


def stopped_before(handler: ast.ExceptHandler, body_operations: list[Operation]) -> bool:
    """Whether the target never reaches `handler` because an operation of the body raises
    Alembic's CommandError there, which the handler does not catch (module docstring). The
    operations are those of the body the target runs unconditionally."""
    if not any(needs_existing_type(op) for op in body_operations):
        return False
    caught = _caught_names(handler.type)
    return bool(caught) and caught <= _NOT_COMMAND_ERRORS


def _caught_names(caught: ast.expr | None) -> frozenset[str]:
    """The last names of the exceptions a handler names (`sa.exc.OperationalError` ->
    OperationalError); empty for a bare `except:` or anything else than names."""
    nodes = caught.elts if type(caught) is ast.Tuple else [caught]
    found: set[str] = set()
    for node in nodes:
        if type(node) is ast.Name:
            found.add(node.id)
        elif type(node) is ast.Attribute:
            found.add(node.attr)
        else:
            return frozenset()
    return frozenset(found)


def _catches_only(caught: ast.expr | None, allowed: frozenset[str]) -> bool:
    if type(caught) is ast.Name:
        return caught.id in allowed
    if type(caught) is ast.Tuple and caught.elts:
        return all(type(e) is ast.Name and e.id in allowed for e in caught.elts)
    return False


def _is_batch(node: ast.expr, names: Names) -> bool:
    """`op.batch_alter_table(...)`."""
    return (
        type(node) is ast.Call
        and type(node.func) is ast.Attribute
        and node.func.attr == "batch_alter_table"
        and names.is_op(node.func.value)
    )


def _recreates(batch: ast.expr) -> bool:
    """Whether a batch_alter_table may recreate its table on any database: recreate= other
    than a literal "auto" or "never"."""
    assert type(batch) is ast.Call
    return any(
        kw.arg == "recreate" and string_value(kw.value) not in ("auto", "never")
        for kw in batch.keywords
    )


def _plain(statement: ast.stmt, names: Names) -> bool:
    """Whether a statement of the body (and every statement inside it) can raise no ValueError
    of Python's own: a plain statement kind, one-name targets, no parsing call."""
    for node in ast.walk(statement):
        if isinstance(node, ast.stmt) and not isinstance(node, _PLAIN_STATEMENTS):
            return False
        if isinstance(node, (ast.For, ast.AnnAssign)) and type(node.target) is not ast.Name:
            return False
        if type(node) is ast.Assign and any(type(t) is not ast.Name for t in node.targets):
            return False
        if type(node) is ast.Call and _parses(node.func, names):
            return False
    return True


def _parses(func: ast.expr, names: Names) -> bool:
    """Whether a callee may raise ValueError on a value: a builtin outside the safe ones
    (`int`, `float`, `next`, ...), or a parsing method (`json.loads`, `.index()`)."""
    if type(func) is ast.Name:
        return func.id in _BUILTINS and func.id not in _SAFE_BUILTINS and not names.resolve(func.id)
    return type(func) is ast.Attribute and func.attr in _PARSING_METHODS
