"""A revision file as what it does: the `op.*` operations and data fills of each function.

The lint rules ask questions such as "is this NOT NULL column added to a table this revision
did not create?" or "was anything filled between adding the column and making it NOT NULL?".
This module answers from the syntax alone: one `ast.parse` and one walk per file, nothing
imported or executed (the hook runs without the project's packages, and must stay fast).

What is modelled:

- every `op.X(...)` call, and every `batch_op.X(...)` inside `with op.batch_alter_table("t")
  as batch_op:` (its table taken from the `with`), in source order, its arguments bound to
  Alembic's parameter names;
- data fills (`op.execute`, `bind.execute`, `session.query/add/flush/...`, `sa.update(...)`,
  attribute assignments in loops, ...) in the same order, so a rule can ask whether one
  happened between two operations;
- the values a fill assigns to columns of tables described inline (an ORM class frozen in
  the revision, `sa.table()` / `sa.Table()`), with the column types those describe;
- module-level imports, calls and docstring, and whether the revision is a merge.

Names are resolved through the file's imports and aliases (`import sqlalchemy as db`,
`db = sa`, `from sqlalchemy import Column`, `from sqlalchemy.dialects import mysql`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple, Union

UPGRADE = "upgrade"
DOWNGRADE = "downgrade"

# type families: what a rule needs to know about a column type
STRING = "string"  # VARCHAR / CHAR: a length in characters
TEXT = "text"
BLOB = "blob"
JSON = "json"
INTEGER = "integer"
BOOLEAN = "boolean"
NUMERIC = "numeric"
DATETIME = "datetime"
DATE = "date"
TIME = "time"
ENUM = "enum"

_FAMILIES: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("String", "VARCHAR", "CHAR", "Unicode", "NVARCHAR", "NCHAR"), STRING),
        **dict.fromkeys(
            ("Text", "UnicodeText", "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "CLOB"), TEXT
        ),
        **dict.fromkeys(
            ("LargeBinary", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "PickleType"), BLOB
        ),
        "JSON": JSON,
        **dict.fromkeys(
            (
                "Integer",
                "INTEGER",
                "INT",
                "SmallInteger",
                "SMALLINT",
                "BigInteger",
                "BIGINT",
                "TINYINT",
                "MEDIUMINT",
            ),
            INTEGER,
        ),
        **dict.fromkeys(("Boolean", "BOOLEAN"), BOOLEAN),
        **dict.fromkeys(
            (
                "Numeric",
                "NUMERIC",
                "DECIMAL",
                "Float",
                "FLOAT",
                "REAL",
                "Double",
                "DOUBLE",
                "DOUBLE_PRECISION",
            ),
            NUMERIC,
        ),
        **dict.fromkeys(("DateTime", "DATETIME", "TIMESTAMP"), DATETIME),
        **dict.fromkeys(("Date", "DATE"), DATE),
        **dict.fromkeys(("Time", "TIME"), TIME),
        **dict.fromkeys(("Enum", "ENUM"), ENUM),
    }
)
# methods that return (a variant of) the type they are called on
_TYPE_METHODS = frozenset({"with_variant", "evaluates_none", "copy"})
_COLUMN_CALLS = frozenset({"Column", "column", "mapped_column"})
_TABLE_CALLS = frozenset({"table", "Table"})
_CONSTRAINT_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "ForeignKeyConstraint": "foreign_key",
        "UniqueConstraint": "unique",
        "CheckConstraint": "check",
        "PrimaryKeyConstraint": "primary_key",
        "Index": "index",
    }
)
# where a constraint's name goes when it is passed positionally
_NAME_POSITION: Mapping[str, int] = MappingProxyType(
    {"ForeignKeyConstraint": 2, "CheckConstraint": 1, "Index": 0}
)

# server_default kinds
DEFAULT_NONE = "none"  # server_default=None
DEFAULT_LITERAL = "literal"  # rendered as DEFAULT 'x' / DEFAULT 0
DEFAULT_EXPRESSION = "expression"  # rendered in parentheses: DEFAULT (...)
DEFAULT_UNKNOWN = "unknown"  # a variable or anything else not readable here
_SINGLE_WORD = re.compile(r"\w*")
_UNWRAPPED = re.compile(r"ON +UPDATE|^(now|current_timestamp)\(\d+\)", re.IGNORECASE)

# Alembic's positional parameters per operation (alembic.operations.ops); batch forms take
# the same without the table, which comes from `batch_alter_table`.
_SIGNATURES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "add_column": ("table_name", "column"),
        "alter_column": ("table_name", "column_name"),
        "drop_column": ("table_name", "column_name"),
        "create_table": ("table_name",),
        "drop_table": ("table_name",),
        "rename_table": ("old_table_name", "new_table_name"),
        "create_index": ("index_name", "table_name", "columns"),
        "drop_index": ("index_name", "table_name"),
        "create_unique_constraint": ("constraint_name", "table_name", "columns"),
        "create_primary_key": ("constraint_name", "table_name", "columns"),
        "create_check_constraint": ("constraint_name", "table_name", "condition"),
        "create_foreign_key": (
            "constraint_name",
            "source_table",
            "referent_table",
            "local_cols",
            "remote_cols",
        ),
        "drop_constraint": ("constraint_name", "table_name", "type_"),
        "execute": ("sqltext",),
        "bulk_insert": ("table", "rows"),
    }
)
_TABLE_PARAMS = ("table_name", "source_table", "old_table_name")
# keyword names of Alembic < 1.0, still found in old histories
_OLD_KEYWORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "name": ("index_name", "constraint_name"),
        "source": ("source_table",),
        "referent": ("referent_table",),
        "table": ("table_name",),
    }
)
# calls on anything but `op` that read or write rows: a data fill (conservatively: a read
# counts too, a rule wrongly quiet costs less than one wrongly loud)
_FILL_METHODS = frozenset(
    {
        "execute",
        "exec_driver_sql",
        "add",
        "add_all",
        "merge",
        "flush",
        "commit",
        "query",
        "update",
        "insert",
        "delete",
        "bulk_save_objects",
        "bulk_insert_mappings",
        "bulk_update_mappings",
    }
)
_DML_CALLS = frozenset({"update", "insert", "delete"})
# calls whose first argument is an ORM class and whose result yields its instances
_ORM_SOURCES = frozenset({"query", "get", "get_one", "select", "scalars", "scalar", "execute"})
# when the file never binds these names, they mean what Alembic's template imports
_IMPLICIT: Mapping[str, str] = MappingProxyType({"op": "alembic.op", "sa": "sqlalchemy"})


class TypeSpec(NamedTuple):
    """A column type as written: `sa.String(length=100)` -> ("String", "string", length=100)."""

    name: str
    family: str
    length: int | None = None
    values: tuple[str, ...] | None = None  # Enum values, when written as literals
    precision: int | None = None
    scale: int | None = None

    def __str__(self) -> str:
        if self.values is not None:
            return f"{self.name}({', '.join(repr(v) for v in self.values)})"
        params = [str(p) for p in (self.length, self.precision, self.scale) if p is not None]
        return f"{self.name}({', '.join(params)})" if params else self.name


class ConstraintSpec(NamedTuple):
    """A constraint or index declared in `create_table` / on a `Column`."""

    kind: str  # "foreign_key" | "unique" | "check" | "primary_key" | "index"
    named: bool  # a name other than None is given (perhaps a variable)
    name: str | None  # the name, when it is a literal (or op.f("literal"))
    columns: tuple[str, ...]
    line: int
    end_line: int


class ColumnSpec(NamedTuple):
    """`sa.Column("name", sa.String(100), nullable=False, ...)`, read as far as literals go."""

    name: str | None
    type: TypeSpec | None
    nullable: bool | None = None  # None: not given (or not a literal)
    primary_key: bool = False
    server_default: str | None = None  # None: not given; else a DEFAULT_* kind
    server_default_node: ast.expr | None = None
    unique: bool = False
    indexed: bool = False  # index=True
    autoincrement: bool | None = None  # None: not given, or "auto"
    generated: bool = False  # Computed / Identity: the server fills it
    foreign_keys: tuple[ConstraintSpec, ...] = ()
    line: int = 0
    end_line: int = 0

    @property
    def not_null(self) -> bool:
        return self.nullable is False or (self.nullable is None and self.primary_key)


class TableModel(NamedTuple):
    """A table described inside the revision: an ORM class, `sa.table()` or `sa.Table()`."""

    variable: str
    table: str | None
    columns: Mapping[str, ColumnSpec]  # by attribute name and by column name
    orm: bool  # an ORM class: its instances carry the columns as attributes
    line: int


class Operation(NamedTuple):
    """One `op.X(...)` or `batch_op.X(...)` call."""

    name: str
    table: str | None  # a literal table name, or the batch_alter_table's
    args: tuple[ast.expr, ...]
    keywords: Mapping[str, ast.expr]
    params: Mapping[str, ast.expr]  # arguments bound to Alembic's parameter names
    extra: tuple[ast.expr, ...]  # positional arguments past the signature (create_table's)
    batch: bool
    line: int
    end_line: int
    seq: int  # position among this function's operations and fills
    columns: tuple[ColumnSpec, ...] = ()  # add_column's column, create_table's columns
    constraints: tuple[ConstraintSpec, ...] = ()  # create_table's table-level constraints

    def param(self, name: str) -> ast.expr | None:
        return self.params.get(name)

    def string(self, name: str) -> str | None:
        """The parameter as a literal string (op.f("x") included), else None."""
        node = self.params.get(name)
        return string_value(node) if node is not None else None


class Fill(NamedTuple):
    """A statement that reads or writes rows."""

    kind: str  # what it is, e.g. "op.execute", "session.flush", "attribute assignment"
    line: int
    end_line: int
    seq: int


class Assignment(NamedTuple):
    """A value a data fill writes into a column: `obj.col = v`, `.values(col=v)`, ..."""

    model: TableModel | None
    table: str | None
    column: str
    value: ast.expr
    via: str
    line: int
    end_line: int
    seq: int


class FunctionBody(NamedTuple):
    name: str
    line: int
    end_line: int
    operations: tuple[Operation, ...]
    fills: tuple[Fill, ...]
    assignments: tuple[Assignment, ...]
    empty: bool  # only `pass`, `...` and a docstring
    raises_only: bool  # only `raise ...` (a deliberately irreversible downgrade)

    def fills_between(self, after: int, before: int) -> list[Fill]:
        return [fill for fill in self.fills if after < fill.seq < before]


class ImportRef(NamedTuple):
    module: str  # the absolute module imported from, e.g. "orm.election"
    line: int
    end_line: int


class ModuleCall(NamedTuple):
    """An `op.*` or `*.get_bind()` call that runs when the module is imported."""

    call: str  # e.g. "op.get_bind"
    line: int
    end_line: int


class RevisionModule(NamedTuple):
    docstring: str | None
    docstring_line: int | None
    down_revisions: tuple[str, ...]
    imports: tuple[ImportRef, ...]
    module_calls: tuple[ModuleCall, ...]
    functions: Mapping[str, FunctionBody]
    tables: Mapping[str, TableModel]  # every inline table, by variable (later ones win)
    names: Names

    @property
    def is_merge(self) -> bool:
        return len(self.down_revisions) > 1

    @property
    def upgrade(self) -> FunctionBody | None:
        return self.functions.get(UPGRADE)

    @property
    def downgrade(self) -> FunctionBody | None:
        return self.functions.get(DOWNGRADE)


class Names:
    """What each name in the module refers to: `sa` -> `sqlalchemy`, `Column` -> its class."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}

    def bind(self, name: str, qualified: str) -> None:
        self._aliases[name] = qualified

    def resolve(self, name: str) -> str | None:
        return self._aliases.get(name) or _IMPLICIT.get(name)

    def qualified(self, node: ast.expr) -> str | None:
        """`db.Column` -> "sqlalchemy.Column" when `db = sa` and `import sqlalchemy as sa`."""
        parts: list[str] = []
        while type(node) is ast.Attribute:
            parts.append(node.attr)
            node = node.value
        if type(node) is not ast.Name:
            return None
        base = self.resolve(node.id)
        if base is None:
            return None
        parts.append(base)
        return ".".join(reversed(parts))

    def sqlalchemy_name(self, node: ast.expr) -> str | None:
        """The SQLAlchemy name a callee means (`db.String` -> "String"), else None.

        A name whose origin the file does not show (a star import, Flask-SQLAlchemy's
        `db.Column`) is taken at its word; one imported from elsewhere is not SQLAlchemy's.
        """
        if type(node) is ast.Attribute:
            last = node.attr
        elif type(node) is ast.Name:
            last = node.id
        else:
            return None
        root: ast.expr = node
        while type(root) is ast.Attribute:
            root = root.value
        if type(root) is not ast.Name:
            return last  # e.g. `make_table().c`: no origin to judge by
        # only the root's origin decides (a dotted name never starts with a longer prefix)
        origin = self.resolve(root.id)
        if origin is None or origin.startswith(("sqlalchemy", "flask_sqlalchemy")):
            return last
        return None

    def is_op(self, node: ast.expr) -> bool:
        """`op`, however imported (`from alembic import op`, `import alembic` + `alembic.op`)."""
        if type(node) is ast.Name:
            return self.resolve(node.id) == "alembic.op"
        return type(node) is ast.Attribute and self.qualified(node) == "alembic.op"


