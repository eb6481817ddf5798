"""Where the application's own code is, for L316 (a revision importing it breaks when it changes).

Three layouts beyond "a package with `__init__.py` at the project root":

- a namespace package (PEP 420): a root directory without `__init__.py` that holds modules or
  packages (`orchestrator/core/...`), not a migration environment (no env.py in it);
- a directory env.py puts on sys.path (`sys.path.insert(0, path.join(path.dirname(__file__),
  ".."))`): the modules and packages there are importable by their bare names (`import models`);
- a migration-only package: the top-level package holding the migration environments, whose
  every subpackage (two or more) is one (holds env.py), keeps the migration tool's own
  modules (connection, settings, custom operations): not the application. Of those, a module
  that imports the application itself (`from app.config import ...`) still carries it, and is
  listed by its dotted name.

Read once per project: a few directory listings and env.py's (and a migration-only package's
few modules') ast.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from alembic_sentinel.lint.literals import dotted_parts, string_value
from alembic_sentinel.lint.unbound_names import unbound_names

# a top-level name that is not the application's code
NOT_APPLICATION = frozenset({"setup", "conftest", "noxfile", "fabfile", "tests", "test", "docs"})
_STANDARD_LIBRARY: frozenset[str] = frozenset(getattr(sys, "stdlib_module_names", ()))
# how many entries of a directory are looked at to tell a namespace package
_MAX_ENTRIES = 200


def application_names(
    root: Path, migrations: Path, ini_directory: Path | None, extra: set[str]
) -> frozenset[str]:
    """Top-level names (and dotted module names of a migration-only package that import the
    application) a revision imports the application's code through."""
    names = set(extra)
    migrations = migrations.resolve()
    directories = [root, *env_path_directories(migrations / "env.py", ini_directory, root)]
    tool_packages: list[Path] = []
    for directory in directories:
        # a module of a sys.path directory named as one of the standard library's (`json.py`
        # beside `sys.path.append("..")`) is not what `import json` finds
        shadowed = _STANDARD_LIBRARY if directory != root else frozenset()
        for name, path in top_level(directory, migrations):
            if name in shadowed:
                continue
            if path is not None and migration_only(path, migrations):
                tool_packages.append(path)
            else:
                names.add(name)
    application = {n for n in names if n.isidentifier()} - NOT_APPLICATION
    for package in tool_packages:
        application.update(carrying_modules(package, application))
    return frozenset(application)


def application_entries(
    root: Path, migrations: Path, ini_directory: Path | None
) -> tuple[Path, ...]:
    """The modules, packages and namespace directories holding the application's code, where
    its ORM models are read (L301, model_defaults.py): what application_names names, also a
    directory whose name is no identifier (`results-tabulation-api/` holding the application
    beside its migrations, imported from inside), less a migration-only package."""
    migrations = migrations.resolve()
    entries: list[Path] = []
    for directory in [root, *env_path_directories(migrations / "env.py", ini_directory, root)]:
        for name, path in top_level(directory, migrations):
            if name in NOT_APPLICATION or (path is not None and migration_only(path, migrations)):
                continue
            entries.append(path if path is not None else directory / f"{name}.py")
    return tuple(entries)


def top_level(directory: Path, migrations: Path) -> Iterator[tuple[str, Path | None]]:
    """(name, package directory or None for a module) of what `directory` offers to import."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.resolve() == migrations:
            continue
        if entry.suffix == ".py" and entry.is_file():
            yield entry.stem, None
        elif entry.is_dir() and (is_package(entry) or is_namespace_package(entry)):
            yield entry.name, entry


def is_package(directory: Path) -> bool:
    return (directory / "__init__.py").is_file()


def is_namespace_package(directory: Path) -> bool:
    """A directory without `__init__.py` holding modules or packages, and no migration
    environment itself (a second `alembic/` with env.py is not a package of the app)."""
    if directory.name == "alembic" or migration_environment(directory) or is_package(directory):
        return False
    try:
        entries = list(directory.iterdir())[:_MAX_ENTRIES]
    except OSError:
        return False
    return any(
        (e.suffix == ".py" and e.is_file()) or (e.is_dir() and is_package(e)) for e in entries
    )


def migration_only(package: Path, migrations: Path) -> bool:
    """Whether the top-level package holds the migration environment and nothing but
    migration environments as subpackages, two or more (each holds env.py): the migration
    tool's own, one environment per database."""
    try:
        migrations.relative_to(package.resolve())
        entries = list(package.iterdir())[:_MAX_ENTRIES]
    except (OSError, ValueError):
        return False
    subpackages = [e for e in entries if e.is_dir() and (is_package(e) or has_modules(e))]
    # two environments or more (a database each): one package around a single environment
    # beside its modules (`shop/models.py`, `shop/migrations/`) is a small application
    return len(subpackages) >= 2 and all(migration_environment(e) for e in subpackages)


