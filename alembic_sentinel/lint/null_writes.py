"""A raw UPDATE that writes only NULL into a column (round 42).

`UPDATE t SET k = NULL WHERE k = X'00...'` turns placeholder values into NULLs before a unique
key on k: NULLs never collide in a unique key (MySQL, PostgreSQL, SQLite), so the write cannot
leave two rows alike. L309 counts every other write of a key's column before the key as one
that may.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.revision_model import Fill
from alembic_sentinel.lint.sql_reader import UPDATE, name_pattern


def writes_only_null(fill: Fill, column: str) -> bool:
    """Whether the fill is literal SQL of UPDATE statements only, each setting `column` (if it
    sets it) to NULL."""
    if fill.sql is None or not fill.statements:
        return False
    if any(statement.kind != UPDATE for statement in fill.statements):
        return False
    assigned = re.compile(rf"(?<![\w.`\"]){name_pattern(column)}\s*=\s*(\S+)", re.IGNORECASE)
    # the text after SET: the WHERE's comparisons are no assignments
    values = [
        match.group(1).rstrip(",;")
        for part in re.split(r"\bSET\b", fill.sql, flags=re.IGNORECASE)[1:]
        for match in assigned.finditer(re.split(r"\bWHERE\b", part, flags=re.IGNORECASE)[0])
    ]
    return bool(values) and all(value.upper() == "NULL" for value in values)
