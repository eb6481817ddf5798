"""Drop the differences Alembic's autogenerate reports against MySQL/MariaDB that are not real.

`compare_metadata` compares the reflected database with the models and, on MySQL/MariaDB, reports
some columns and indexes as different although the two describe the same schema. Each rule below
was reproduced on MariaDB 10.11 with Alembic 1.20 / SQLAlchemy 2.1 (tests/test_drift_filters.py);
cases Alembic already settles itself (Boolean vs TINYINT(1), INTEGER vs INT(11), indexes named
like the FK or its column, JSON stored as LONGTEXT, a column with the table's default collation)
have no rule here. A diff is dropped only when both sides mean the same:

- server defaults spelled differently: `now()`, `CURRENT_TIMESTAMP`, `current_timestamp()`,
  `localtimestamp` with the same fractional-seconds precision, also after ON UPDATE; `true`/`false`
  vs 1/0; a literal and the quoted, escaped form the server reports (`''`, `'it''s'`, `'a\\\\b'`);
  numbers equal in value on numeric columns (`0` vs `0.00`); dates equal in value on date/time
  columns (`'2000-01-01'` vs `'2000-01-01 00:00:00'`);
- integer types whose only difference is the display width, e.g. INTEGER(10) vs INT(11) (never
  with ZEROFILL, where the width shows);
- the `utf8` charset and `utf8_*` collations, which the server reports as `utf8mb3`/`utf8mb3_*`;
- with the models' MetaData: an index the models do not declare that is the only index serving a
  foreign key the models declare (InnoDB refuses to drop it: "needed in a foreign key constraint").
"""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.dialects.mysql.base import MySQLDialect
from sqlalchemy.sql.elements import ClauseElement, TextClause

MYSQL_DIALECTS = frozenset({"mysql", "mariadb"})

_DIALECT = MySQLDialect()
_NUMERIC_TYPES = (sa.Integer, sa.Numeric, sa.Float, sa.Boolean)
_QUOTED = re.compile(r"'((?:[^'\\]|''|\\.)*)'", re.DOTALL)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NOW = re.compile(r"(?:now|current_timestamp|localtime|localtimestamp)\s*(?:\(\s*(\d*)\s*\))?")
_ON_UPDATE = re.compile(r"\s+on\s+update\s+", re.IGNORECASE)
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_INTEGER_WIDTH = re.compile(r"(tinyint|smallint|mediumint|int|integer|bigint)\s*\(\s*\d+\s*\)")
_CHARSET = re.compile(r"\b(?:character set|charset)\s+(\w+)")
_COLLATE = re.compile(r"\bcollate\s+(\w+)")
# FLOAT(p): MySQL/MariaDB store p <= 24 as FLOAT and 25 <= p <= 53 as DOUBLE
_FLOAT_PRECISION = re.compile(r"\bfloat\s*\(\s*(\d+)\s*\)")
_DOUBLE_SPELLINGS = re.compile(r"\b(?:double precision|real)\b")

# A default reduced to what it means: ("literal", value), ("now", precision) or ("sql", text).
_Term = tuple[str, str]


def without_false_positives(
    diffs: list[Any],
    dialect_name: str,
    server_version: tuple[int, ...] | None = None,
    *,
    metadata: sa.MetaData | None = None,
) -> tuple[list[Any], list[Any]]:
    """Split Alembic autogenerate diffs into (kept, dropped): dropped are the known MySQL/MariaDB
    false positives, kept is everything else, both in the original order and in Alembic's format.

    `diffs` is what `alembic.autogenerate.compare_metadata` returns: tuples such as
    `("remove_index", Index)` and, per column, lists of `modify_*` tuples. A list is filtered item
    by item; a list left empty is not kept, the items taken out of it go to `dropped` as a list.
    Only the "mysql" and "mariadb" dialects are filtered; for any other the diffs come back as
    they are (in a new list) with nothing dropped. `server_version` (the connection's
    `dialect.server_version_info`) is accepted for callers' convenience; no rule depends on it
    today. `metadata` is the models' target MetaData: without it, an undeclared index that a
    foreign key needs cannot be recognised and its `remove_index` is kept.
    """
    if dialect_name not in MYSQL_DIALECTS:
        return list(diffs), []
    kept: list[Any] = []
    dropped: list[Any] = []
    for diff in diffs:
        if isinstance(diff, list):
            spurious = [_is_spurious_column_change(change) for change in diff]
            if not any(spurious):
                kept.append(diff)
                continue
            rest = [change for change, drop in zip(diff, spurious) if not drop]
            if rest:
                kept.append(rest)
            dropped.append([change for change, drop in zip(diff, spurious) if drop])
        elif _is_spurious_index_removal(diff, diffs, metadata):
            dropped.append(diff)
        else:
            kept.append(diff)
    return kept, dropped


