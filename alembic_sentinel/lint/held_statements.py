"""SQL a revision builds first and executes later: `stmt = t.update().values(...)` then
`bind.execute(stmt)`, or `query = sa.text("UPDATE ...")` then `op.execute(query)`.

The reader reads an execute call's argument for what it reads and writes; a variable tells it
nothing. A function-local variable bound to such a statement is read as the statement itself
when it is executed. This module says which expressions are statements worth holding: a
SQLAlchemy Core construct (a chain through `update()`, `insert()`, `delete()`, `select()`,
`.values()`, `.where()`, `from_select()`) or a `text()` of SQL.
"""

from __future__ import annotations

import ast

from alembic_sentinel.lint.literals import Names

# Core builders, called as SQLAlchemy's functions (sa.update(t)) or as a table's methods
_BUILDERS = frozenset({"update", "insert", "delete", "select", "text"})
# methods that only a Core statement has in a chain
_CHAIN_METHODS = frozenset({"values", "where", "from_select", "returning", "filter_by"})


def is_statement(value: ast.expr, names: Names) -> bool:
    """Whether `value` builds a SQL statement: a Core construct or `text("...")`."""
    node = value
    while type(node) is ast.Call:
        func = node.func
        if names.sqlalchemy_name(func) in _BUILDERS:
            return True
        if type(func) is not ast.Attribute:
            return False
        if func.attr in _CHAIN_METHODS or func.attr in ("update", "insert", "delete"):
            return True
        node = func.value
    return False
