"""Whether the MetaData a migrations' env.py hands Alembic (`target_metadata`) is given a naming
convention that can be seen without running the project's code.

Lint cannot import the models (it runs in pre-commit's isolated virtualenv), so it reads them:
from `target_metadata = models.Base.metadata` it follows the import to the models module, the
definition of `Base` there (`Base = get_base()`, `declarative_base(metadata=...)`, a class body,
a `db = SQLAlchemy(metadata=...)`), and the functions, module names and project imports that
definition uses, looking for `naming_convention=` passed to a call or assigned to an attribute.
A package's submodule is its attribute (`models.base.Base` with `base.py` in the package
`models`), and a module's `if` / `else` and `try` blocks count as module level
(`if TYPE_CHECKING:` bases).
Only module-level definitions and the project's own files (found next to env.py's parents) are
read, a few steps deep; a convention set by a library, computed at run time or set on some
other MetaData is not seen, and the convention's templates are not read (a naming convention is
known to exist, its names are matched by SQLAlchemy's documented and looser patterns).
Pure: ast and the file system only.
"""

from __future__ import annotations

import ast
from pathlib import Path

from alembic_sentinel.lint.flask_app_convention import (
    FLASK_MIGRATE_ENV,
    flask_db_sets_convention,
)
from alembic_sentinel.lint.package_side_effects import package_sets_convention
from alembic_sentinel.lint.project_modules import module_file, parse, project_roots

# how many definitions (names, functions, modules) are followed before giving up
_MAX_STEPS = 12
_CONVENTION = "naming_convention"


def sets_convention(node: ast.AST) -> bool:
    """Whether code sets a naming convention: `naming_convention=` given to a call, or assigned
    to (or updated on) an attribute `naming_convention`."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            if any(keyword.arg == _CONVENTION for keyword in child.keywords):
                return True
            func = child.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "update"
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == _CONVENTION
            ):
                return True
        targets: list[ast.expr] = []
        if isinstance(child, ast.Assign):
            targets = child.targets
        elif isinstance(child, (ast.AnnAssign, ast.AugAssign)):
            targets = [child.target]
        if any(isinstance(t, ast.Attribute) and t.attr == _CONVENTION for t in targets):
            return True
    return False


class _Reader:
    """Follows definitions across the project's modules, each file parsed once."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.trees: dict[Path, ast.Module | None] = {}
        self.steps = 0

    def tree(self, path: Path) -> ast.Module | None:
        if path not in self.trees:
            self.trees[path] = parse(path)
        return self.trees[path]

    def imported(self, path: Path, node: ast.ImportFrom | ast.Import, name: str) -> Path | None:
        """The module file a name bound by an import statement refers to, or whose attribute
        it is; None outside the project."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (alias.asname or alias.name.split(".")[0]) == name:
                    dotted = alias.name if alias.asname else alias.name.split(".")[0]
                    return module_file(dotted, self.roots)
            return None
        roots = self.roots
        module = node.module or ""
        if node.level:
            package = path.parent
            for _ in range(node.level - 1):
                package = package.parent
            roots = [package]
        for alias in node.names:
            if (alias.asname or alias.name) != name:
                continue
            as_module = f"{module}.{alias.name}" if module else alias.name
            return module_file(as_module, roots) or (module_file(module, roots) if module else None)
        return None

    def name_sets(self, path: Path, name: str, attrs: list[str]) -> bool:
        """Whether `name` (then `.attrs`) of module `path` is given a naming convention."""
        self.steps += 1
        tree = self.tree(path)
        if tree is None or self.steps > _MAX_STEPS:
            return False
        if any(self._statement_sets(path, s, name, attrs) for s in _module_level(tree.body)):
            return True
        # `models.base.Base` where `models` is a package: `base` is its submodule, an attribute
        # of the package once imported, whether or not `__init__.py` binds the name
        submodule = _submodule(path, name)
        if submodule is not None and attrs:
            return self.name_sets(submodule, attrs[0], attrs[1:])
        return False

    def _statement_sets(self, path: Path, statement: ast.stmt, name: str, attrs: list[str]) -> bool:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return statement.name == name and sets_convention(statement)
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            return self._import_sets(path, statement, name, attrs)
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            for target in targets:
                root = _root_name(target)
                if root != name:
                    continue
                # `Base.metadata.naming_convention = {...}` at module level
                if sets_convention(statement):
                    return True
                if isinstance(target, ast.Name) and value is not None:
                    return self.expression_sets(path, value)
        if isinstance(statement, ast.Expr) and _root_name(statement.value) == name:
            return sets_convention(statement)  # `Base.metadata.naming_convention.update(...)`
        return False

    def _import_sets(
        self, path: Path, statement: ast.Import | ast.ImportFrom, name: str, attrs: list[str]
    ) -> bool:
        bound = {alias.asname or alias.name.split(".")[0] for alias in statement.names}
        if name not in bound:
            return False
        target = self.imported(path, statement, name)
        if target is None:
            return False
        if isinstance(statement, ast.ImportFrom):
            alias = next(a for a in statement.names if (a.asname or a.name) == name)
            if not target.stem == alias.name and not (
                target.name == "__init__.py" and target.parent.name == alias.name
            ):
                # `from pkg.models import Base`: a name of that module, or given a convention
                # by a module its package imports first (package_side_effects)
                return self.name_sets(target, alias.name, attrs) or package_sets_convention(
                    target, alias.name, self.imported, sets_convention
                )
        # a module: its attribute is the definition
        if attrs:
            return self.name_sets(target, attrs[0], attrs[1:])
        return False

    def expression_sets(self, path: Path, value: ast.expr) -> bool:
        """Whether an expression of module `path` sets a convention, directly or through the
        module's names, functions and imported modules it uses."""
        if sets_convention(value):
            return True
        inner = {id(n.value) for n in ast.walk(value) if isinstance(n, ast.Attribute)}
        for node in ast.walk(value):
            chain = None if id(node) in inner else _chain(node)
            if chain is not None and self.name_sets(path, *chain):
                return True
        return False


