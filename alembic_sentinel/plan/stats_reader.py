"""Read the table statistics of the configured database: SELECTs on information_schema only.

The statements are the three below plus one SELECT of the version table's revisions: no row of
the application's tables is read, nothing is written, locked or analyzed (no ANALYZE TABLE), so
a read-only account on a production replica is enough (docs/rollout.md). SQLAlchemy's MySQL
dialect also reads a few server variables when it connects (SHOW VARIABLES, SELECT @@...).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from alembic_sentinel.errors import ConfigError
from alembic_sentinel.plan.table_stats import StatsFile, TableStats
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

SERVER_VERSION = "SELECT VERSION()"
TABLES = (
    "SELECT t.TABLE_NAME, t.TABLE_ROWS, t.DATA_LENGTH, t.INDEX_LENGTH, t.AVG_ROW_LENGTH,"
    " t.ENGINE, t.ROW_FORMAT, t.TABLE_COLLATION, c.CHARACTER_SET_NAME"
    " FROM information_schema.TABLES t"
    " LEFT JOIN information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION"
    " WHERE t.TABLE_SCHEMA = %(schema)s AND t.TABLE_TYPE = 'BASE TABLE'"
    " ORDER BY t.TABLE_NAME"
)


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def collect_stats(settings: Settings) -> StatsFile:
    """The statistics of the database `settings.url` names (MySQL or MariaDB)."""
    from alembic_sentinel.engine import database

    url = database.parsed_url(settings)
    if url.get_backend_name() not in ("mysql", "mariadb"):
        raise ConfigError(
            f"{settings.sources.get('url', 'url')}: table statistics are read from MySQL or "
            f"MariaDB, not {url.get_backend_name()}"
        )
    name = database.database_name(settings)
    with database.connect(settings) as connection:
        return read_stats(connection, name, settings.version_table, url.host, url.port)


def read_stats(
    connection: Connection, schema: str, version_table: str, host: str | None, port: int | None
) -> StatsFile:
    version = str(connection.exec_driver_sql(SERVER_VERSION).scalar() or "")
    tables: dict[str, TableStats] = {}
    for row in connection.exec_driver_sql(TABLES, {"schema": schema}):
        if row[0] in tables:  # a collation listed twice (MariaDB 10.10+'s full names)
            continue
        tables[str(row[0])] = TableStats(
            rows=int(row[1] or 0),
            data_bytes=int(row[2] or 0),
            index_bytes=int(row[3] or 0),
            avg_row_length=int(row[4] or 0),
            engine=row[5],
            row_format=row[6],
            collation=row[7],
            charset=row[8],
        )
    revisions: tuple[str, ...] = ()
    if version_table in tables:
        # the one SELECT outside information_schema: the version table, a few short strings
        query = f"SELECT version_num FROM {_quoted(schema)}.{_quoted(version_table)}"
        revisions = tuple(sorted(str(r[0]) for r in connection.exec_driver_sql(query)))
        del tables[version_table]
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return StatsFile(
        server_version=version,
        host=host,
        port=port,
        database=schema,
        version_table=version_table,
        revisions=revisions,
        collected_at=now.isoformat(),
        tables=tables,
    )


def current_revisions(settings: Settings) -> list[str]:
    """The revisions in the configured database's version table ([] when it has none)."""
    from alembic_sentinel.engine import database

    name = database.database_name(settings)
    with database.connect(settings) as connection:
        found = connection.exec_driver_sql(
            "SELECT 1 FROM information_schema.TABLES"
            " WHERE TABLE_SCHEMA = %(schema)s AND TABLE_NAME = %(table)s",
            {"schema": name, "table": settings.version_table},
        ).first()
        if found is None:
            return []
        query = f"SELECT version_num FROM {_quoted(name)}.{_quoted(settings.version_table)}"
        return sorted(str(row[0]) for row in connection.exec_driver_sql(query))
