"""A table a revision reaches through a reflected MetaData by its name: `meta.tables["identity"]`.

A data migration often reflects the tables it needs (`meta.reflect(only=("identity",), ...)`)
and reads them by name instead of describing them; what it reads or writes of such a table
(`sa.select(meta.tables["identity"].c.id)`) is a read of that table, as for a `sa.table()` the
revision describes itself.
"""

from __future__ import annotations

import ast

from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import TableModel


def reflected_table(node: ast.Subscript) -> TableModel | None:
    """`<metadata>.tables["name"]` (a literal name) as a table model without columns; None for
    any other subscript."""
    holder = node.value
    if type(holder) is not ast.Attribute or holder.attr != "tables":
        return None
    name = string_value(node.slice) if isinstance(node.slice, ast.expr) else None
    if not name:
        return None
    return TableModel(
        variable=ast.unparse(node), table=name, columns={}, orm=False, line=node.lineno
    )