def _is_spurious_column_change(change: Any) -> bool:
    if not isinstance(change, tuple) or len(change) != 7:
        return False
    kind, _schema, _table, _column, existing, old, new = change
    if kind == "modify_type":
        return _same_type(old, new)
    if kind == "modify_default":
        return _same_default(existing.get("existing_type"), old, new)
    return False


# ---------------------------------------------------------------------------------------- types


def _same_type(reflected: Any, declared: Any) -> bool:
    left, right = _type_signature(reflected), _type_signature(declared)
    if left is None or right is None:
        return False
    (left_type, left_charset, left_collation) = left
    (right_type, right_charset, right_collation) = right
    return (
        left_type == right_type
        and _unset_or_equal(left_charset, right_charset)
        and _unset_or_equal(left_collation, right_collation)
    )


def _unset_or_equal(left: str | None, right: str | None) -> bool:
    """Like Alembic, a charset or collation only one side names is not a difference."""
    return left is None or right is None or left == right


def _type_signature(type_: Any) -> tuple[str, str | None, str | None] | None:
    """(type without charset/collation or integer display width, charset, collation)."""
    if not isinstance(type_, sa.types.TypeEngine):
        return None
    try:
        ddl = " ".join(str(type_.compile(dialect=_DIALECT)).lower().split())
    except (exc.CompileError, NotImplementedError):
        return None
    charset_match, collate_match = _CHARSET.search(ddl), _COLLATE.search(ddl)
    collation = _utf8mb3(collate_match.group(1)) if collate_match else None
    if charset_match:
        charset: str | None = _utf8mb3(charset_match.group(1))
    else:
        charset = collation.split("_", 1)[0] if collation else None
    rest = " ".join(_COLLATE.sub("", _CHARSET.sub("", ddl)).split())
    if "zerofill" not in rest.split():
        rest = _INTEGER_WIDTH.sub(r"\1", rest)
    return stored_float_type(rest), charset, collation


def stored_float_type(ddl: str) -> str:
    """A floating-point type as MySQL/MariaDB store it: `FLOAT(53)` and `DOUBLE PRECISION`
    (and `REAL`, without REAL_AS_FLOAT) are `DOUBLE`; `FLOAT(10)` is `FLOAT`."""

    def by_precision(match: re.Match[str]) -> str:
        return "double" if int(match.group(1)) > 24 else "float"

    return _DOUBLE_SPELLINGS.sub("double", _FLOAT_PRECISION.sub(by_precision, ddl))


def _utf8mb3(name: str) -> str:
    """`utf8` is the server's alias of `utf8mb3`, which MariaDB >= 10.6 reports."""
    if name == "utf8":
        return "utf8mb3"
    if name.startswith("utf8_"):
        return "utf8mb3_" + name[len("utf8_") :]
    return name


# ------------------------------------------------------------------------------- server defaults


def _same_default(type_: Any, reflected: Any, declared: Any) -> bool:
    if not isinstance(reflected, sa.DefaultClause) or not isinstance(declared, sa.DefaultClause):
        return False
    reflected_sql = _sql_text(reflected.arg)
    if reflected_sql is None:
        return False
    left = _parse_default(reflected_sql)
    if isinstance(declared.arg, str):  # a plain string is a value, not SQL
        right: tuple[_Term, _Term | None] = (("literal", declared.arg), None)
    else:
        declared_sql = _sql_text(declared.arg)
        if declared_sql is None:
            return False
        right = _parse_default(declared_sql)
    (left_value, left_on_update), (right_value, right_on_update) = left, right
    if (left_on_update is None) != (right_on_update is None):
        return False
    if left_on_update is not None and right_on_update is not None:
        if not _same_term(type_, left_on_update, right_on_update):
            return False
    return _same_term(type_, left_value, right_value)


def _sql_text(arg: Any) -> str | None:
    if isinstance(arg, TextClause):
        return arg.text
    if isinstance(arg, str):
        return arg
    if isinstance(arg, ClauseElement):
        try:
            return str(arg.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True}))
        except (exc.CompileError, NotImplementedError):
            return None
    return None


