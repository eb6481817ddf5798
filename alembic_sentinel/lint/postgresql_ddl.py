"""PostgreSQL's forms in the DDL SQLAlchemy renders for MySQL (L331, round 32).

What an operation written for PostgreSQL makes SQLAlchemy write on MySQL/MariaDB, which the
server refuses: the SQL-standard UUID type, a server default calling PostgreSQL's functions or
casting with `::`, a deferrable constraint. Also the two readings L331's raw-SQL check shares:
SQL with its literals and comments emptied, and what an operation is about (its table or column).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from alembic_sentinel.lint.column_charset import MYSQL_DIALECTS, variant_dialect, variant_type
from alembic_sentinel.lint.facts import Hit, LintOptions, column_label, op_hit, table_of
from alembic_sentinel.lint.lazy_patterns import LazyPattern, lowercase
from alembic_sentinel.lint.literals import Names, string_value
from alembic_sentinel.lint.revision_model import Operation

# what the server reads as no syntax: quoted literals and comments (`/* */`, `-- `, `#`)
_NOT_SYNTAX = LazyPattern(
    r"'(?:[^'\\]|''|\\.)*'|\"(?:[^\"\\]|\"\"|\\.)*\"|/\*.*?\*/|--[ \t][^\n]*|#[^\n]*",
    re.DOTALL,
)


def without_strings(sql: str) -> str:
    """The SQL with its quoted literals and comments emptied: a '::' or 'ILIKE' inside data or
    a comment is no syntax."""
    return _NOT_SYNTAX.sub(lambda m: "''" if m[0][:1] in "'\"" else " ", sql)


def operation_about(op: Operation) -> str:
    if op.name in ("add_column", "alter_column"):
        column = op.columns[0].name if op.columns else op.string("column_name")
        return column_label(op, column)
    return table_of(op)


# round r32: what SQLAlchemy renders for MySQL as PostgreSQL wrote it

# the SQL-standard UUID type (sa.UUID, sqlalchemy.types.UUID): SQLAlchemy renders it `UUID` on
# every dialect; sa.Uuid is CHAR(32) on MySQL. MariaDB has a UUID type since 10.7, MySQL none
_GENERIC_UUID = frozenset(
    {"sqlalchemy.UUID", "sqlalchemy.types.UUID", "sqlalchemy.sql.sqltypes.UUID"}
)
# alter_column parameters that make Alembic restate the column (MODIFY / CHANGE) on MySQL,
# and with it existing_type= and existing_server_default=
_RESTATING = ("new_column_name", "nullable", "autoincrement", "comment")
# PostgreSQL's functions MySQL and MariaDB lack, in a server default: ERROR 1901 on MariaDB
# (a function the DEFAULT clause cannot use), ERROR 3770 on MySQL 8.0 (a disallowed function)
_POSTGRESQL_DEFAULT = LazyPattern(
    r"\b(gen_random_uuid|uuid_generate_v1(?:mc)?|uuid_generate_v4|clock_timestamp|"
    r"statement_timestamp|transaction_timestamp|timeofday|timezone)\s*\(",
    re.IGNORECASE,
)
_CAST = LazyPattern(r"::\s*[a-z_\"]", re.IGNORECASE)
# constraints whose deferrable= / initially= SQLAlchemy renders for MySQL as written
_CONSTRAINTS = frozenset(
    {"ForeignKey", "ForeignKeyConstraint", "UniqueConstraint", "PrimaryKeyConstraint"}
    | {"CheckConstraint"}
)
_CONSTRAINT_OPS = frozenset(
    {"create_foreign_key", "create_unique_constraint", "create_primary_key"}
    | {"create_check_constraint"}
)


# a word every form postgresql_ddl reports needs in the file's text: a file without one is not
# walked (the UUID type, PostgreSQL's default functions and casts, deferrable constraints);
# looked for in the lowered text, several times faster than one case-blind alternation
_DDL_WORDS = ("uuid", "deferrable", "initially", "::", "_timestamp", "timeofday", "timezone")
_DDL_WORD_BYTES = tuple(word.encode() for word in _DDL_WORDS)


def postgresql_ddl_possible(source: str | bytes | None) -> bool:
    """Whether the file's text may hold a form postgresql_ddl reports (True when unknown)."""
    if source is None:
        return True
    if isinstance(source, bytes):
        lowered = lowercase(source)
        return any(word in lowered for word in _DDL_WORD_BYTES)
    text = lowercase(source)
    return any(word in text for word in _DDL_WORDS)


