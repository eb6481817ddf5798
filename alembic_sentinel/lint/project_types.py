"""Column types of the project's own: a `TypeDecorator` class defined in the revision file or in
one of the project's modules (`sa_types.JSONEncodedDict()` after `from app.db import
sa_types`), read as the SQLAlchemy type it stands for on MySQL (round 23).

A TypeDecorator's DDL is its `impl` (`impl = sa.Text`), or what its `load_dialect_impl` returns
for the dialect (`if dialect.name == "mysql": return dialect.type_descriptor(LONGTEXT)`): the
MySQL branch is taken, as `with_variant` is read elsewhere (expressions.type_spec). Both are
inherited: the class's bases are followed through the project's classes to `TypeDecorator`.
What lint cannot read leaves the type unknown, as before: a `load_dialect_impl` whose MySQL
return it cannot find, a class with an `__init__` (it may pass the impl other arguments), a
base that is neither the project's nor `TypeDecorator`. An `__init__` that only keeps its own
arguments on `self` and calls `super().__init__()` with none (`Enum(ModuleTypes)` keeping the
enum class, `impl = SmallInteger`) gives the impl no arguments: the type is the bare impl, the
call's arguments do not reach it (round 34). Pure: ast and the project's files.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple, Union, cast

from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.literals import Names, single_assignment
from alembic_sentinel.lint.project_modules import ImportedFunctions
from alembic_sentinel.lint.revision_model import TypeSpec

# how many classes of a type's inheritance chain are followed to TypeDecorator
_MAX_DEPTH = 6
_MYSQL_DIALECTS = frozenset({"mysql", "mariadb"})
# where no project class comes from: not looked for in the project's files
_LIBRARIES = ("sqlalchemy", "alembic", "flask_sqlalchemy", "sqlmodel", "sqlalchemy_utils")

Imports = Sequence[Union[ast.Import, ast.ImportFrom]]


class _Scope(NamedTuple):
    """A module a class is read in: its names, its classes, its imports of the project, and
    the classes its functions compile themselves (`@compiles(SAText, "mysql")`)."""

    names: Names
    classes: Mapping[str, ast.ClassDef]
    project: ImportedFunctions | None
    compiled: frozenset[str] = frozenset()


class _Chosen(NamedTuple):
    """The type node a project type stands for on MySQL, and the scope it is written in."""

    node: ast.expr
    scope: _Scope
    # load_dialect_impl's return, or an impl an argument-free `__init__` builds: the call
    # site's arguments do not apply
    from_dialect: bool


class DecoratedTypes:
    """The TypeSpec of a type expression naming a project TypeDecorator class (called or not);
    None for any other expression. One per revision file: `imports` is the list the reader
    fills as it goes (a project class is looked up in the imports read so far)."""

    def __init__(
        self,
        classes: Mapping[str, ast.ClassDef],
        names: Names,
        location: Path | None,
        imports: Imports,
        functions: Iterable[ast.FunctionDef | ast.AsyncFunctionDef] = (),
    ) -> None:
        self._classes = classes
        self._compiled = compiled_classes(functions)
        self._names = names
        self._location = location
        self._imports = imports
        self._project: tuple[int, ImportedFunctions] | None = None
        self._modules: dict[Path, _Scope] = {}
        self._chosen: dict[int, _Chosen | None] = {}

    def __call__(self, node: ast.expr) -> TypeSpec | None:
        callee = node.func if type(node) is ast.Call else node
        if type(callee) not in (ast.Name, ast.Attribute):
            return None
        origin = self._names.qualified(callee) or ""
        if origin.startswith(_LIBRARIES):
            return None  # a library's type SQLAlchemy's names do not cover (JSONB, UUID)
        found = self._class(callee, self._scope())
        if found is None:
            return None
        definition, scope = found
        key = id(definition)
        if key not in self._chosen:
            self._chosen[key] = self._choose(definition, scope)
        chosen = self._chosen[key]
        if chosen is None:
            return None
        written = chosen.node
        if (
            type(node) is ast.Call
            and (node.args or node.keywords)
            and not chosen.from_dialect
            and type(written) is not ast.Call
        ):
            # `impl = sa.String` and `Slug(40)`: TypeDecorator gives its arguments to the impl
            written = ast.Call(func=written, args=node.args, keywords=node.keywords)
        return type_spec(written, chosen.scope.names)

    def _scope(self) -> _Scope:
        if self._location is None:
            return _Scope(self._names, self._classes, None, self._compiled)
        if self._project is None or self._project[0] != len(self._imports):
            self._project = (len(self._imports), ImportedFunctions(self._location, self._imports))
        return _Scope(self._names, self._classes, self._project[1], self._compiled)

    def _class(self, node: ast.expr, scope: _Scope) -> tuple[ast.ClassDef, _Scope] | None:
        """The class `node` names in `scope`: one of its module, or one of the project's."""
        if type(node) is ast.Name and node.id in scope.classes:
            return scope.classes[node.id], scope
        found = scope.project.class_definition(node) if scope.project is not None else None
        if found is None:
            return None
        definition, facts, path = found
        if path not in self._modules:
            self._modules[path] = _Scope(
                _module_names(facts.imports),
                facts.classes,
                ImportedFunctions(path, facts.imports),
                compiled_classes(facts.functions.values()),
            )
        return definition, self._modules[path]

    def _choose(self, definition: ast.ClassDef, scope: _Scope) -> _Chosen | None:
        """Walk the class and its bases to TypeDecorator: the first load_dialect_impl wins
        over the first impl (Python's attribute lookup along a single-inheritance chain)."""
        impl: _Chosen | None = None
        dialect_impl: tuple[ast.FunctionDef, _Scope] | None = None
        initialised = False  # an __init__ (of any class of the chain) gives the impl none
        current: tuple[ast.ClassDef, _Scope] | None = (definition, scope)
        for _ in range(_MAX_DEPTH):
            if current is None:
                return None
            cls, where = current
            if cls.name in where.compiled:
                return None  # its DDL is a compiler function's: what it returns is not read
            for statement in cls.body:
                if isinstance(statement, ast.FunctionDef):
                    if statement.name == "__init__":
                        if not _argument_free_init(statement):
                            return None  # it may give the impl other arguments
                        initialised = True
                        continue
                    if statement.name == "load_dialect_impl" and dialect_impl is None:
                        dialect_impl = (statement, where)
                    continue
                assigned = single_assignment(statement)
                if assigned is not None and impl is None:
                    target, value = assigned
                    if type(target) is ast.Name and target.id == "impl":
                        impl = _Chosen(value, where, False)
            if any(where.names.sqlalchemy_name(base) == "TypeDecorator" for base in cls.bases):
                break
            if len(cls.bases) != 1:
                return None  # a mixin's attributes may come first: not followed
            current = self._class(cls.bases[0], where)
        else:
            return None
        if dialect_impl is not None:
            function, where = dialect_impl
            returned = _mysql_return(function.body, _dialect_parameter(function))
            return _Chosen(returned, where, True) if returned is not None else None
        return impl._replace(from_dialect=True) if impl is not None and initialised else impl


