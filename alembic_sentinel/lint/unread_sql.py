"""Which parts of the SQL a revision runs lint cannot read (opaque_steps.py), and what each
may touch and change.

Literal SQL is read by sql_reader; what it does not know is a statement of an unknown kind
(the names it mentions are the tables it may touch; `CALL proc()` or `EXECUTE` may touch any)
or an ALTER TABLE clause of an unknown kind (on that table). Upkeep, session settings and
objects that are no table (`ANALYZE TABLE t`, `SET ...`, `CREATE VIEW`) change none. SQL built
at run time is read as its template (known values filled in, the rest placeholders): the fill
keeps only the columns it reads, so its writes and its DDL are steps too, each with what it can
change. A SQLAlchemy DDL element handed to an execute (`DropTable(t)`) changes its own kind.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from alembic_sentinel.lint.held_statements import is_statement
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import Names
from alembic_sentinel.lint.opaque_steps import OPERATION_EFFECTS, WRITES_ROWS, table_pattern
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
    Token,
    read_sql,
    statements,
)

_UNSEEABLE_PREFIX = LazyPattern(r"^(?:call|exec|execute|perform)$", re.IGNORECASE)
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
            if statement.defines_routine or _neutral(items):
                continue  # a function or trigger defined, upkeep: no table changed now
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


# statements that change no table's rows, columns or keys: upkeep (`ANALYZE TABLE t`, `OPTIMIZE`,
# `REPAIR`, `VACUUM`), session settings and transactions, privileges, comments, and objects that
# are no table (views, sequences, types, extensions, schemas, roles). `PREPARE` is followed by
# an `EXECUTE`, which runs what lint cannot see
_NEUTRAL = LazyPattern(
    r"^(?:analyze|optimize|repair|check|vacuum|reindex|cluster|refresh|set|reset|commit|begin"
    r"|start|rollback|savepoint|release|pragma|lock|unlock|flush|show|explain|describe|grant"
    r"|revoke|comment|prepare|deallocate|use"
    r"|(?:create|drop|alter)(?: or replace)? (?:view|sequence|type|extension|schema|role|user"
    r"|database|materialized))\b"
)


def _neutral(items: list[Token]) -> bool:
    """Whether a statement the reader does not know is one that changes no table (_NEUTRAL)."""
    words = [t.text.lower() for t in items[:4] if t.kind == "word"]
    return _NEUTRAL.match(" ".join(words)) is not None


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


_FORMAT_FIELD = LazyPattern(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def fields_as_placeholders(template: str) -> str:
    """A template's text (`"UPDATE {:>10} SET x = 1"`, `"... '%s'"`, an f-string's with `{}`)
    with each field a placeholder: its statements read for their kind and the names written
    out, whatever values fill it."""
    return _FORMAT_FIELD.sub("__field__", template)


# SQLAlchemy's functions that take raw SQL text
_TEXT_CALLS = frozenset({"text", "literal_column"})
# SQLAlchemy's DDL elements an execute may be given, and what each can do
CONSTRUCT_EFFECTS = {
    "CreateTable": OPERATION_EFFECTS["create_table"],
    "DropTable": OPERATION_EFFECTS["drop_table"],
    "CreateIndex": OPERATION_EFFECTS["create_index"],
    "DropIndex": OPERATION_EFFECTS["drop_index"],
    "AddConstraint": OPERATION_EFFECTS["create_foreign_key"],
    "DropConstraint": OPERATION_EFFECTS["drop_constraint"],
}


def unread_clause(statements: Sequence[SqlStatement]) -> bool:
    """Whether read SQL holds an ALTER TABLE clause the SQL reader does not know (`ALTER TABLE
    t ENABLE KEYS`): the statement is known, that part of it is not (opaque_steps.sql_parts)."""
    return any(action.kind == "other" for s in statements for action in s.actions)


def returns_statements(definition: ast.FunctionDef | ast.AsyncFunctionDef, names: Names) -> bool:
    """Whether every `return` of a function (its nested functions aside) gives a Core statement
    (`t.update().values(...)`), not raw text: executing its result runs what lint read there."""
    returned: list[ast.expr | None] = []
    pending: list[ast.AST] = list(definition.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if type(node) is ast.Return:
            returned.append(node.value)
        pending.extend(ast.iter_child_nodes(node))
    return bool(returned) and all(
        value is not None
        and is_statement(value, names)
        and not (type(value) is ast.Call and names.sqlalchemy_name(value.func) in _TEXT_CALLS)
        for value in returned
    )
