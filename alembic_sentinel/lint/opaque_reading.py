"""How the reader records the steps it cannot read (lint/opaque_steps.py) as it walks a
function: a mixin of `revision_reader._FunctionReader`, which owns the walk and the state these
methods read (its names, tables, constants, the expressions local names were bound to).

Each kind of step is recorded where the walk meets it: a call lint does not follow when the call
is read (`unfollowed`), an operation whose table or object is named at run time, `op.invoke` and
`op.run_async` when the operation is (`unresolved_operation`), SQL lint cannot read fully and
rows written unseen when the fill is (`opaque_fill`), a batch rebuilt from `copy_from` when the
`with` is. Kept apart from the walk so that the reader stays one walk and this, one question:
what of this function could lint not read?
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Mapping
from types import MappingProxyType

from alembic_sentinel.lint.held_statements import is_statement
from alembic_sentinel.lint.literals import Names, is_none, string_value
from alembic_sentinel.lint.opaque_steps import (
    ALEMBIC,
    CALL,
    OBJECT_PARAMETERS,
    OPERATION,
    OPERATION_EFFECTS,
    ROWS,
    SQL,
    UNREAD_OPERATIONS,
    WRITES_ROWS,
    table_pattern,
)
from alembic_sentinel.lint.project_modules import ImportedFunctions
from alembic_sentinel.lint.reflected_keys import Reflection, reflected_name
from alembic_sentinel.lint.revision_model import (
    OpaqueStep,
    Operation,
    TableModel,
)
from alembic_sentinel.lint.sql_templates import (
    computed_text,
    format_receiver,
    template_text,
    templated_sql,
)
from alembic_sentinel.lint.table_models import table_model
from alembic_sentinel.lint.unread_calls import (
    CallArguments,
    call_tables,
    effects_by_name,
    effects_of_method,
    housekeeping,
    is_handle,
    is_library,
    makes_handle,
    runs_code,
    says_it_reads,
)
from alembic_sentinel.lint.unread_sql import (
    CONSTRUCT_EFFECTS,
    UNKNOWN,
    Part,
    fields_as_placeholders,
    joined_template,
    returns_statements,
    sql_parts,
)

# the SQLAlchemy functions that take raw SQL text
_SQL_TEXT_CALLS = frozenset({"text", "literal_column"})
# the fills that run SQL given as their first argument
_EXECUTES = frozenset({"execute", "exec_driver_sql"})
# Alembic's parameters naming an operation's table
_TABLE_PARAMS = ("table_name", "source_table", "old_table_name")

# the kind of key an operation named at run time makes or drops (a drop_constraint's type_
# says its own)
_KEY_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "create_foreign_key": "foreignkey",
        "create_unique_constraint": "unique",
        "create_check_constraint": "check",
        "create_primary_key": "primary",
        "create_index": "index",
        "drop_index": "index",
    }
)
# what a bare name calls when the file binds it to nothing (`print`, `len`, `sorted`)
_BUILTINS = frozenset(dir(builtins))


class OpaqueReading:
    """The reader's record of what it cannot read; `start_opaque` readies it."""

    # the reader's own state these methods read (revision_reader._FunctionReader sets it)
    names: Names
    helpers: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef]
    inlined: set[str]
    factories: dict[str, ast.Lambda]
    tables: dict[str, TableModel]
    instances: dict[str, str]
    imported: ImportedFunctions | None
    constants: dict[str, ast.expr]
    expressions: dict[str, list[ast.expr]]
    held_statements: dict[str, ast.Call]
    reflected_loops: dict[str, tuple[Reflection, frozenset[str]]]

    def start_opaque(self, made: Mapping[str, str], templates: Mapping[str, ast.expr]) -> None:
        # what it does that lint cannot read, in order
        self.opaque: list[OpaqueStep] = []
        # names bound to a database handle (`conn = op.get_bind()`, `with engine.connect() as
        # conn:`), which a call lint does not follow may write through
        self.handles: set[str] = set()
        # name -> whether it was bound to what a call lint does not follow returned (an object
        # of the project's, whose methods are not read either)
        self.origins: dict[str, bool] = {}
        # name -> the class or function (dotted) whose call it was bound to (`status =
        # postgresql.ENUM(...)`): what kind of object its methods act on
        self.made: dict[str, str] = dict(made)
        # module-level names bound to SQL built from parts not all known: read as templates
        self.templates = templates
        self.statement_call: ast.Call | None = None  # the call a statement makes, as a whole
        # the tests of `if` / `while` / `assert` being read: a call there is a question asked
        # (`has_column(conn, "t", "c")`), no step of its own; by id, the node kept alive
        self.tests: dict[int, ast.expr] = {}
        self.testing = 0
        self.local_functions: set[str] = set()  # functions defined inside the function
        # how call_tables reads the arguments of a call lint does not follow
        self.arguments = CallArguments(
            self.literal, self.table_named, self.is_handle, self.library_value
        )

    # the reader's methods these use
    def next_seq(self) -> int:
        raise NotImplementedError

    def literal(self, node: ast.expr) -> ast.expr | None:
        raise NotImplementedError

    def module_function(self, func: ast.Attribute) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        raise NotImplementedError

    def tablename_of(self, node: ast.Attribute) -> ast.expr | None:
        raise NotImplementedError

    def sql_text(self, node: ast.expr) -> str | None:
        raise NotImplementedError

    def executed(self, node: ast.Call) -> ast.expr | None:
        raise NotImplementedError

    def learn_binding(self, name: str, value: ast.expr) -> None:
        """What a name now holds, for later calls of it or of its methods: what a call lint
        does not follow returned, a library's object, a database handle."""
        self.origins[name] = self.returns_unfollowed(value)
        callee = value.func if type(value) is ast.Call else None
        qualified = self.names.qualified(callee) if callee is not None else None
        if qualified is not None:
            self.made[name] = qualified
        else:
            self.made.pop(name, None)
        if makes_handle(value) or (type(value) is ast.Name and self.is_handle(value)):
            self.handles.add(name)
        else:
            self.handles.discard(name)

    def unfollowed(self, node: ast.Call) -> None:
        """Record a call lint does not follow as an opaque step (opaque_steps.py), when it may
        write rows or change the schema: a statement of its own, or a call given a database
        handle; not a question an `if` asks, nor a function whose name says it reads."""
        if self.testing or makes_handle(node):
            return  # a question an `if` asks; a session or connection opened
        given = any(
            self.is_handle(argument) for argument in (*node.args, *(k.value for k in node.keywords))
        )
        if not given and node is not self.statement_call:
            return
        effects = None
        func = node.func
        if type(func) is ast.Name:
            if not self.opaque_callee(func, given):
                return
            effects = effects_by_name(func.id)
        elif type(func) is ast.Attribute:
            if housekeeping(func.attr) or says_it_reads(func.attr):
                return
            root = func.value
            while type(root) is ast.Attribute:
                root = root.value
            receiver = ast.unparse(func.value)
            receiver += " " + self.made.get(receiver, "")  # `status_enum`, or what made it
            effects = effects_of_method(func.attr, receiver)
            effects = effects if effects is not None else effects_by_name(func.attr)
            qualified = self.names.qualified(func) if type(root) is ast.Name else None
            if qualified is not None:
                if is_library(qualified) and effects is None:
                    return  # a library's function or class, given a handle to read through
            elif type(root) is ast.Name and is_library(self.made.get(root.id)) and effects is None:
                return  # a method of a library's object (`Session.configure(bind=bind)`)
            elif type(root) is ast.Name and (self.origins.get(root.id) or root.id in self.made):
                pass  # a method of an object a call lint does not follow returned (or made)
            elif type(root) is ast.Name and root.id in self.instances:
                pass  # a method of an ORM object: it may set the row's columns
            elif not given:
                return  # a method of a list, a string, a row: nothing written through it
        tables = call_tables(node, self.arguments)
        if effects is None and type(func) is ast.Attribute and type(func.value) is ast.Name:
            holder = self.instances.get(func.value.id)
            model = self.tables.get(holder) if holder is not None else None
            if model is not None and model.table and not given:
                tables = frozenset({model.table.lower()})  # an ORM object's own row
        shown = ast.unparse(func)
        self.note(CALL, node, tables, effects, f"{shown[:50]}(...)")

    def opaque_callee(self, func: ast.Name, given: bool) -> bool:
        """Whether a function called by its bare name is one lint does not follow and that may
        write: imported from a module lint cannot read (the project's, another package's), or
        a name bound at run time (a parameter, a callback, a star import); not a builtin, a
        library's function, a function or lambda of the file, a table or class it describes,
        or a name bound to a known value."""
        name = func.id
        if name in self.helpers or name in self.inlined or name in self.factories:
            return False
        if name in self.tables or says_it_reads(name):
            return False
        qualified = self.names.qualified(func)
        if qualified is not None:
            return not is_library(qualified)
        if name in _BUILTINS:
            return runs_code(name)
        if name in self.origins:
            # bound to what a call lint does not follow returned, or to a value picked at run
            # time (`handler = HANDLERS[kind]`) rather than a library's callable
            return self.origins[name] or given or not is_library(self.made.get(name))
        return name not in self.local_functions

    def returns_unfollowed(self, value: ast.expr) -> bool:
        """Whether a value is what a call lint does not follow returned (`Migrator(conn)`,
        `utils.copier(op).prepare()`): an object whose methods lint does not read either."""
        node = value
        while type(node) is ast.Call:
            func = node.func
            if type(func) is ast.Name:
                return self.opaque_callee(func, False)
            if type(func) is not ast.Attribute:
                return True  # `FACTORIES[kind](...)`: a callee chosen at run time
            qualified = self.names.qualified(func)
            if qualified is not None:
                return not is_library(qualified) and self.module_function(func) is None
            node = func.value
            if type(node) is ast.Name:
                return self.origins.get(node.id, False)
        return False

    def library_value(self, node: ast.expr) -> bool:
        """Whether an argument is a library's value (`sa.Column(...)`, `sa.Integer`), which
        names no table to touch."""
        func = node.func if type(node) is ast.Call else node
        qualified = self.names.qualified(func) if type(func) in (ast.Name, ast.Attribute) else None
        return qualified is not None and is_library(qualified)

    def is_handle(self, node: ast.expr) -> bool:
        if type(node) is ast.Name and self.names.is_op(node):
            return True
        return is_handle(node, self.handles.__contains__)

    def table_named(self, node: ast.expr) -> str | None:
        """The table an argument names: a table or ORM class of the revision, a project ORM
        class, `Model.__tablename__`; None for anything else."""
        if type(node) is ast.Name:
            model = self.tables.get(node.id)
            if model is None and node.id in self.instances:
                model = self.tables.get(self.instances[node.id])
            if model is not None:
                return model.table
            if self.imported is not None and self.names.resolve(node.id) is not None:
                attribute = ast.Attribute(node, "__tablename__", ast.Load())
                return self.imported.tablename(attribute)
            return None
        if type(node) is ast.Call:  # `sa.table("t", ...)` given in place
            made = table_model("", node, self.names, self.constants)
            return made.table if made is not None else None
        if type(node) is ast.Attribute and node.attr == "__tablename__":
            named = self.tablename_of(node)
            return string_value(named) if named is not None else None
        return None

    def called_definition(self, func: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function of the file or of the project's modules a call names, if lint has it."""
        if type(func) is ast.Name:
            if func.id in self.helpers:
                return self.helpers[func.id]
            found = self.imported.function(func) if self.imported is not None else None
            return found[0] if found is not None else None
        return self.module_function(func) if type(func) is ast.Attribute else None

    def unresolved_operation(self, op: Operation, node: ast.Call, batch: bool) -> None:
        """An operation lint cannot read as an opaque step: `op.invoke(...)`, `op.run_async(...)`;
        or one whose table or object is named at run time (`op.drop_column(table, name)` in a
        loop over a list built at run time), which can still only make its own kind of change,
        to the table or object it names."""
        name = op.name
        if name in UNREAD_OPERATIONS:
            self.invoked(node)
            return
        effects = OPERATION_EFFECTS.get(name)
        if effects is None or op.reflected is not None or op.spread:
            return  # a reflected drop names its keys (reflected_keys.py)
        parameter = OBJECT_PARAMETERS.get(name)
        if (
            parameter in ("constraint_name", "index_name")
            and self.reflected_loops
            and reflected_name(op.param(parameter), self.reflected_loops) is not None
        ):
            return  # named by a reflection loop lint read: reflected_keys says which keys
        names: frozenset[str] | None = None
        named = True  # its object's name is known (or it has none)
        if name == "add_column":
            column = op.columns[0].name if op.columns else None
            named = column is not None or self.nameless_column(op.param("column"))
            names = frozenset({column.lower()}) if column else None
        elif parameter is not None:
            given = op.param(parameter)
            literal = op.string(parameter)
            # a library's value given for the name (`sa.Column(...)`) names nothing at run
            # time either: the call is wrong, not unread
            named = given is None or is_none(given) or literal is not None
            named = named or (given is not None and self.library_value(given))
            names = frozenset({literal.lower()}) if literal else None
        table_given = batch or any(p in op.params for p in _TABLE_PARAMS)
        if named and (op.table is not None or not table_given):
            return
        tables: frozenset[str] | None = None
        if op.table is not None:
            tables = frozenset({op.table.lower()})
        elif op.computed_table is not None:
            tables = frozenset({table_pattern(op.computed_table)})
        kind = _KEY_KINDS.get(name) or op.string("type_")
        self.note(OPERATION, node, tables, effects, ast.unparse(node)[:60], names, kind)

    def invoked(self, node: ast.Call) -> None:
        """`op.invoke(...)` / `op.run_async(...)` as an opaque step: an operation object of
        Alembic's built in place (`ops.DropColumnOp("t", "c")`) makes its operation's kind of
        change on the names it is given; anything else may do anything."""
        given = node.args[0] if node.args else None
        effects = None
        tables = None
        if type(given) is ast.Call:
            qualified = self.names.qualified(given.func) or ""
            if qualified.startswith("alembic.") and qualified.endswith("Op"):
                made = re.sub(r"(?<!^)(?=[A-Z])", "_", qualified.rsplit(".", 1)[-1][:-2]).lower()
                effects = OPERATION_EFFECTS.get(made)
                tables = call_tables(given, self.arguments)
        shown = ast.unparse(node.func)
        self.note(ALEMBIC, node, tables, effects, f"{shown}(...)")

    def nameless_column(self, node: ast.expr | None) -> bool:
        """Whether add_column is given a Column written with no name (`sa.Column(sa.Text())`):
        it adds none, whatever runs (Alembic refuses it); not one named at run time."""
        if type(node) is not ast.Call or not self.library_value(node):
            return False
        first = node.args[0] if node.args else None
        # `Column(type)`: a type (a call or a class) where a name would be a string
        return first is None or type(first) in (ast.Call, ast.Attribute)

    def opaque_fill(self, node: ast.Call) -> None:
        """A fill that may read or write what the syntax does not show, as opaque steps: the
        parts of its SQL lint cannot read (opaque_steps.sql_parts), or rows written by
        `setattr`, the session's bulk methods, a bulk_insert into a table named at run time
        (the table of the object or class they are given)."""
        func = node.func
        method = func.attr if type(func) is ast.Attribute else getattr(func, "id", "")
        if method in _EXECUTES:
            argument = self.executed(node)
            parts = self.executed_parts(argument) if argument is not None else [UNKNOWN]
            shown = ast.unparse(argument)[:40] if argument is not None else ""
            for tables, effects, names in dict.fromkeys(parts):
                self.note(SQL, node, tables, effects, f"SQL lint cannot read ({shown})", names)
            return
        given = node.args[0] if node.args else None
        if method == "bulk_insert":
            given = None  # its table is the one lint could not name
        table = self.table_named(given) if given is not None else None
        tables = frozenset({table.lower()}) if table else None
        # rows handed over as data (objects, dicts) write what they hold, and what they were
        # read from is a fill of its own: no copy here, only writes; `setattr(obj, name,
        # getattr(obj, old))` reads what lint does not see, and may be one
        effects = None if method == "setattr" else frozenset({WRITES_ROWS})
        self.note(ROWS, node, tables, effects, f"{method}(...)")

    def executed_parts(self, argument: ast.expr, depth: int = 0) -> list[Part]:
        """What an execute runs that lint cannot read, part by part (opaque_steps.sql_parts);
        empty when it reads all of it: literal SQL of kinds it knows, a template's statements
        (their writes and DDL, which the fill does not keep, aside), each value a name was
        bound to, SQLAlchemy's constructs, a function returning Core statements."""
        text = self.sql_text(argument)
        if text is not None:
            return sql_parts(text)
        if depth > 3:
            return [UNKNOWN]
        if is_statement(argument, self.names) and not self.text_call(argument):
            return []  # a Core statement: the fill reads it
        if type(argument) is ast.Name:
            if argument.id in self.held_statements:
                return self.executed_parts(self.held_statements[argument.id], depth + 1)
            values = self.expressions.get(argument.id, ())
            if not values and argument.id in self.templates:
                values = [self.templates[argument.id]]  # `MARK = f"... {LIVE}"` of the module
            if not values:
                return [UNKNOWN]  # a parameter, a name bound elsewhere
            # each value it was bound to (in two branches, or one after the other)
            return [p for v in values for p in self.executed_parts(v, depth + 1)]
        if type(argument) is ast.Call and self.text_call(argument):
            return self.executed_parts(argument.args[0], depth + 1) if argument.args else [UNKNOWN]
        template = self.template_of(argument)
        if template is not None:
            return sql_parts(template, template=True)
        if type(argument) is ast.Call:
            return self.construct_parts(argument)
        return [UNKNOWN]

    def template_of(self, node: ast.expr) -> str | None:
        """SQL built at run time as its template: `.format()` / `%` / `+` / f-string parts
        known filled in, a name of no known value as its placeholder (sql_templates), any other
        value (`{obj.attr}`, a call) as a placeholder of its own; None when it is no template."""
        if type(node) not in (ast.JoinedStr, ast.BinOp) and format_receiver(node) is None:
            return None
        text = templated_sql(node, self.constants.get, placeholders=True)
        text = text or computed_text(node, self.constants.get)
        written = template_text(node) if text is None else None
        text = text or (fields_as_placeholders(written) if written else None)
        return text or joined_template(node)

    def text_call(self, node: ast.expr) -> bool:
        """`sa.text(...)` / `literal_column(...)`: raw SQL given as its argument."""
        return type(node) is ast.Call and self.names.sqlalchemy_name(node.func) in _SQL_TEXT_CALLS

    def construct_parts(self, argument: ast.Call) -> list[Part]:
        """What an execute given a call's result runs: a SQLAlchemy DDL element its kind of
        change (other constructs are read, or touch no table); a function of the file or the
        project whose every `return` is a Core statement, read where it is built; anything
        else, whatever the call returns, on the tables it is given."""
        node = argument
        while type(node.func) is ast.Attribute and type(node.func.value) is ast.Call:
            node = node.func.value  # `DropTable(t).execute_if(...)`
        qualified = self.names.qualified(node.func)
        tables = call_tables(node, self.arguments)
        if qualified is not None and is_library(qualified):
            kind = qualified.rsplit(".", 1)[-1]
            if kind in CONSTRUCT_EFFECTS:
                return [(tables, CONSTRUCT_EFFECTS[kind], None)]
            return []  # a Core statement the fill reads, or an element of no table
        definition = self.called_definition(node.func)
        if definition is not None and returns_statements(definition, self.names):
            return []
        return [(tables, None, None)]

    def note(
        self,
        kind: str,
        node: ast.AST,
        tables: frozenset[str] | None,
        effects: frozenset[str] | None = None,
        what: str = "",
        names: frozenset[str] | None = None,
        key_kind: str | None = None,
    ) -> None:
        """Record a step lint cannot read (opaque_steps.py)."""
        line = getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", line) or line
        self.opaque.append(
            OpaqueStep(kind, self.next_seq(), line, end, tables, effects, names, what, key_kind)
        )