def string_value(node: ast.expr) -> str | None:
    """A literal string, also through `op.f("x")` / `conv("x")`; else None."""
    if type(node) is ast.Constant:
        return node.value if type(node.value) is str else None
    if type(node) is ast.Call and len(node.args) == 1 and type(node.args[0]) is ast.Constant:
        func = node.func
        callee = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
        value = node.args[0].value
        if callee in ("f", "conv") and type(value) is str:
            return value
    return None


def is_none(node: ast.expr | None) -> bool:
    return type(node) is ast.Constant and node.value is None


def _bool(node: ast.expr | None) -> bool | None:
    if type(node) is ast.Constant and type(node.value) is bool:
        return node.value
    return None


def _int(node: ast.expr | None) -> int | None:
    if type(node) is ast.Constant and type(node.value) is int:
        return node.value
    return None


def string_list(node: ast.expr | None) -> tuple[str, ...] | None:
    """["a", "b"] / ("a",) / "a" as strings; None when any item is not a literal."""
    if node is None:
        return None
    if type(node) is ast.Constant and type(node.value) is str:
        return (node.value,)
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [string_value(item) for item in node.elts]
        strings = tuple(item for item in items if item is not None)
        if len(strings) == len(items):
            return strings
    return None


def type_spec(node: ast.expr | None, names: Names) -> TypeSpec | None:
    """`sa.String(length=100)`, `mysql.TINYINT(display_width=1)`, `sa.Enum("a", "b")`, ..."""
    if node is None:
        return None
    args: Sequence[ast.expr] = ()
    keywords: Sequence[ast.keyword] = ()
    if type(node) is ast.Call:
        func = node.func
        if type(func) is ast.Attribute and func.attr in _TYPE_METHODS:
            return type_spec(func.value, names)
        name = names.sqlalchemy_name(func)
        args, keywords = node.args, node.keywords
    else:
        name = names.sqlalchemy_name(node)
    family = _FAMILIES.get(name) if name is not None else None
    if name is None or family is None:
        return None
    given = {kw.arg: kw.value for kw in keywords if kw.arg is not None}
    if family == STRING:
        length = _int(args[0]) if args else _int(given.get("length"))
        return TypeSpec(name, family, length=length)
    if family == NUMERIC:
        precision = _int(args[0]) if args else _int(given.get("precision"))
        scale = _int(args[1]) if len(args) > 1 else _int(given.get("scale"))
        return TypeSpec(name, family, precision=precision, scale=scale)
    if family == ENUM:
        values = tuple(
            arg.value for arg in args if type(arg) is ast.Constant and type(arg.value) is str
        )
        known = bool(values) and len(values) == len(args)
        return TypeSpec(name, family, values=values if known else None)
    return TypeSpec(name, family)


