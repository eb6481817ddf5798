"""What the migrations load before any revision runs, followed through the project's own modules
(L316, round 43).

env.py's module-level `from lifeloopweb.db import models` runs `models.py`, whose own
module-level `from lifeloopweb.db import utils` loads `lifeloopweb.db.utils` too: an unused
`import lifeloopweb.db.utils` in a revision then adds nothing to what is loaded anyway. So the
modules env.py (or the Flask app's entry module) loads are followed into the project's files,
and what those load at module level counts too, and so on.

Only imports that always run when the module is imported count: its top-level statements, the
body of a `with`, and a `try`'s body and `finally` when no handler catches an ImportError (a
bare `except`, `Exception`, `BaseException`, `ImportError`, `ModuleNotFoundError`: the import
may have failed and been swallowed). An import inside a function, a class, a loop or any `if`
(`if TYPE_CHECKING:` among them: it never runs) is not followed: it may not have run.

Bounded: three levels below env.py's own imports, each file read once, only files of the project
(under `roots`) and not named as a standard library module, and a file parsed only when its
bytes hold `import`. Pure: ast and the file system only.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from alembic_sentinel.lint.application_code import imported_module, with_packages
from alembic_sentinel.lint.project_modules import module_file, parse

# how many levels of the project's imports are followed below env.py's (or the app's) own
MAX_DEPTH = 3
_STANDARD_LIBRARY: frozenset[str] = frozenset(getattr(sys, "stdlib_module_names", ()))
# handlers that may swallow a failed import: the imports of the `try` may not have run
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def followed_loads(loaded: frozenset[str], roots: Sequence[Path]) -> frozenset[str]:
    """`loaded` and what the project's modules among them import when they run, at most
    MAX_DEPTH levels down; modules outside `roots` (libraries) are not read."""
    result = set(loaded)
    read: set[Path] = set()
    frontier = sorted(loaded)
    for _ in range(MAX_DEPTH):
        found: set[str] = set()
        for dotted in frontier:
            if dotted.split(".", 1)[0] in _STANDARD_LIBRARY:
                continue
            path = module_file(dotted, roots)
            if path is None or path in read:
                continue
            read.add(path)
            found.update(_module_loads(path, dotted))
        frontier = sorted(found - result)
        if not frontier:
            break
        result.update(frontier)
    return frozenset(result)


def _module_loads(path: Path, dotted: str) -> set[str]:
    """The modules the file of `dotted` always loads when imported, with the packages above."""
    try:
        if b"import" not in path.read_bytes():
            return set()
    except OSError:
        return set()
    tree = parse(path)
    if tree is None:
        return set()
    package = dotted if path.name == "__init__.py" else dotted.rpartition(".")[0] or None
    loaded: set[str] = set()
    for node in _always_run(tree.body):
        if type(node) is ast.Import:
            names = [alias.name for alias in node.names]
        else:
            assert type(node) is ast.ImportFrom
            module = imported_module(node, package)
            if module is None:
                continue
            names = [module] + [f"{module}.{a.name}" for a in node.names if a.name != "*"]
        for name in names:
            loaded.update(with_packages(name))
    return loaded


def _always_run(statements: Iterable[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements among `statements` that run whenever the module is imported."""
    for statement in statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            yield from _always_run(statement.body)
        elif isinstance(statement, ast.Try):
            if not any(_may_swallow_import(h) for h in statement.handlers):
                yield from _always_run(statement.body)
            yield from _always_run(statement.finalbody)


def _may_swallow_import(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    caught = handler.type.elts if type(handler.type) is ast.Tuple else [handler.type]
    for node in caught:
        name = node.attr if type(node) is ast.Attribute else getattr(node, "id", None)
        if name is None or name in _IMPORT_ERRORS:
            return True
    return False
