"""A project's own rows for a revision: `<migrations>/data/<revision>.sql` or `.py`.

Applied when the scratch schema reaches that revision, before the next one runs (as
pytest-alembic's `at_revision_data`), so a team can pin the rows that matter next to the
generated ones. A `.sql` file is split into statements (quotes, backticks and comments
respected; no DELIMITER) and each is run as written; a `.py` file defines
`insert_rows(connection)`, called with the scratch's SQLAlchemy connection. Both run on the
connection of the migration, in its transaction.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

DIRECTORY = "data"
SUFFIXES = (".sql", ".py")
FUNCTION = "insert_rows"


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


def apply_fixture(connection: Connection, fixture: Fixture) -> int:
    """Run one fixture; the number of SQL statements it ran (0 for a .py file)."""
    if fixture.path.suffix == ".py":
        _run_python(connection, fixture)
        return 0
    text = fixture.path.read_text(encoding="utf-8")
    count = 0
    for line, statement in split_statements(text):
        try:
            connection.exec_driver_sql(statement)
        except Exception as exc:
            raise FixtureFailed(fixture, line, exc) from exc
        count += 1
    return count


def _run_python(connection: Connection, fixture: Fixture) -> None:
    name = f"_alembic_sentinel_fixture_{fixture.revision}"
    spec = importlib.util.spec_from_file_location(name, fixture.path)
    if spec is None or spec.loader is None:
        raise FixtureFailed(fixture, None, ImportError(f"cannot load {fixture.path.name}"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
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
