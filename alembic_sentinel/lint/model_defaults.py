"""The client-side column defaults the project's ORM models declare, for L301.

An `add_column` of a NOT NULL column without a server_default gives every existing row the
type's implicit value on MySQL/MariaDB (0, '', the first ENUM member). When the application's
model declares exactly that value as the column's `default=` (`default=False`, `default=0`,
`default=""`, `default=0.0`), the rows hold what the application writes for a new row that
leaves the column out: nothing unseen was chosen for them (round 39-43 labels). This module
finds the models and maps (table, column) to that default.

A model is an ORM class with a literal `__tablename__` (a name derived by Flask-SQLAlchemy is
not read) and its class-body columns (`Column`, `db.Column`, `mapped_column`), or a
`Table("t", metadata, Column(...))` call. A column is keyed by its explicit name, else its
attribute. A default is a literal (`False`, `0`, `""`, `0.0`, `b""`, a string) or
`sa.false()` / `sa.true()`; anything else (a callable, an expression, a constant's name) is
opaque.

Read at most once per project and process, and only when a rule asks (an L301 about to be
raised): the application's files (application_code.application_entries) are walked once, each
file text-checked for `__tablename__` / `Table(` before it is parsed. Migration environments,
tests and virtualenvs are left out: a revision's ad hoc `sa.Table` is not the application's
model.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from alembic_sentinel.lint.literals import dotted_parts, single_assignment, string_value

# directories below the application's entries that hold no application models
_SKIPPED_DIRECTORIES = frozenset(
    {"tests", "test", "docs", "node_modules", "site-packages", "__pycache__", "venv"}
)
# a model file bigger than this is no hand-written module
_MAX_FILE_BYTES = 2 * 1024 * 1024
_COLUMN_CALLS = frozenset({"Column", "mapped_column"})
# ORM wrappers around a class's Column that keep it the table's column (`deferred(Column(...))`)
_COLUMN_WRAPPERS = frozenset({"deferred", "column_property"})


class ApplicationCode(NamedTuple):
    """Where the application's own code is: the project root (model paths are shown relative
    to it) and its top-level modules, packages and namespace directories."""

    root: Path
    entries: tuple[Path, ...]


class Opaque(NamedTuple):
    """A `default=` that is no literal lint reads (a callable, an expression, a name)."""

    source: str


class ColumnDefault(NamedTuple):
    """The `default=` one model declares for a column: the literal, Opaque, or None when the
    column has none; and where (the model's file, shown relative to the root, and line)."""

    value: object
    path: str
    line: int


class ModelDefault(NamedTuple):
    """The one literal default every model of a table declares for a column."""

    value: object
    path: str
    line: int


# a model: the table it maps, its line, and column (lowercase) -> its default
_Model = tuple[str, int, Mapping[str, ColumnDefault]]


class _Candidate(NamedTuple):
    """A file of the application that may define models: its path, how it is shown, and its
    text lowercased (a table's name is looked for in it before the file is parsed)."""

    path: Path
    shown: str
    lowered: bytes


def model_default(code: ApplicationCode | None, table: str, column: str) -> ModelDefault | None:
    """The literal client-side default the application's models declare for `table.column`;
    None when no model maps the table, one that does lacks the column (absent, renamed), has
    no default or an opaque one, or two models of the table disagree."""
    if code is None or not table or not column:
        return None
    models = _table_models(code, table.lower())
    if not models:
        return None
    found: ColumnDefault | None = None
    for _, _, columns in models:
        declared = columns.get(column.lower())
        if declared is None or declared.value is None or type(declared.value) is Opaque:
            return None
        if found is not None and not _same_literal(found.value, declared.value):
            return None
        found = found or declared
    return ModelDefault(found.value, found.path, found.line) if found is not None else None


def _same_literal(first: object, second: object) -> bool:
    """`False` and `0` are the same value for the database; a string never equals a number."""
    if isinstance(first, (str, bytes)) or isinstance(second, (str, bytes)):
        return type(first) is type(second) and first == second
    return first == second


def _table_models(code: ApplicationCode, table: str) -> list[_Model]:
    """The models of the application mapping `table` (lowercase): only the files whose text
    names it as a string literal are parsed."""
    quoted = (f'"{table}"'.encode(), f"'{table}'".encode())
    return [
        model
        for candidate in _candidates(code)
        if quoted[0] in candidate.lowered or quoted[1] in candidate.lowered
        for model in _file_models(candidate.path, candidate.shown)
        if model[0].lower() == table
    ]


@lru_cache(maxsize=8)
def _candidates(code: ApplicationCode) -> tuple[_Candidate, ...]:
    """The application's files that mention `__tablename__` or `Table(`: read once per
    project (and process), when a rule first asks."""
    found: list[_Candidate] = []
    for path in _python_files(code.entries):
        try:
            if path.stat().st_size > _MAX_FILE_BYTES:
                continue
            source = path.read_bytes()
        except OSError:
            continue
        if b"__tablename__" in source or b"Table(" in source:
            found.append(_Candidate(path, _shown(path, code.root), source.lower()))
    return tuple(found)


@lru_cache(maxsize=256)
def _file_models(path: Path, shown: str) -> tuple[_Model, ...]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return ()
    return tuple(_models(tree.body, shown))


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _python_files(entries: tuple[Path, ...]) -> Iterator[Path]:
    """The .py files of the entries: a module, or the files of a directory and of those below
    it that hold Python (a package, or a directory with modules of its own: a namespace
    package, `src/`), less hidden and skipped directories and migration environments. A tree
    without Python (static files, templates, front-end code) is listed at its top only."""
    for entry in entries:
        if entry.is_file():
            if entry.suffix == ".py":
                yield entry
            continue
        pending = [entry]
        while pending:
            files, directories = _listing(pending.pop())
            if "env.py" in files and ("script.py.mako" in files or "versions" in directories):
                continue  # a migration environment: revisions, not models
            if "pyvenv.cfg" in files:
                continue  # a virtualenv
            yield from sorted(path for name, path in files.items() if name.endswith(".py"))
            pending.extend(
                path
                for name, path in sorted(directories.items(), reverse=True)
                if not name.startswith(".")
                and name not in _SKIPPED_DIRECTORIES
                and _holds_python(path)
            )


def _listing(directory: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    """The files and the subdirectories of a directory, by name."""
    files: dict[str, Path] = {}
    directories: dict[str, Path] = {}
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_file():
                    files[entry.name] = Path(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    directories[entry.name] = Path(entry.path)
    except OSError:
        return {}, {}
    return files, directories


def _holds_python(directory: Path) -> bool:
    """A package (`__init__.py`), a directory with a module of its own (a namespace package),
    or a `src/` layout's root."""
    if directory.name == "src" or (directory / "__init__.py").is_file():
        return True
    try:
        with os.scandir(directory) as entries:
            return any(entry.name.endswith(".py") for entry in entries)
    except OSError:
        return False


def _models(statements: list[ast.stmt], shown: str) -> Iterator[_Model]:
    """(table, line, columns) of each ORM class with a literal `__tablename__` and each
    `Table("t", ...)` assigned or called among the statements (also inside `if`, `try`,
    `with`, function and class bodies: `__table__ = Table(...)`)."""
    for statement in statements:
        if type(statement) is ast.ClassDef:
            model = _class_model(statement, shown)
            if model is not None:
                yield model
        value = (
            statement.value
            if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.Expr))
            else None
        )
        if type(value) is ast.Call and _callee(value.func) == "Table" and value.args:
            table = string_value(value.args[0])
            if table is not None:
                columns = (_column(arg, None, shown) for arg in value.args[1:])
                yield table, value.lineno, dict(c for c in columns if c is not None)
        yield from _models(_inner_statements(statement), shown)


def _inner_statements(statement: ast.stmt) -> list[ast.stmt]:
    """The statements of a compound statement's bodies (`if`, `try` and its handlers,
    `with`, `for`, a function, a class)."""
    inner: list[ast.stmt] = []
    for field in ("body", "orelse", "finalbody"):
        statements = getattr(statement, field, None)
        if isinstance(statements, list):
            inner.extend(s for s in statements if isinstance(s, ast.stmt))
    for handler in getattr(statement, "handlers", None) or ():
        inner.extend(handler.body)
    return inner


def _class_model(
    node: ast.ClassDef, shown: str
) -> tuple[str, int, dict[str, ColumnDefault]] | None:
    table: str | None = None
    columns: dict[str, ColumnDefault] = {}
    for statement in node.body:
        assigned = single_assignment(statement)
        if assigned is None or type(assigned[0]) is not ast.Name:
            continue
        target, value = assigned[0].id, assigned[1]
        if target == "__tablename__":
            table = string_value(value)
            if table is None:
                return None  # computed: a model of a table lint cannot name
            continue
        column = _column(value, target, shown)
        if column is not None:
            columns[column[0]] = column[1]
    return (table, node.lineno, columns) if table is not None else None


def _column(node: ast.expr, attribute: str | None, shown: str) -> tuple[str, ColumnDefault] | None:
    """(column name lowercase, its default) of a `Column(...)` / `mapped_column(...)` call:
    named by its first string argument or `name=`, else by the attribute it is assigned to;
    also wrapped in `deferred(...)` / `column_property(...)`."""
    if type(node) is ast.Call and _callee(node.func) in _COLUMN_WRAPPERS and node.args:
        node = node.args[0]
    if type(node) is not ast.Call or _callee(node.func) not in _COLUMN_CALLS:
        return None
    name = attribute
    if node.args and string_value(node.args[0]) is not None:
        name = string_value(node.args[0])
    default: object = None
    for keyword in node.keywords:
        if keyword.arg == "name" and string_value(keyword.value) is not None:
            name = string_value(keyword.value)
        elif keyword.arg == "default":
            default = _literal(keyword.value)
    if not name:
        return None
    return name.lower(), ColumnDefault(default, shown, node.lineno)


def _literal(node: ast.expr) -> object:
    """The value a `default=` gives every new row: a literal, `sa.false()` / `sa.true()`;
    Opaque for anything else (a callable runs per row, a name may change)."""
    if type(node) is ast.Constant and type(node.value) in (bool, int, float, str, bytes):
        return node.value
    if type(node) is ast.Call and not node.args and not node.keywords:
        callee = _callee(node.func)
        if callee in ("false", "true"):
            return callee == "true"
    return Opaque(ast.unparse(node))


def _callee(func: ast.expr) -> str | None:
    """The last name of a called name (`db.Column` -> "Column")."""
    parts = dotted_parts(func)
    return parts[-1] if parts else None
