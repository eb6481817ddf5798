"""Make, in an empty shadow or scratch, the tables the app creates outside Alembic.

Some apps' first revision expects tables Alembic never made: a legacy baseline loaded from a
SQL dump, an extension's tables made by `metadata.create_all()` at start-up. The app's own
setup makes them before `flask db upgrade`; the `shadow-prepare` setting says how:

- `"MODULE:ATTRIBUTE"`: a SQLAlchemy MetaData, `create_all()` on the empty database;
- `"path/to/file.sql"` (relative to the project root): its statements, each ending with `;`
  at the end of a line, executed in order.

Only a database with no table at all is prepared (a cached shadow already at some revision is
not prepared again), and only the shadow or the `ci` scratch, never the configured database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic_sentinel.engine.target_metadata import import_object
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def prepare_if_empty(connection: Connection, settings: Settings) -> bool:
    """Run `shadow-prepare` on `connection` when its database has no table; whether it ran."""
    from sqlalchemy import inspect

    from alembic_sentinel.engine.database import commit

    spec = settings.shadow_prepare
    if spec is None:
        return False
    tables = inspect(connection).get_table_names()
    commit(connection)  # what the inspection began: ours opens its own transaction
    if tables:
        return False
    source = settings.sources.get("shadow_prepare", "shadow-prepare")
    if spec.endswith(".sql"):
        statements = sql_statements(settings, spec, source)
        with connection.begin():
            for statement in statements:
                connection.exec_driver_sql(statement)
        return True
    from sqlalchemy import MetaData

    target = import_object(spec, settings.root, source)
    if not isinstance(target, MetaData):
        raise ConfigError(
            f"{source}: {spec} is a {type(target).__name__}, not a SQLAlchemy MetaData "
            "(or name a .sql file)"
        )
    with connection.begin():
        target.create_all(connection)
    return True


def sql_statements(settings: Settings, spec: str, source: str) -> list[str]:
    """The file's statements: split where a line ends with `;` (comments-only lines dropped)."""
    path = (settings.root / spec).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: {spec}: cannot read the SQL file: {exc}") from None
    statements: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not current and (not line.strip() or line.strip().startswith("--")):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements
