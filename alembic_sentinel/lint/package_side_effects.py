"""A naming convention set on an imported MetaData by a module its package imports first.

`from app.core import db` in env.py runs `app/__init__.py` before `app/core.py`; when that
package imports its models (`from .models import User`) and the models module sets
`db.metadata.naming_convention = {...}` on the `db` it imported from `app.core`, the MetaData
env.py hands Alembic carries the convention by the time any revision runs, though neither
env.py nor `app/core.py` says so. env_convention asks `package_sets_convention` for the
object an import binds: the packages above its module, the project modules their
`__init__.py` imports at module level (one step), and in those a module-level statement setting
a convention on a name bound by an import of the same object from the same module.
Pure: ast and the file system only.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

from alembic_sentinel.lint.project_modules import parse

# resolves the module a name bound by an import statement of a file refers to
Resolve = Callable[[Path, "ast.ImportFrom | ast.Import", str], "Path | None"]


def _packages(module: Path) -> Iterator[Path]:
    """The `__init__.py` of each package above a module file, innermost first."""
    package = module.parent if module.name != "__init__.py" else module.parent.parent
    while (package / "__init__.py").is_file():
        yield package / "__init__.py"
        package = package.parent


def _imported_modules(init: Path, tree: ast.Module, resolve: Resolve) -> Iterator[Path]:
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                bound = alias.asname or alias.name.split(".")[0]
                source_statement: ast.Import | ast.ImportFrom
                if isinstance(statement, ast.Import):
                    # `import pkg.models` runs pkg/models too: resolve the whole dotted name
                    whole = ast.Import(names=[ast.alias(name=alias.name, asname="_module")])
                    source_statement, bound = whole, "_module"
                else:
                    source_statement = statement
                found = resolve(init, source_statement, bound)
                if found is not None:
                    yield found


def _sets_on_import_of(
    module: Path,
    tree: ast.Module,
    source: Path,
    name: str,
    resolve: Resolve,
    sets: Callable[[ast.AST], bool],
) -> bool:
    """Whether module-level code of `module` sets a convention on a name it imported as
    `name` from `source`."""
    bound: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                local = alias.asname or alias.name
                if alias.name == name and resolve(module, statement, local) == source:
                    bound.add(local)
    if not bound:
        return False
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)):
            roots = {
                node.id
                for node in ast.walk(statement)
                if isinstance(node, ast.Name) and node.id in bound
            }
            if roots and sets(statement):
                return True
    return False


def package_sets_convention(
    source: Path, name: str, resolve: Resolve, sets: Callable[[ast.AST], bool]
) -> bool:
    """Whether importing `name` from module file `source` first runs a package `__init__.py`
    whose imported modules set a naming convention on that same object."""
    for init in _packages(source):
        tree = parse(init)
        if tree is None:
            continue
        for module in _imported_modules(init, tree, resolve):
            if module == source:
                continue
            imported = parse(module)
            if imported is not None and _sets_on_import_of(
                module, imported, source, name, resolve, sets
            ):
                return True
    return False
