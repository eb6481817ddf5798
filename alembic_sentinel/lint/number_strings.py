"""A string literal that spells a number the column takes exactly (L303, round 40).

MySQL converts a string written to a numeric column: '350' into an INT is 350, in strict mode
too (checked on MariaDB 10.11), and PostgreSQL reads the untyped literal as the column's type.
So a string of digits into an integer, of a decimal into a NUMERIC / FLOAT, or '0' / '1' into
a flag is no value of the wrong kind: the data is right. Not '3.5' into an INT (rounded to 4),
'abc' (0, or refused in strict mode), nor a date's string (L303 still reports those). Pure: re.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from types import MappingProxyType

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import BOOLEAN, INTEGER, NUMERIC

# by the column's type family: the strings the server reads as the number they spell
_NUMBER_STRINGS: Mapping[str, LazyPattern] = MappingProxyType(
    {
        INTEGER: LazyPattern(r"\s*[+-]?\d+\s*"),
        NUMERIC: LazyPattern(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*"),
        BOOLEAN: LazyPattern(r"[01]"),
    }
)


def spells_its_number(value: ast.expr, family: str | None) -> bool:
    """Whether `value`, a string literal, is a number a column of this type family stores
    exactly (see above)."""
    pattern = _NUMBER_STRINGS.get(family or "")
    text = string_value(value) if type(value) is ast.Constant else None
    return pattern is not None and text is not None and pattern.fullmatch(text) is not None