def default_kind(node: ast.expr, names: Names) -> str:
    """How SQLAlchemy renders a server_default on MySQL >= 8.0.13: literal, or (expression).

    It parenthesizes a text or function default unless it starts with a quote or a
    parenthesis, or is a single word (`CURRENT_TIMESTAMP`, `0`): see
    MySQLDDLCompiler.get_column_specification.
    """
    if type(node) is ast.Constant:
        return DEFAULT_NONE if node.value is None else DEFAULT_LITERAL
    if type(node) is ast.Call:
        callee = names.sqlalchemy_name(node.func)
        if callee in ("text", "literal_column") and node.args:
            text = string_value(node.args[0])
            if text is None:
                return DEFAULT_UNKNOWN
            text = text.strip()
            if text.startswith("("):
                return DEFAULT_EXPRESSION
            if text[:1] in ("'", '"') or _SINGLE_WORD.fullmatch(text):
                return DEFAULT_LITERAL
            # SQLAlchemy adds the parentheses, except around ON UPDATE clauses and now(6)
            if _UNWRAPPED.search(text):
                return DEFAULT_LITERAL
            return DEFAULT_EXPRESSION
        if type(node.func) is ast.Attribute and names.qualified(node.func) is not None:
            qualified = names.qualified(node.func) or ""
            if ".func." in qualified:
                return DEFAULT_EXPRESSION
        if callee in ("true", "false", "null"):
            return DEFAULT_LITERAL
    return DEFAULT_UNKNOWN


