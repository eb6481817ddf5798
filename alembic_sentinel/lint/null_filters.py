"""A partial index's WHERE that only leaves out the rows with a NULL in some of the index's own
columns (`postgresql_where=sa.text("ref IS NOT NULL")`), read without running anything.

Such a filter changes nothing on MySQL and MariaDB, which ignore `postgresql_where`: a unique
index there never compares rows that hold a NULL in one of its columns (any number of them may
coexist), and the rows the filter leaves out are exactly those. So the index MySQL builds
admits the same rows as PostgreSQL's partial one (L331). Anything else in the WHERE (another
column, `= true`, `IS NULL`, OR) is a real restriction MySQL drops.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import dotted_parts, string_value

# one term of the filter: `col IS NOT NULL`, the name quoted or not, in parentheses or not
_NOT_NULL_TERM = LazyPattern(
    r"^\(*\s*[`\"\[]?(\w+)[`\"\]]?\s+is\s+not\s+null\s*\)*$", re.IGNORECASE | re.DOTALL
)
_AND = LazyPattern(r"\s+and\s+", re.IGNORECASE)


def only_excludes_nulls(where: ast.expr | None, columns: Iterable[str]) -> bool:
    """Whether the filter `where` is one or more `c IS NOT NULL` joined by AND, each c one of
    the index's `columns`: `sa.text("...")` / a string, or `sa.column("c").isnot(None)` (also
    `is_not(None)`, `!= None`)."""
    if where is None:
        return False
    wanted = {c.lower() for c in columns}
    filtered = _filtered_columns(where)
    return bool(filtered) and all(c.lower() in wanted for c in filtered)


def _filtered_columns(where: ast.expr) -> list[str]:
    """The columns a NULL-excluding filter names; [] when it is anything else."""
    sql = _text_of(where)
    if sql is not None:
        found = [_NOT_NULL_TERM.match(term.strip()) for term in _AND.split(sql.strip())]
        return [m.group(1) for m in found if m] if all(found) else []
    column = _column_not_none(where)
    return [column] if column is not None else []


def _text_of(node: ast.expr) -> str | None:
    """The SQL of a literal string or of `text("...")` (`sa.text`, `sqlalchemy.text`)."""
    literal = string_value(node)
    if literal is not None:
        return literal
    if type(node) is ast.Call and len(node.args) == 1 and not node.keywords:
        parts = dotted_parts(node.func)
        if parts is not None and parts[-1] == "text":
            return string_value(node.args[0])
    return None


def _column_not_none(node: ast.expr) -> str | None:
    """`sa.column("c").isnot(None)` / `.is_not(None)`, or `sa.column("c") != None`: c."""
    subject: ast.expr | None = None
    if type(node) is ast.Call and type(node.func) is ast.Attribute:
        if node.func.attr in ("isnot", "is_not") and len(node.args) == 1:
            if _is_none(node.args[0]):
                subject = node.func.value
    elif type(node) is ast.Compare and len(node.ops) == 1 and type(node.ops[0]) is ast.NotEq:
        if _is_none(node.comparators[0]):
            subject = node.left
    if type(subject) is ast.Call and len(subject.args) >= 1:
        parts = dotted_parts(subject.func)
        if parts is not None and parts[-1] in ("column", "Column"):
            return string_value(subject.args[0])
    return None


def _is_none(node: ast.expr) -> bool:
    return type(node) is ast.Constant and node.value is None
