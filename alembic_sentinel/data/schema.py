"""A reflected schema as plain data: what the row generator needs to know, and nothing else.

The generator works from these shapes, never from SQLAlchemy types or the project's models, so
it is pure (seeded randomness in, rows out) and its tests need no database.
"""

from __future__ import annotations

from typing import NamedTuple

# the kinds of value a column holds; `values.py` knows what is awkward for each
KINDS = (
    "integer",
    "boolean",
    "decimal",
    "float",
    "string",
    "text",
    "binary",
    "date",
    "datetime",
    "timestamp",
    "time",
    "year",
    "enum",
    "set",
    "json",
    "uuid",
    "unknown",
)
STRING_KINDS = ("string", "text")


class ColumnShape(NamedTuple):
    name: str
    kind: str  # one of KINDS
    nullable: bool = True
    # the server fills it when an INSERT leaves it out (a server default, AUTO_INCREMENT)
    has_default: bool = False
    # characters of a string, bytes of a binary; None: no declared limit
    length: int | None = None
    fixed: bool = False  # CHAR / BINARY: padded to the length
    minimum: int | None = None  # integer and year bounds
    maximum: int | None = None
    precision: int | None = None  # decimal
    scale: int | None = None
    choices: tuple[str, ...] = ()  # enum and set members, or a CHECK's IN (...) list
    # the character set the server stores it in ("latin1", "utf8mb3", ...); None: any text
    charset: str | None = None


class ForeignKeyShape(NamedTuple):
    columns: tuple[str, ...]
    referred_table: str
    referred_columns: tuple[str, ...]


class TableShape(NamedTuple):
    name: str
    columns: tuple[ColumnShape, ...]
    primary_key: tuple[str, ...] = ()
    # every set of columns whose values must not repeat: unique constraints and unique indexes
    unique: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKeyShape, ...] = ()

    def column(self, name: str) -> ColumnShape:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def key_sets(self) -> tuple[tuple[str, ...], ...]:
        """The primary key and every unique set, each once."""
        sets: list[tuple[str, ...]] = []
        for columns in (self.primary_key, *self.unique):
            if columns and columns not in sets:
                sets.append(columns)
        return tuple(sets)