def postgresql_ddl(
    op: Operation, names: Names, options: LintOptions, native_uuid: bool
) -> Iterator[Hit]:
    """PostgreSQL's forms in the DDL SQLAlchemy renders for MySQL: the UUID type, a server
    default calling PostgreSQL's functions, a deferrable constraint."""
    if op.name in ("create_table", "add_column"):
        nodes = [*op.args, *op.keywords.values()]
        defaults = [
            keyword.value
            for node in nodes
            for keyword in _mysql_nodes(node)
            if type(keyword) is ast.keyword and keyword.arg == "server_default"
        ]
    elif op.name == "alter_column" and not op.spread:
        restated = op.param("type_") is None and any(
            op.param(name) is not None for name in _RESTATING
        )
        typed = op.param("type_")
        if typed is None and restated:
            typed = op.param("existing_type")
        nodes = [typed] if typed is not None else []
        default = op.param("server_default")
        if default is None and (restated or op.param("type_") is not None):
            default = op.param("existing_server_default")
        defaults = [default] if default is not None else []
    else:
        nodes, defaults = [], []
    if not native_uuid and any(_generic_uuid(node, names) for node in nodes):
        yield op_hit(
            "L331",
            op,
            f"{op.name} {operation_about(op)}: sa.UUID is the SQL-standard UUID type, which "
            f"SQLAlchemy renders as UUID: {options.target} has no such type (ERROR 1064) and the "
            "migration stops there",
            fix="use sa.Uuid (CHAR(32) on MySQL), sa.String(36), or a "
            "with_variant(sa.String(36), 'mysql') of the type",
        )
    functions = [name for node in defaults for name in _postgresql_default(node, names)]
    if functions:
        named = ", ".join(dict.fromkeys(functions))
        yield op_hit(
            "L331",
            op,
            f"{op.name} {operation_about(op)}: the server default uses PostgreSQL's {named}: "
            f"{options.target} refuses the DEFAULT (a function it lacks: MySQL ERROR 3770, "
            "MariaDB ERROR 1901; a ::cast: ERROR 1064) and the migration stops there",
            fix="give MySQL its own default (DEFAULT (UUID()), CURRENT_TIMESTAMP) or set the "
            "value in the application; keep PostgreSQL's in a dialect branch",
        )
    deferred = _deferrable(op, names)
    if deferred:
        yield op_hit(
            "L331",
            op,
            f"{op.name} {operation_about(op)}: {' and '.join(deferred)} of a constraint: "
            f"SQLAlchemy writes [NOT] DEFERRABLE / INITIALLY ... for {options.target} too, "
            "which has no deferrable constraints and refuses it (ERROR 1064, a syntax error)",
            fix="leave deferrable= and initially= out on MySQL (its constraints are checked "
            "at once), or create the constraint in a PostgreSQL branch",
        )


def _mysql_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Every node of `node` that MySQL gets: of `T.with_variant(V, "mysql")` only V, of
    `T.with_variant(V, "postgresql")` only T."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        if (
            type(current) is ast.Call
            and type(current.func) is ast.Attribute
            and current.func.attr == "with_variant"
        ):
            variant = variant_type(current)
            if variant_dialect(current) in MYSQL_DIALECTS and variant is not None:
                pending.append(variant)
            else:
                pending.append(current.func.value)
            continue
        pending.extend(ast.iter_child_nodes(current))


def _generic_uuid(node: ast.AST, names: Names) -> bool:
    return any(
        isinstance(child, (ast.Attribute, ast.Name)) and names.qualified(child) in _GENERIC_UUID
        for child in _mysql_nodes(node)
    )


def _postgresql_default(node: ast.expr, names: Names) -> list[str]:
    """PostgreSQL's functions (and ::casts) a server default's SQL calls: `sa.text("...")`,
    `sa.literal_column("...")` or `sa.func.gen_random_uuid()`. A plain string is a literal."""
    if type(node) is not ast.Call:
        return []
    func = node.func
    if type(func) is ast.Attribute and names.sqlalchemy_name(func.value) == "func":
        sql = f"{func.attr}()"
    elif names.sqlalchemy_name(func) in ("text", "literal_column") and node.args:
        sql = string_value(node.args[0]) or ""
    else:
        return []
    sql = without_strings(sql)
    found = [f"{match[1].lower()}()" for match in _POSTGRESQL_DEFAULT.finditer(sql)]
    return found + ["::cast"] * bool(_CAST.search(sql))


def _deferrable(op: Operation, names: Names) -> list[str]:
    """The deferrable= / initially= a constraint of `op` is given (not None): SQLAlchemy
    renders `DEFERRABLE`, `NOT DEFERRABLE` (deferrable=False) and `INITIALLY ...`. A foreign
    key with use_alter=True in create_table never reaches the server: SQLAlchemy leaves it out
    of CREATE TABLE on MySQL and Alembic's create_table issues no ALTER for it (checked offline,
    SQLAlchemy 2.1, Alembic 1.20); add_column's ADD CONSTRAINT writes it all the same."""
    calls: list[ast.Call] = []
    if op.name in ("create_table", "add_column"):
        calls = [
            node
            for arg in [*op.args, *op.keywords.values()]
            for node in _mysql_nodes(arg)
            if type(node) is ast.Call
            and names.sqlalchemy_name(node.func) in _CONSTRAINTS
            and not (op.name == "create_table" and _use_alter(node))
        ]
        given = [(kw.arg, kw.value) for call in calls for kw in call.keywords]
    elif op.name in _CONSTRAINT_OPS and not op.spread:
        given = [(name, node) for name, node in op.keywords.items()]
    else:
        return []
    found = [
        f"{name}={ast.unparse(value)}"
        for name, value in given
        if name in ("deferrable", "initially")
        and not (type(value) is ast.Constant and value.value is None)
    ]
    return list(dict.fromkeys(found))


def _use_alter(call: ast.Call) -> bool:
    """A ForeignKey / ForeignKeyConstraint given use_alter=True (a true literal)."""
    return any(
        kw.arg == "use_alter" and type(kw.value) is ast.Constant and bool(kw.value.value)
        for kw in call.keywords
    )
