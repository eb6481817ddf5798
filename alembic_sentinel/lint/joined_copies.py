"""Columns an UPDATE fills from another table's rows matched one-to-one by a key.

A revision that merges a table into another adds the columns, then copies them over:

    UPDATE object SET sha256 = f.sha256 FROM (SELECT * FROM file) AS f WHERE object.id = f.id
    UPDATE object JOIN file f ON object.id = f.id SET object.sha256 = f.sha256     (MySQL)

Each row of `object` gets the value of the `file` rows whose `id` equals its own `id`; rows
that match none keep what they held (NULL in a column just added without a default). When the
copied column is unique in the source table (`file.sha256` under a unique index), two rows
whose `id`s differ match different source rows and get different values: the new column is a
one-to-one image of the row's own `id`. A unique key over it then holds wherever one over `id`
does, which carried_keys asks (L309). Only this shape is read: one equality between a column of
the updated table and one of the source, a plain table or `(SELECT * FROM t)` as the source,
and the key column set to a column of the source as it is; anything else is no carried key.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from alembic_sentinel.lint.lazy_patterns import LazyPattern

_NAME = r"[`\"]?(\w+)[`\"]?"
_QUALIFIED = rf"{_NAME}\s*\.\s*{_NAME}"
# the alias an UPDATE may give the updated table (`UPDATE members m JOIN ...`, round 38)
_ALIAS = r"(?:\s+(?:AS\s+)?(?!(?:SET|JOIN|INNER)\b)(?P<alias>\w+))?"
# PostgreSQL: UPDATE t [alias] SET ... FROM <source> WHERE a.x = b.y
_UPDATE_FROM = LazyPattern(
    rf"^\s*UPDATE\s+{_NAME}{_ALIAS}\s+SET\s+(?P<set>.*?)\s+FROM\s+(?P<source>.*?)"
    r"\s+WHERE\s+(?P<where>.*?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
# MySQL: UPDATE t [alias] [INNER] JOIN <source> ON a.x = b.y SET ...
_UPDATE_JOIN = LazyPattern(
    rf"^\s*UPDATE\s+{_NAME}{_ALIAS}\s+(?:INNER\s+)?JOIN\s+(?P<source>.*?)\s+ON\s+"
    r"(?P<where>.*?)\s+SET\s+(?P<set>.*?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
# a source: `file`, `file AS f`, `file f`, `(SELECT * FROM file) [AS] f`
_SOURCE = LazyPattern(
    rf"^(?:\(\s*SELECT\s+\*\s+FROM\s+{_NAME}\s*\)|{_NAME})(?:\s+(?:AS\s+)?{_NAME})?$",
    re.IGNORECASE,
)
_EQUALITY = LazyPattern(rf"^\(?\s*{_QUALIFIED}\s*=\s*{_QUALIFIED}\s*\)?$")
# one `[t.]col = src.col` of the SET list
_SET_COPY = LazyPattern(rf"^(?:{_NAME}\s*\.\s*)?{_NAME}\s*=\s*{_QUALIFIED}$")


class JoinedCopy(NamedTuple):
    """What one UPDATE ... FROM / JOIN copies into the updated table."""

    source: str  # the source table (lowercase)
    own_key: str  # the updated table's column the match is on
    source_key: str  # the source's column it is matched to
    copies: dict[str, str]  # updated column -> the source column copied into it as it is


def _source(text: str) -> tuple[str, str] | None:
    """(table, name it is referred to by) of a FROM / JOIN source."""
    match = _SOURCE.match(text.strip())
    if match is None:
        return None
    table = (match.group(1) or match.group(2)).lower()
    alias = (match.group(3) or table).lower()
    if alias in ("where", "on", "set"):
        return None
    return table, alias


def joined_copy(text: str, table: str) -> JoinedCopy | None:
    """The copy an UPDATE of `table` (lowercase) makes from another table matched by one
    equality, or None for any other statement."""
    match = _UPDATE_FROM.match(text) or _UPDATE_JOIN.match(text)
    if match is None or match.group(1).lower() != table:
        return None
    source = _source(match.group("source"))
    equality = _EQUALITY.match(match.group("where").strip())
    if source is None or equality is None:
        return None
    source_table, alias = source
    if source_table == table:
        return None  # a self-join renames or compares rows: another pattern
    own_names = {table, (match.group("alias") or table).lower()}
    if alias in own_names:
        return None
    sides = [(equality.group(1).lower(), equality.group(2).lower())]
    sides.append((equality.group(3).lower(), equality.group(4).lower()))
    own = [column for name, column in sides if name in own_names]
    other = [column for name, column in sides if name == alias]
    if len(own) != 1 or len(other) != 1:
        return None
    copies: dict[str, str] = {}
    for part in match.group("set").split(","):
        copy = _SET_COPY.match(part.strip())
        if copy is None:
            continue  # another value: not a copy, and not of this column if it is asked
        qualifier, column, name, source_column = copy.groups()
        if qualifier is not None and qualifier.lower() not in own_names:
            continue
        if name.lower() == alias:
            copies[column.lower()] = source_column.lower()
    return JoinedCopy(source_table, own[0], other[0], copies)
