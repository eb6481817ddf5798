"""A project's own rows for a revision: `<migrations>/data/<revision>.sql` or `.py`.

Applied when the scratch schema reaches that revision, before the next one runs (as
pytest-alembic's `at_revision_data`), so a team can pin the rows that matter next to the
generated ones. A `.sql` file is split into statements (quotes, backticks and comments
respected; no DELIMITER) and each is run as written; a `.py` file defines
`insert_rows(connection)`, called with the scratch's SQLAlchemy connection. Both run on the
connection of the migration, in its transaction.
"""

from __future__ import annotations

import os
import stat
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

DIRECTORY = "data"
SUFFIXES = (".sql", ".py")
FUNCTION = "insert_rows"
MAX_FIXTURE_BYTES = 64 << 20
# opening a FIFO for reading would wait for a writer for ever
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class Fixture(NamedTuple):
    revision: str
    path: Path


class FixtureFailed(Exception):
    """A fixture did not apply: the statement's line (a .sql file's) and the cause."""

    def __init__(self, fixture: Fixture, line: int | None, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.fixture = fixture
        self.line = line
        self.cause = cause


def find_fixtures(migrations: Path) -> dict[str, list[Fixture]]:
    """The fixtures under `<migrations>/data/`, by revision id (a .sql before a .py)."""
    directory = migrations / DIRECTORY
    found: dict[str, list[Fixture]] = {}
    if not directory.is_dir():
        return found
    for path in sorted(
        directory.iterdir(),
        key=lambda p: (p.stem, SUFFIXES.index(p.suffix) if p.suffix in SUFFIXES else 9),
    ):
        if path.suffix in SUFFIXES and path.is_file() and not path.name.startswith("_"):
            found.setdefault(path.stem, []).append(Fixture(path.stem, path))
    return found


class FixtureRefused(Exception):
    """A fixture that is not a regular file inside `<migrations>/data` (a symlink, a device, a
    FIFO): never opened, so no text from outside the directory reaches a message."""


def read_fixture(fixture: Fixture) -> bytes:
    """The fixture's bytes, read only when it is a regular file that is itself inside the
    migrations' data directory: no symlink (of the file or of the directory), nothing else."""
    path = fixture.path
    directory = path.parent
    if directory.is_symlink() or directory.name != DIRECTORY:
        raise FixtureRefused(f"refused: {DIRECTORY}/ is a symlink; fixtures are read in place")
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | _NONBLOCK)
    except OSError as exc:
        if path.is_symlink():
            raise FixtureRefused("refused: a symlink; a fixture must be a regular file") from None
        raise FixtureRefused(f"cannot open it: {exc.strerror}") from None
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise FixtureRefused("refused: not a regular file")
        data = stream.read(MAX_FIXTURE_BYTES + 1)
    if len(data) > MAX_FIXTURE_BYTES:
        raise FixtureRefused(f"refused: over {MAX_FIXTURE_BYTES // (1 << 20)} MiB")
    return data


def apply_fixture(connection: Connection, fixture: Fixture) -> int:
    """Run one fixture; the number of SQL statements it ran (0 for a .py file)."""
    try:
        data = read_fixture(fixture)
    except FixtureRefused as exc:
        raise FixtureFailed(fixture, None, exc) from None
    if fixture.path.suffix == ".py":
        _run_python(connection, fixture, data)
        return 0
    text = data.decode("utf-8", errors="replace")
    count = 0
    for line, statement in split_statements(text):
        try:
            connection.exec_driver_sql(statement)
        except Exception as exc:
            raise FixtureFailed(fixture, line, exc) from exc
        count += 1
    return count


def _run_python(connection: Connection, fixture: Fixture, source: bytes) -> None:
    """Run the bytes `read_fixture` checked (not the path again: it could have changed since)."""
    name = f"_alembic_sentinel_fixture_{fixture.revision}"
    module = types.ModuleType(name)
    module.__file__ = str(fixture.path)
    sys.modules[name] = module
    try:
        exec(compile(source, str(fixture.path), "exec"), module.__dict__)
        insert_rows = getattr(module, FUNCTION, None)
        if not callable(insert_rows):
            raise AttributeError(f"{fixture.path.name} defines no {FUNCTION}(connection)")
        insert_rows(connection)
    except FixtureFailed:
        raise
    except Exception as exc:
        raise FixtureFailed(fixture, None, exc) from exc
    finally:
        sys.modules.pop(name, None)


def split_statements(text: str) -> Iterator[tuple[int, str]]:
    """The statements of an SQL script with the line each starts on; `;` inside quotes,
    backticks and comments does not end one."""
    start = 0
    index = 0
    quote = ""
    length = len(text)
    while index < length:
        char = text[index]
        if quote:
            if char == "\\" and quote != "`":
                index += 2
                continue
            if char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
        elif text.startswith("--", index) or char == "#":
            end = text.find("\n", index)
            index = length if end < 0 else end
            continue
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = length if end < 0 else end + 2
            continue
        elif char == ";":
            yield from _statement(text, start, index)
            start = index + 1
        index += 1
    yield from _statement(text, start, length)


def _statement(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    chunk = text[start:end]
    body = _without_comments(chunk).strip()
    if body:
        offset = start + len(chunk) - len(chunk.lstrip())
        yield text.count("\n", 0, offset) + 1, chunk.strip()


def _without_comments(chunk: str) -> str:
    lines = []
    for line in chunk.splitlines():
        stripped = line.strip()
        if not stripped.startswith(("--", "#")):
            lines.append(line)
    text = "\n".join(lines)
    while "/*" in text and "*/" in text:
        text = text[: text.index("/*")] + text[text.index("*/") + 2 :]
    return text