def _argument_free_init(function: ast.FunctionDef) -> bool:
    """Whether an `__init__` calls its base's `__init__` with no argument but self
    (`super().__init__()`, `super(Kind, self).__init__()`, `types.TypeDecorator.__init__(self)`)
    and sets nothing of the impl's (`self.impl`, `self.impl_instance`): what the call site
    passes stays on the instance, the impl is built bare."""
    calls = 0
    for node in ast.walk(function):
        if type(node) is ast.Attribute and node.attr.startswith("impl"):
            if type(node.value) is ast.Name and node.value.id == "self":
                return False
        if type(node) is not ast.Call or type(node.func) is not ast.Attribute:
            continue
        if node.func.attr != "__init__":
            continue
        owner = node.func.value
        is_super = type(owner) is ast.Call and type(owner.func) is ast.Name
        is_super = is_super and cast(ast.Name, cast(ast.Call, owner).func).id == "super"
        arguments = [*node.args, *node.keywords]
        if not is_super and node.args and type(node.args[0]) is ast.Name:
            if node.args[0].id == "self":
                arguments = arguments[1:]  # `Base.__init__(self)`
        if arguments:
            return False
        calls += 1
    return calls == 1


def compiled_classes(functions: Iterable[ast.FunctionDef | ast.AsyncFunctionDef]) -> frozenset[str]:
    """The classes module-level functions compile (`@compiles(SAUnicode, "mysql")` from
    sqlalchemy.ext.compiler): such a type's DDL is the string the function returns."""
    return frozenset(
        argument.id
        for function in functions
        for decorator in function.decorator_list
        if type(decorator) is ast.Call
        and (
            getattr(decorator.func, "id", None) == "compiles"
            or getattr(decorator.func, "attr", None) == "compiles"
        )
        for argument in decorator.args[:1]
        if type(argument) is ast.Name
    )


