"""Keys a revision drops under the names the database reports: a loop over what reflection
finds on a table (`for fk in sa.inspect(bind).get_foreign_keys("t"): op.drop_constraint(
fk["name"], "t", type_="foreignkey")`, `for c in reflected_table.foreign_key_constraints:
op.drop_constraint(c.name, ...)`).

Such a loop drops every key of that kind on that table (those its `if` tests keep), whatever
names they carry; a downgrade written so undoes the upgrade's create_foreign_key /
create_index / create_unique_constraint on the table without naming it (L319). Only the
reflection calls of SQLAlchemy's Inspector and the key collections of a `Table` are read; the
kind is the reflection's (`get_indexes` walks indexes, never foreign keys). Pure: ast only.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from typing import NamedTuple, Protocol

FOREIGN_KEY = "foreignkey"
INDEX = "index"
UNIQUE = "unique"

# Inspector methods (sa.inspect(bind), Inspector.from_engine(...)) and what they list
_INSPECTOR_METHODS: Mapping[str, str] = {
    "get_foreign_keys": FOREIGN_KEY,
    "get_indexes": INDEX,
    "get_unique_constraints": UNIQUE,
}
# collections of a (reflected) sa.Table and what they hold
_TABLE_COLLECTIONS: Mapping[str, str] = {"foreign_key_constraints": FOREIGN_KEY, "indexes": INDEX}
# the fields of a reflected key that hold its name: fk["name"], fk.get("name"), constraint.name
_NAME_FIELD = "name"


class Reflection(NamedTuple):
    """What a loop walks: the keys of one kind that the database reports on a table."""

    kind: str  # FOREIGN_KEY | INDEX | UNIQUE
    table: str | None  # lowercase; None: named at run time (see table_node)
    table_node: ast.expr | None  # the expression naming the table, as written


class ReflectedKeys(NamedTuple):
    """A drop whose name comes from a reflection loop: every key of `kind` on `table` that
    the loop's tests let through (`words`: the literal strings those tests compare the key's
    fields with; empty when nothing filters)."""

    kind: str
    table: str  # lowercase
    words: frozenset[str]
    # the one key a finder function picks by its fields (lint/key_finders.py), not every key
    # the tests let through: it drops a key only when its tests name all of that key's columns
    found_one: bool = False


def reflection(
    node: ast.expr,
    literal: Callable[[ast.expr], ast.expr | None],
    tables: Mapping[str, str | None],
) -> Reflection | None:
    """What `node` lists when it is a reflection of a table's keys: `X.get_foreign_keys(t)`,
    `X.get_indexes(t)`, `X.get_unique_constraints(t)` (t a literal or a name holding one), or
    `T.foreign_key_constraints` / `T.indexes` of a table variable `T` (`tables`: variable ->
    its table); None for anything else."""
    if type(node) is ast.Call and type(node.func) is ast.Attribute:
        kind = _INSPECTOR_METHODS.get(node.func.attr)
        argument = node.args[0] if node.args else _keyword(node, "table_name")
        if kind is None or argument is None:
            return None
        value = literal(argument)
        table = value.value if type(value) is ast.Constant and type(value.value) is str else None
        return Reflection(kind, table.lower() if table else None, argument)
    if type(node) is ast.Attribute and type(node.value) is ast.Name:
        kind = _TABLE_COLLECTIONS.get(node.attr)
        if kind is None or node.value.id not in tables:
            return None
        table = tables[node.value.id]
        return Reflection(kind, table.lower() if table else None, None)
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


# a word no key has: a test compares the key with a value lint cannot read
UNREAD = "\x00unread"


def filter_words(
    body: list[ast.stmt], variable: str, literal: Callable[[ast.expr], ast.expr | None]
) -> frozenset[str]:
    """The literal strings the `if` tests of a loop body compare the loop's key with
    (`if fk["constrained_columns"] == ["user_id"]:` gives "user_id"; a name holding a literal,
    a helper's parameter bound to one, gives it). The field names read (`"constrained_columns"`,
    `fk.get("name")`'s "name") are not words of the key; a value lint cannot read gives UNREAD,
    which no key matches."""
    words: set[str] = set()
    for statement in body:
        for node in ast.walk(statement):
            test = node.test if isinstance(node, (ast.If, ast.IfExp, ast.While)) else None
            if test is not None and _mentions(test, variable):
                words.update(test_words(test, variable, literal))
    return frozenset(words)


def test_words(
    test: ast.expr, variable: str, literal: Callable[[ast.expr], ast.expr | None]
) -> Iterator[str]:
    """The literal strings one test compares the key `variable` with (see filter_words)."""
    fields = _field_names(test)
    called = {id(n.func) for n in ast.walk(test) if type(n) is ast.Call}
    for child in ast.walk(test):
        if type(child) is ast.Constant and type(child.value) is str and id(child) not in fields:
            yield child.value.lower()
        elif type(child) is ast.Name and child.id != variable and id(child) not in called:
            value = literal(child)
            if value is None:
                yield UNREAD
                continue
            elements = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
            for element in elements:
                if type(element) is ast.Constant and type(element.value) is str:
                    yield element.value.lower()


def _mentions(test: ast.expr, variable: str) -> bool:
    return any(type(n) is ast.Name and n.id == variable for n in ast.walk(test))


def _field_names(test: ast.expr) -> set[int]:
    """ids of the string constants that name a field: `x["field"]`, `x.get("field", ...)`."""
    found: set[int] = set()
    for node in ast.walk(test):
        if type(node) is ast.Subscript and type(node.slice) is ast.Constant:
            found.add(id(node.slice))
        elif (
            type(node) is ast.Call
            and type(node.func) is ast.Attribute
            and node.func.attr == "get"
            and node.args
        ):
            found.add(id(node.args[0]))
    return found


def reflected_name(name: ast.expr | None, loops: Container[str]) -> str | None:
    """The loop variable whose reported name `name` is (`fk["name"]`, `fk.get("name")`,
    `constraint.name`), when that variable walks a reflection; else None."""
    owner: ast.expr | None = None
    if type(name) is ast.Subscript and type(name.slice) is ast.Constant:
        owner = name.value if name.slice.value == _NAME_FIELD else None
    elif type(name) is ast.Attribute and name.attr == _NAME_FIELD:
        owner = name.value
    elif (
        type(name) is ast.Call
        and type(name.func) is ast.Attribute
        and name.func.attr == "get"
        and name.args
        and type(name.args[0]) is ast.Constant
        and name.args[0].value == _NAME_FIELD
    ):
        owner = name.func.value
    if type(owner) is ast.Name and owner.id in loops:
        return owner.id
    return None


def dropped_kind(operation: str, type_: str | None, kind: str) -> bool:
    """Whether a drop of this kind of operation (and `type_=`) removes keys of `kind`:
    drop_constraint of a foreign key or unique key (type_ as the reflection's, or not given),
    drop_index of an index or of a unique key (MySQL's unique keys are indexes)."""
    if operation == "drop_constraint":
        return kind in (FOREIGN_KEY, UNIQUE) and type_ in (None, kind)
    if operation == "drop_index":
        return kind in (INDEX, UNIQUE)
    return False


# the kinds of reflected keys a loop must walk to drop what each upgrade operation creates
_KINDS_DROPPING: Mapping[str, frozenset[str]] = {
    "create_foreign_key": frozenset({FOREIGN_KEY}),
    "create_unique_constraint": frozenset({UNIQUE}),
    "create_index": frozenset({INDEX}),
}


def kinds_dropping(operation: str) -> frozenset[str]:
    """The reflection kinds whose loop drops what `operation` creates; a loop over another
    kind (indexes for a foreign key) never does."""
    return _KINDS_DROPPING.get(operation, frozenset())


class CreatedKey(Protocol):
    """What an upgrade's create_* makes, as naming_convention.NamedObject reads it (a protocol:
    naming_convention reads revision_model, which holds ReflectedKeys)."""

    @property
    def table(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def columns(self) -> tuple[str, ...] | None: ...
    @property
    def referred_table(self) -> str | None: ...
    @property
    def referred_columns(self) -> tuple[str, ...] | None: ...


def drops_every(drops: Sequence[ReflectedKeys], operation: str, made: CreatedKey | None) -> bool:
    """Whether one of a downgrade's reflection-loop drops removes the key `operation` created
    (`made`): a loop over keys of a kind that includes it, on its table, whose tests compare
    the key only with words of it (its name, table, columns, referred table and columns)."""
    if made is None or not drops:
        return False
    words = {made.table, *(made.columns or ()), *(c.lower() for c in made.referred_columns or ())}
    words.update(part for part in (made.name, made.referred_table) if part)
    return any(
        dropped.kind in kinds_dropping(operation)
        and dropped.table == made.table
        and dropped.words <= words
        and (not dropped.found_one or _names_its_columns(dropped, made))
        for dropped in drops
    )


def _names_its_columns(dropped: ReflectedKeys, made: CreatedKey) -> bool:
    """Whether a finder's tests name every column of the key (`find_fk(t, ["a"])` picks the
    key over a, not one over (a, b), nor one whose referred column is a)."""
    return bool(made.columns) and set(made.columns or ()) <= dropped.words
