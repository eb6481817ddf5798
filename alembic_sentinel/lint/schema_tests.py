"""Whether an `if` test asks the database's schema whether something exists (issue 20, round
r40): an inspector call (`inspector.get_columns("t")`, `has_table`), an information_schema or
SHOW query, or a project helper named for an existence test (`column_exists`, `_has_index`),
in the test itself or in what a name it reads was bound to just before.

The code after `if <such a test>: return` is kept apart by revision_reader, and read as a
guarded block when the history answers the test (returned_rests.py). A test of anything else
(a legacy-engine switch, `context.is_offline_mode()`, an environment variable) says nothing
about what the history made: the code after it stays read as running.

Pure: syntax only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

# inspector methods that read the schema (SQLAlchemy's Inspector, Alembic's batch reflection)
_INSPECTOR_CALLS = frozenset(
    {
        "has_table",
        "has_column",
        "has_index",
        "has_sequence",
        "get_columns",
        "get_indexes",
        "get_table_names",
        "get_unique_constraints",
        "get_foreign_keys",
        "get_pk_constraint",
        "get_check_constraints",
        "get_view_names",
    }
)
# words of SQL that read the catalogue
_CATALOGUE_SQL = ("information_schema", "show columns", "show index", "show tables", "show keys")
# a helper's name that says it tests existence: has_column, column_exists, _index_exists
_EXISTENCE_NAME = re.compile(r"(^|_)(has|exists?)(_|$)", re.IGNORECASE)


def schema_test(test: ast.expr, bound: Mapping[str, ast.expr], depth: int = 3) -> bool:
    """Whether `test` reads the schema (the module's docstring), following the names it reads
    through `bound` (their values just before the test) up to `depth` hops."""
    for node in ast.walk(test):
        if type(node) is ast.Call and _existence_call(node.func):
            return True
        if type(node) is ast.Constant and type(node.value) is str:
            text = " ".join(node.value.lower().split())
            if any(word in text for word in _CATALOGUE_SQL):
                return True
        if type(node) is ast.Name and depth > 0 and node.id in bound:
            if schema_test(bound[node.id], bound, depth - 1):
                return True
    return False


def _existence_call(func: ast.expr) -> bool:
    name = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else ""
    return name in _INSPECTOR_CALLS or bool(_EXISTENCE_NAME.search(name))


def schema_words(test: ast.expr, bound: Mapping[str, ast.expr], depth: int = 3) -> str:
    """The string literals the test reads, in it or through the names it reads (as
    schema_test follows them), lowercase and joined by spaces: what object it asks about
    (`"... table_name='orgs' AND column_name='slug'"`)."""
    found: list[str] = []
    for node in ast.walk(test):
        if type(node) is ast.Constant and type(node.value) is str:
            found.append(node.value.lower())
        if type(node) is ast.Name and depth > 0 and node.id in bound:
            found.append(schema_words(bound[node.id], bound, depth - 1))
    return " ".join(found)