def _module_names(imports: Imports) -> Names:
    """The names a project module's absolute imports bind (`from sqlalchemy import types as
    sa_types`, `from sqlalchemy.dialects import mysql`)."""
    names = Names()
    for statement in imports:
        if type(statement) is ast.Import:
            for alias in statement.names:
                top = alias.name.split(".", 1)[0]
                names.bind(alias.asname or top, alias.name if alias.asname else top)
        elif type(statement) is ast.ImportFrom and statement.level == 0 and statement.module:
            for alias in statement.names:
                names.bind(alias.asname or alias.name, f"{statement.module}.{alias.name}")
    return names


def _dialect_parameter(function: ast.FunctionDef) -> str | None:
    """The name of load_dialect_impl's dialect parameter (`def load_dialect_impl(self,
    dialect)`)."""
    positional = function.args.posonlyargs + function.args.args
    return positional[1].arg if len(positional) > 1 else None


# (found, node): found False while the statements fall through without a return
_Walk = tuple[bool, Union[ast.expr, None]]


def _mysql_return(body: Sequence[ast.stmt], dialect: str | None) -> ast.expr | None:
    """The type node load_dialect_impl returns for MySQL; None when lint cannot tell."""
    found, node = _walk(body, dialect)
    return node if found else None


def _walk(body: Sequence[ast.stmt], dialect: str | None) -> _Walk:
    for statement in body:
        if type(statement) is ast.Return:
            return True, _returned_type(statement.value)
        if type(statement) is ast.If:
            applies = _applies_to_mysql(statement.test, dialect)
            if applies is None:
                return True, None  # a test lint cannot read: the type stays unknown
            found, node = _walk(statement.body if applies else statement.orelse, dialect)
            if found:
                return found, node
        elif hasattr(statement, "body"):
            return True, None  # a loop, a with, a try, a match: not followed
    return False, None


def _returned_type(value: ast.expr | None) -> ast.expr | None:
    """`dialect.type_descriptor(LONGTEXT())` -> LONGTEXT(); a type written directly as is."""
    if type(value) is ast.Call and type(value.func) is ast.Attribute:
        if value.func.attr == "type_descriptor" and len(value.args) == 1:
            return value.args[0]
    return value


def _applies_to_mysql(test: ast.expr, dialect: str | None) -> bool | None:
    """Whether a test on the dialect's name holds on MySQL (`dialect.name == "mysql"`,
    `dialect.name in ("postgresql", "sqlite")`, `!=`, `not in`); None for any other test."""
    if type(test) is not ast.Compare or len(test.ops) != 1:
        return None
    subject, other = test.left, test.comparators[0]
    if not (
        type(subject) is ast.Attribute
        and subject.attr == "name"
        and type(subject.value) is ast.Name
        and subject.value.id == dialect
    ):
        return None
    values: list[object] = []
    if type(other) is ast.Constant:
        values = [other.value]
    elif isinstance(other, (ast.Tuple, ast.List, ast.Set)):
        values = [e.value for e in other.elts if type(e) is ast.Constant]
        if len(values) != len(other.elts):
            return None
    else:
        return None
    named = any(value in _MYSQL_DIALECTS for value in values)
    operator = type(test.ops[0])
    if operator in (ast.Eq, ast.In):
        return named
    if operator in (ast.NotEq, ast.NotIn):
        return not named
    return None
