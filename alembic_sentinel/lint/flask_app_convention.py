"""A naming convention on the Flask app's `db`, seen without FLASK_APP (round 22).

Flask-Migrate's env.py takes its MetaData from the running app
(`current_app.extensions['migrate'].db.metadata`): nothing in env.py names the module that
builds it, so env_convention cannot follow an import. The app's `db` is a Flask-SQLAlchemy
`SQLAlchemy(...)` bound at module level of one of the project's modules; this module finds those
modules under the project's top directory (the nearest directory above env.py that is no
package) and asks whether the convention is given there: in the `SQLAlchemy(metadata=...)` /
`model_class=` arguments (followed through the module's names and imports), or by module-level
code of that module (also inside a function that code calls: `_patch_metadata()` replacing
`db.Model` with a base over `MetaData(naming_convention=...)`).

Bounded: a few directory levels, test, documentation and build trees left out, a file read only
when its bytes name `SQLAlchemy(`. Never says False: a convention set elsewhere may still exist.
Pure: ast and the file system only.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.project_modules import parse

# env.py reads the app's db through Flask-Migrate's extension
FLASK_MIGRATE_ENV = LazyPattern(rb"""extensions\s*\[\s*['"]migrate['"]\s*\]""")

_MAX_DEPTH = 4
_MAX_FILES = 3000
_SKIPPED = frozenset(
    {
        "tests",
        "test",
        "testing",
        "docs",
        "doc",
        "node_modules",
        "build",
        "dist",
        "venv",
        "env",
        "site-packages",
        "migrations",
        "alembic",
        "__pycache__",
    }
)

# whether an expression of a module sets a convention, following the module's names and imports
ExpressionSets = Callable[[Path, ast.expr], bool]
# whether code itself sets one (env_convention.sets_convention)
Sets = Callable[[ast.AST], bool]


def project_top(env_py: Path) -> Path:
    """The nearest directory above env.py's that is no package: where the app's top package or
    modules sit (`src/` of a src layout, else the repository's root)."""
    directory = env_py.parent.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        directory = directory.parent
    return directory


def candidate_files(
    top: Path,
    migrations: Path,
    max_depth: int = _MAX_DEPTH,
    skipped: frozenset[str] = frozenset(),
) -> Iterator[Path]:
    """The project's Python files that may build the app's `db`, shallow first (directories
    `max_depth` levels below `top` at most; `skipped` names left out besides test, documentation
    and build trees)."""
    seen = 0
    for directory, subdirectories, files in os.walk(top):
        here = Path(directory)
        depth = len(here.relative_to(top).parts)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if depth < max_depth
            and not name.startswith(".")
            and name.lower() not in _SKIPPED
            and name.lower() not in skipped
            and here / name != migrations
        )
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            seen += 1
            if seen > _MAX_FILES:
                return
            yield here / name


def flask_db_sets_convention(
    env_py: Path, expression_sets: ExpressionSets, sets_convention: Sets
) -> bool:
    """Whether a Flask-SQLAlchemy `db` of the project is given a naming convention."""
    for path in candidate_files(project_top(env_py), env_py.parent):
        try:
            if b"SQLAlchemy(" not in path.read_bytes():
                continue
        except OSError:
            continue
        tree = parse(path)
        if tree is not None and _module_sets(path, tree, expression_sets, sets_convention):
            return True
    return False


def _module_sets(
    path: Path, tree: ast.Module, expression_sets: ExpressionSets, sets_convention: Sets
) -> bool:
    """Whether a module binding `db = SQLAlchemy(...)` gives that `db` a convention: through the
    call's arguments, or by module-level code that uses `db` (and the module's functions that
    code calls and that use `db`); a convention on some other MetaData does not count."""
    # Flask-SQLAlchemy's class, or the module's own subclass of it (`class AppSQLAlchemy(
    # SQLAlchemy)`, round 35)
    classes = {"SQLAlchemy"} | {
        s.name
        for s in tree.body
        if isinstance(s, ast.ClassDef) and any(_callee(b) == "SQLAlchemy" for b in s.bases)
    }
    bound: dict[str, ast.Call] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and isinstance(value, ast.Call):
            if _callee(value.func) in classes:
                bound[target.id] = value
    if not bound:
        return False
    if any(expression_sets(path, call) for call in bound.values()):
        return True

    def about_db(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(node))

    functions = {
        s.name: s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if about_db(statement) and sets_convention(statement):
            return True  # `db.Model.metadata.naming_convention = {...}`
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                called = functions.get(node.func.id)
                if called is not None and about_db(called) and sets_convention(called):
                    return True
    return False


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None
