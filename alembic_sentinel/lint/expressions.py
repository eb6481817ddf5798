"""Single expressions of a revision file read statically: column types, server defaults,
columns, constraints and inline tables (ORM classes, `sa.table()` / `sa.Table()`)."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Union, cast

from alembic_sentinel.lint.column_charset import declared_charset, mysql_type_node
from alembic_sentinel.lint.constant_values import constant_value, spread_type_arguments
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import (
    Names,
    final_name,
    is_none,
    literal_bool,
    literal_int,
    string_list,
    string_value,
)
from alembic_sentinel.lint.revision_model import (
    BLOB,
    BOOLEAN,
    DATE,
    DATETIME,
    DEFAULT_EXPRESSION,
    DEFAULT_LITERAL,
    DEFAULT_NONE,
    DEFAULT_UNKNOWN,
    ENUM,
    INTEGER,
    JSON,
    NUMERIC,
    STRING,
    TEXT,
    TIME,
    ColumnSpec,
    ConstraintSpec,
    TypeSpec,
)

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
        **dict.fromkeys(("Enum", "ENUM", "SET"), ENUM),  # mysql.SET: members like an ENUM's
    }
)
# methods that return (a variant of) the type they are called on
_TYPE_METHODS = frozenset({"with_variant", "evaluates_none", "copy"})
_COLUMN_CALLS = frozenset({"Column", "column", "mapped_column"})
TABLE_CALLS = frozenset({"table", "Table"})
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


# TEXT and BLOB types that take a length (MySQL's TINYTEXT, MEDIUMTEXT, ... take none)
_SIZED_LOBS = frozenset({"Text", "UnicodeText", "TEXT", "LargeBinary", "BLOB"})


def _literals_only(name: str) -> None:
    """A length is read from literals only: `512 * 1024 * 1024`, not a module constant."""


_SINGLE_WORD = LazyPattern(r"\w*")
_UNWRAPPED = LazyPattern(r"ON +UPDATE|^(now|current_timestamp)\(\d+\)", re.IGNORECASE)


def type_spec(node: ast.expr | None, names: Names) -> TypeSpec | None:
    """`sa.String(length=100)`, `mysql.TINYINT(display_width=1)`, `sa.Enum("a", "b")`, ..."""
    if node is None:
        return None
    key = ("type", id(node), None)
    known = names.memo.get(key)
    if known is not None and known[0] is node:
        return cast("TypeSpec | None", known[1])
    spec = _read_type_spec(node, names)
    names.memo[key] = (node, spec)
    return spec


def _read_type_spec(node: ast.expr, names: Names) -> TypeSpec | None:
    args: Sequence[ast.expr] = ()
    keywords: Sequence[ast.keyword] = ()
    if type(node) is ast.Call:
        func = node.func
        if type(func) is ast.Attribute and func.attr in _TYPE_METHODS:
            # the type MySQL gets: `sa.String(16777215).with_variant(MEDIUMTEXT, "mysql")` is a
            # MEDIUMTEXT on MySQL, the base type only where no MySQL variant is named
            chosen = mysql_type_node(node)
            return type_spec(chosen if chosen is not node else func.value, names)
        name = names.sqlalchemy_name(func)
        args, keywords = node.args, node.keywords
    else:
        name = names.sqlalchemy_name(node)
    family = _FAMILIES.get(name) if name is not None else None
    if family is None and names.decorated_types is not None:
        # a TypeDecorator of the revision file or of the project's modules: its impl
        return cast("TypeSpec | None", names.decorated_types(node))
    if name is None or family is None:
        return None
    given = {kw.arg: kw.value for kw in keywords if kw.arg is not None}
    if family == STRING:
        length = literal_int(args[0]) if args else literal_int(given.get("length"))
        return TypeSpec(name, family, length=length)
    if name in _SIZED_LOBS:
        # `sa.LargeBinary(length=12)`, `sa.UnicodeText(512 * 1024 * 1024)`: MySQL stores the
        # smallest TEXT/BLOB type the length fits (type_rules.stored_type)
        sized = constant_value(
            args[0] if args else given.get("length") or ast.Constant(None), _literals_only
        )
        return TypeSpec(name, family, length=sized if type(sized) is int and sized > 0 else None)
    if family == NUMERIC:
        precision = literal_int(args[0]) if args else literal_int(given.get("precision"))
        scale = literal_int(args[1]) if len(args) > 1 else literal_int(given.get("scale"))
        return TypeSpec(name, family, precision=precision, scale=scale)
    if family == INTEGER:
        width = literal_int(args[0]) if args else literal_int(given.get("display_width"))
        unsigned = literal_bool(given["unsigned"]) if "unsigned" in given else False
        return TypeSpec(name, family, display_width=width, unsigned=unsigned)
    if family == ENUM:
        if any(type(arg) is ast.Starred for arg in args) and type(node) is ast.Call:
            # `*["a", "b"]`, `*sorted(("b", "a"))`: literal members computed in place
            args = spread_type_arguments(node, lambda name: None).args
        if any(type(arg) is ast.Starred for arg in args):
            return None  # `*members` lint could not read: the type is not known
        values = tuple(
            arg.value for arg in args if type(arg) is ast.Constant and type(arg.value) is str
        )
        known = bool(values) and len(values) == len(args)
        non_native = literal_bool(given.get("native_enum")) is False
        return TypeSpec(name, family, values=values if known else None, non_native=non_native)
    if family == DATETIME and "fsp" in given:
        # MySQL's fractional seconds (`mysql.DATETIME(fsp=6)`), kept as the precision so that
        # DATETIME(6) is not DATETIME; one lint cannot read stays apart from any (-1)
        fsp = literal_int(given["fsp"])
        return TypeSpec(name, family, precision=-1 if fsp is None else fsp)
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
        if _python_value(node, names):
            return DEFAULT_LITERAL
    if type(node) is ast.JoinedStr or (
        type(node) is ast.BinOp and type(node.left) in (ast.Constant, ast.JoinedStr)
    ):
        return DEFAULT_LITERAL  # f"..." / "a" + b / "%s" % x: a Python string
    return DEFAULT_UNKNOWN


# builtins whose result is a plain Python value, which SQLAlchemy renders as a quoted literal
_VALUE_BUILTINS = frozenset({"str", "repr", "format", "int", "float", "bool"})


def _python_value(call: ast.Call, names: Names) -> bool:
    """A call evaluated in Python, not by the server: `json.dumps({})`, `str(0)`, `"x".format()`.

    Its value (a string or a number) becomes the column's literal DEFAULT.
    """
    func = call.func
    if type(func) is ast.Name:
        return func.id in _VALUE_BUILTINS and names.resolve(func.id) is None
    if type(func) is not ast.Attribute:
        return False
    root: ast.expr = func
    while type(root) is ast.Attribute:
        root = root.value
    if type(root) is ast.Constant:
        return type(root.value) is str  # "...".format(...), "...".join(...)
    if type(root) is not ast.Name:
        return False
    origin = names.resolve(root.id)
    # a function of a module that is not SQLAlchemy (json.dumps, uuid.uuid4().hex, ...)
    return origin is not None and not origin.startswith(
        ("sqlalchemy", "flask_sqlalchemy", "alembic")
    )


def _constraint_name_node(call: ast.Call, kind: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "name":
            return kw.value
    position = _NAME_POSITION.get(kind)
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _constraint_name(call: ast.Call, kind: str) -> tuple[bool, str | None]:
    node = _constraint_name_node(call, kind)
    if node is None:
        return False, None
    return not is_none(node), string_value(node)


def constraint_spec(call: ast.Call, names: Names) -> ConstraintSpec | None:
    """`sa.UniqueConstraint("a", name="uq")`, `sa.ForeignKeyConstraint([...], [...])`, ..."""
    callee = names.sqlalchemy_name(call.func)
    if callee is None:
        return None
    if callee == "ForeignKey":
        named, name = _constraint_name(call, callee)
        end = call.end_lineno or call.lineno
        target = string_value(call.args[0]) if call.args else None
        refers = target.rpartition(".")[0] or None if target else None
        return ConstraintSpec(
            "foreign_key",
            named,
            name,
            (),
            call.lineno,
            end,
            refers=refers,
            target=_lower(target),
            use_alter=_use_alter(call),
        )
    kind = _CONSTRAINT_KINDS.get(callee)
    if kind is None:
        return None
    named, name = _constraint_name(call, callee)
    final = final_name(_constraint_name_node(call, callee))
    given = {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}
    unique = callee == "Index" and literal_bool(given.get("unique")) is True
    lengths = given.get("mysql_length", given.get("mariadb_length"))
    if callee == "ForeignKeyConstraint":
        columns = string_list(call.args[0]) if call.args else None
    else:
        first = 1 if callee == "Index" else 0
        items = [string_value(arg) for arg in call.args[first:]]
        columns = tuple(i for i in items if i is not None) if None not in items else None
    end = call.end_lineno or call.lineno
    target = None
    if callee == "ForeignKeyConstraint" and len(call.args) > 1:
        referred = string_list(call.args[1])
        target = _lower(referred[0]) if referred and len(referred) == 1 else None
    use_alter = _use_alter(call) if callee == "ForeignKeyConstraint" else False
    return ConstraintSpec(
        kind,
        named,
        name,
        columns or (),
        call.lineno,
        end,
        unique,
        lengths,
        target=target,
        use_alter=use_alter,
        final=final,
    )


def _use_alter(call: ast.Call) -> bool | None:
    """A foreign key's `use_alter=`: False when not given, None when not a literal."""
    given = next((kw.value for kw in call.keywords if kw.arg == "use_alter"), None)
    return False if given is None else literal_bool(given)