def _module_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements a module runs at import: its body, and the bodies of its `if` / `else`
    (`if TYPE_CHECKING: Base = Any` / `else: Base = registry.generate_base()`) and
    `try` / `except` blocks, each branch read since lint cannot tell which runs."""
    statements: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.If):
            statements += _module_level(statement.body) + _module_level(statement.orelse)
        elif isinstance(statement, ast.Try):
            blocks = [statement.body, statement.orelse, statement.finalbody]
            blocks += [handler.body for handler in statement.handlers]
            for block in blocks:
                statements += _module_level(block)
        else:
            statements.append(statement)
    return statements


def _submodule(path: Path, name: str) -> Path | None:
    """The file of submodule `name` of the package whose `__init__.py` is `path`."""
    if path.name != "__init__.py":
        return None
    base = path.parent / name
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _chain(node: ast.AST) -> tuple[str, list[str]] | None:
    """`a.b.c` as ("a", ["b", "c"]); None for anything else."""
    attrs: list[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        return node.id, attrs[::-1]
    return None


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def env_py_naming_convention(env_py: Path) -> bool | None:
    """True when env.py, or the definition of the MetaData it passes as `target_metadata`,
    visibly sets a naming convention; None when lint cannot tell (never False: a definition
    lint did not follow may still set one)."""
    tree = parse(env_py)
    if tree is None:
        return None
    if sets_convention(tree):
        return True
    reader = _Reader(project_roots(env_py))
    for statement in ast.walk(tree):
        if not isinstance(statement, ast.Assign) or statement.value is None:
            continue
        if any(isinstance(t, ast.Name) and t.id == "target_metadata" for t in statement.targets):
            if reader.expression_sets(env_py, statement.value):
                return True
    try:
        flask_migrate = FLASK_MIGRATE_ENV.search(env_py.read_bytes()) is not None
    except OSError:
        flask_migrate = False
    if flask_migrate and flask_db_sets_convention(env_py, reader.expression_sets, sets_convention):
        return True  # the Flask app's `db`, which env.py takes from `current_app`
    return None