def _parse_default(sql: str) -> tuple[_Term, _Term | None]:
    """The default's value and, for `... ON UPDATE ...`, the on-update value."""
    sql = _unparenthesize(sql)
    if _QUOTED.fullmatch(sql):
        return _term(sql), None
    parts = _ON_UPDATE.split(sql, maxsplit=1)
    return _term(parts[0]), (_term(parts[1]) if len(parts) > 1 else None)


def _term(sql: str) -> _Term:
    sql = _unparenthesize(sql)
    quoted = _QUOTED.fullmatch(sql)
    if quoted:
        return "literal", _unescape(quoted.group(1))
    if _NUMBER.fullmatch(sql):
        return "literal", sql
    lowered = sql.lower()
    if lowered in ("true", "false"):
        return "literal", "1" if lowered == "true" else "0"
    now = _NOW.fullmatch(lowered)
    if now:
        return "now", str(int(now.group(1) or 0))
    return "sql", " ".join(sql.split())


def _unparenthesize(sql: str) -> str:
    """Strip parentheses around the whole expression, as MySQL 8 reports `(rand())`."""
    sql = sql.strip()
    while sql.startswith("(") and sql.endswith(")") and _closing_paren(sql) == len(sql) - 1:
        sql = sql[1:-1].strip()
    return sql


def _closing_paren(sql: str) -> int:
    depth = 0
    quoted = False
    for position, char in enumerate(sql):
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                return position
    return -1


def _unescape(body: str) -> str:
    return re.sub(
        r"''|\\(.)",
        lambda m: "'" if m.group(0) == "''" else _ESCAPES.get(m.group(1), m.group(1)),
        body,
        flags=re.DOTALL,
    )


def _same_term(type_: Any, left: _Term, right: _Term) -> bool:
    if left == right:
        return True
    if left[0] != "literal" or right[0] != "literal":
        return False
    if isinstance(type_, _NUMERIC_TYPES):
        try:
            return Decimal(left[1]) == Decimal(right[1])
        except InvalidOperation:
            return False
    if isinstance(type_, (sa.DateTime, sa.Date, sa.Time)):
        parse = time.fromisoformat if isinstance(type_, sa.Time) else datetime.fromisoformat
        try:
            return parse(left[1]) == parse(right[1])
        except ValueError:
            return False
    return False


# -------------------------------------------------------------------------------------- indexes


def _is_spurious_index_removal(diff: Any, diffs: list[Any], metadata: sa.MetaData | None) -> bool:
    """A `remove_index` of the one index serving a foreign key the models declare.

    MySQL needs an index whose leading columns are a foreign key's columns and creates one when
    there is none; an index created before the key (e.g. by a migration) serves instead. Alembic
    settles the implicit ones named like the key or its column, not these. The removal is real
    when something else would serve the key: an index, unique constraint or primary key of the
    models (declared ones are in the database or about to be added), or another index the
    database has and the models do not (one of the two can go).
    """
    index = _removed_index(diff)
    if metadata is None or index is None or index.unique or index.table is None:
        return False
    table = index.table
    model = metadata.tables.get(f"{table.schema}.{table.name}" if table.schema else table.name)
    columns = _plain_columns(index)
    if model is None or columns is None:
        return False
    servers = [_plain_columns(other) for other in model.indexes]
    servers += [_plain_columns(other) for other in model.constraints]  # primary key, uniques
    servers += [
        _plain_columns(other)
        for other in map(_removed_index, diffs)
        if other is not None
        and other is not index
        and other.table is not None
        and (other.table.schema, other.table.name) == (table.schema, table.name)
    ]
    for foreign_key in model.foreign_key_constraints:
        keys = [column.name for column in foreign_key.columns]
        if keys and columns[: len(keys)] == keys:
            if not any(other and other[: len(keys)] == keys for other in servers):
                return True
    return False


def _removed_index(diff: Any) -> sa.Index | None:
    """Alembic reports each removed index on a copy of its table holding only that index."""
    if isinstance(diff, tuple) and len(diff) == 2 and diff[0] == "remove_index":
        if isinstance(diff[1], sa.Index):
            return diff[1]
    return None


def _plain_columns(item: Any) -> list[str] | None:
    """The column names of an index or unique/primary key; None for other constraints and for
    functional indexes (which cannot serve a foreign key)."""
    if isinstance(item, sa.Index):
        if len(item.expressions) != len(item.columns):
            return None
        return [column.name for column in item.columns]
    if isinstance(item, (sa.UniqueConstraint, sa.PrimaryKeyConstraint)):
        return [column.name for column in item.columns]
    return None
