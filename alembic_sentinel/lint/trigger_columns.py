"""Columns a database trigger derives from other data, read from raw SQL (L305, round 32).

A column a trigger fills on every insert or update (a search vector, a full name joined from
its parts) holds nothing of its own: dropping it loses no value the rest of the rows do not
still give. The trigger is written in raw SQL, by an earlier revision or the same one:

- MySQL and SQLite write the body inline: `CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW
  SET NEW.full_name = CONCAT(NEW.first, ' ', NEW.last)`, or a `BEGIN ... END` block, whose
  `UPDATE t SET c = ...` (SQLite's form) names its table itself;
- PostgreSQL binds a trigger function: `CREATE FUNCTION f() RETURNS trigger ... AS $$ ... $$`
  assigns `NEW.c := ...`, `SELECT ... INTO NEW.c`, or runs `UPDATE t SET c = ...`; then
  `CREATE TRIGGER ... ON t ... EXECUTE FUNCTION f()` makes `NEW` a row of t.

Only a value read from other data derives the column: one that reads another column of the row
(`NEW.x`, `OLD.x`), selects from a table, or (in an UPDATE) names a column; also through a local
variable assigned so (`v := f(NEW.id); ... SET c = v`). A constant, NULL, the clock
(`SET NEW.updated_at = NOW()`) or the column's own old value (`SET NEW.version = OLD.version +
1`) is a value of its own, and the column is still reported. `DROP TRIGGER` ends a trigger,
`DROP FUNCTION` its function. Pure: the SQL reader's tokenizer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from alembic_sentinel.lint.revision_model import FunctionBody
from alembic_sentinel.lint.sql_reader import ColumnRef, Token, tokens

_DOT = Token("symbol", ".")
_SEMICOLON = Token("symbol", ";")
# words that end an expression or start another statement of a routine's body
_STOP = frozenset(
    """
    where from into returning limit order group having then else elsif end loop begin
    declare if case when return perform raise for while
    """.split()
)
# words that are no column of the row: SQL's, PL/pgSQL's and the trigger row's own names
_NOT_COLUMNS = frozenset(
    """
    select from where and or not null is in like between case when then else end as on join
    left right inner outer cross using set values into update insert delete distinct all true
    false group by order having limit offset asc desc interval exists current_timestamp
    current_date current_time localtime localtimestamp utc_timestamp new old strict perform
    return returning coalesce ifnull nullif concat concat_ws lower upper trim
    """.split()
)


class TriggerFunction(NamedTuple):
    """A trigger function: what its body derives from other data."""

    name: str  # lowercase, without its schema
    new_columns: frozenset[str]  # columns of NEW it assigns so (of the executing trigger's table)
    updated: frozenset[ColumnRef]  # (table, column)s its UPDATEs set so


class Trigger(NamedTuple):
    """A trigger: the table it fires on and what it derives, inline or through a function."""

    name: str  # lowercase, without its schema
    table: str
    function: str  # the function it executes (PostgreSQL), "" for an inline body
    new_columns: frozenset[str] = frozenset()
    updated: frozenset[ColumnRef] = frozenset()


class TriggerRoutine(NamedTuple):
    """What one piece of raw SQL defines or removes of triggers and trigger functions."""

    functions: tuple[TriggerFunction, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    dropped_triggers: tuple[str, ...] = ()
    dropped_functions: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any((self.functions, self.triggers, self.dropped_triggers, self.dropped_functions))


def read_triggers(text: str) -> TriggerRoutine:
    """The triggers and trigger functions `text` creates and drops."""
    if "trigger" not in text.lower():
        return TriggerRoutine()
    items = tokens(text)
    functions: list[TriggerFunction] = []
    triggers: list[Trigger] = []
    dropped: dict[str, list[str]] = {"trigger": [], "function": []}
    at = 0
    while at < len(items):
        token = items[at]
        if token.is_word("create"):
            at, made = _created(items, at + 1)
            if isinstance(made, TriggerFunction):
                functions.append(made)
            elif isinstance(made, Trigger):
                triggers.append(made)
            continue
        if token.is_word("drop") and at + 1 < len(items):
            kind = items[at + 1]
            if kind.is_word("trigger", "function"):
                name, at = _name_after(items, at + 2, skip_if_exists=True)
                if name:
                    dropped[kind.text.lower()].append(name)
                continue
        at += 1
    return TriggerRoutine(
        tuple(functions), tuple(triggers), tuple(dropped["trigger"]), tuple(dropped["function"])
    )


def _name_after(items: Sequence[Token], at: int, skip_if_exists: bool = False) -> tuple[str, int]:
    """A (schema-qualified) name starting at `at`, lowercase, its last part; and where it ends."""
    if skip_if_exists and at < len(items) and items[at].is_word("if"):
        at += 1
        while at < len(items) and items[at].is_word("not", "exists"):
            at += 1
    name = ""
    while at < len(items) and items[at].kind in ("word", "name"):
        name = items[at].text.lower()
        at += 1
        if at < len(items) and items[at] == _DOT:
            at += 1
            continue
        break
    return name, at


def _statement_end(items: Sequence[Token], at: int) -> int:
    """The position of the `;` ending the statement that goes on at `at` (or the end)."""
    while at < len(items) and items[at] != _SEMICOLON:
        at += 1
    return at


def _created(items: Sequence[Token], at: int) -> tuple[int, TriggerFunction | Trigger | None]:
    """After CREATE: the trigger function or trigger it defines, else None; and where reading
    goes on."""
    if at < len(items) and items[at].is_word("or"):
        at += 2  # OR REPLACE
    if at < len(items) and items[at].is_word("definer"):
        while at < len(items) and not items[at].is_word("function", "procedure", "trigger"):
            at += 1
    if at < len(items) and items[at].is_word("constraint"):
        at += 1
    if at >= len(items):
        return at, None
    if items[at].is_word("function"):
        return _function(items, at + 1)
    if items[at].is_word("trigger"):
        return _trigger(items, at + 1)
    return at, None


def _function(items: Sequence[Token], at: int) -> tuple[int, TriggerFunction | None]:
    name, at = _name_after(items, at)
    end = _statement_end(items, at)
    head = items[at:end]
    returns_trigger = any(
        token.is_word("returns") and head[index + 1].is_word("trigger")
        for index, token in enumerate(head[:-1])
    )
    body = next(
        (
            head[index + 1].text
            for index, token in enumerate(head[:-1])
            if token.is_word("as") and head[index + 1].kind == "string"
        ),
        None,
    )
    if not name or not returns_trigger or body is None:
        return end, None
    new_columns, updated = _derived(tokens(body), "")
    return end, TriggerFunction(name, new_columns, updated)


def _trigger(items: Sequence[Token], at: int) -> tuple[int, Trigger | None]:
    name, at = _name_after(items, at, skip_if_exists=True)
    while at < len(items) and not items[at].is_word("on") and items[at] != _SEMICOLON:
        at += 1
    table, at = _name_after(items, at + 1)
    if not name or not table:
        return at, None
    # PostgreSQL: [FOR EACH ROW] [WHEN (...)] EXECUTE FUNCTION f(); MySQL: FOR EACH ROW
    # [FOLLOWS t] body; SQLite: [FOR EACH ROW] [WHEN expr] BEGIN ... END
    start = at
    while start < len(items) and items[start] != _SEMICOLON:
        token = items[start]
        if token.is_word("execute") and start + 2 < len(items):
            function, after = _name_after(items, start + 2)
            return after, Trigger(name, table, function)
        if token.is_word("begin", "set", "update"):
            break
        start += 1
    end = _body_end(items, start)
    new_columns, updated = _derived(items[start:end], table)
    return end, Trigger(name, table, "", new_columns, updated)


def _body_end(items: Sequence[Token], at: int) -> int:
    """Where an inline trigger body starting at `at` ends: its matching END of a BEGIN block
    (CASE ... END nested in it), or its one statement's `;`."""
    if at >= len(items) or not items[at].is_word("begin"):
        return _statement_end(items, at)
    depth = 0
    while at < len(items):
        token = items[at]
        following = items[at + 1] if at + 1 < len(items) else None
        if token.is_word("begin", "case"):
            depth += 1
        elif token.is_word("end") and not (
            following is not None and following.is_word("if", "loop", "while", "repeat", "for")
        ):
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    return at


