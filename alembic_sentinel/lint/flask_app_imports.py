"""What a Flask-Migrate app has loaded before its revisions run (L316, round 43).

Flask-Migrate's env.py takes its MetaData or engine from the running app
(`target_metadata = current_app.extensions['migrate'].db.metadata`): no revision runs outside
that app, which `flask db upgrade` (or a manage.py calling `Migrate(app, db)`) builds first. So
an unused `import app.models` that the project's script.py.mako writes into every revision loads
nothing the app has not loaded already, and does not tie the revision to the code.

Which modules: the one that gives the app to Flask-Migrate (`Migrate(app, db)`,
`migrate.init_app(app, db)`, Flask-Alembic's `Alembic(app)` / `alembic.init_app(app)`, at
module level or in a `create_app()` factory), what it imports at module level (one level, with
the packages above each), and the module that defines the `db` given to Migrate. Several such
modules (manage.py and a factory) may each be the entry point: only what all of them load
counts.

Bounded: only when env.py reads `current_app` at module level, outside `try`; the project's
files three directory levels deep at most, test, build and vendored trees left out; a file
parsed only when its bytes name Migrate / Alembic. Pure: ast and the file system only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

from alembic_sentinel.lint.application_code import (
    imported_module,
    module_level_loads,
    with_packages,
)
from alembic_sentinel.lint.flask_app_convention import candidate_files, project_top
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import dotted_parts
from alembic_sentinel.lint.project_modules import parse

# the extensions that run the migrations inside the app, by their class names
_EXTENSIONS = frozenset({"Migrate", "Alembic"})
# where the module giving the app to Migrate sits (`manage.py`, `shop/__init__.py`,
# `src/shop/web/app.py`): directories this deep below the project's top at most
_MAX_DEPTH = 3
# copies of other projects' code kept in the repository (flask_migrate itself among them)
_VENDORED = frozenset({"lib", "libs", "vendor", "vendored", "third_party", "static", "templates"})
# a receiver of `init_app` named for the extension (`migrate`, `db_migrate`, `alembic`)
_EXTENSION_NAME = LazyPattern(r"(?i:migrat|alembic)")


def app_loaded_modules(env_py: Path, root: Path) -> frozenset[str]:
    """The dotted modules the Flask app has loaded before env.py runs a revision; empty when
    env.py does not need the running app, or no module of the project gives it to Migrate."""
    if not _needs_running_app(env_py):
        return frozenset()
    env_py, root = env_py.resolve(), root.resolve()
    top = project_top(env_py)
    if root not in (top, *top.parents):
        top = root  # packages up to the repository's root (`__init__.py` there): not above it
    loaded: frozenset[str] | None = None
    for path in candidate_files(top, env_py.parent, _MAX_DEPTH, _VENDORED):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if not _may_give_app(data):
            continue
        tree = parse(path)
        if tree is None:
            continue
        modules = _loaded_by_entry(path, tree)
        if modules is not None:
            loaded = modules if loaded is None else loaded & modules
    return loaded or frozenset()


def _may_give_app(data: bytes) -> bool:
    """A cheap look at a file's bytes before it is parsed: it names Migrate( / Alembic(, or
    calls `init_app(` and names the extension."""
    if b"Migrate(" in data or b"Alembic(" in data:
        return True
    return b"init_app(" in data and (b"igrat" in data or b"lembic" in data)


def _needs_running_app(env_py: Path) -> bool:
    """Whether env.py reads `current_app` in a statement it always runs (module level, not
    inside `try` / `if`): it cannot run a revision outside the app."""
    try:
        if b"current_app" not in env_py.read_bytes():
            return False
    except OSError:
        return False
    tree = parse(env_py)
    if tree is None:
        return False
    return any(
        not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Try))
        and not isinstance(statement, ast.If)
        and any(_is_current_app(node) for node in ast.walk(statement))
        for statement in tree.body
    )


def _is_current_app(node: ast.AST) -> bool:
    return (type(node) is ast.Name and node.id == "current_app") or (
        type(node) is ast.Attribute and node.attr == "current_app"
    )


def _loaded_by_entry(path: Path, tree: ast.Module) -> frozenset[str] | None:
    """What the module loads, when it gives the app to Flask-Migrate: its own name, its
    module-level imports and the module of the `db` it passes; None when it gives none."""
    name, package = module_name(path)
    extensions = _extension_names(tree)
    loaded: set[str] | None = None
    for scope in _scopes(tree):
        for call in _calls(scope):
            if not _gives_app(call, extensions):
                continue
            loaded = loaded if loaded is not None else set()
            database = _database_argument(call)
            if database is not None:
                origin = _defining_module(database, [scope, tree.body], package)
                if origin is not None:
                    loaded.update(with_packages(origin))
    if loaded is None:
        return None
    if name:
        loaded.update(with_packages(name))
    return frozenset(loaded | module_level_loads(tree, package))


def module_name(path: Path) -> tuple[str, str | None]:
    """The dotted name a project file is imported by (its directories up to the first that is
    no package) and its package, for relative imports (`shop/__init__.py`: "shop", "shop")."""
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while (
        (directory / "__init__.py").is_file()
        and directory.name.isidentifier()
        and directory.parent != directory
    ):
        parts.insert(0, directory.name)
        directory = directory.parent
    name = ".".join(parts)
    if path.stem == "__init__":
        return name, name or None
    return name, name.rpartition(".")[0] or None


def _extension_names(tree: ast.Module) -> frozenset[str]:
    """The module-level names bound to a Migrate / Alembic (`migrate = Migrate()`)."""
    names: set[str] = set()
    for statement in tree.body:
        if type(statement) is ast.Assign and type(statement.value) is ast.Call:
            if _callee(statement.value.func) in _EXTENSIONS:
                names.update(t.id for t in statement.targets if type(t) is ast.Name)
    return frozenset(names)


def _scopes(tree: ast.Module) -> Iterator[list[ast.stmt]]:
    """The module's body and each function's (a `create_app()` factory) body."""
    yield tree.body
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.body


def _calls(scope: list[ast.stmt]) -> Iterator[ast.Call]:
    """The calls of one scope's own statements (a nested function's are its own scope's)."""
    pending: list[ast.AST] = list(scope)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if type(node) is ast.Call:
            yield node
        pending.extend(ast.iter_child_nodes(node))


