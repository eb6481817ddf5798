"""Which calls a revision makes that lint does not follow are steps it cannot read
(opaque_steps.py), and what they may touch and change.

A call is one when it may write rows or change the schema: a statement of its own calling a
function of a module lint cannot read, a name bound at run time or a method of what such a call
returned, or any call handed a database handle (`op`, a connection, a session). It is none when
it is a builtin, a function of SQLAlchemy, Alembic or the standard library, or named as a read
(`has_table`, `get_columns`). What it may touch are the names it is given; what it may change,
what its name says (`add_columns`: columns added) or anything.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.opaque_steps import OPERATION_EFFECTS

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
        "configure",
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
_READS = LazyPattern(
    r"^_*(?:has|is|are|get|exists?|find|fetch|count|list|select|load|read|check|should|can|"
    r"column_exists|table_exists|index_exists|constraint_exists|inspect|reflect|print|log|"
    r"show|echo|format|to|as|parse|render|compile|quote|json|str|"
    r"now|utcnow|utc_now|generate_uuid|uuid|gen_uuid)(?:_|$)",
    re.IGNORECASE,
)
_WRITES = LazyPattern(
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
_HANDLE_NAME = LazyPattern(
    r"^(?:op|conn|connection|bind|session|sess|engine|migrate_engine|db_session|dbsession)$"
)
_IDENTIFIER = LazyPattern(r"^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$")


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
        LazyPattern(
            r"(?:create|add)_(?:\w*_)?(?:fks?|foreign_keys?|constraints?|uniques?|uqs?)(?:_|$)"
        ),
        "create_foreign_key",
    ),
    (
        LazyPattern(
            r"(?:drop|remove|delete)_(?:\w*_)?(?:fks?|foreign_keys?|constraints?|uniques?|uqs?)"
            r"(?:_|$)"
        ),
        "drop_constraint",
    ),
    (LazyPattern(r"(?:add|create)_(?:\w*_)?columns?(?:_|$)"), "add_column"),
    (LazyPattern(r"(?:drop|remove|delete)_(?:\w*_)?columns?(?:_|$)"), "drop_column"),
    (LazyPattern(r"(?:create|add)_(?:\w*_)?ind(?:ex|exes|ices)(?:_|$)"), "create_index"),
    (LazyPattern(r"(?:drop|remove|delete)_(?:\w*_)?ind(?:ex|exes|ices)(?:_|$)"), "drop_index"),
    (LazyPattern(r"(?:create|add)_tables?(?:_|$)"), "create_table"),
    (LazyPattern(r"(?:drop|remove|delete)_tables?(?:_|$)"), "drop_table"),
    (LazyPattern(r"(?:alter|rename|modify|change)_(?:\w*_)?columns?(?:_|$)"), "alter_column"),
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
_NOT_TABLES = LazyPattern(r"enum|type|seq", re.IGNORECASE)


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