def _derived(body: Sequence[Token], table: str) -> tuple[frozenset[str], frozenset[ColumnRef]]:
    """The NEW columns (lowercase) a routine's body assigns from other data, and the (table,
    column)s its UPDATEs set from other data; `table`, the trigger's own table (inline bodies),
    or "" (a function: its NEW is the table of whichever trigger executes it)."""
    variables: dict[str, bool] = {}
    new_columns: set[str] = set()
    updated: set[ColumnRef] = set()
    for statement in _statements(body):
        for target, value in _assignments(statement):
            kind, column = target
            other = _reads_other(value, column, variables, kind.startswith("update:"))
            if kind == "new":
                if other:
                    new_columns.add(column)
            elif kind == "variable":
                variables[column] = other or variables.get(column, False)
            elif other:
                updated.add((kind[len("update:") :] or table, column))
    return frozenset(new_columns), frozenset(updated)


def _statements(body: Sequence[Token]) -> Iterator[list[Token]]:
    current: list[Token] = []
    for token in body:
        if token == _SEMICOLON:
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def _assignments(
    statement: Sequence[Token],
) -> Iterator[tuple[tuple[str, str], list[Token]]]:
    """((kind, column), value tokens) of each assignment in one statement of a routine: kind
    "new" (`SET NEW.c = v`, `NEW.c := v`, `SELECT v INTO NEW.c`), "variable" (`v := ...`,
    `SET v = ...`, `SELECT ... INTO v`) or "update:<table>" (`UPDATE t SET c = v`)."""
    at = 0
    while at < len(statement):
        token = statement[at]
        if token.is_word("update"):
            table, after = _name_after(statement, at + 1)
            while after < len(statement) and not statement[after].is_word("set"):
                after += 1
            for column, value in _set_list(statement, after + 1):
                yield (f"update:{table}", column.split(".")[-1]), value
            return
        if token.is_word("set"):
            for column, value in _set_list(statement, at + 1):
                yield _target(column), value
            return
        if token.is_word("select"):
            into = next(
                (i for i in range(at, len(statement)) if statement[i].is_word("into")), None
            )
            if into is not None:
                value = [*statement[at + 1 : into], *_after_targets(statement, into + 1)]
                for column in _into_targets(statement, into + 1):
                    yield _target(column), value
            return
        assigned = _assigned_name(statement, at)
        if assigned is not None:
            name, value_at = assigned
            yield _target(name), _value(statement, value_at)
            return
        at += 1