def _lower(target: str | None) -> str | None:
    """A foreign key's literal "table.column", lowercase; None unless it names both."""
    return target.lower() if target and "." in target else None


def column_spec(call: ast.expr, names: Names, attribute: str | None = None) -> ColumnSpec | None:
    """`sa.Column(...)` / `sa.column(...)` / `mapped_column(...)`, else None."""
    if type(call) is not ast.Call:
        return None
    key = ("column", id(call), attribute)
    known = names.memo.get(key)
    if known is not None and known[0] is call:
        return cast("ColumnSpec | None", known[1])
    spec = _read_column_spec(call, names, attribute)
    names.memo[key] = (call, spec)
    return spec


def _read_column_spec(call: ast.Call, names: Names, attribute: str | None) -> ColumnSpec | None:
    if names.sqlalchemy_name(call.func) not in _COLUMN_CALLS:
        return None
    name = attribute
    column_type: TypeSpec | None = None
    type_node: ast.expr | None = None
    foreign_keys: list[ConstraintSpec] = []
    generated = stored = computed = False
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
                computed = computed or callee == "Computed"
                stored = stored or (
                    callee == "Computed"
                    and any(
                        kw.arg == "persisted" and literal_bool(kw.value) is True
                        for kw in arg.keywords
                    )
                )
                continue
        if column_type is None:
            column_type = type_spec(arg, names)
            type_node = arg if column_type is not None else None
    given = {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}
    if "name" in given and string_value(given["name"]) is not None:
        name = string_value(given["name"])
    if column_type is None and "type_" in given:
        column_type = type_spec(given["type_"], names)
        type_node = given["type_"]
    default_node = given.get("server_default")
    return ColumnSpec(
        name=name,
        type=column_type,
        nullable=literal_bool(given.get("nullable")),
        primary_key=literal_bool(given.get("primary_key")) is True,
        server_default=default_kind(default_node, names) if default_node is not None else None,
        server_default_node=default_node,
        unique=literal_bool(given.get("unique")) is True,
        indexed=literal_bool(given.get("index")) is True,
        autoincrement=literal_bool(given.get("autoincrement")),
        generated=generated,
        stored=stored,
        computed=computed,
        foreign_keys=tuple(foreign_keys),
        line=call.lineno,
        end_line=call.end_lineno or call.lineno,
        charset=declared_charset(type_node),
        default_node=given.get("default"),
    )


