"""PostgreSQL's named ENUM types run on MySQL/MariaDB (L331, round 34).

PostgreSQL makes an ENUM a type of its own (`CREATE TYPE status AS ENUM (...)`), MySQL a column
type listing its values. What a revision written for PostgreSQL does with one on a MySQL target,
each run through Alembic on MariaDB 10.11 with SQLAlchemy 1.4 and 2.1
(tests/test_lint_postgresql_enums.py):

- `postgresql.ENUM(...).create(bind)` / `.drop(bind)` (or a name bound to such an ENUM): the
  default checkfirst=True asks the dialect `has_type`, which MySQL's lacks (AttributeError);
  checkfirst=False compiles CREATE TYPE, which it cannot (UnsupportedCompilationError);
- `CreateEnumType(...)` / `DropEnumType(...)` given to `execute`: UnsupportedCompilationError;
- `postgresql.ENUM(...)` in `create_table` without `create_type=False`: the table's creation
  makes SQLAlchemy create the type first, UnsupportedCompilationError again (not when the ENUM
  is given a `metadata=`, which SQLAlchemy 1.4 leaves to the MetaData: not reported);
- an Enum given no values (`postgresql.ENUM(name="status", create_type=False)`, naming a
  PostgreSQL type made elsewhere, or `sa.Enum(name="status")`) in `create_table` / `add_column`:
  SQLAlchemy writes `ENUM()`, ERROR 1064.

Not reported, as they run: `sa.Enum(...).create(bind)` (nothing on MySQL), `postgresql.ENUM`
with values and `create_type=False` in `create_table`, or with values in `add_column` /
`alter_column` (MySQL's ENUM), a PostgreSQL ENUM only in another dialect's `with_variant`. The
revision reader walks only the target's branch of a dialect test, so code under `if
bind.dialect.name == "postgresql":` makes no step and is never reported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from alembic_sentinel.lint.column_charset import nodes_mysql_reads
from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, op_hit
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import Names, literal_bool
from alembic_sentinel.lint.try_blocks import caught_lines, quietly_caught

_POSTGRESQL = (
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.postgresql.base",
    "sqlalchemy.dialects.postgresql.named_types",
)
_ENUM = frozenset(f"{module}.ENUM" for module in _POSTGRESQL)
_GENERIC_ENUM = frozenset({"sqlalchemy.Enum", "sqlalchemy.types.Enum"})
_GENERIC_ENUM |= {"sqlalchemy.sql.sqltypes.Enum"}
_TYPE_DDL = frozenset(
    f"{module}.{name}" for module in _POSTGRESQL for name in ("CreateEnumType", "DropEnumType")
)
_TEXT = ("ENUM", "Enum")  # a file with neither has nothing here
# the names the file may bind to an Enum (`status = postgresql.ENUM(...)`): the file's syntax
# is read again only for a column typed by one of them, or a type's create/drop call
_NO_VALUES = LazyPattern(r"\b(?:ENUM|Enum)\(\s*(?:\)|[a-z_]+\s*=)")
_BINDS_ENUM = LazyPattern(r"^[ \t]*(\w+)[ \t]*=[ \t]*(?:[\w.]+\.)?(?:ENUM|Enum)\(", re.MULTILINE)


def postgresql_enums(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    source = facts.source
    if isinstance(source, bytes):
        source = source.decode("utf-8", "replace")
    if source is not None and not any(word in source for word in _TEXT):
        return
    names = facts.names
    read: list[tuple[ast.Module | None, dict[str, ast.Call]]] = []  # the syntax, once asked

    def syntax() -> tuple[ast.Module | None, dict[str, ast.Call]]:
        if not read:
            read.append(_bound_calls(source) if source is not None else (None, {}))
        return read[0]

    candidates = set(_BINDS_ENUM.findall(source)) if source is not None else set()

    def bound(name: str) -> ast.Call | None:
        return syntax()[1].get(name) if name in candidates else None

    # a postgresql.ENUM needs that dialect's import, an Enum with no values a keyword first
    columns = names.imports_from("sqlalchemy.dialects.postgresql") or (
        source is None or _NO_VALUES.search(source) is not None
    )
    caught = facts.memo.get("quietly_caught")
    if not isinstance(caught, set):
        caught = quietly_caught(source, facts.module.upgrade, facts.module.downgrade)
    for op in facts.all_ops if columns else ():
        if op.name not in ("create_table", "add_column") or id(op) in caught:
            continue
        for column, call in _enum_types([*op.args, *op.keywords.values()], names, bound):
            if _no_values(call):
                yield op_hit(
                    "L331",
                    op,
                    f"{op.name} {op.table or '(a table named by a variable)'}: column "
                    f"{column}'s Enum type lists no values (a PostgreSQL type made elsewhere): "
                    f"SQLAlchemy writes ENUM() for {options.target}, which refuses it (ERROR "
                    "1064, a syntax error) and the migration stops there",
                    fix="list the values in the type (sa.Enum('a', 'b', name='status'), "
                    "create_type=False kept for PostgreSQL)",
                )
            elif op.name == "create_table" and _creates_type(call, names):
                yield op_hit(
                    "L331",
                    op,
                    f"create_table {op.table or '(a table named by a variable)'}: column "
                    f"{column}'s postgresql.ENUM has no create_type=False: creating the table "
                    f"creates the type first, a CREATE TYPE SQLAlchemy cannot write for "
                    f"{options.target} (UnsupportedCompilationError) and the migration stops "
                    "there",
                    fix="use sa.Enum(..., name=...), which makes the type on PostgreSQL only, "
                    "or give the ENUM create_type=False",
                )
    if source is not None and (_type_calls(facts) or "EnumType(" in source):
        tree, calls = syntax()
        if tree is not None:
            yield from _type_statements(facts, options, tree, calls)


def _type_calls(facts: Facts) -> bool:
    """Whether upgrade() or downgrade() makes a call lint did not read ending in `.create(...)`
    or `.drop(...)` (a type's, perhaps)."""
    bodies = (facts.module.upgrade, facts.module.downgrade)
    return any(
        step.what.endswith((".create(...)", ".drop(...)"))
        for body in bodies
        if body is not None
        for step in body.opaque_steps
    )


def _enum_types(
    nodes: list[ast.expr], names: Names, bound: Callable[[str], ast.Call | None]
) -> Iterator[tuple[str, ast.Call]]:
    """(column, the Enum call) of each `sa.Column("c", <Enum>)` among `nodes` MySQL gets."""
    for node in nodes:
        for child in nodes_mysql_reads(node):
            if type(child) is not ast.Call or names.sqlalchemy_name(child.func) != "Column":
                continue
            column = next(
                (a.value for a in child.args if type(a) is ast.Constant and type(a.value) is str),
                "(unnamed)",
            )
            for argument in child.args:
                call = bound(argument.id) if type(argument) is ast.Name else argument
                if type(call) is ast.Call and _enum_kind(call, names):
                    yield column, call


def _enum_kind(call: ast.Call, names: Names) -> str | None:
    qualified = names.qualified(call.func)
    if qualified in _ENUM:
        return "postgresql"
    return "generic" if qualified in _GENERIC_ENUM else None


def _no_values(call: ast.Call) -> bool:
    """An Enum call given no values: no positional argument, no `**kw`, not native_enum=False
    (a VARCHAR then)."""
    keywords = {kw.arg: kw.value for kw in call.keywords}
    native = keywords.get("native_enum")
    return (
        not call.args
        and None not in keywords
        and (native is None or literal_bool(native) is not False)
    )


def _creates_type(call: ast.Call, names: Names) -> bool:
    """A postgresql.ENUM whose table's creation creates it: create_type not False, no
    metadata= (SQLAlchemy 1.4 leaves the type to the MetaData then)."""
    if _enum_kind(call, names) != "postgresql":
        return False
    keywords = {kw.arg: kw.value for kw in call.keywords}
    if None in keywords or "metadata" in keywords:
        return False
    given = keywords.get("create_type")
    return given is None or literal_bool(given) is True


def _bound_calls(source: str) -> tuple[ast.Module | None, dict[str, ast.Call]]:
    """The file's syntax, and name -> the call an assignment of the file binds it to (`status
    = ENUM(...)`), when the file binds the name once."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None, {}
    found: dict[str, ast.Call] = {}
    seen: set[str] = set()
    for node in ast.walk(tree):
        if type(node) is ast.Assign and len(node.targets) == 1:
            target = node.targets[0]
            if type(target) is ast.Name:
                if target.id in seen:
                    found.pop(target.id, None)
                elif type(node.value) is ast.Call:
                    found[target.id] = node.value
                seen.add(target.id)
    return tree, found


def _type_statements(
    facts: Facts, options: LintOptions, tree: ast.Module, bound: dict[str, ast.Call]
) -> Iterator[Hit]:
    """`<postgresql ENUM>.create(bind)` / `.drop(bind)` and `execute(CreateEnumType(...))` on
    a line the reader read as a step of upgrade() or downgrade() (the target's branch)."""
    reached = _reached_lines(facts) - caught_lines(tree)  # (a handler carries on: round 35)
    names = facts.names
    for node in ast.walk(tree):
        if type(node) is not ast.Call or node.lineno not in reached:
            continue
        func = node.func
        what = None
        if type(func) is ast.Attribute and func.attr in ("create", "drop"):
            receiver = bound.get(func.value.id) if type(func.value) is ast.Name else func.value
            if type(receiver) is ast.Call and _enum_kind(receiver, names) == "postgresql":
                checkfirst = next((k.value for k in node.keywords if k.arg == "checkfirst"), None)
                if checkfirst is None and len(node.args) > 1:
                    checkfirst = node.args[1]
                error = (
                    "UnsupportedCompilationError"
                    if checkfirst is not None and literal_bool(checkfirst) is False
                    else "AttributeError: the dialect has no has_type, which checkfirst=True asks"
                )
                what = f"postgresql.ENUM(...).{func.attr}(bind) runs PostgreSQL's " + (
                    f"{'CREATE' if func.attr == 'create' else 'DROP'} TYPE ({error})"
                )
        elif names.qualified(func) in _TYPE_DDL:
            statement = "Create" if "Create" in ast.unparse(func) else "Drop"
            what = (
                f"{statement}EnumType(...) is PostgreSQL's {statement.upper()} TYPE "
                "(UnsupportedCompilationError)"
            )
        if what is not None:
            yield Hit(
                "L331",
                f"{what}: SQLAlchemy's dialect for {options.target} cannot run it (MySQL has "
                "no named ENUM types) and the migration stops there",
                node.lineno,
                node.end_lineno or node.lineno,
                fix="leave it out on MySQL (its ENUM is the column's type, made with the column) "
                "or run it in an `if op.get_bind().dialect.name == 'postgresql':` branch",
            )


def _reached_lines(facts: Facts) -> set[int]:
    """The lines of the steps the reader read in upgrade() and downgrade(): operations, raw
    SQL and the calls it could not read."""
    lines: set[int] = set()
    for body in (facts.module.upgrade, facts.module.downgrade):
        if body is None:
            continue
        spans = [(step.line, step.end_line) for step in body.operations]
        spans += [(step.line, step.end_line) for step in body.fills]
        spans += [(step.line, step.end_line) for step in body.opaque_steps]
        for first, last in spans:
            lines.update(range(first, last + 1))
    return lines