def migration_environment(directory: Path) -> bool:
    """env.py beside the revisions' `versions/` or Alembic's `script.py.mako` (an application
    module may be named env.py too: its environment settings)."""
    return (directory / "env.py").is_file() and (
        (directory / "versions").is_dir() or (directory / "script.py.mako").is_file()
    )


def has_modules(directory: Path) -> bool:
    try:
        return any(e.suffix == ".py" for e in list(directory.iterdir())[:_MAX_ENTRIES])
    except OSError:
        return False


def carrying_modules(package: Path, application: set[str]) -> Iterator[str]:
    """The dotted names of the migration-only package's modules (its own and its environments'
    top-level ones) that import the application at module level."""
    modules = [(f"{package.name}.{p.stem}", p) for p in package.glob("*.py")]
    modules += [(f"{package.name}.{p.parent.name}.{p.stem}", p) for p in package.glob("*/*.py")]
    for dotted, path in modules:
        if path.stem in ("env", "__init__"):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except (OSError, SyntaxError, ValueError):
            continue
        if any(top in application for top in module_level_imports(tree)):
            yield dotted


def module_level_imports(tree: ast.Module) -> Iterator[str]:
    """The top names a module imports at module level (also inside if/try there)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if type(node) is ast.Import:
            yield from (alias.name.split(".", 1)[0] for alias in node.names)
        elif type(node) is ast.ImportFrom and node.module and not node.level:
            yield node.module.split(".", 1)[0]


# env.py's sys.path entries


def env_path_directories(env: Path, ini_directory: Path | None, root: Path) -> list[Path]:
    """The project directories env.py adds to sys.path (`sys.path.insert(0, X)`,
    `sys.path.append(X)`) with X built from `__file__` or a relative path (from where alembic
    runs: alembic.ini's directory, else env.py's) by os.path / pathlib calls."""
    try:
        tree = ast.parse(env.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return []
    base = ini_directory or env.parent
    found: list[Path] = []
    for node in ast.walk(tree):
        if type(node) is not ast.Call or not _is_sys_path_add(node.func) or not node.args:
            continue
        text = _path_value(node.args[-1], str(env))
        if text is None:
            continue
        directory = Path(os.path.normpath(os.path.join(base, text)))
        try:
            directory.relative_to(root.resolve())
        except ValueError:
            continue  # outside the project: not its code
        if directory.is_dir() and directory != root.resolve():
            found.append(directory)
    return found


def _is_sys_path_add(func: ast.expr) -> bool:
    return (
        type(func) is ast.Attribute
        and func.attr in ("insert", "append")
        and type(func.value) is ast.Attribute
        and func.value.attr == "path"
        and type(func.value.value) is ast.Name
        and func.value.value.id == "sys"
    )


def _path_value(node: ast.expr, file: str, depth: int = 0) -> str | None:
    """The path an expression of `__file__`, strings, os.path and pathlib calls gives."""
    if depth > 12:
        return None
    if type(node) is ast.Name:
        return file if node.id == "__file__" else None
    literal = string_value(node)
    if literal is not None:
        return literal
    if type(node) is ast.BinOp and type(node.op) is ast.Div:
        left = _path_value(node.left, file, depth + 1)
        right = _path_value(node.right, file, depth + 1)
        return os.path.join(left, right) if left is not None and right is not None else None
    if type(node) is ast.Attribute and node.attr == "parent":
        inner = _path_value(node.value, file, depth + 1)
        return os.path.dirname(os.path.normpath(inner)) if inner is not None else None
    if type(node) is ast.Subscript and type(node.value) is ast.Attribute:
        # `Path(__file__).parents[1]`
        if node.value.attr == "parents" and type(node.slice) is ast.Constant:
            inner = _path_value(node.value.value, file, depth + 1)
            steps = node.slice.value
            if inner is None or type(steps) is not int:
                return None
            inner = os.path.normpath(inner)
            for _ in range(steps + 1):
                inner = os.path.dirname(inner)
            return inner
        return None
    if type(node) is not ast.Call:
        return None
    func = node.func
    name = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else ""
    if name in ("resolve", "absolute") and type(func) is ast.Attribute and not node.args:
        return _path_value(func.value, file, depth + 1)
    values = [_path_value(a, file, depth + 1) for a in node.args]
    if not values or any(v is None for v in values):
        return None
    texts = [v for v in values if v is not None]
    if name == "join":
        return os.path.join(*texts)
    if name == "dirname" and len(texts) == 1:
        return os.path.dirname(os.path.normpath(texts[0]))
    if name in ("str", "fspath") and len(texts) == 1:
        return texts[0]
    if name in ("abspath", "realpath", "normpath", "Path", "PurePath") and len(texts) == 1:
        return os.path.normpath(texts[0])
    return None


# imports that add nothing loaded before the revision runs: env.py's imports (L316, round 34),
# and a Flask-Migrate app's (flask_app_imports.py, round 43)


def env_loaded_modules(env: Path) -> frozenset[str]:
    """The modules importing env.py loads at module level: each import's module and the
    packages above it, and for `from M import n` also `M.n` (a submodule, when it is one)."""
    try:
        tree = ast.parse(env.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return frozenset()
    return module_level_loads(tree)


def module_level_loads(tree: ast.Module, package: str | None = None) -> frozenset[str]:
    """The modules a module's imports at module level (also inside if/try there; not in
    functions or classes) load, with the packages above each; `package` is the module's own
    package, for its relative imports (`from .models import db`), which are left out without it."""
    loaded: set[str] = set()
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        pending.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))
        if type(node) is ast.Import:
            dotted = [alias.name for alias in node.names]
        elif type(node) is ast.ImportFrom:
            module = imported_module(node, package)
            if module is None:
                continue
            dotted = [module] + [f"{module}.{a.name}" for a in node.names if a.name != "*"]
        else:
            continue
        for name in dotted:
            loaded.update(with_packages(name))
    return frozenset(loaded)


def imported_module(node: ast.ImportFrom, package: str | None) -> str | None:
    """The absolute module `from M import n` names; a relative one (`from ..db import x`)
    resolved from `package`, None without it or past its top."""
    if not node.level:
        return node.module or None
    if package is None:
        return None
    parts = package.split(".")
    if node.level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def with_packages(dotted: str) -> list[str]:
    """`a.b.c` and the packages above it: `a`, `a.b`, `a.b.c` (importing one runs each)."""
    parts = dotted.split(".")
    return [".".join(parts[: n + 1]) for n in range(len(parts))]


def adds_nothing(tree: ast.Module, line: int, module: str, env_modules: frozenset[str]) -> bool:
    """Whether the import statement on `line` of `module` loads nothing `env_modules` (what is
    loaded before the revision runs) lacks and binds nothing the revision reads: `import app`
    written by script.py.mako into every revision, never used, while env.py imports
    app.schemas; or `from app import __version__`,
    the package's metadata attribute, while env.py imports app (its __init__ runs anyway); or
    `from app.models import *` whose names the revision never reads, while the Flask app that
    runs it has imported app.models."""
    if module not in env_modules:
        return False
    statements = [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno == line
    ]
    if len(statements) != 1:
        return False
    statement = statements[0]
    used = {node.id for node in ast.walk(tree) if type(node) is ast.Name}
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            bound = alias.asname or alias.name.split(".", 1)[0]
            if alias.name not in env_modules:
                return False
            if bound in used and not _bound_elsewhere(tree, statement, alias):
                return False
        return True
    for alias in statement.names:  # `from M import n`
        bound = alias.asname or alias.name
        if _metadata_attribute(alias.name):
            continue  # a string of the package's __init__: no code of the application
        if alias.name == "*":
            # binds no name lint sees: used when the revision reads a name nothing of its own
            # (nor a builtin) binds, which only the star can supply (round 43)
            if unbound_names(tree):
                return False
            continue
        if bound in used or f"{module}.{alias.name}" not in env_modules:
            return False
    return True


def _bound_elsewhere(tree: ast.Module, statement: ast.Import, alias: ast.alias) -> bool:
    """Whether `import a.b.c` only shares its name `a` with another module-level `import a...`
    of the revision, which binds it anyway, and no read of `a` reaches into `a.b.c`: the
    revision reads `a.b.models.GUID` only (round 43). A read of `a` or `a.b` alone may reach
    anything below: it counts as a use."""
    if alias.asname is not None or "." not in alias.name:
        return False
    bound = alias.name.split(".", 1)[0]
    others = any(
        type(other) is ast.Import
        and other is not statement
        and any(not a.asname and a.name.split(".", 1)[0] == bound for a in other.names)
        for other in tree.body
    )
    if not others:
        return False
    inner = {id(node.value) for node in ast.walk(tree) if type(node) is ast.Attribute}
    for node in ast.walk(tree):
        if id(node) in inner or type(node) not in (ast.Attribute, ast.Name):
            continue
        assert isinstance(node, (ast.Attribute, ast.Name))
        parts = dotted_parts(node)
        if parts is None or parts[0] != bound:
            continue
        read = ".".join(parts)
        if read == alias.name or read.startswith(alias.name + ".") or alias.name.startswith(read):
            return False
    return True


def _metadata_attribute(name: str) -> bool:
    """A dunder attribute of a package (`__version__`, `__author__`), not a module of it."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")