def is_docstring(statement: ast.stmt) -> bool:
    return (
        type(statement) is ast.Expr
        and type(statement.value) is ast.Constant
        and type(statement.value.value) is str
    )


def is_nothing(statement: ast.stmt) -> bool:
    if type(statement) is ast.Pass:
        return True
    return type(statement) is ast.Expr and type(statement.value) is ast.Constant


_Node = Union[ast.expr, ast.stmt]


def computed_name_pattern(node: ast.expr | None) -> re.Pattern[str] | None:
    """The names an expression can compute, when it joins literal text with values lint cannot
    read (`"shadow_" + name`, `f"{name}_history"`, `"%s_archive" % name`): the literal parts kept,
    each value any identifier. None when the expression has no literal part (a bare variable could
    be any table) or is not such a join."""
    parts: list[str | None] = []  # literal text, or None for a value

    def walk(part: ast.expr) -> bool:
        if type(part) is ast.Constant and type(part.value) is str:
            parts.append(part.value)
        elif type(part) is ast.BinOp and type(part.op) is ast.Add:
            return walk(part.left) and walk(part.right)
        elif type(part) is ast.BinOp and type(part.op) is ast.Mod:
            text = string_value(part.left)
            if text is None:
                return False
            for index, piece in enumerate(re.split(r"%[sr]", text)):
                if index:
                    parts.append(None)
                parts.append(piece)
        elif type(part) is ast.JoinedStr:
            for value in part.values:
                if not walk(value):
                    return False
        elif type(part) in (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.FormattedValue):
            parts.append(None)
        else:
            return False
        return True

    if node is None or not walk(node) or not any(parts) or None not in parts:
        return None
    regex = "".join(r"\w+" if part is None else re.escape(part.lower()) for part in parts)
    return re.compile(regex)
