"""Tables created and dropped through SQLAlchemy's own DDL, not `op.*`: `metadata.create_all(
bind, tables=[t1, Model.__table__])`, `t.create(bind, checkfirst=True)`, and their `drop_all` /
`drop` forms (round 15).

A revision that builds new tables from the ORM classes or `sa.Table`s it defines often has
SQLAlchemy create them (`Base.metadata.create_all(bind=bind, tables=new_tables)`) and drops
them the same way in its downgrade. Such a creation is the table's `create_table` from its
definition in the file: its columns are no existing data (L305), it needs no inverse for what
else the upgrade does to it once the downgrade drops it whole (L319), and a `drop_all` / `drop`
in the downgrade is the inverse of its creation. Only tables the file defines are named (a
`sa.Table` variable, an ORM class's `__table__`); a `create_all` without `tables=` creates
every table of a MetaData lint does not list, and is not read.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from alembic_sentinel.lint.revision_model import TableModel

CREATE = "create"
DROP = "drop"
_ALL = {"create_all": CREATE, "drop_all": DROP}
_ONE = {"create": CREATE, "drop": DROP}


def table_ddl(
    call: ast.Call,
    tables: Mapping[str, TableModel],
    sequences: Mapping[str, ast.expr],
) -> list[tuple[str, str]]:
    """(CREATE or DROP, table name) for each table the call creates or drops; [] for any other
    call. `sequences` maps names to the list or tuple literals they were bound to."""
    func = call.func
    if type(func) is not ast.Attribute:
        return []
    if func.attr in _ALL:
        given = next((kw.value for kw in call.keywords if kw.arg == "tables"), None)
        if given is None and len(call.args) > 1:
            given = call.args[1]  # create_all(bind, tables)
        if type(given) is ast.Name:
            given = sequences.get(given.id)
        if not isinstance(given, (ast.List, ast.Tuple)):
            return []
        named = [table_name(element, tables) for element in given.elts]
        return [(_ALL[func.attr], name) for name in named if name is not None]
    if func.attr in _ONE and (call.args or call.keywords):
        # `t.create(bind)`: a Table's own DDL needs the connection (an enum type's `create`
        # is on no table of the file, and a call without arguments is some other method)
        name = table_name(func.value, tables)
        return [(_ONE[func.attr], name)] if name is not None else []
    return []


def table_name(node: ast.expr, tables: Mapping[str, TableModel]) -> str | None:
    """The table a definition of the file names: a `sa.Table` variable, or `Model.__table__`
    of an ORM class of the file."""
    if type(node) is ast.Name:
        model = tables.get(node.id)
        return model.table if model is not None and not model.orm else None
    if type(node) is ast.Attribute and node.attr == "__table__" and type(node.value) is ast.Name:
        model = tables.get(node.value.id)
        return model.table if model is not None and model.orm else None
    return None
