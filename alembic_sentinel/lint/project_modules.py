"""The project's own Python modules, found from a file inside the project and read without
running them: where the top package may lie (the file's directory and its parents, each also
with a `src/` layout), the file of a dotted module name, and the module-level functions a
revision reaches in them (`from app.models.db import dialect_name`, `from .utils import
is_postgres`, `mu.is_postgresql(bind)` after `import app.migration_utils as mu`) and their
module-level constants.

Only files under those roots are read; an import that does not resolve there (a library, the
standard library, a module made at run time) is outside the project and gives nothing. Pure:
ast and the file system only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple, Union, cast

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import dotted_parts, single_assignment

# how far above the starting file the project's top package may be
MAX_PARENTS = 8

# how many modules re-exporting a class are followed to its definition
_REEXPORT_DEPTH = 4

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


class ModuleFacts(NamedTuple):
    """What lint reads of a project module: its module-level functions and its constants
    (`POSTGRES = "postgresql"`, `SERVERS = ("mysql", "mariadb")`), and the table each of its
    ORM classes maps (`class SqlRun(Base): __tablename__ = "runs"`)."""

    functions: Mapping[str, FunctionDefinition]
    constants: Mapping[str, ast.expr]
    tablenames: Mapping[str, str] = MappingProxyType({})
    # the module imports Alembic's `op` at module level: its code is written to run inside a
    # migration (helpers like `has_table()` or `create_run_tables()`), not the application's
    uses_alembic_op: bool = False
    # names the module imports from another module of the project and so offers in turn (a
    # package's `__init__.py`: `from .invoice import Invoice`): name -> (module, name there)
    reexports: Mapping[str, tuple[ModuleRef, str]] = MappingProxyType({})
    # its module-level classes and import statements: a column type of the project's own (a
    # TypeDecorator) is read from its class, in the names its module imports (round 23)
    classes: Mapping[str, ast.ClassDef] = MappingProxyType({})
    imports: tuple[ast.Import | ast.ImportFrom, ...] = ()
    # its module-level Core tables (`Old = sa.Table("old", sa.MetaData(), ...)`): a function
    # of the module followed from a revision reads and writes rows through them (round 25)
    core_tables: Mapping[str, ast.Call] = MappingProxyType({})


_NOTHING = ModuleFacts(MappingProxyType({}), MappingProxyType({}))


@lru_cache(maxsize=64)
def module_facts(path: Path) -> ModuleFacts:
    """The module-level functions and literal constants of a project file (the revisions of one
    history import the same few modules: each is parsed once)."""
    tree = parse(path)
    if tree is None:
        return _NOTHING
    functions: dict[str, FunctionDefinition] = {}
    constants: dict[str, ast.expr] = {}
    tablenames: dict[str, str] = {}
    uses_op = False
    reexports: dict[str, tuple[ModuleRef, str]] = {}
    classes: dict[str, ast.ClassDef] = {}
    imports: list[ast.Import | ast.ImportFrom] = []
    core_tables: dict[str, ast.Call] = {}
    for statement in tree.body:
        uses_op = uses_op or _imports_alembic_op(statement)
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            imports.append(statement)
        if type(statement) is ast.ImportFrom:
            origin = ModuleRef(statement.module or "", statement.level)
            for alias in statement.names:
                if alias.name != "*":
                    reexports[alias.asname or alias.name] = (origin, alias.name)
            continue
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[statement.name] = statement
            continue
        if isinstance(statement, ast.ClassDef):
            classes[statement.name] = statement
            table = class_tablename(statement)
            if table is not None:
                tablenames[statement.name] = table
            continue
        assigned = single_assignment(statement)
        if assigned is None:
            continue
        target, value = assigned
        if type(target) is ast.Name and _is_literal(value):
            constants[target.id] = value
        elif type(target) is ast.Name and _is_table_call(value):
            core_tables[target.id] = cast(ast.Call, value)
    return ModuleFacts(
        MappingProxyType(functions),
        MappingProxyType(constants),
        MappingProxyType(tablenames),
        uses_op,
        MappingProxyType(reexports),
        MappingProxyType(classes),
        tuple(imports),
        MappingProxyType(core_tables),
    )


def _is_table_call(value: ast.expr) -> bool:
    """`sa.Table(...)`, `Table(...)`, `sa.table(...)`: a call that may define a Core table
    (table_models.table_model decides, with the names of the revision reading it)."""
    if type(value) is not ast.Call or not value.args:
        return False
    func = value.func
    name = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else ""
    return name in ("Table", "table")


def _imports_alembic_op(statement: ast.stmt) -> bool:
    """`from alembic import op` (also with other names, or aliased) or `import alembic.op`:
    the proxy that only works while Alembic runs a migration."""
    if type(statement) is ast.ImportFrom:
        return statement.module == "alembic" and any(a.name == "op" for a in statement.names)
    if type(statement) is ast.Import:
        return any(alias.name == "alembic.op" for alias in statement.names)
    return False


def class_tablename(node: ast.ClassDef) -> str | None:
    """The literal `__tablename__` a class body assigns (`__tablename__ = "runs"`); for a
    Flask-SQLAlchemy model (a base `db.Model`) with a primary key and neither `__tablename__`
    nor `__table__`, the name Flask-SQLAlchemy 2.x and 3.x derive (`camel_to_snake_case`:
    `InvoiceLine` maps `invoice_line`); else None."""
    declares_table = False
    for statement in node.body:
        assigned = single_assignment(statement)
        if assigned is None:
            continue
        target, value = assigned
        if type(target) is ast.Name and target.id in ("__tablename__", "__table__"):
            if type(value) is ast.Constant and type(value.value) is str:
                return value.value
            declares_table = True  # computed, or a Table: not derived from the class's name
    if declares_table or not _flask_model(node):
        return None
    return snake_case(node.name)


def _flask_model(node: ast.ClassDef) -> bool:
    """A class on Flask-SQLAlchemy's base (`db.Model`, `Model`) with a `primary_key=True`
    column of its own: the extension names its table when the class does not."""
    if not any(
        (type(base) is ast.Attribute and base.attr == "Model")
        or (type(base) is ast.Name and base.id == "Model")
        for base in node.bases
    ):
        return False
    return any(
        type(keyword.value) is ast.Constant and keyword.value.value is True
        for statement in node.body
        for child in ast.walk(statement)
        if type(child) is ast.Call
        for keyword in child.keywords
        if keyword.arg == "primary_key"
    )


_SNAKE_BOUNDARY = LazyPattern(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


def snake_case(name: str) -> str:
    """Flask-SQLAlchemy's `camel_to_snake_case` (2.x and 3.x): `CamelCase` to `camel_case`,
    `HTTPRequest` to `http_request`."""
    return _SNAKE_BOUNDARY.sub(r"_\1", name).lower().lstrip("_")


def _is_literal(value: ast.expr) -> bool:
    """A string, or a tuple / list / set of strings."""
    if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
        return bool(value.elts) and all(_is_literal(element) for element in value.elts)
    return type(value) is ast.Constant and type(value.value) is str


class ModuleRef(NamedTuple):
    """A module as an import statement names it: dotted, and relative to the importing file's
    package `level` times (0: absolute)."""

    dotted: str
    level: int = 0

    def child(self, name: str) -> ModuleRef:
        return ModuleRef(f"{self.dotted}.{name}" if self.dotted else name, self.level)


class ImportedFunctions:
    """The functions and constants a revision file reaches in the project's own modules:
    imported by name (`from app.models.db import dialect_name`, `from .utils import
    is_postgres`, `from ..helpers import POSTGRES`), or through a module it imports
    (`from app import migration_utils`, `import app.migration_utils as mu`, `from . import
    utils`, then `mu.is_postgresql(bind)`, `mu.POSTGRES`). Resolved when first asked for (most
    revisions never ask, and then no file is looked for). A relative import is resolved from the
    revision's directory (a versions folder that is a package, `migrations/versions/__init__.py`
    beside `migrations/utils.py`), never above the project roots' reach."""

    def __init__(
        self, location: Path | None, imports: Iterable[ast.Import | ast.ImportFrom]
    ) -> None:
        self.location = location
        # local name -> (the module it is imported from, the name there)
        self.sources: dict[str, tuple[ModuleRef, str]] = {}
        # local name -> the module it names (`import a.b as m`; `import a.b` binds `a`)
        self.modules: dict[str, ModuleRef] = {}
        for node in imports:
            if isinstance(node, ast.ImportFrom):
                origin = ModuleRef(node.module or "", node.level)
                for alias in node.names:
                    if alias.name != "*":
                        self.sources[alias.asname or alias.name] = (origin, alias.name)
            else:
                for alias in node.names:
                    if alias.asname:
                        self.modules[alias.asname] = ModuleRef(alias.name)
                    else:
                        top = alias.name.split(".", 1)[0]
                        self.modules[top] = ModuleRef(top)
        self.paths: dict[ModuleRef, Path | None] = {}

    def function(self, node: ast.expr) -> tuple[FunctionDefinition, ModuleFacts] | None:
        """The project function `node` names (`is_postgres`, `mu.is_postgresql`), with the
        facts of its module (a test there may compare with the module's own constants)."""
        found = self._member(node)
        if found is None:
            return None
        facts, name = found
        definition = facts.functions.get(name)
        return (definition, facts) if definition is not None else None

    def constant(self, node: ast.expr) -> ast.expr | None:
        """The literal a project module's constant holds (`POSTGRES` imported by name,
        `mu.POSTGRES`); None for anything else."""
        found = self._member(node)
        return found[0].constants.get(found[1]) if found is not None else None

    def tablename(self, node: ast.expr) -> str | None:
        """The table a project ORM class maps, for `Model.__tablename__` (`Model` imported by
        name, or `models.Model` through an imported module); None for anything else."""
        if type(node) is not ast.Attribute or node.attr != "__tablename__":
            return None
        return self.class_table(node.value)

    def class_table(self, node: ast.expr) -> str | None:
        """The table the project ORM class `node` names maps (`Invoice` imported by name,
        `models.Invoice`), also when the module imported offers it from another of the
        project's modules (a package's `__init__.py` re-exporting its classes)."""
        for _, name, facts in self._offered_by(node):
            table = facts.tablenames.get(name)
            if table is not None:
                return table
        return None

    def class_definition(self, node: ast.expr) -> tuple[ast.ClassDef, ModuleFacts, Path] | None:
        """The project class `node` names (imported by name, or through an imported module,
        followed through re-exports as `class_table`), with the facts and the file of the
        module that defines it; None when it is not a class of the project's."""
        for module, name, facts in self._offered_by(node):
            definition = facts.classes.get(name)
            path = self.paths.get(module)
            if definition is not None and path is not None:
                return definition, facts, path
        return None

    def _offered_by(self, node: ast.expr) -> Iterator[tuple[ModuleRef, str, ModuleFacts]]:
        """The project module `node` names a member of, then each module it re-exports that
        member from (a package's `__init__.py`), with the member's name there, up to
        _REEXPORT_DEPTH modules."""
        found = self._member_module(node)
        if found is None:
            return
        module, name = found
        for _ in range(_REEXPORT_DEPTH):
            facts = self._facts(module)
            yield module, name, facts
            source = facts.reexports.get(name)
            offered = self._absolute(source[0], module) if source is not None else None
            if source is None or offered is None:
                return
            module, name = offered, source[1]

    def _absolute(self, imported: ModuleRef, importer: ModuleRef) -> ModuleRef | None:
        """The absolute module an import statement of module `importer` names (`.invoice` in
        `app/models/__init__.py` is `app.models.invoice`); None when the importer is itself
        relative (not followed further)."""
        if not imported.level:
            return imported
        path = self.paths.get(importer)
        if importer.level or path is None:
            return None
        package = importer.dotted.split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        if imported.level - 1 > len(package):
            return None
        package = package[: len(package) - (imported.level - 1)]
        return ModuleRef(".".join([*package, *filter(None, [imported.dotted])]))

    def written_for_migrations(self, dotted: str) -> bool:
        """Whether the project module `dotted` (absolute) imports Alembic's `op` at module
        level: a toolkit of the project's migrations (`app.storage.migration.utils` with
        `has_table()`), not application code; False when it is not found in the project."""
        if self.location is None:
            return False
        return self._facts(ModuleRef(dotted)).uses_alembic_op

    def _member(self, node: ast.expr) -> tuple[ModuleFacts, str] | None:
        """The facts of the module `node`'s last name belongs to, and that name."""
        found = self._member_module(node)
        return (self._facts(found[0]), found[1]) if found is not None else None

    def _member_module(self, node: ast.expr) -> tuple[ModuleRef, str] | None:
        """The module `node`'s last name belongs to, and that name."""
        if self.location is None:
            return None
        parts = dotted_parts(node)  # ["mu", "is_postgresql"], ["app", "migration_utils", "X"]
        if parts is None:
            return None
        root, *rest = parts
        if not rest:
            if root not in self.sources:
                return None
            return self.sources[root]
        if root in self.modules:
            module = self.modules[root]
        elif root in self.sources:
            origin, name = self.sources[root]
            module = origin.child(name)  # `from app import migration_utils`
        else:
            return None
        for part in rest[:-1]:
            module = module.child(part)
        return module, rest[-1]

    def _facts(self, module: ModuleRef) -> ModuleFacts:
        if module not in self.paths:
            self.paths[module] = self._path(module)
        path = self.paths[module]
        return module_facts(path) if path is not None else _NOTHING

    def _path(self, module: ModuleRef) -> Path | None:
        assert self.location is not None
        if not module.level:
            return module_file(module.dotted, project_roots(self.location))
        if module.level > MAX_PARENTS:
            return None
        base = self.location.parent
        for _ in range(module.level - 1):
            base = base.parent
        if not module.dotted:
            package = base / "__init__.py"
            return package if package.is_file() else None
        return module_file(module.dotted, [base])
