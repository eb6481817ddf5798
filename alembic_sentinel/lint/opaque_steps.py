"""Steps of a revision lint cannot read ("opaque steps"), collected once by the reader.

Several warnings say that something is missing: the rows of a dropped table or the values of a
dropped column were not copied first (L304, L305), a dropped column was not carried into the new
one (L306), nothing removed the duplicates a unique key meets (L309), the downgrade does not undo
an upgrade's change (L319). Each fresh history showed another way of writing the missing piece
that lint did not read: a call into a module it cannot open, SQL held in a variable, an operation
on a table named at run time. A claim that something is missing is only as good as lint's
reading of what is there, so the reader records every step it could not follow, with what it
can still tell about it:

- the tables it may touch (`tables`): the literal names it is given, or the names its SQL text
  mentions; None when it may touch any table (a call given no name, SQL lint cannot see);
- what it may do (`effects`): None when it may do anything (write or copy rows, change any
  schema); for an operation whose table or object is named at run time, the kinds of change it
  makes (an unresolved `drop_column` can only drop a column).

A rule then stays quiet when such a step may be the missing piece for its object (the same
table, or a table it cannot name), and still reports when the step clearly touches other tables
or cannot make that kind of change. Steps of the kinds below:

- CALL: a statement calling a function lint does not follow (imported from a module it cannot
  read, a name bound at run time, a method of an object such a call returned, `exec`), or any
  call handed a database handle (`op`, a connection, a session) that lint does not know. A call
  in an `if` test, or one whose name says it reads (`has_table`, `get_columns`), is no step.
- SQL: SQL run through `op.execute` or a connection whose text lint cannot see (a variable, a
  function's result), or a statement of a kind the SQL reader does not know (`CALL proc()`).
- ROWS: rows written in a way the syntax does not show (`setattr`, the session's bulk methods,
  `op.bulk_insert` into a table named at run time).
- ALEMBIC: `op.invoke(...)`, `op.run_async(...)`, and operations Alembic does not define (a
  project's registered operation).
- OPERATION: an Alembic operation whose table or object name is known only at run time (a loop
  over a list built at run time, a helper's parameter).
- REBUILD: `batch_alter_table(..., recreate="always", copy_from=...)`: the table rebuilt from a
  definition the revision gives, which may leave out what the batch does not name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from alembic_sentinel.lint.revision_model import LIKE, OpaqueStep
from alembic_sentinel.lint.sql_reader import (
    CREATE_INDEX,
    CREATE_TABLE,
    DELETE,
    DROP_INDEX,
    DROP_TABLE,
    INSERT,
    OTHER,
    RENAME_TABLE,
    UPDATE,
    SqlStatement,
    read_sql,
    statements,
)

CALL = "call"
SQL = "sql"
ROWS = "rows"
ALEMBIC = "alembic"
OPERATION = "operation"
REBUILD = "rebuild"


# what an operation named at run time can still do, as downgrade_rules' done keys name it
OPERATION_EFFECTS = {
    "create_table": frozenset(
        {"create_table", "table_rebuilt", "create_constraint", "create_index"}
    ),
    "drop_table": frozenset({"drop_table"}),
    "add_column": frozenset({"add_column", "create_constraint"}),
    "drop_column": frozenset({"drop_column"}),
    "alter_column": frozenset({"alter_column"}),
    "rename_table": frozenset({"rename_table", "table_rebuilt"}),
    "create_index": frozenset({"create_index", "create_constraint"}),
    "drop_index": frozenset({"drop_index", "drop_constraint"}),
    "create_foreign_key": frozenset({"create_constraint", "create_unnamed"}),
    "create_unique_constraint": frozenset({"create_constraint", "create_unnamed", "create_index"}),
    "create_check_constraint": frozenset({"create_constraint", "create_unnamed"}),
    "create_primary_key": frozenset({"create_constraint", "create_unnamed"}),
    "drop_constraint": frozenset({"drop_constraint", "drop_index"}),
}
# the parameter naming each operation's object
OBJECT_PARAMETERS = {
    "add_column": "column",
    "drop_column": "column_name",
    "alter_column": "column_name",
    "create_index": "index_name",
    "drop_index": "index_name",
    "create_foreign_key": "constraint_name",
    "create_unique_constraint": "constraint_name",
    "create_check_constraint": "constraint_name",
    "create_primary_key": "constraint_name",
    "drop_constraint": "constraint_name",
}
# the two operations that run what lint cannot see: op.invoke of an operation object, and
# op.run_async of a function given the connection. (An operation Alembic does not define is
# a project's registered one or a mistake that fails: no step, it undoes nothing lint knows.)
UNREAD_OPERATIONS = frozenset({"invoke", "run_async"})

# packages whose functions, called as a statement, never write a table of the revision: the
# database libraries lint reads (their calls are operations, fills or definitions) and the
# standard library's modules a revision uses
_LIBRARIES = frozenset(
    """
    sqlalchemy alembic flask_sqlalchemy sqlmodel
    abc argparse ast base64 binascii bisect calendar codecs collections contextlib copy csv
    dataclasses datetime decimal difflib enum errno fnmatch fractions functools gc getpass
    glob gzip hashlib heapq hmac html importlib inspect io ipaddress itertools json keyword
    locale logging math mimetypes numbers operator os pathlib pickle platform pprint queue
    random re secrets shlex shutil signal socket statistics string struct subprocess sys
    tempfile textwrap threading time timeit traceback types typing unicodedata urllib uuid
    warnings weakref zlib zoneinfo
    """.split()
)
# builtins that run code lint cannot see
_RUNS_CODE = frozenset({"exec", "eval", "__import__"})
# the session's and connection's own housekeeping: no rows of their own
_HOUSEKEEPING = frozenset(
    {
        "close",
        "rollback",
        "remove",
        "expunge",
        "expunge_all",
        "refresh",
        "expire",
        "expire_all",
        "dispose",
        "begin",
        "begin_nested",
        "close_all",
        "info",
        "debug",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "log",
        "print",
        "write",
        "echo",
        "secho",
        "sleep",
    }
)
# what a function's name says it does: a read (`has_table`, `get_columns`, `fetch_rows`) unless
# the name also says it writes (`get_or_create`, `check_and_fix`)
_READS = re.compile(
    r"^_*(?:has|is|are|get|exists?|find|fetch|count|list|select|load|read|check|should|can|"
    r"column_exists|table_exists|index_exists|constraint_exists|inspect|reflect|print|log|"
    r"show|echo|format|to|as|parse|render|compile|quote|json|str|"
    r"now|utcnow|utc_now|generate_uuid|uuid|gen_uuid)(?:_|$)",
    re.IGNORECASE,
)
_WRITES = re.compile(
    r"(?:create|insert|update|delete|drop|add|set|migrate|copy|move|fill|populate|write|save|"
    r"fix|convert|merge|dedup|remove|rename|sync|upgrade|downgrade|clean|purge|truncate|"
    r"alter|apply|run|execute|exec|backfill|transfer|store|put|flush|commit)",
    re.IGNORECASE,
)
# calls whose result is a connection, a session or an engine
_HANDLE_FACTORIES = frozenset(
    {
        "get_bind",
        "connect",
        "begin",
        "Session",
        "session",
        "sessionmaker",
        "scoped_session",
        "create_engine",
        "engine_from_config",
        "connection",
    }
)
_HANDLE_ATTRIBUTES = frozenset({"bind", "session", "connection", "engine", "conn"})
# names a helper's parameters give a handle by convention
_HANDLE_NAME = re.compile(
    r"^(?:op|conn|connection|bind|session|sess|engine|migrate_engine|db_session|dbsession)$"
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$")


def is_library(qualified: str | None) -> bool:
    """Whether a dotted name belongs to a library whose calls write no table lint does not
    see (SQLAlchemy, Alembic, the standard library)."""
    return qualified is not None and qualified.split(".", 1)[0] in _LIBRARIES


def says_it_reads(name: str) -> bool:
    """Whether a function's name says it only reads or computes (`has_table`, `get_rows`,
    `utc_now`): by convention no write, whatever module it comes from."""
    return _READS.match(name) is not None and _WRITES.search(name) is None


def runs_code(name: str) -> bool:
    return name in _RUNS_CODE


def housekeeping(method: str) -> bool:
    return method in _HOUSEKEEPING


def makes_handle(value: ast.expr) -> bool:
    """Whether an expression yields a database handle: `op.get_bind()`, `bind.connect()`,
    `Session(bind=bind)`, `sessionmaker(bind=bind)()`, `op.get_context().bind`, `db.session`."""
    node = value
    while type(node) is ast.Call:
        func = node.func
        name = func.attr if type(func) is ast.Attribute else getattr(func, "id", "")
        if name in _HANDLE_FACTORIES:
            return True
        node = func
    return type(node) is ast.Attribute and node.attr in _HANDLE_ATTRIBUTES


def is_handle(node: ast.expr, handles: Iterable[str] | Callable[[str], bool]) -> bool:
    """Whether an argument is a database handle: `op`, a name bound to one (or named like one:
    a helper's `conn` parameter), or an expression that yields one."""
    if type(node) is ast.Name:
        known = handles(node.id) if callable(handles) else node.id in handles
        return known or _HANDLE_NAME.match(node.id) is not None
    return makes_handle(node)


# a function named for one of Alembic's operations (`add_columns`, `drop_fks_for_table`,
# `create_index_if_missing`) makes that kind of change, as its name says
_NAMED_CHANGES = (
    (
        re.compile(
            r"(?:create|add)_(?:\w*_)?(?:fks?|foreign_keys?|constraints?|uniques?|uqs?)(?:_|$)"
        ),
        "create_foreign_key",
    ),
    (
        re.compile(
            r"(?:drop|remove|delete)_(?:\w*_)?(?:fks?|foreign_keys?|constraints?|uniques?|uqs?)"
            r"(?:_|$)"
        ),
        "drop_constraint",
    ),
    (re.compile(r"(?:add|create)_(?:\w*_)?columns?(?:_|$)"), "add_column"),
    (re.compile(r"(?:drop|remove|delete)_(?:\w*_)?columns?(?:_|$)"), "drop_column"),
    (re.compile(r"(?:create|add)_(?:\w*_)?ind(?:ex|exes|ices)(?:_|$)"), "create_index"),
    (re.compile(r"(?:drop|remove|delete)_(?:\w*_)?ind(?:ex|exes|ices)(?:_|$)"), "drop_index"),
    (re.compile(r"(?:create|add)_tables?(?:_|$)"), "create_table"),
    (re.compile(r"(?:drop|remove|delete)_tables?(?:_|$)"), "drop_table"),
    (re.compile(r"(?:alter|rename|modify|change)_(?:\w*_)?columns?(?:_|$)"), "alter_column"),
)


def effects_by_name(name: str) -> frozenset[str] | None:
    """What a function lint does not follow can change, as its name says (`add_columns`: add
    columns); None when its name says nothing of the kind (it may do anything)."""
    lowered = name.lower()
    found = [operation for pattern, operation in _NAMED_CHANGES if pattern.search(lowered)]
    if len(found) != 1:
        return None  # no such word, or several (`drop_and_add_columns`): anything
    return OPERATION_EFFECTS[found[0]]


# objects whose `.create(bind)` / `.drop(bind)` make no table: a type, a sequence
_NOT_TABLES = re.compile(r"enum|type|seq", re.IGNORECASE)


def effects_of_method(method: str, receiver: str = "") -> frozenset[str] | None:
    """What a DDL method of a MetaData or Table lint did not read does (`meta.drop_all(bind)`,
    `t.create(bind)`; nothing to a table for an object named as a type or a sequence,
    `status_enum.drop(bind)`); None for any other method (anything)."""
    if method in ("drop", "create") and _NOT_TABLES.search(receiver):
        return frozenset()
    if method in ("drop", "drop_all"):
        return frozenset({"drop_table"})
    if method in ("create", "create_all"):
        return frozenset({"create_table", "table_rebuilt", "create_constraint", "create_index"})
    return None


class CallArguments(NamedTuple):
    """How the reader reads a call's arguments, for call_tables."""

    literal: Callable[[ast.expr], ast.expr | None]  # the literal a name holds
    table_of: Callable[[ast.expr], str | None]  # the table an argument stands for
    handle: Callable[[ast.expr], bool]  # a database handle (`op`, a connection)
    neutral: Callable[[ast.expr], bool]  # a library's value (`sa.Column(...)`): no table


def call_tables(node: ast.Call, read: CallArguments) -> frozenset[str] | None:
    """The tables a call lint does not follow may touch: the names it is given (literal
    strings, constants, tables and ORM classes of the revision; a library's values such as
    `sa.Column(...)` name none); None when it is given something lint cannot read (a
    variable, an expression), or nothing but handles, numbers and flags. A call given only
    messages (`notify("nothing to undo")`) names no table: empty."""
    if any(type(arg) is ast.Starred for arg in node.args) or any(
        kw.arg is None for kw in node.keywords
    ):
        return None  # *args / **kwargs: what it is given is not visible
    found: set[str] = set()
    messages = False
    for argument in (*node.args, *(kw.value for kw in node.keywords)):
        if read.handle(argument) or read.neutral(argument):
            continue
        given = _names_in(argument, read, found)
        if given is None:
            return None
        messages = messages or given
    if found:
        return frozenset(found)
    return frozenset() if messages else None


def _names_in(node: ast.expr, read: CallArguments, found: set[str]) -> bool | None:
    """Add the table-like names `node` gives to `found`; None when it gives something lint
    cannot read, else whether it gave a message (a string that names nothing)."""
    table = read.table_of(node)
    if table is not None:
        found.add(table.lower())
        return False
    known = read.literal(node) if type(node) is ast.Name else node
    if known is None:
        return None
    node = known
    if type(node) is ast.Constant:
        if type(node.value) is str and _IDENTIFIER.match(node.value):
            found.add(node.value.lower())
            found.add(node.value.rsplit(".", 1)[-1].lower())  # schema.table
            return False
        return type(node.value) is str  # a message; a number or a flag: no table
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        parts = [_names_in(e, read, found) for e in node.elts]
    elif type(node) is ast.Dict:
        parts = [_names_in(p, read, found) for p in (*node.keys, *node.values) if p is not None]
    elif read.neutral(node):
        return False
    else:
        return None
    return None if None in parts else any(parts)


_UNSEEABLE_PREFIX = re.compile(r"^(?:call|exec|execute|perform)$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"__\w+?__")
# the effect of SQL that writes rows of a table whose columns lint reads but whose writes it
# does not keep (a template filled at run time): no copy of a column it does not read, but
# perhaps the rows a unique key needs changed
WRITES_ROWS = "write_rows"
# SQL of a kind lint does not know, on tables lint cannot tell: anything
UNKNOWN: tuple[frozenset[str] | None, frozenset[str] | None, frozenset[str] | None] = (
    None,
    None,
    None,
)
Part = tuple["frozenset[str] | None", "frozenset[str] | None", "frozenset[str] | None"]


def sql_parts(text: str, template: bool = False) -> list[Part]:
    """(tables, effects, names) of each part of `text` the reader does not read: a statement
    of a kind it does not know (the names it mentions: a statement reaches a table only by
    naming it; any table for `CALL proc()`, `EXECUTE`), an ALTER TABLE clause it does not know
    (that table). A `template` (SQL filled at run time, its unknown values as placeholders) is
    read only for the columns it reads, so its writes and its DDL count too, each with what it
    can do. Empty when the reader reads all of it."""
    parts: list[Part] = []
    for items, statement in zip(statements(text), read_sql(text)):
        table = frozenset({table_pattern(statement.table)}) if statement.table else None
        if statement.kind == OTHER:
            if statement.defines_routine:
                continue  # a function or trigger defined: nothing runs now
            if items and items[0].kind == "word" and _UNSEEABLE_PREFIX.match(items[0].text):
                parts.append(UNKNOWN)
                continue
            found: set[str] = set()
            for token in items:
                if token.kind in ("word", "name"):
                    found.add(table_pattern(token.text))
                elif token.kind == "string":  # a body (`DO $$ ... $$`): its words
                    words = re.findall(r"[A-Za-z_][\w$]*", token.text)
                    found.update(table_pattern(word) for word in words)
            parts.append((frozenset(found), None, None))
            continue
        if any(action.kind == "other" for action in statement.actions):
            parts.append((table, None, None))
        if not template:
            continue
        if statement.kind in (UPDATE, INSERT, DELETE):
            parts.append((table, frozenset({WRITES_ROWS}), None))
        effects, names = statement_effects(statement)
        if effects:
            parts.append((table, effects, names))
    return parts


def statement_effects(statement: SqlStatement) -> tuple[frozenset[str], frozenset[str] | None]:
    """The changes a DDL statement makes, in downgrade_rules' key vocabulary, and the objects
    it names (None: some it does not)."""
    kinds: set[str] = set()
    names: set[str] = set()
    unnamed = False
    made = _STATEMENT_EFFECTS.get(statement.kind)
    if made:
        kinds |= made
        if statement.index_name:
            names.add(statement.index_name)
    for action in statement.actions:
        done = _ACTION_EFFECTS.get(action.kind)
        if done:
            kinds |= done
            if action.name:
                names.add(action.name.lower())
            else:
                unnamed = True
    return frozenset(kinds), (frozenset(names) if names and not unnamed else None)


_STATEMENT_EFFECTS = {
    CREATE_TABLE: OPERATION_EFFECTS["create_table"],
    DROP_TABLE: OPERATION_EFFECTS["drop_table"],
    CREATE_INDEX: OPERATION_EFFECTS["create_index"],
    DROP_INDEX: OPERATION_EFFECTS["drop_index"],
    RENAME_TABLE: OPERATION_EFFECTS["rename_table"],
}
_ACTION_EFFECTS = {
    "add_column": OPERATION_EFFECTS["add_column"],
    "drop_column": OPERATION_EFFECTS["drop_column"],
    "change_column": OPERATION_EFFECTS["alter_column"],
    "rename_column": OPERATION_EFFECTS["alter_column"],
    "add_index": OPERATION_EFFECTS["create_index"],
    "add_constraint": OPERATION_EFFECTS["create_foreign_key"],
    "add_primary_key": OPERATION_EFFECTS["create_primary_key"],
    "drop_index": OPERATION_EFFECTS["drop_index"],
    "drop_foreign_key": OPERATION_EFFECTS["drop_constraint"],
    "drop_constraint": OPERATION_EFFECTS["drop_constraint"],
    "drop_primary_key": OPERATION_EFFECTS["drop_constraint"],
    "rename_table": OPERATION_EFFECTS["rename_table"],
}


def joined_template(node: ast.expr) -> str | None:
    """The text of SQL joined from parts (`"ALTER TABLE " + schema + "t ..."`, an f-string),
    each part lint cannot read a placeholder; None when no part is literal."""
    parts: list[str] = []
    pending = [node]
    literal = False
    while pending:
        part = pending.pop()
        if type(part) is ast.BinOp and type(part.op) is ast.Add:
            pending.extend((part.right, part.left))
        elif type(part) is ast.JoinedStr:
            pending.extend(reversed(part.values))
        elif type(part) is ast.Constant and type(part.value) is str:
            parts.append(part.value)
            literal = True
        else:
            parts.append("__field__")
    return "".join(parts) if literal else None


_FORMAT_FIELD = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def fields_as_placeholders(template: str) -> str:
    """A template's text (`"UPDATE {:>10} SET x = 1"`, `"... '%s'"`, an f-string's with `{}`)
    with each field a placeholder: its statements read for their kind and the names written
    out, whatever values fill it."""
    return _FORMAT_FIELD.sub("__field__", template)


# SQLAlchemy's DDL elements an execute may be given, and what each can do
CONSTRUCT_EFFECTS = {
    "CreateTable": OPERATION_EFFECTS["create_table"],
    "DropTable": OPERATION_EFFECTS["drop_table"],
    "CreateIndex": OPERATION_EFFECTS["create_index"],
    "DropIndex": OPERATION_EFFECTS["drop_index"],
    "AddConstraint": OPERATION_EFFECTS["create_foreign_key"],
    "DropConstraint": OPERATION_EFFECTS["drop_constraint"],
}
# elements that touch no table's rows, columns or keys (a sequence, a schema, a comment)
NEUTRAL_CONSTRUCTS = frozenset(
    {
        "CreateSequence",
        "DropSequence",
        "CreateSchema",
        "DropSchema",
        "SetTableComment",
        "DropTableComment",
        "SetColumnComment",
        "DropColumnComment",
    }
)


def table_pattern(word: str) -> str:
    """A name as a table it may be: a placeholder of a run-time value (sql_templates) makes it
    a pattern of the names it can take (a schema prefix, a table prefix: maybe empty)."""
    lowered = word.lower()
    if _PLACEHOLDER.search(lowered) is None:
        return lowered
    return LIKE + _PLACEHOLDER.sub(r"[\\w.]*", re.escape(lowered))


def first_touching(
    steps: Iterable[OpaqueStep],
    table: str | None,
    after: int,
    before: int,
    effects: frozenset[str] = frozenset(),
) -> OpaqueStep | None:
    """The first step between two positions that may touch `table` and may do anything (or
    make one of the changes `effects` names)."""
    for step in steps:
        if not after < step.seq < before or not step.may_touch(table):
            continue
        if step.effects is None or not effects.isdisjoint(step.effects):
            return step
    return None
