"""The server's refusals over rows, in words: what in the data made the statement fail, and the fix.

MySQL/MariaDB error numbers and SQLite's messages name the constraint or column, not the
problem a reviewer has to solve. `translate` maps them to the few problems existing rows cause:
a unique key over duplicates, NOT NULL over NULLs, a narrower type over longer values, a foreign
key over orphans, a lock held elsewhere. MariaDB reports NOT NULL over NULLs as "Data truncated"
(1265), like a narrowing: the column's NULLs (`count_nulls`) tell the two apart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

UNIQUE = "unique key over duplicates"
NOT_NULL = "NOT NULL over NULLs"
TRUNCATION = "values do not fit the new type"
ORPHANS = "foreign key over orphans"
LOCK = "lock wait"
NO_DEFAULT = "NOT NULL column without a default"

COLUMN_IN_MESSAGE = re.compile(r"column '([^']+)'", re.I)
_SQLITE_TARGET = re.compile(r"constraint failed: (\S+)")


class Translation(NamedTuple):
    problem: str  # one of the constants above
    meaning: str  # what it means for these rows
    fix: str


def translate(
    code: int | None,
    message: str,
    count_nulls: Callable[[str], int] | None = None,
    most_repeated: Callable[[str, str], str] | None = None,
) -> Translation | None:
    """The problem behind a driver error (`code`, `message` as the driver gives them), or None
    when it is not about rows. `count_nulls(column)` and `most_repeated(table, column)` (e.g.
    "'Adriana Smith' x 14") look at the rows for detail where the message has none."""
    if code is not None:
        return _mysql(code, message, count_nulls)
    return _sqlite(message, most_repeated)


def _mysql(code: int, message: str, count_nulls: Callable[[str], int] | None) -> Translation | None:
    column_match = COLUMN_IN_MESSAGE.search(message)
    column = column_match.group(1) if column_match else "the column"
    if code == 1062:
        entry = re.search(r"Duplicate entry '(.*)' for key '([^']*)'", message, re.S)
        value, key = (entry.group(1), entry.group(2)) if entry else ("a value", "the key")
        return Translation(
            UNIQUE,
            f"the rows already hold '{value}' more than once, so {key} cannot be unique",
            "remove or merge the duplicate rows in the revision before the constraint, "
            "or keep the column non-unique",
        )
    nulls = count_nulls(column) if code == 1265 and count_nulls is not None else 0
    if nulls:
        return _not_null(column, nulls)
    if code in (1138, 1048):
        return _not_null(column, None)
    if code in (1265, 1406, 1264, 1366):
        return Translation(
            TRUNCATION,
            f"values of {column} are longer, larger or of another kind than its new type holds",
            f"shorten or convert the values of {column} in the revision first, "
            "or keep the type wide enough for them",
        )
    if code in (1452, 1216):
        return Translation(
            ORPHANS,
            "rows refer to keys the parent table does not have",
            "delete the orphans or set them to NULL in the revision before the foreign key",
        )
    if code in (1451, 1217):
        return Translation(
            ORPHANS,
            "rows still refer to the parent rows the statement deletes or changes",
            "delete or repoint the referring rows first",
        )
    if code in (1205, 1213):
        return Translation(
            LOCK,
            "the statement waited for a lock that another connection holds (a second "
            "connection or engine opened by the revision, or a long transaction)",
            "run every statement of the revision on op.get_bind(), in its transaction",
        )
    if code == 1364:
        return Translation(
            NO_DEFAULT,
            f"an INSERT leaves out {column}, which is NOT NULL without a default",
            f"give {column} a server default, or a value in every INSERT",
        )
    return None


def _sqlite(message: str, most_repeated: Callable[[str, str], str] | None) -> Translation | None:
    target = _SQLITE_TARGET.search(message)
    column = target.group(1).replace("_alembic_tmp_", "") if target else "the column"
    if message.startswith("UNIQUE constraint failed"):
        table, _, name = column.partition(".")
        repeated = most_repeated(table, name) if most_repeated and name and "," not in name else ""
        return Translation(
            UNIQUE,
            f"values of {column} repeat in the rows ({repeated} the most), so it cannot be unique"
            if repeated
            else f"the rows already hold a value of {column} more than once",
            "remove or merge the duplicate rows in the revision before the constraint, "
            "or keep the column non-unique",
        )
    if message.startswith("NOT NULL constraint failed"):
        return _not_null(column, None)
    if message.startswith("FOREIGN KEY constraint failed"):
        return Translation(
            ORPHANS,
            "rows refer to keys the parent table does not have",
            "delete the orphans or set them to NULL in the revision before the foreign key",
        )
    if message.startswith("Cannot add a NOT NULL column with default value NULL"):
        return Translation(
            NO_DEFAULT,
            "a NOT NULL column without a default cannot be added to a table (MySQL/MariaDB "
            "would fill '' or 0 into every existing row without a word)",
            "add it nullable, fill it, then make it NOT NULL; or give it a server default",
        )
    if "database is locked" in message:
        return Translation(
            LOCK,
            "another connection holds the database (a second connection or engine opened by "
            "the revision)",
            "run every statement of the revision on op.get_bind(), in its transaction",
        )
    return None


def _not_null(column: str, nulls: int | None) -> Translation:
    held = f"{nulls} NULL{'s' * (nulls != 1)}" if nulls is not None else "NULLs"
    return Translation(
        NOT_NULL,
        f"{column} holds {held}, so it cannot become NOT NULL",
        f"fill the NULLs of {column} in the revision before the NOT NULL (an UPDATE), "
        "or give it a server default",
    )


def repeat_finder(connection: Connection) -> Callable[[str, str], str]:
    """The most repeated value of a column and its count, e.g. "'Adriana Smith' x 14"."""

    def find(table: str, column: str) -> str:
        from sqlalchemy import text

        quote = connection.dialect.identifier_preparer.quote_identifier
        try:
            row = connection.execute(
                text(
                    f"SELECT {quote(column)}, COUNT(*) FROM {quote(table)} "
                    f"WHERE {quote(column)} IS NOT NULL GROUP BY {quote(column)} "
                    "HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"
                )
            ).first()
        except Exception:  # the connection may be unusable after the failure: no detail then
            return ""
        if row is None:
            return ""
        value = str(row[0])
        shown = value if len(value) <= 40 else value[:39] + "…"
        return f"'{shown}' x {row[1]}"

    return find


def null_counter(connection: Connection) -> Callable[[str], int]:
    """NULLs in any column of that name in the connection's MySQL/MariaDB database."""

    def count(column: str) -> int:
        from sqlalchemy import text

        quote = connection.dialect.identifier_preparer.quote_identifier
        try:
            tables = connection.execute(
                text(
                    "SELECT TABLE_NAME FROM information_schema.COLUMNS "
                    "WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = :column"
                ),
                {"column": column},
            ).scalars()
            return sum(
                int(
                    connection.execute(
                        text(f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(column)} IS NULL")
                    ).scalar()
                    or 0
                )
                for table in list(tables)
            )
        except Exception:  # the connection may be unusable after the failure: no detail then
            return 0

    return count