def _target(name: str) -> tuple[str, str]:
    parts = name.split(".")
    if len(parts) == 2 and parts[0] == "new":
        return "new", parts[1]
    return "variable", parts[-1]


def _dotted(statement: Sequence[Token], at: int) -> tuple[str, int]:
    """`a.b` or `a` at `at`, lowercase, and where it ends."""
    if at >= len(statement) or statement[at].kind not in ("word", "name"):
        return "", at
    name = statement[at].text.lower()
    at += 1
    while (
        at + 1 < len(statement)
        and statement[at] == _DOT
        and statement[at + 1].kind in ("word", "name")
    ):
        name += "." + statement[at + 1].text.lower()
        at += 2
    return name, at


def _assigned_name(statement: Sequence[Token], at: int) -> tuple[str, int] | None:
    """`x := v` or `NEW.x = v` (PL/pgSQL) at `at`: the name and where its value starts."""
    name, after = _dotted(statement, at)
    if not name or after + 1 >= len(statement):
        return None
    if statement[after] == Token("symbol", ":") and statement[after + 1] == Token("symbol", "="):
        return name, after + 2
    if name.startswith("new.") and statement[after] == Token("symbol", "="):
        return name, after + 1
    return None


def _set_list(statement: Sequence[Token], at: int) -> Iterator[tuple[str, list[Token]]]:
    """`a = v, b = w` from `at`: each name and its value's tokens."""
    while at < len(statement):
        name, after = _dotted(statement, at)
        if not name or after >= len(statement):
            return
        if statement[after] == Token("symbol", ":") and after + 1 < len(statement):
            after += 1  # MySQL's SET v := ...
        if statement[after] != Token("symbol", "="):
            return
        value = _value(statement, after + 1)
        yield name, value
        at = after + 1 + len(value)
        if at < len(statement) and statement[at] == Token("symbol", ","):
            at += 1
        else:
            return


