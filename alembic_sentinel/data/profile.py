"""The profile of a column a revision adds or fills, and what a reviewer should see in it.

A profile is a handful of numbers (rows, NULLs, empty strings, distinct values) and the most
common values with their counts, as the pull request comment shows them:
`isListed: '0' x 38, '1' x 12`. Two flags point at fills that run without an error and still
write the wrong thing:

- a new NOT NULL column without a default in which every row holds the implicit default ('' or
  0): MySQL/MariaDB filled the existing rows without a word (SQLite and PostgreSQL refuse), and
  nothing filled them after;
- a text column whose values are all '0'/'1' (or 'True'/'False'): booleans written into a string
  column, as the guide's isListed revision does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

COMMON_SHOWN = 3
SHOWN_LENGTH = 40  # characters of a value shown in a profile
_STRING_TYPE = re.compile(r"char|text|clob|string", re.I)
_NUMBER_TYPE = re.compile(r"int|dec|numeric|float|double|real|bool|bit", re.I)
_BOOLEAN_TEXTS = ({"0", "1"}, {"true", "false"})  # what str(int(b)) and str(b) write


class ColumnProfile(NamedTuple):
    table: str
    column: str
    change: str  # "added" | "filled"
    declared: str  # the column's type as the schema snapshot has it, e.g. "varchar(100) NOT NULL"
    rows: int
    nulls: int
    empty: int  # empty strings
    distinct: int
    common: list[tuple[str, int]]  # (value as shown, count), most common first
    flags: list[str]

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    def as_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "common": [list(item) for item in self.common]}

    def line(self) -> str:
        """`election.isListed (added): '0' x 38, '1' x 12; 50 rows, 0 NULL, 2 distinct`."""
        values = ", ".join(f"{shown} x {count}" for shown, count in self.common) or "no rows"
        more = self.distinct - len(self.common)
        if more > 0:
            values += f", {more} more"
        return (
            f"{self.name} ({self.change}): {values}; {self.rows} rows, {self.nulls} NULL, "
            f"{self.empty} empty, {self.distinct} distinct"
        )


def profile_column(
    table: str, column: str, change: str, declared: str, values: Sequence[Any]
) -> ColumnProfile:
    counts = Counter(values)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], shown(item[0])))
    profile = ColumnProfile(
        table,
        column,
        change,
        declared,
        len(values),
        counts.get(None, 0),
        sum(1 for value in values if value == ""),
        len(counts),
        [(shown(value), count) for value, count in ranked[:COMMON_SHOWN]],
        [],
    )
    return profile._replace(flags=_flags(profile, declared, counts))


def shown(value: Any) -> str:
    """A value as a reviewer reads it: text quoted, NULL spelled out, long text cut."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        text = value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 1] + "…"
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, bytes):
        return "0x" + value[:16].hex() + ("…" if len(value) > 16 else "")
    if isinstance(value, (dt.date, dt.time)):
        return f"'{value.isoformat(sep=' ') if isinstance(value, dt.datetime) else value}'"
    if isinstance(value, Decimal):
        return str(value)
    return repr(value)


def is_string_type(declared: str) -> bool:
    return bool(_STRING_TYPE.search(declared.split(" ", 1)[0]))


def _flags(profile: ColumnProfile, declared: str, counts: Counter[Any]) -> list[str]:
    flags = []
    kind = declared.split(" ", 1)[0]
    not_null = "NOT NULL" in declared.upper()
    has_default = " DEFAULT " in f" {declared.upper()} "
    present = {value: count for value, count in counts.items() if value is not None}
    if profile.change == "added" and not_null and not has_default and profile.rows:
        implicit = "''" if _STRING_TYPE.search(kind) else "0" if _NUMBER_TYPE.search(kind) else ""
        values = set(present)
        if implicit and (values <= {""} or values <= {0}):
            flags.append(
                f"every one of the {profile.rows} rows holds the implicit default {implicit}: "
                "the column was added NOT NULL without a default (MySQL/MariaDB fill it without "
                "a word; SQLite and PostgreSQL refuse) and nothing filled it"
            )
    if _STRING_TYPE.search(kind) and present:
        texts = {str(value).strip().casefold() for value in present}
        if any(texts <= pair for pair in _BOOLEAN_TEXTS) and len(present) <= 2:
            listed = ", ".join(shown(value) for value in sorted(present, key=str))
            flags.append(
                f"a {kind} column holding only {listed}: booleans stored as text; "
                "declare it Boolean (and fill it with True/False)"
            )
    return flags
