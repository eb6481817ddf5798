"""The schema a connection's database holds, as `TableShape`s: SQLAlchemy's reflection, read once.

Types become kinds with their limits (an INT's range, a VARCHAR's length, an ENUM's members, the
character set text is stored in); constraints become the key sets and foreign keys the generator
respects. CHECK constraints are read where the server lists them (MariaDB's
information_schema.CHECK_CONSTRAINTS, SQLAlchemy's inspector elsewhere): an `IN (...)` list
narrows a column to its members, MariaDB's `json_valid()` makes a LONGTEXT a JSON column.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from alembic_sentinel.data.schema import ColumnShape, ForeignKeyShape, TableShape

if TYPE_CHECKING:
    from sqlalchemy import Column, Table
    from sqlalchemy.engine import Connection

_INT_BITS = {"TINYINT": 8, "SMALLINT": 16, "MEDIUMINT": 24, "BIGINT": 64}
_TEXT_LENGTHS = {"TINYTEXT": 255, "TEXT": 65_535, "MEDIUMTEXT": 16_777_215, "LONGTEXT": None}
_IN_LIST = re.compile(r"^\(?\s*[`\"\[]?(\w+)[`\"\]]?\s+in\s*\((.*)\)\s*\)?$", re.I | re.S)
_JSON_VALID = re.compile(r"json_valid\s*\(\s*[`\"]?(\w+)[`\"]?\s*\)", re.I)
# a quoted string ('' or \' inside: MariaDB writes the latter) or a number
_LITERAL = re.compile(r"'((?:[^'\\]|\\.|'')*)'|(-?\d+(?:\.\d+)?)")
_ESCAPE = re.compile(r"\\(.)|''")


def reflect_schema(connection: Connection, exclude: Iterable[str] = ()) -> list[TableShape]:
    """Every table of the connection's database but `exclude` (e.g. Alembic's version table),
    sorted by name."""
    from sqlalchemy import MetaData

    excluded = set(exclude)
    metadata = MetaData()
    with warnings.catch_warnings():
        # an unknown type (MariaDB's UUID on SQLAlchemy 1.4) reflects as NullType: kind "unknown"
        warnings.simplefilter("ignore")
        metadata.reflect(bind=connection, only=lambda name, _: name not in excluded)
    checks = _check_clauses(connection, sorted(metadata.tables))
    return sorted(
        (_table_shape(table, checks.get(table.name, [])) for table in metadata.tables.values()),
        key=lambda shape: shape.name,
    )


def _table_shape(table: Table, checks: list[str]) -> TableShape:
    charset = _table_charset(table.dialect_kwargs)
    choices: dict[str, tuple[str, ...]] = {}
    json_columns: set[str] = set()
    for clause in checks:
        listed = _IN_LIST.match(clause.strip())
        if listed:
            values = tuple(
                _ESCAPE.sub(lambda m: m.group(1) or "'", text) if text or not number else number
                for text, number in _LITERAL.findall(listed.group(2))
            )
            choices[listed.group(1)] = values
        json_columns.update(_JSON_VALID.findall(clause))
    # generated (computed) columns: the server computes them and refuses an INSERT's value
    computed = {column.name for column in table.columns if column.computed is not None}
    columns = tuple(
        _column_shape(column, charset, choices.get(column.name, ()), column.name in json_columns)
        for column in table.columns
        if column.name not in computed
    )
    primary_key = tuple(column.name for column in table.primary_key.columns)
    unique: list[tuple[str, ...]] = []
    for constraint in table.constraints:
        if type(constraint).__name__ == "UniqueConstraint":
            unique.append(tuple(column.name for column in constraint.columns))  # type: ignore[attr-defined]
    for index in table.indexes:
        names = [getattr(expression, "name", None) for expression in index.expressions]
        if index.unique and names and all(isinstance(name, str) for name in names):
            unique.append(tuple(str(name) for name in names))
    foreign_keys = tuple(
        ForeignKeyShape(
            tuple(element.parent.name for element in constraint.elements),
            constraint.referred_table.name,
            tuple(element.column.name for element in constraint.elements),
        )
        for constraint in sorted(table.foreign_key_constraints, key=lambda c: str(c.name or ""))
    )
    return TableShape(
        table.name,
        columns,
        primary_key,
        tuple(dict.fromkeys(u for u in unique if u != primary_key and not computed & set(u))),
        tuple(key for key in foreign_keys if not computed & set(key.columns)),
    )


def _table_charset(options: Mapping[str, Any]) -> str | None:
    for key in ("mysql_default charset", "mariadb_default charset"):
        if options.get(key):
            return str(options[key]).lower()
    return None


def _column_shape(
    column: Column[Any], table_charset: str | None, choices: tuple[str, ...], is_json: bool
) -> ColumnShape:
    from sqlalchemy import types

    type_ = column.type
    name = type(type_).__name__.upper()
    has_default = column.server_default is not None or (
        column.autoincrement is True and column.primary_key
    )
    base = ColumnShape(column.name, "unknown", column.nullable is not False, has_default)
    charset = getattr(type_, "charset", None) or table_charset
    charset = str(charset).lower() if charset else None
    if choices:
        # members longer than the column are the CHECK's, not values it can hold
        length = getattr(type_, "length", None)
        fitting = tuple(c for c in choices if length is None or len(c) <= length)
        return base._replace(kind="enum", choices=fitting, charset=charset)
    if is_json or isinstance(type_, types.JSON):
        return base._replace(kind="json", charset=charset)
    if name == "YEAR":
        return base._replace(kind="year", minimum=1901, maximum=2155)
    if isinstance(type_, types.Boolean) or (
        name == "TINYINT" and getattr(type_, "display_width", None) == 1
    ):
        return base._replace(kind="boolean")
    if isinstance(type_, types.Integer):
        bits = _INT_BITS.get(name, 32)
        if name not in _INT_BITS and isinstance(type_, types.BigInteger):
            bits = 64
        elif name not in _INT_BITS and isinstance(type_, types.SmallInteger):
            bits = 16
        if getattr(type_, "unsigned", False):
            return base._replace(kind="integer", minimum=0, maximum=2**bits - 1)
        return base._replace(
            kind="integer", minimum=-(2 ** (bits - 1)), maximum=2 ** (bits - 1) - 1
        )
    if isinstance(type_, types.Float):
        return base._replace(kind="float")
    if isinstance(type_, types.Numeric):
        return base._replace(
            kind="decimal",
            precision=getattr(type_, "precision", None),
            scale=getattr(type_, "scale", None),
        )
    if isinstance(type_, types.Enum):
        return base._replace(kind="enum", choices=tuple(type_.enums), charset=charset)
    if name == "SET":
        return base._replace(kind="set", choices=tuple(getattr(type_, "values", ())))
    if isinstance(type_, types.DateTime):
        timestamp = isinstance(type_, types.TIMESTAMP)
        return base._replace(kind="timestamp" if timestamp else "datetime")
    if isinstance(type_, types.Date):
        return base._replace(kind="date")
    if isinstance(type_, types.Time):
        return base._replace(kind="time")
    if "UUID" in name:
        return base._replace(kind="uuid")
    if isinstance(type_, (types.LargeBinary, types._Binary)):
        length = getattr(type_, "length", None)
        return base._replace(kind="binary", length=length, fixed=name == "BINARY")
    if isinstance(type_, types.String):
        length = getattr(type_, "length", None)
        if name in _TEXT_LENGTHS or isinstance(type_, types.Text):
            return base._replace(kind="text", length=_TEXT_LENGTHS.get(name), charset=charset)
        return base._replace(
            kind="string", length=length, fixed=isinstance(type_, types.CHAR), charset=charset
        )
    return base


def _check_clauses(connection: Connection, tables: list[str]) -> dict[str, list[str]]:
    """The CHECK clauses of each table, as the server writes them."""
    from sqlalchemy import inspect, text

    clauses: dict[str, list[str]] = {}
    if connection.dialect.name in ("mysql", "mariadb"):
        # MariaDB lists column-level checks (and JSON's json_valid) here; SQLAlchemy does not
        try:
            rows = connection.execute(
                text(
                    "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                    "WHERE CONSTRAINT_SCHEMA = DATABASE()"
                )
            ).all()
        except Exception:  # MySQL 8 has no TABLE_NAME there, older servers no such view
            rows = []
            _rollback_if_failed(connection)
        for table, clause in rows:
            clauses.setdefault(str(table), []).append(str(clause))
        if rows:
            return clauses
    inspector = inspect(connection)
    for table in tables:
        try:
            found = inspector.get_check_constraints(table)
        except NotImplementedError:
            return clauses
        clauses.setdefault(table, []).extend(str(check["sqltext"]) for check in found)
    return clauses


def _rollback_if_failed(connection: Connection) -> None:
    # SQLAlchemy 2 leaves the failed statement's transaction open; 1.4 has none here
    transaction = connection.get_transaction()
    if transaction is not None and not transaction.is_active:
        transaction.rollback()