def _gives_app(call: ast.Call, extensions: frozenset[str]) -> bool:
    """`Migrate(app, db)` / `Alembic(app)` (an app given), or `init_app(app, ...)` on a Migrate
    the module binds or on a name for one (`migrate.init_app(app, db)`)."""
    given = bool(call.args) or any(k.arg == "app" for k in call.keywords)
    name = _callee(call.func)
    if name in _EXTENSIONS:
        return given
    if name != "init_app" or type(call.func) is not ast.Attribute or not given:
        return False
    receiver = _callee(call.func.value)
    return receiver is not None and (
        receiver in extensions or _EXTENSION_NAME.search(receiver) is not None
    )


def _database_argument(call: ast.Call) -> ast.expr | None:
    """The `db` given with the app: the second argument or `db=`."""
    for keyword in call.keywords:
        if keyword.arg == "db":
            return keyword.value
    return call.args[1] if len(call.args) > 1 else None


def _defining_module(
    expression: ast.expr, scopes: Iterable[list[ast.stmt]], package: str | None
) -> str | None:
    """The module `db` (`db`, `models.db`, `shop.models.db`) comes from, by the import that
    binds its first name in the calling scope or the module; None when it is the module's own
    (assigned there) or not imported."""
    parts = dotted_parts(expression)
    if parts is None:
        return None
    first, rest = parts[0], parts[1:-1] if len(parts) > 1 else []
    for scope in scopes:
        for node in _imports(scope):
            if type(node) is ast.ImportFrom:
                for alias in node.names:
                    if (alias.asname or alias.name) == first:
                        origin = imported_module(node, package)
                        if origin is None:
                            return None
                        # `from shop import models` then `models.db`: shop.models
                        held = [alias.name] if len(parts) > 1 else []
                        return ".".join([origin, *held, *rest])
            elif type(node) is ast.Import:
                for alias in node.names:
                    if alias.asname == first:
                        return ".".join([alias.name, *rest])
                    if not alias.asname and alias.name.split(".", 1)[0] == first:
                        return ".".join(parts[:-1]) or None
    return None


def _imports(scope: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The import statements of one scope (also inside its if/try; not in nested functions)."""
    pending: list[ast.AST] = list(scope)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        pending.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))


def _callee(func: ast.expr) -> str | None:
    if type(func) is ast.Attribute:
        return func.attr
    return func.id if type(func) is ast.Name else None
