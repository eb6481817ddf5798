"""What a revision's tests on the database's dialect decide for the lint target.

A revision that supports several databases branches on the dialect (`if bind.dialect.name ==
"postgresql":`); the branches are alternatives and only the target's runs, so the reader walks
that one alone. This module answers, from the syntax only, whether such a test holds on the
target: True, False, or None when the test is not about the dialect (or not decidable).

Recognised, each also through a variable that holds it (`engine = bind.engine`,
`dialect = context.get_context().dialect`, `name = bind.dialect.name`):

- the dialect's name: `X.dialect.name`, `X.engine.name` (`op.get_bind().engine.name`,
  `op.get_context().dialect.name`, `context.get_bind().engine.name`, `bind.dialect.name`);
- its description `X.dialect.dialect_description` ("postgresql+psycopg2": name, then driver),
  of which only the name part is compared (the driver is not known before the run);
- compared by `==`, `!=`, `in`, `not in` with a literal, a tuple of literals or a module
  constant holding one (`MYSQL_ENGINE = "mysql"`), or tested by `.startswith("mysql")`;
- combined by `not`, `and` (one decided False part is enough: `bind and bind.engine.name ==
  "postgresql"`), `or` (one decided True part is enough), passed through `bool(...)`, or kept
  in a flag (`is_mysql = ...`, `is_sqlite = bool(conn.dialect.name == "sqlite")`);
- any of these bound by an assignment expression inside the test (`if (dialect :=
  bind.dialect.name) == "postgresql": ... elif dialect == "mysql":`), the name then known as
  after a plain assignment;
- a capability flag of the dialect (`bind.dialect.supports_sequences`,
  `getattr(dialect, "supports_native_boolean", False)`, and `is_mariadb`), with the value
  SQLAlchemy's dialect for the target server has (`CAPABILITIES`); a flag whose value differs
  between the servers the target covers, or that is not in the table, is undecided and both
  branches are read;
- a function of the same file whose body is one `return` of such a test or of the name,
  after plain assignments (`def is_postgres(): return op.get_context().dialect.name ==
  "postgresql"`, `ctx = context.get_context(); return ctx.dialect.supports_sequences`), or
  after guard clauses on such a test (`if conn.engine.name != "postgresql": return False`,
  then a version check): the guard settles the result on the targets where it fires.

- such a function imported by name from a module of the project (`from app.models.db import
  dialect_name`, found under the revision's directory and its parents, `src/` layouts
  included; project_modules), or relatively (`from .dialects import is_postgres`), or reached
  as a module's attribute (`mu.is_postgresql(bind)` after `import app.migration_utils as mu`),
  its value passed through `str()` or `cast(str, ...)`; inside it, its module's string
  constants and other functions;
- a string constant of such a module compared with the dialect's name (`== mu.POSTGRES`);
- the dialect's class: `isinstance(bind.dialect, SQLiteDialect)`, `isinstance(conn.dialect,
  postgresql.dialect)`, a tuple of such classes (dialect_classes names the database).

A MySQL target's names are both servers' ("mysql" and "mariadb": the project may run either);
`on_mysql` answers for a MySQL server itself, which is never named "mariadb", so the reader
knows a branch only MariaDB takes (L333).

Not recognised: a function of a library, a constant computed at run time, names the other
module imports itself, and tests mixing the dialect with the server's version when the version
part decides.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from alembic_sentinel.lint.dialect_classes import dialect_of_class, holds_on
from alembic_sentinel.lint.expressions import is_docstring
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.project_modules import ImportedFunctions, ModuleFacts

NAME = "name"  # the value is the dialect's name: "mysql"
DESCRIPTION = "description"  # the value is "name+driver": "mysql+pymysql"


# SQLAlchemy's dialect capability flags whose value the target server fixes, as its dialects set
# them (sqlalchemy/dialects/*/base.py, 2.x). MySQL and MariaDB share one dialect family; where
# they differ the value depends on the flavor or the version (MariaDB has sequences from 10.3).
# supports_native_uuid is left out on purpose: on MariaDB it depends on the SQLAlchemy release.
_SHARED = {
    "supports_alter": True,
    "supports_comments": True,
    "supports_constraint_comments": False,
    "supports_native_boolean": False,
    "supports_native_enum": True,
    "supports_identity_columns": False,
    "supports_default_values": False,
    "supports_empty_insert": True,
}
CAPABILITIES: Mapping[str, Mapping[str, bool]] = {
    # is_mariadb: the MySQL family dialect's flag for the server it is connected to
    "mysql": {
        **_SHARED,
        "supports_sequences": False,
        "supports_native_uuid": False,
        "is_mariadb": False,
    },
    "mariadb": {**_SHARED, "is_mariadb": True},  # supports_sequences: by version, below
    "postgresql": {
        "supports_alter": True,
        "supports_comments": True,
        "supports_constraint_comments": True,
        "supports_native_boolean": True,
        "supports_native_enum": True,
        "supports_identity_columns": True,
        "supports_default_values": True,
        "supports_empty_insert": False,
        "supports_sequences": True,
        "supports_native_uuid": True,
    },
    "sqlite": {
        "supports_alter": False,
        "supports_comments": False,
        "supports_constraint_comments": False,
        "supports_native_boolean": False,
        "supports_native_enum": False,
        "supports_identity_columns": False,
        "supports_default_values": True,
        "supports_empty_insert": False,
        "supports_sequences": False,
        "supports_native_uuid": False,
    },
}
# what is known without the flavor: the values MySQL and MariaDB of every version agree on
MYSQL_FAMILY: Mapping[str, bool] = _SHARED
# the dialect names a MySQL server is seen with: SQLAlchemy names MariaDB's dialect "mariadb"
# (a `mariadb://` URL), never MySQL's
MYSQL_SERVER = frozenset({"mysql"})


def target_capabilities(flavor: str, version: tuple[int, ...]) -> Mapping[str, bool]:
    """The capability flags a dialect has on the target server (flavor and version); a flag
    missing from the answer is not decided by the target."""
    known = CAPABILITIES.get(flavor, {})
    if flavor == "mariadb" and version:
        # SQLAlchemy sets supports_sequences from the server's version (10.3 and newer)
        return {**known, "supports_sequences": version >= (10, 3)}
    return known


class DialectTests:
    """The dialect facts one function's reader has seen, and the outcome of a test on them."""

    def __init__(
        self,
        dialects: frozenset[str],
        constants: Callable[[], Mapping[str, ast.expr]],
        helpers: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef],
        capabilities: Mapping[str, bool] = MYSQL_FAMILY,
        imported: ImportedFunctions | None = None,
        qualified: Callable[[ast.expr], str | None] | None = None,
    ) -> None:
        # what a name means through the file's imports (`SQLiteDialect` ->
        # sqlalchemy.dialects.sqlite.base.SQLiteDialect), for tests on the dialect's class
        self.qualified = qualified or (lambda node: None)
        # the dialect names (engine.dialect.name) of the target
        self.dialects = dialects
        # the dialect's capability flags (supports_sequences, ...) the target fixes
        self.capabilities = capabilities
        # the reader's constants as they stand (module constants, the function's own literals,
        # a helper's parameters bound to literal arguments while it is read)
        self.constants = constants
        self.helpers = helpers
        # the functions and constants the revision reaches in the project's own modules
        # (`from app.models.db import dialect_name`, `mu.is_postgresql`, `mu.POSTGRES`): a
        # function is read like a same-file helper, with its module's constants and functions
        self.imported = imported
        # while an imported function is read: its module's constants and functions
        self.scopes: list[ModuleFacts] = []
        self.values: dict[str, str] = {}  # variable -> NAME / DESCRIPTION it holds
        # variables holding the engine or the dialect itself: their `.name` is the dialect's
        self.objects: set[str] = {"dialect"}
        self.flags: dict[str, bool] = {}  # `is_mysql = bind.dialect.name == "mysql"`
        # the same flags as a MySQL server decides them (`is_mariadb = name == "mariadb"`
        # holds on a MySQL target, read as either server, and not on MySQL itself; on_mysql)
        self.mysql_flags: dict[str, bool] = {}
        self.calling: set[str] = set()  # helpers being expanded (no recursion)

    def learn(self, variable: str, value: ast.expr) -> bool:
        """Record what `variable = value` holds; True when it now holds a dialect value or a
        decided test (the caller need not read it as anything else)."""
        kind = self.kind(value)
        if kind is not None:
            self.values[variable] = kind
            return True
        if type(value) is ast.Attribute and value.attr in ("dialect", "engine"):
            self.objects.add(variable)
        outcome = self.outcome(value)
        if outcome is not None:
            self.flags[variable] = outcome
            on_mysql = self.on_mysql(value)
            if on_mysql is not None:
                self.mysql_flags[variable] = on_mysql
            return True
        return False

    def on_mysql(self, test: ast.expr) -> bool | None:
        """Whether a test on the dialect holds on a MySQL server, whose dialect is never named
        "mariadb": a MySQL target's names are both servers' (a project on MariaDB may be
        judged as mysql-8.0), so `if dialect == "mariadb":` is taken there, but its branch
        does not run on MySQL itself. The outcome itself for other targets."""
        if self.dialects == MYSQL_SERVER or "mysql" not in self.dialects:
            return self.outcome(test)
        saved = (self.dialects, self.flags, self.mysql_flags, dict(self.values), set(self.objects))
        self.dialects, self.flags = MYSQL_SERVER, dict(self.mysql_flags)
        self.mysql_flags = dict(self.mysql_flags)
        try:
            return self.outcome(test)
        finally:
            self.dialects, self.flags, self.mysql_flags, self.values, self.objects = saved

    def kind(self, node: ast.expr) -> str | None:
        """NAME or DESCRIPTION when `node` is the dialect's name or description, else None."""
        if type(node) is ast.NamedExpr:
            return self.kind(self.bound(node))
        if type(node) is ast.Name:
            return self.values.get(node.id)
        if type(node) is ast.Call:
            value = _converted(node)
            if value is not None:
                return self.kind(value)
            with self.expanding(node) as returned:
                return None if returned is None else self.kind(returned)
        if type(node) is not ast.Attribute or node.attr not in (NAME, "dialect_description"):
            return None
        owner = node.value
        if node.attr == NAME:
            known = type(owner) is ast.Attribute and owner.attr in ("dialect", "engine")
        else:
            known = type(owner) is ast.Attribute and owner.attr == "dialect"
        if not known and not (type(owner) is ast.Name and owner.id in self.objects):
            return None
        return NAME if node.attr == NAME else DESCRIPTION

    def outcome(self, test: ast.expr) -> bool | None:
        """Whether a test on the dialect holds for the target; None for any other test."""
        if type(test) is ast.NamedExpr:
            return self.outcome(self.bound(test))
        if type(test) is ast.Name:
            return self.flags.get(test.id)
        if type(test) is ast.UnaryOp and type(test.op) is ast.Not:
            inner = self.outcome(test.operand)
            return None if inner is None else not inner
        if type(test) is ast.BoolOp:
            return self.combined(test)
        if type(test) is ast.Attribute:
            return self.capability(test.value, test.attr)
        if type(test) is ast.Call:
            truth = _truth(test)
            if truth is not None:
                return self.outcome(truth)
            prefix = self.prefix_test(test)
            if prefix is not None:
                return prefix
            looked_up = self.getattr_capability(test)
            if looked_up is not None:
                return looked_up
            by_class = self.class_test(test)
            if by_class is not None:
                return by_class
            with self.expanding(test) as returned:
                if returned is None:
                    return None
                constant = _bool_constant(returned)
                return constant if constant is not None else self.outcome(returned)
        if type(test) is not ast.Compare or len(test.ops) != 1:
            return None
        left, right, operator = test.left, test.comparators[0], test.ops[0]
        kind = self.kind(left)
        if kind is None:
            left, right = right, left
            kind = self.kind(left)
            if kind is None:
                return None
        values = self.literals(right)
        if values is None:
            return None
        if kind == DESCRIPTION:
            values = [value.split("+", 1)[0] for value in values]
        hit = any(value in self.dialects for value in values)
        if type(operator) in (ast.Eq, ast.In, ast.Is):
            return hit
        if type(operator) in (ast.NotEq, ast.NotIn, ast.IsNot):
            return not hit
        return None

    def combined(self, test: ast.BoolOp) -> bool | None:
        """`a and b` is False once one part is False, `a or b` True once one part is True,
        whatever the undecided parts say."""
        parts = [self.outcome(value) for value in test.values]
        deciding = type(test.op) is not ast.And
        if deciding in parts:
            return deciding
        if any(part is None for part in parts):
            return None
        return not deciding

    def capability(self, owner: ast.expr, flag: str) -> bool | None:
        """The value of `owner.flag` when owner is the dialect (`X.dialect`, or a variable
        holding it) and the target fixes the flag; None otherwise."""
        if not flag.startswith("supports_") and flag != "is_mariadb":
            return None
        dialect = type(owner) is ast.Attribute and owner.attr == "dialect"
        if not dialect and not (type(owner) is ast.Name and owner.id in self.objects):
            return None
        return self.capabilities.get(flag)

    def getattr_capability(self, call: ast.Call) -> bool | None:
        """`getattr(dialect, "supports_sequences", False)`: the flag's value, as above."""
        func = call.func
        if type(func) is not ast.Name or func.id != "getattr" or len(call.args) not in (2, 3):
            return None
        flag = string_value(call.args[1])
        return None if flag is None else self.capability(call.args[0], flag)

    def class_test(self, call: ast.Call) -> bool | None:
        """`isinstance(bind.dialect, PGDialect)` (or a tuple of dialect classes): whether the
        target's dialect is of that class; None when the first argument is not the dialect or
        a class is not one dialect_classes knows (a tuple with a matching class holds)."""
        func = call.func
        if type(func) is not ast.Name or func.id != "isinstance" or len(call.args) != 2:
            return None
        owner = call.args[0]
        dialect = type(owner) is ast.Attribute and owner.attr == "dialect"
        if not dialect and not (type(owner) is ast.Name and owner.id in self.objects):
            return None
        classes = call.args[1]
        elements = classes.elts if type(classes) is ast.Tuple else [classes]
        databases = [dialect_of_class(element, self.qualified) for element in elements]
        if any(d is not None and holds_on(d, self.dialects) for d in databases):
            return True
        return None if any(d is None for d in databases) else False

    def prefix_test(self, call: ast.Call) -> bool | None:
        """`bind.dialect.name.startswith("mysql")`, also on the description; a prefix naming
        a driver ("mysql+") is undecided (the driver is not known before the run)."""
        func = call.func
        if type(func) is not ast.Attribute or func.attr != "startswith" or len(call.args) != 1:
            return None
        if self.kind(func.value) is None:
            return None
        prefixes = self.literals(call.args[0])
        if prefixes is None or any("+" in prefix for prefix in prefixes):
            return None
        return any(name.startswith(p) for name in self.dialects for p in prefixes)

    def literals(self, node: ast.expr) -> list[str] | None:
        """The strings a literal, a tuple / list / set of literals, or a constant gives: the
        reader's, those of the module whose function is being read, or a project module's
        (`POSTGRES` imported by name, `mu.POSTGRES`), also as elements (`(POSTGRES, "x")`)."""
        node = self.resolved(node)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            values = [string_value(self.resolved(element)) for element in node.elts]
        else:
            values = [string_value(node)]
        if any(value is None for value in values):
            return None
        return [value for value in values if value is not None]

    def resolved(self, node: ast.expr) -> ast.expr:
        """The literal a name or a module's attribute holds; else the node itself."""
        if type(node) is ast.Name:
            scope = self.scopes[-1].constants if self.scopes else {}
            if node.id in scope:
                return scope[node.id]
            constants = self.constants()
            if node.id in constants and not self.scopes:
                return constants[node.id]
        if type(node) in (ast.Name, ast.Attribute) and self.imported is not None:
            if not self.scopes:
                return self.imported.constant(node) or node
        return node

    @contextmanager
    def expanding(self, call: ast.Call) -> Iterator[ast.expr | None]:
        """What a function lint reads returns on the target (see `returned`; None for a call
        of anything else), the function not expanded inside itself. Its assignments are learnt
        while the returned value is read and forgotten after."""
        found = self.definition(call.func)
        if found is None:
            yield None
            return
        key, definition, module = found
        saved = (dict(self.values), set(self.objects), dict(self.flags), dict(self.mysql_flags))
        self.calling.add(key)
        if module is not None:
            self.scopes.append(module)
        try:
            yield self.returned(definition.body)
        finally:
            self.calling.discard(key)
            if module is not None:
                self.scopes.pop()
            self.values, self.objects, self.flags, self.mysql_flags = saved

    def returned(self, body: list[ast.stmt]) -> ast.expr | None:
        """The value a function's body returns on the target, read statement by statement:
        a plain `name = value` is learnt; an `if` whose test is decided here is replaced by the
        branch that runs, so a guard clause (`if conn.engine.name != "postgresql": return
        False`, several in sequence, `if not ...`, `in`) settles the result where it fires and
        the rest of the body decides where it does not; the first `return X` reached gives X.
        None for any other statement, an `if` lint cannot decide, or a body that ends without
        a return. A bool constant counts only when a decided test chose it: a function that
        merely returns `False` is not a dialect test, and is left as it was."""
        pending = list(body[1:] if body and is_docstring(body[0]) else body)
        guarded = False
        while pending:
            statement = pending.pop(0)
            if type(statement) is ast.Return:
                value = statement.value
                if _bool_constant(value) is not None and not guarded:
                    return None
                return value
            if type(statement) is ast.If:
                outcome = self.outcome(statement.test)
                if outcome is None:
                    return None
                guarded = True
                pending[:0] = statement.body if outcome else statement.orelse
                continue
            pair = _assignment(statement)
            if pair is None:
                return None
            self.forget(pair[0])
            self.learn(*pair)
        return None

    def definition(
        self, func: ast.expr
    ) -> tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, ModuleFacts | None] | None:
        """(a key for the recursion guard, the definition, its module's facts when it is
        another module's) of the function a call names: one of the module whose function is
        being read, a same-file helper, or a project function (`is_postgres`,
        `mu.is_postgresql`); None for anything else or one being read already."""
        key = ast.unparse(func) if type(func) in (ast.Name, ast.Attribute) else ""
        if not key or key in self.calling:
            return None
        if self.scopes:
            # inside another module's function: only that module's own functions are known
            module = self.scopes[-1]
            if type(func) is ast.Name and func.id in module.functions:
                return key, module.functions[func.id], module
            return None
        if type(func) is ast.Name and func.id in self.helpers:
            return key, self.helpers[func.id], None
        found = self.imported.function(func) if self.imported is not None else None
        return (key, found[0], found[1]) if found is not None else None

    def bound(self, node: ast.NamedExpr) -> ast.expr:
        """The value of `(name := value)`, after recording what the name now holds.

        `if (dialect := bind.dialect.name) == "postgresql": ... elif dialect == "mysql":` binds
        the name inside the first test; the `elif` and the rest of the function test the name,
        so it must be known from here on, as after a plain assignment."""
        variable = node.target.id
        self.forget(variable)
        self.learn(variable, node.value)
        return node.value

    def forget(self, variable: str) -> None:
        """Drop what `variable` held: it is assigned anew."""
        self.values.pop(variable, None)
        self.objects.discard(variable)
        self.flags.pop(variable, None)
        self.mysql_flags.pop(variable, None)