# `MODIFY col TYPE`, `CHANGE old new TYPE`, `ALTER COLUMN col TYPE` in the failed statement
_NEW_TYPE = (
    r"(?:MODIFY|CHANGE|ALTER)\s+(?:COLUMN\s+)?(?:`?\w+`?\s+)?`?{column}`?\s+"
    r"([A-Za-z]+(?:\s*\([^)]*\))?(?:\s+UNSIGNED)?)"
)


def truncation_detail(connection: Connection, statement: str, column: str) -> tuple[str, str]:
    """The table a failed ALTER changes (from its text) and, where it can be had, how the rows'
    values compare with the new type: `("party", "the longest value has 14 characters; the new
    type is VARCHAR(5)")`. ("", "") when the statement names no table."""
    from sqlalchemy import text

    from alembic_sentinel.data.timings import statement_kind

    kind, table = statement_kind(statement)
    if kind != "ALTER TABLE" or not table:
        return "", ""
    new_type = re.search(_NEW_TYPE.format(column=re.escape(column)), statement, re.IGNORECASE)
    shown_type = f"; the new type is {new_type.group(1).upper()}" if new_type else ""
    quote = connection.dialect.identifier_preparer.quote_identifier
    try:
        row = connection.execute(
            text(
                f"SELECT MAX(CHAR_LENGTH(CAST({quote(column)} AS CHAR))), "
                f"MIN({quote(column)}), MAX({quote(column)}) FROM {quote(table)}"
            )
        ).first()
    except Exception:  # the connection may be unusable after the failure: the type alone
        return table, shown_type.removeprefix("; ")
    if row is None or row[0] is None:
        return table, shown_type.removeprefix("; ")
    longest, smallest, largest = row
    if isinstance(largest, (int, float)) and not isinstance(largest, bool):
        values = f"the values run from {smallest} to {largest}"
    else:
        values = f"the longest value has {longest} characters"
    return table, values + shown_type
