"""Which database a SQLAlchemy dialect class stands for, read from the syntax only.

A revision may test the dialect by its class instead of its name
(`isinstance(bind.dialect, SQLiteDialect)`, `isinstance(conn.dialect, postgresql.dialect)`,
`isinstance(bind.dialect, (PGDialect, SQLiteDialect))`). Such a test is as exclusive as
`bind.dialect.name == "sqlite"`; dialect_tests decides it with the names this module gives.

A class is known by where it comes from (`sqlalchemy.dialects.<database>....`, through the
file's imports) or, when the file does not show that, by SQLAlchemy's own class names
(`PGDialect_psycopg2`, `MySQLDialect`, `SQLiteDialect_pysqlite`, ...). The dialect classes of
one database subclass its base dialect, so any of them stands for that database. MariaDB's own
dialect class is left undecided: SQLAlchemy uses it only for a `mariadb://` URL, and on a
MariaDB server reached through `mysql://` the dialect is MySQL's.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

# the dialect name each database's classes stand for, by SQLAlchemy's package name
_PACKAGES = {
    "postgresql": "postgresql",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "mssql": "mssql",
    "oracle": "oracle",
}
# SQLAlchemy's class names (base dialects and per-driver subclasses) by prefix
_CLASS_PREFIXES = (
    ("PGDialect", "postgresql"),
    ("PostgreSQLDialect", "postgresql"),
    ("MySQLDialect", "mysql"),
    ("SQLiteDialect", "sqlite"),
    ("MSDialect", "mssql"),
    ("OracleDialect", "oracle"),
)
# undecided whatever the target: MariaDB's class depends on the URL's scheme, not the server
_UNDECIDED_PREFIXES = ("MariaDBDialect",)

# the dialect names a MySQL-family class covers (dialect.name is "mysql" or "mariadb")
_MYSQL_FAMILY = frozenset({"mysql", "mariadb"})


def dialect_of_class(node: ast.expr, qualified: Callable[[ast.expr], str | None]) -> str | None:
    """The database (`"postgresql"`, `"mysql"`, ...) a dialect class expression stands for:
    `postgresql.dialect`, `PGDialect`, `sqlalchemy.dialects.sqlite.base.SQLiteDialect`, an
    imported name of such a class; None when it is no dialect class this module knows."""
    if isinstance(node, ast.Name):
        last = node.id
    elif isinstance(node, ast.Attribute):
        last = node.attr
    else:
        return None
    if last.startswith(_UNDECIDED_PREFIXES):
        return None
    full = qualified(node)
    if full is not None:
        parts = full.split(".")
        if parts[:2] == ["sqlalchemy", "dialects"] and len(parts) >= 4:
            if parts[3].startswith(_UNDECIDED_PREFIXES) or parts[-1].startswith(
                _UNDECIDED_PREFIXES
            ):
                return None
            return _PACKAGES.get(parts[2])
        if not full.startswith("sqlalchemy"):
            # a class of the project or of another library: not SQLAlchemy's dialect
            return None
    for prefix, database in _CLASS_PREFIXES:
        if last.startswith(prefix):
            return database
    return None


def holds_on(database: str, dialects: frozenset[str]) -> bool:
    """Whether a dialect class of `database` is the dialect's class on a target whose dialect
    names are `dialects`."""
    if database == "mysql":
        return bool(_MYSQL_FAMILY & dialects)
    return database in dialects