def _converted(call: ast.Call) -> ast.expr | None:
    """The value a type conversion passes through unchanged: `str(x)`, `cast(str, x)`,
    `typing.cast(str, x)` (how a typed helper returns `engine.dialect.name`)."""
    func = call.func
    name = func.id if type(func) is ast.Name else func.attr if type(func) is ast.Attribute else ""
    if name == "str" and len(call.args) == 1 and not call.keywords:
        return call.args[0]
    if name == "cast" and len(call.args) == 2 and not call.keywords:
        return call.args[1]
    return None


def _truth(call: ast.Call) -> ast.expr | None:
    """The test `bool(test)` passes through (`is_sqlite = bool(conn.dialect.name ==
    "sqlite")`); None for any other call."""
    func = call.func
    if type(func) is ast.Name and func.id == "bool" and len(call.args) == 1 and not call.keywords:
        return call.args[0]
    return None


def _bool_constant(node: ast.expr | None) -> bool | None:
    """The value of a literal `True` / `False`; None for anything else."""
    if type(node) is ast.Constant and type(node.value) is bool:
        return node.value
    return None


def _assignment(statement: ast.stmt) -> tuple[str, ast.expr] | None:
    """(name, value) of a plain `name = value`; None for any other statement."""
    if type(statement) is not ast.Assign or len(statement.targets) != 1:
        return None
    target = statement.targets[0]
    return (target.id, statement.value) if type(target) is ast.Name else None
