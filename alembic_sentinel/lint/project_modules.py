"""The project's own Python modules, found from a file inside the project and read without
running them: where the top package may lie (the file's directory and its parents, each also
with a `src/` layout), the file of a dotted module name, and the module-level functions a
revision imports from them (`from app.models.db import dialect_name`).

Only files under those roots are read; an import that does not resolve there (a library, the
standard library, a module made at run time) is outside the project and gives nothing. Pure:
ast and the file system only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Union

# how far above the starting file the project's top package may be
MAX_PARENTS = 8

# Union, not `|`: a module-level alias is evaluated, and Python 3.9 has no `type | type`
FunctionDefinition = Union[ast.FunctionDef, ast.AsyncFunctionDef]


def project_roots(start: Path) -> list[Path]:
    """`start`'s directory and its parents, each followed by its `src/` (the src layout keeps
    the package there: `backend/src/app/models.py` beside `backend/migrations/`)."""
    roots: list[Path] = []
    for directory in [start.parent, *list(start.parent.parents)[:MAX_PARENTS]]:
        roots.append(directory)
        roots.append(directory / "src")
    return roots


def module_file(dotted: str, roots: Iterable[Path]) -> Path | None:
    """The file of module `dotted` under one of `roots`: `a/b.py` or `a/b/__init__.py`."""
    parts = dotted.split(".")
    for root in roots:
        base = root.joinpath(*parts)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None


@lru_cache(maxsize=64)
def _functions(path: Path) -> dict[str, FunctionDefinition]:
    """The module-level functions of a project file (the revisions of one history import the
    same few modules: each is parsed once)."""
    tree = parse(path)
    if tree is None:
        return {}
    return {
        statement.name: statement
        for statement in tree.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


class ImportedFunctions:
    """The functions a revision file imports by name from the project's modules, resolved when
    first asked for (most revisions never ask, and then no file is looked for)."""

    def __init__(self, location: Path | None, imports: Iterable[ast.ImportFrom]) -> None:
        self.location = location
        # local name -> (module, the name in that module), absolute imports only: a revision's
        # directory is not a package, so a relative import has no parent to be relative to
        self.sources: dict[str, tuple[str, str]] = {}
        for node in imports:
            if node.level or not node.module:
                continue
            for alias in node.names:
                if alias.name != "*":
                    self.sources[alias.asname or alias.name] = (node.module, alias.name)
        self.found: dict[str, FunctionDefinition | None] = {}

    def get(self, name: str) -> FunctionDefinition | None:
        """The definition of the function imported as `name`; None when `name` is not imported
        from a module of the project, or is not a module-level function there."""
        if self.location is None or name not in self.sources:
            return None
        if name not in self.found:
            module, original = self.sources[name]
            path = module_file(module, project_roots(self.location))
            self.found[name] = None if path is None else _functions(path).get(original)
        return self.found[name]
