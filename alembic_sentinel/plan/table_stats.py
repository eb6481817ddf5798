"""The table statistics file: what `alembic-sentinel stats` read from information_schema.

A JSON document (format 1) with the server's version, the database's name, the revisions in
its version table and, per table, the sizes information_schema reports. It holds no row data
and no credentials, so it can be committed, kept as a CI artifact or as a secret. Written whole
or not at all (a temporary file renamed over the target).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from alembic_sentinel.errors import ConfigError

FORMAT = 1


class TableStats(NamedTuple):
    """One table as information_schema.TABLES describes it (InnoDB's numbers are estimates:
    TABLE_ROWS is sampled, DATA_LENGTH and INDEX_LENGTH count allocated pages)."""

    rows: int
    data_bytes: int
    index_bytes: int
    avg_row_length: int
    engine: str | None
    row_format: str | None
    collation: str | None
    charset: str | None

    @property
    def total_bytes(self) -> int:
        return self.data_bytes + self.index_bytes


class StatsFile(NamedTuple):
    server_version: str  # SELECT VERSION(), e.g. "10.11.19-MariaDB-0+deb12u1"
    host: str | None  # where the statistics were read (no user, no password)
    port: int | None
    database: str
    version_table: str
    revisions: tuple[str, ...]  # the revisions in the version table; () when it has none
    collected_at: str  # ISO 8601, UTC
    tables: Mapping[str, TableStats]

    def table(self, name: str) -> TableStats | None:
        """The table's statistics; MySQL table names compare case-insensitively here."""
        found = self.tables.get(name)
        if found is not None:
            return found
        lowered = name.lower()
        return next((s for n, s in self.tables.items() if n.lower() == lowered), None)


def stats_to_json(stats: StatsFile) -> str:
    document: dict[str, Any] = {
        "format": FORMAT,
        "server_version": stats.server_version,
        "host": stats.host,
        "port": stats.port,
        "database": stats.database,
        "version_table": stats.version_table,
        "revisions": list(stats.revisions),
        "collected_at": stats.collected_at,
        "tables": {name: table._asdict() for name, table in sorted(stats.tables.items())},
    }
    return json.dumps(document, indent=2) + "\n"


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{where} must be a whole number from 0")
    return value


def _text(value: Any, where: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a string")
    return value


def stats_from_json(text: str) -> StatsFile:
    """The statistics a file holds; ValueError naming the field that is wrong."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    if document.get("format") != FORMAT:
        raise ValueError(f"format {document.get('format')!r} is not {FORMAT}")
    raw_tables = document.get("tables")
    if not isinstance(raw_tables, dict):
        raise ValueError("tables must be an object")
    tables = {}
    for name, raw in raw_tables.items():
        if not isinstance(raw, dict):
            raise ValueError(f"tables.{name} must be an object")
        tables[name] = TableStats(
            rows=_integer(raw.get("rows"), f"tables.{name}.rows"),
            data_bytes=_integer(raw.get("data_bytes"), f"tables.{name}.data_bytes"),
            index_bytes=_integer(raw.get("index_bytes"), f"tables.{name}.index_bytes"),
            avg_row_length=_integer(raw.get("avg_row_length", 0), f"tables.{name}.avg_row_length"),
            engine=_text(raw.get("engine"), f"tables.{name}.engine"),
            row_format=_text(raw.get("row_format"), f"tables.{name}.row_format"),
            collation=_text(raw.get("collation"), f"tables.{name}.collation"),
            charset=_text(raw.get("charset"), f"tables.{name}.charset"),
        )
    revisions = document.get("revisions", [])
    if not isinstance(revisions, list) or not all(isinstance(r, str) for r in revisions):
        raise ValueError("revisions must be a list of strings")
    port = document.get("port")
    return StatsFile(
        server_version=_text(document.get("server_version"), "server_version", False) or "",
        host=_text(document.get("host"), "host"),
        port=None if port is None else _integer(port, "port"),
        database=_text(document.get("database"), "database", False) or "",
        version_table=_text(document.get("version_table", "alembic_version"), "version_table")
        or "alembic_version",
        revisions=tuple(revisions),
        collected_at=_text(document.get("collected_at", ""), "collected_at") or "",
        tables=tables,
    )


def read_stats_file(path: Path, shown: str) -> StatsFile:
    """The statistics file at `path`; a ConfigError naming it (as `shown`) when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such table statistics file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot read the table statistics: {exc}") from None
    try:
        return stats_from_json(text)
    except ValueError as exc:
        raise ConfigError(
            f"{shown}: not a table statistics file of `alembic-sentinel stats`: {exc}"
        ) from None


def write_atomically(path: Path, text: str) -> None:
    """`text` at `path`, whole or not at all: a temporary file beside it, renamed over it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
