"""Module-level `op.get_bind()` calls that cannot break anything: guarded, and never used.

L315's hazard is a revision module that fails, or acts, when Alembic imports it. Outside a
migration (`alembic history`, `heads`, the graph hooks) Alembic's `op` proxy is not set up and
every call on it raises NameError ("Can't invoke function 'get_bind', as the proxy object has
not yet been established", alembic.util.langhelpers); in offline (`--sql`) mode `op.get_bind()`
returns a mock connection that cannot return rows, so reflecting through it raises. Some
projects write

    try:
        conn = op.get_bind()
        inspector = Inspector.from_engine(conn)
    except:
        conn = inspector = None

When the handler catches that NameError (a bare `except`, `Exception`, `BaseException`,
`NameError`), the body only binds names from reading calls (no `execute`, no other `op.*`
operation), and nothing that runs (upgrade(), downgrade(), the same-file functions they reach,
other module-level code) reads a name the block binds, the import neither fails nor acts, and
no migration depends on the import-time connection: the call is dead code, not L315's hazard.
A block whose names upgrade() or a helper it calls does read stays reported: offline mode then
works from None (or a mock), and online the reflection is taken when the file is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from alembic_sentinel.lint.literals import Names

# exceptions a handler may name that catch the proxy's NameError
_CATCHES_NAME_ERROR = frozenset({"Exception", "BaseException", "NameError"})
# op calls that only read the migration's state
_READING_OP_CALLS = frozenset({"get_bind", "get_context"})
# calls that write rows or schema, wherever they are made
_ACTING_CALLS = frozenset(
    {
        "execute",
        "exec_driver_sql",
        "commit",
        "flush",
        "add",
        "add_all",
        "merge",
        "create",
        "drop",
        "create_all",
        "drop_all",
        "insert",
        "update",
        "delete",
    }
)


def _catches_name_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    if caught is None:
        return True  # a bare `except:`
    types = caught.elts if type(caught) is ast.Tuple else [caught]
    return any(type(t) is ast.Name and t.id in _CATCHES_NAME_ERROR for t in types)


def _only_reads(body: list[ast.stmt], names: Names) -> bool:
    """Whether a block only binds names from calls that read: assignments (and `pass`), whose
    `op.*` calls are get_bind/get_context and no call writes rows or schema."""
    for statement in body:
        if type(statement) is ast.Pass:
            continue
        if type(statement) not in (ast.Assign, ast.AnnAssign):
            return False
        for node in ast.walk(statement):
            if type(node) is not ast.Call or type(node.func) is not ast.Attribute:
                continue
            if names.is_op(node.func.value) and node.func.attr not in _READING_OP_CALLS:
                return False
            if node.func.attr in _ACTING_CALLS:
                return False
    return True


def _bound(statements: list[ast.stmt]) -> set[str]:
    """The names a block assigns at module level."""
    found: set[str] = set()
    for statement in statements:
        targets = statement.targets if type(statement) is ast.Assign else []
        if type(statement) is ast.AnnAssign:
            targets = [statement.target]
        for target in targets:
            found |= {n.id for n in ast.walk(target) if type(n) is ast.Name}
    return found


def _read_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if type(n) is ast.Name and type(n.ctx) is ast.Load}


def _running_reads(tree: ast.Module, guard: ast.Try) -> set[str]:
    """Every name read by code that runs: module-level statements other than definitions and
    the guard itself, and the functions reached from them or from upgrade()/downgrade() (and
    the `upgrade_<engine>` functions of Alembic's multi-database template)."""
    functions = {
        s.name: s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    reads: set[str] = set()
    for statement in tree.body:
        if statement is guard or isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        reads |= _read_names(statement)
    pending = [
        name for name in functions if name in reads or name.startswith(("upgrade", "downgrade"))
    ]
    reached: set[str] = set()
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        found = _read_names(functions[name])
        reads |= found
        pending.extend(n for n in found if n in functions and n not in reached)
    return reads


def unused_guarded_calls(tree: ast.Module, names: Names) -> Iterator[int]:
    """The lines of module-level op calls inside a `try` that catches the proxy's NameError,
    binds names only through reading calls, and whose names no running code reads."""
    for statement in tree.body:
        if type(statement) is not ast.Try or statement.orelse or statement.finalbody:
            continue
        catching = [h for h in statement.handlers if _catches_name_error(h)]
        if not catching or not all(_only_reads(h.body, names) for h in catching):
            continue  # no handler takes the NameError, or one raises it again or acts
        if not _only_reads(statement.body, names):
            continue
        bound = _bound(statement.body)
        if not bound or not bound.isdisjoint(_running_reads(tree, statement)):
            continue
        for node in ast.walk(ast.Module(body=statement.body, type_ignores=[])):
            if type(node) is ast.Call and type(node.func) is ast.Attribute:
                yield node.lineno