def _constraint_name(call: ast.Call, kind: str) -> tuple[bool, str | None]:
    for kw in call.keywords:
        if kw.arg == "name":
            return not is_none(kw.value), string_value(kw.value)
    position = _NAME_POSITION.get(kind)
    if position is not None and len(call.args) > position:
        node = call.args[position]
        return not is_none(node), string_value(node)
    return False, None


def constraint_spec(call: ast.Call, names: Names) -> ConstraintSpec | None:
    """`sa.UniqueConstraint("a", name="uq")`, `sa.ForeignKeyConstraint([...], [...])`, ..."""
    callee = names.sqlalchemy_name(call.func)
    if callee is None:
        return None
    if callee == "ForeignKey":
        named, name = _constraint_name(call, callee)
        end = call.end_lineno or call.lineno
        return ConstraintSpec("foreign_key", named, name, (), call.lineno, end)
    kind = _CONSTRAINT_KINDS.get(callee)
    if kind is None:
        return None
    named, name = _constraint_name(call, callee)
    if callee == "ForeignKeyConstraint":
        columns = string_list(call.args[0]) if call.args else None
    else:
        first = 1 if callee == "Index" else 0
        items = [string_value(arg) for arg in call.args[first:]]
        columns = tuple(i for i in items if i is not None) if None not in items else None
    end = call.end_lineno or call.lineno
    return ConstraintSpec(kind, named, name, columns or (), call.lineno, end)