def _value(statement: Sequence[Token], at: int) -> list[Token]:
    """The tokens of one value from `at`: up to a comma or stop word outside parentheses."""
    depth = 0
    value: list[Token] = []
    while at < len(statement):
        token = statement[at]
        if token == Token("symbol", "("):
            depth += 1
        elif token == Token("symbol", ")"):
            depth -= 1
        elif depth == 0 and (token == Token("symbol", ",") or token.is_word(*_STOP)):
            break
        value.append(token)
        at += 1
    return value


def _into_targets(statement: Sequence[Token], at: int) -> Iterator[str]:
    if at < len(statement) and statement[at].is_word("strict"):
        at += 1
    while at < len(statement):
        name, at = _dotted(statement, at)
        if not name:
            return
        yield name
        if at < len(statement) and statement[at] == Token("symbol", ","):
            at += 1
        else:
            return


def _after_targets(statement: Sequence[Token], at: int) -> list[Token]:
    """What follows SELECT ... INTO targets (its FROM and WHERE): read with the value."""
    for _ in _into_targets(statement, at):
        pass
    while at < len(statement) and not statement[at].is_word("from"):
        at += 1
    return list(statement[at:])


def _reads_other(
    value: Sequence[Token], column: str, variables: dict[str, bool], bare_columns: bool
) -> bool:
    """Whether a value reads data other than the column itself: another column of the row
    (`NEW.x`, `OLD.x`), a table (SELECT / FROM), a variable assigned so, or (in an UPDATE,
    `bare_columns`) a column named bare or qualified."""
    at = 0
    while at < len(value):
        token = value[at]
        if token.is_word("select", "from"):
            return True
        name, after = _dotted(value, at)
        if not name:
            at += 1
            continue
        calls = after < len(value) and value[after] == Token("symbol", "(")
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] in ("new", "old"):
            if parts[-1] != column:
                return True
        elif name in variables:
            if variables[name]:
                return True
        elif (
            bare_columns
            and not calls
            and token.kind in ("word", "name")
            and parts[-1] not in _NOT_COLUMNS
            and parts[-1] != column
        ):
            return True
        at = after
    return False


def body_triggers(
    body: FunctionBody | None, before: int | None = None
) -> tuple[TriggerRoutine, ...]:
    """What the raw SQL of a function body (before the step `before`, when given) does to
    triggers and trigger functions, in order."""
    found = []
    for fill in body.fills if body is not None else ():
        if fill.sql and (before is None or fill.seq < before):
            routine = read_triggers(fill.sql)
            if routine:
                found.append(routine)
    return tuple(found)


def derived_columns(routines: Iterable[TriggerRoutine]) -> frozenset[ColumnRef]:
    """The (table, column)s the triggers these routines leave in place derive, the routines
    taken in order (a DROP TRIGGER ends one, a DROP FUNCTION what its triggers run)."""
    functions: dict[str, TriggerFunction] = {}
    triggers: dict[str, Trigger] = {}
    for routine in routines:
        for name in routine.dropped_triggers:
            triggers.pop(name, None)
        for name in routine.dropped_functions:
            functions.pop(name, None)
        functions.update((function.name, function) for function in routine.functions)
        triggers.update((trigger.name, trigger) for trigger in routine.triggers)
    derived: set[ColumnRef] = set()
    for trigger in triggers.values():
        derived.update((trigger.table, column) for column in trigger.new_columns)
        derived.update(trigger.updated)
        function = functions.get(trigger.function) if trigger.function else None
        if function is not None:
            derived.update((trigger.table, column) for column in function.new_columns)
            derived.update(function.updated)
    return frozenset(derived)