def column_spec(call: ast.expr, names: Names, attribute: str | None = None) -> ColumnSpec | None:
    """`sa.Column(...)` / `sa.column(...)` / `mapped_column(...)`, else None."""
    if type(call) is not ast.Call or names.sqlalchemy_name(call.func) not in _COLUMN_CALLS:
        return None
    name = attribute
    column_type: TypeSpec | None = None
    foreign_keys: list[ConstraintSpec] = []
    generated = False
    for position, arg in enumerate(call.args):
        if position == 0 and type(arg) is ast.Constant and type(arg.value) is str:
            name = arg.value
            continue
        if type(arg) is ast.Call:
            callee = names.sqlalchemy_name(arg.func)
            if callee == "ForeignKey":
                fk = constraint_spec(arg, names)
                if fk is not None:
                    foreign_keys.append(fk)
                continue
            if callee in ("Computed", "Identity", "Sequence"):
                generated = generated or callee != "Sequence"
                continue
        if column_type is None:
            column_type = type_spec(arg, names)
    given = {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}
    if "name" in given and string_value(given["name"]) is not None:
        name = string_value(given["name"])
    if column_type is None and "type_" in given:
        column_type = type_spec(given["type_"], names)
    default_node = given.get("server_default")
    return ColumnSpec(
        name=name,
        type=column_type,
        nullable=_bool(given.get("nullable")),
        primary_key=_bool(given.get("primary_key")) is True,
        server_default=default_kind(default_node, names) if default_node is not None else None,
        server_default_node=default_node,
        unique=_bool(given.get("unique")) is True,
        indexed=_bool(given.get("index")) is True,
        autoincrement=_bool(given.get("autoincrement")),
        generated=generated,
        foreign_keys=tuple(foreign_keys),
        line=call.lineno,
        end_line=call.end_lineno or call.lineno,
    )


def _table_model(variable: str, call: ast.Call, names: Names) -> TableModel | None:
    """`t = sa.table("t", sa.column("c", sa.Integer))` or `sa.Table("t", metadata, ...)`."""
    if names.sqlalchemy_name(call.func) not in _TABLE_CALLS or not call.args:
        return None
    columns: dict[str, ColumnSpec] = {}
    for arg in call.args[1:]:
        spec = column_spec(arg, names)
        if spec is not None and spec.name is not None:
            columns[spec.name] = spec
    return TableModel(variable, string_value(call.args[0]), columns, False, call.lineno)


def _class_model(node: ast.ClassDef, names: Names) -> TableModel | None:
    """An ORM class with `__tablename__` (or `__table__`), and its mapped columns."""
    table: str | None = None
    columns: dict[str, ColumnSpec] = {}
    mapped = False
    for statement in node.body:
        if type(statement) is ast.Assign and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif type(statement) is ast.AnnAssign and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if type(target) is not ast.Name:
            continue
        if target.id == "__tablename__":
            table, mapped = string_value(value), True
        elif target.id == "__table__" and type(value) is ast.Call:
            inline = _table_model(node.name, value, names)
            if inline is not None:
                table, mapped = inline.table, True
                columns.update(inline.columns)
        else:
            spec = column_spec(value, names, attribute=target.id)
            if spec is not None:
                columns[target.id] = spec
                if spec.name is not None:
                    columns.setdefault(spec.name, spec)
    return TableModel(node.name, table, columns, True, node.lineno) if mapped else None


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        type(statement) is ast.Expr
        and type(statement.value) is ast.Constant
        and type(statement.value.value) is str
    )


def _is_nothing(statement: ast.stmt) -> bool:
    if type(statement) is ast.Pass:
        return True
    return type(statement) is ast.Expr and type(statement.value) is ast.Constant


_Node = Union[ast.expr, ast.stmt]


class _FunctionReader:
    """Walks one function's statements in source order and records what they do."""

    def __init__(
        self,
        names: Names,
        tables: dict[str, TableModel],
        helpers: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef],
        imports: dict[tuple[int, int, str], ImportRef],
    ) -> None:
        self.names = names
        self.tables = tables
        self.helpers = helpers
        self.imports = imports
        self.operations: list[Operation] = []
        self.fills: list[Fill] = []
        self.assignments: list[Assignment] = []
        self.batch: dict[str, str | None] = {}  # batch_op variable -> its table
        self.instances: dict[str, str] = {}  # variable -> ORM class it holds instances of
        self.inlined: set[str] = set()
        self.loops = 0
        self.seq = 0

    def read(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionBody:
        self.inlined.add(node.name)
        self.statements(node.body)
        body = node.body[1:] if node.body and _is_docstring(node.body[0]) else node.body
        return FunctionBody(
            name=node.name,
            line=node.lineno,
            end_line=node.end_lineno or node.lineno,
            operations=tuple(self.operations),
            fills=tuple(self.fills),
            assignments=tuple(self.assignments),
            empty=all(_is_nothing(s) for s in body),
            raises_only=bool(body) and all(type(s) is ast.Raise for s in body),
        )

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def statements(self, body: Sequence[ast.stmt]) -> None:
        for statement in body:
            if isinstance(statement, ast.Expr):
                self.expression(statement.value)
            elif isinstance(statement, ast.Assign):
                self.assign(statement)
            elif isinstance(statement, (ast.With, ast.AsyncWith)):
                self.with_block(statement)
            elif isinstance(statement, (ast.For, ast.AsyncFor)):
                self.for_loop(statement)
            elif isinstance(statement, ast.ClassDef):
                model = _class_model(statement, self.names)
                if model is not None:
                    self.tables[model.variable] = model
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                record_import(statement, self.names, self.imports)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.statements(statement.body)
            elif not isinstance(statement, ast.Pass):
                self.compound(statement)

    def compound(self, node: ast.AST) -> None:
        """if / try / while / match / return / ...: their parts, in order."""
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self.statements((child,))
            elif isinstance(child, ast.expr):
                self.expression(child)
            elif not isinstance(child, ast.expr_context):
                self.compound(child)

    def expression(self, node: ast.expr) -> None:
        if type(node) is ast.Name or type(node) is ast.Constant:
            return
        if type(node) is ast.Call and self.call(node):
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expression(child)
            elif type(child) is ast.keyword:
                self.expression(child.value)
            elif type(child) is ast.comprehension:
                self.compound(child)

    def call(self, node: ast.Call) -> bool:
        """Record what the call does; True when its arguments need no further look."""
        func = node.func
        if type(func) is ast.Attribute:
            receiver = func.value
            if type(receiver) is ast.Name and receiver.id in self.batch:
                return self.operation(func.attr, node, self.batch[receiver.id], batch=True)
            if self.names.is_op(receiver):
                return self.operation(func.attr, node, None, batch=False)
            if func.attr in _FILL_METHODS:
                owner = receiver.id if type(receiver) is ast.Name else ""
                self.fill(f"{owner}.{func.attr}", node)
                if func.attr == "update" and node.args and type(node.args[0]) is ast.Dict:
                    self.query_update(node, receiver)
            elif func.attr == "values":
                self.values(node)
        elif type(func) is ast.Name:
            model = self.tables.get(func.id)
            if model is not None and model.orm:
                for kw in node.keywords:
                    if kw.arg is not None:
                        self.assignment(model, kw.arg, kw.value, f"{func.id}(...)", node)
            elif func.id in self.helpers and func.id not in self.inlined:
                # a module-level helper called from here: its operations happen here (read
                # once, where it is first called)
                self.inlined.add(func.id)
                self.statements(self.helpers[func.id].body)
            elif func.id == "setattr" or (
                func.id in _DML_CALLS and self.names.sqlalchemy_name(func) is not None
            ):
                self.fill(func.id, node)
        return False

    def operation(self, name: str, node: ast.Call, batch_table: str | None, batch: bool) -> bool:
        signature = _SIGNATURES.get(name, ())
        if batch:
            signature = tuple(p for p in signature if p not in _TABLE_PARAMS)
        params: dict[str, ast.expr] = {}
        extra: list[ast.expr] = []
        for position, arg in enumerate(node.args):
            if position < len(signature):
                params[signature[position]] = arg
            else:
                extra.append(arg)
        keywords: dict[str, ast.expr] = {}
        for kw in node.keywords:
            if kw.arg is None:
                continue
            keywords[kw.arg] = kw.value
            if kw.arg in signature or kw.arg not in _OLD_KEYWORDS:
                params[kw.arg] = kw.value
            else:
                for meant in _OLD_KEYWORDS[kw.arg]:
                    if meant in signature:
                        params[meant] = kw.value
        if batch:
            table = batch_table
        else:
            table_node = next((params[p] for p in _TABLE_PARAMS if p in params), None)
            table = string_value(table_node) if table_node is not None else None
        table_variable = params.get("table")
        if name == "bulk_insert" and type(table_variable) is ast.Name:
            model = self.tables.get(table_variable.id)
            table = model.table if model is not None else None
        columns: tuple[ColumnSpec, ...] = ()
        constraints: list[ConstraintSpec] = []
        if name == "add_column" and "column" in params:
            spec = column_spec(params["column"], self.names)
            columns = (spec,) if spec is not None else ()
        elif name == "create_table":
            found = []
            for arg in extra:
                spec = column_spec(arg, self.names)
                if spec is not None:
                    found.append(spec)
                elif type(arg) is ast.Call:
                    constraint = constraint_spec(arg, self.names)
                    if constraint is not None:
                        constraints.append(constraint)
            columns = tuple(found)
        line, end = node.lineno, node.end_lineno or node.lineno
        self.operations.append(
            Operation(
                name=name,
                table=table,
                args=tuple(node.args),
                keywords=keywords,
                params=params,
                extra=tuple(extra),
                batch=batch,
                line=line,
                end_line=end,
                seq=self.next_seq(),
                columns=columns,
                constraints=tuple(constraints),
            )
        )
        if name in ("execute", "bulk_insert"):
            self.fills.append(Fill(f"op.{name}", line, end, self.seq))
            if name == "bulk_insert":
                self.bulk_rows(params.get("rows"), table, node)
            return False  # what it executes may be an update(...).values(...)
        return True

    def fill(self, kind: str, node: ast.AST) -> None:
        line = getattr(node, "lineno", 0)
        self.fills.append(Fill(kind, line, getattr(node, "end_lineno", line), self.next_seq()))

    def assignment(
        self, model: TableModel | None, column: str, value: ast.expr, via: str, node: ast.AST
    ) -> None:
        line = getattr(node, "lineno", 0)
        self.assignments.append(
            Assignment(
                model=model,
                table=model.table if model is not None else None,
                column=column,
                value=value,
                via=via,
                line=line,
                end_line=getattr(node, "end_lineno", line) or line,
                seq=self.seq,
            )
        )

    def model_of(self, node: ast.expr) -> TableModel | None:
        """The inline table an expression names: `t`, `_Election`, `_Election.__table__`."""
        if type(node) is ast.Attribute and node.attr == "__table__":
            node = node.value
        return self.tables.get(node.id) if type(node) is ast.Name else None

    def orm_class(self, node: ast.expr) -> str | None:
        """The ORM class whose instances `node` yields: `session.query(C).all()`, `C(...)`."""
        while True:
            if type(node) is ast.Name:
                return self.instances.get(node.id)
            if type(node) is not ast.Call:
                return None
            func = node.func
            if type(func) is ast.Name:
                model = self.tables.get(func.id)
                if model is not None and model.orm:
                    return model.variable
                callee = func.id
            elif type(func) is ast.Attribute:
                callee = func.attr
            else:
                return None
            args = node.args
            if args and callee in _ORM_SOURCES:
                first = args[0]
                model = self.tables.get(first.id) if type(first) is ast.Name else None
                if model is not None and model.orm:
                    return model.variable
                inner = self.orm_class(first) if type(first) is ast.Call else None
                if inner is not None:
                    return inner
            if type(func) is not ast.Attribute:
                return None
            node = func.value  # a method chain: .filter(...).all()

    def values(self, node: ast.Call) -> None:
        """`sa.update(t).where(...).values(c=v)`, `t.insert().values({"c": v})`."""
        if type(node.func) is not ast.Attribute:
            return
        base = node.func.value
        model: TableModel | None = None
        while type(base) is ast.Call:
            func = base.func
            if self.names.sqlalchemy_name(func) in ("update", "insert"):
                # sa.update(t) / update(t), or t.update()
                table = base.args[0] if base.args else getattr(func, "value", None)
                model = self.model_of(table) if table is not None else None
                break
            if type(func) is not ast.Attribute:
                return
            base = func.value
        if model is None:
            return
        for kw in node.keywords:
            if kw.arg is not None:
                self.assignment(model, kw.arg, kw.value, ".values()", node)
        for arg in node.args:
            if type(arg) is ast.Dict:
                self.dict_assignments(model, arg, ".values()", node)

    def query_update(self, node: ast.Call, receiver: ast.expr) -> None:
        """`session.query(C).filter(...).update({C.col: v})`."""
        variable = self.orm_class(receiver)
        model = self.tables.get(variable) if variable is not None else None
        mapping = node.args[0]
        if model is not None and type(mapping) is ast.Dict:
            self.dict_assignments(model, mapping, "query().update()", node)

    def bulk_rows(self, rows: ast.expr | None, table: str | None, node: ast.Call) -> None:
        if not isinstance(rows, (ast.List, ast.Tuple)):
            return
        table_node = node.args[0] if node.args else None
        model = self.model_of(table_node) if table_node is not None else None
        for row in rows.elts:
            if type(row) is ast.Dict:
                self.dict_assignments(model, row, "bulk_insert", row)

    def dict_assignments(
        self, model: TableModel | None, mapping: ast.Dict, via: str, node: ast.AST
    ) -> None:
        for key, value in zip(mapping.keys, mapping.values):
            if key is None:
                continue
            column = key.attr if type(key) is ast.Attribute else string_value(key)
            if column is not None:
                self.assignment(model, column, value, via, key)

    def assign(self, statement: ast.Assign) -> None:
        value = statement.value
        self.expression(value)
        for target in statement.targets:
            if type(target) is ast.Name:
                self.bind_name(target.id, value)
            elif type(target) is ast.Attribute:
                receiver = target.value
                holder = self.instances.get(receiver.id) if type(receiver) is ast.Name else None
                if holder is not None:
                    self.fill("attribute assignment", statement)
                    model = self.tables.get(holder)
                    self.assignment(model, target.attr, value, "attribute", statement)
                elif self.loops:
                    self.fill("attribute assignment in a loop", statement)

    def bind_name(self, name: str, value: ast.expr) -> None:
        if type(value) is ast.Call:
            model = _table_model(name, value, self.names)
            if model is not None:
                self.tables[name] = model
                return
            holder = self.orm_class(value)
            if holder is not None:
                self.instances[name] = holder
        elif type(value) in (ast.Name, ast.Attribute):
            qualified = self.names.qualified(value)
            if qualified is not None:
                self.names.bind(name, qualified)  # db = sa
            elif isinstance(value, ast.Name) and value.id in self.instances:
                self.instances[name] = self.instances[value.id]

    def with_block(self, statement: ast.With | ast.AsyncWith) -> None:
        opened: list[str] = []
        for item in statement.items:
            context = item.context_expr
            if (
                type(context) is ast.Call
                and type(context.func) is ast.Attribute
                and context.func.attr == "batch_alter_table"
                and self.names.is_op(context.func.value)
                and type(item.optional_vars) is ast.Name
            ):
                table_node = context.args[0] if context.args else None
                for kw in context.keywords:
                    if kw.arg == "table_name":
                        table_node = kw.value
                table = string_value(table_node) if table_node is not None else None
                self.batch[item.optional_vars.id] = table
                opened.append(item.optional_vars.id)
            else:
                self.expression(context)
        self.statements(statement.body)
        for variable in opened:
            self.batch.pop(variable, None)

    def for_loop(self, statement: ast.For | ast.AsyncFor) -> None:
        self.expression(statement.iter)
        holder = self.orm_class(statement.iter)
        if holder is not None and type(statement.target) is ast.Name:
            self.instances[statement.target.id] = holder
        self.loops += 1
        self.statements(statement.body)
        self.loops -= 1
        self.statements(statement.orelse)


def record_import(
    statement: ast.Import | ast.ImportFrom,
    names: Names,
    imports: dict[tuple[int, int, str], ImportRef],
) -> None:
    """Bind the imported names and remember what was imported, once per statement."""
    line, end = statement.lineno, statement.end_lineno or statement.lineno
    if type(statement) is ast.Import:
        for alias in statement.names:
            if alias.asname:
                names.bind(alias.asname, alias.name)
            else:
                top = alias.name.split(".", 1)[0]
                names.bind(top, top)
            imports[(line, statement.col_offset, alias.name)] = ImportRef(alias.name, line, end)
        return
    if type(statement) is ast.ImportFrom and statement.level == 0 and statement.module:
        module = statement.module
        for alias in statement.names:
            names.bind(alias.asname or alias.name, f"{module}.{alias.name}")
        imports[(line, statement.col_offset, module)] = ImportRef(module, line, end)


def _module_calls(statement: ast.stmt, names: Names) -> Iterator[ModuleCall]:
    """`op.*` / `*.get_bind()` calls a module-level statement makes when imported."""
    value = getattr(statement, "value", None)
    if type(statement) in (ast.Expr, ast.Assign) and type(value) in (ast.Constant, ast.Name):
        return  # the docstring, `revision = "..."`, `db = sa`
    pending: list[ast.AST] = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if type(node) is ast.Call:
            func = node.func
            if type(func) is ast.Attribute and (names.is_op(func.value) or func.attr == "get_bind"):
                receiver = "op" if names.is_op(func.value) else ast.unparse(func.value)
                line = node.lineno
                yield ModuleCall(f"{receiver}.{func.attr}", line, node.end_lineno or line)
        pending.extend(ast.iter_child_nodes(node))


def _down_revisions(value: ast.expr) -> tuple[str, ...]:
    if type(value) is ast.Constant and type(value.value) is str:
        return (value.value,)
    return string_list(value) or ()


def read_revision_ops(source: str | bytes, path: str) -> RevisionModule:
    """The model of one revision file. Raises SyntaxError / ValueError when it does not parse."""
    tree = ast.parse(source, filename=path)
    names = Names()
    imports: dict[tuple[int, int, str], ImportRef] = {}
    tables: dict[str, TableModel] = {}
    definitions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    module_calls: list[ModuleCall] = []
    down_revisions: tuple[str, ...] = ()
    docstring: str | None = None
    docstring_line: int | None = None
    body = tree.body
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, str):
            docstring, docstring_line = first.value.value, first.lineno
    for statement in body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            record_import(statement, names, imports)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            definitions[statement.name] = statement
        elif isinstance(statement, ast.ClassDef):
            model = _class_model(statement, names)
            if model is not None:
                tables[model.variable] = model
            module_calls.extend(_module_calls(statement, names))
        elif isinstance(statement, (ast.If, ast.Try, ast.With)):
            # imports under `if TYPE_CHECKING:` / `try:` still count; the rest is scanned
            for child in ast.iter_child_nodes(statement):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    record_import(child, names, imports)
            module_calls.extend(_module_calls(statement, names))
        else:
            module_calls.extend(_module_calls(statement, names))
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target, value = statement.targets[0], statement.value
                if type(target) is ast.Name:
                    if target.id == "down_revision":
                        down_revisions = _down_revisions(value)
                    elif type(value) is ast.Call:
                        model = _table_model(target.id, value, names)
                        if model is not None:
                            tables[target.id] = model
                    elif type(value) in (ast.Name, ast.Attribute):
                        qualified = names.qualified(value)
                        if qualified is not None:
                            names.bind(target.id, qualified)
    helpers = {n: d for n, d in definitions.items() if n not in (UPGRADE, DOWNGRADE)}
    functions: dict[str, FunctionBody] = {}
    for name, definition in definitions.items():
        inline = helpers if name in (UPGRADE, DOWNGRADE) else {}
        reader = _FunctionReader(names, dict(tables), inline, imports)
        functions[name] = reader.read(definition)
        tables.update(reader.tables)
    return RevisionModule(
        docstring=docstring,
        docstring_line=docstring_line,
        down_revisions=down_revisions,
        imports=tuple(sorted(imports.values())),
        module_calls=tuple(module_calls),
        functions=MappingProxyType(functions),
        tables=MappingProxyType(tables),
        names=names,
    )
