"""A column the upgrade added and gave every row a fresh value of its own (L325, round 38).

A revision moving a table's key to UUIDs adds the column, walks the rows and writes a new
uuid into each, one execution per row, found by the row's old unique key:

    for room in conn.execute(sa.text("SELECT id FROM room")).fetchall():
        new_uuid = str(uuid.uuid4())
        conn.execute(sa.text("UPDATE room SET uuid = :u WHERE id = :id"), {"u": new_uuid,
                     "id": room[0]})

No two rows get the same value, so a key over the column (or over it and others) cannot meet a
duplicate; a key of another table matched by it is one-to-one too (carried_keys' joined
copies). The same holds for an ORM or Core write of such a value in the loop (`room.uuid =
str(uuid4())`, `.values(uuid=str(uuid4()))`) and for SQL the server evaluates per row (`SET
uuid = UUID()`, distinct_fills). A value made once, outside the loop, and written into every
row is one value for all: not fresh. Nor is a bind UPDATE whose WHERE is not the row's own
unique key (several rows share the one value), a column with a server default (rows no write
reaches share it), or one a step lint cannot read may write. L309 asks the same of a raw bound
UPDATE in a loop (`fresh_bound_write`, round 42: `{"uuid": str(ULID()), "id": row[0]}`). The
pass's own number (`for i, row in enumerate(rows)`, `n += 1` each pass; row_counters) is such
a value too (issue 20).

Pure: the reader's facts, and the file's syntax read again only for the revisions that reach
here (a primary key made after the old one was dropped), when the text names a per-row value.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterator

from alembic_sentinel.lint.distinct_fills import PER_ROW_PYTHON, sets_distinct
from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import DEFAULT_NONE
from alembic_sentinel.lint.row_counters import LOOP_COUNTER, counted_per_pass

# whether a column of a table is a one-column unique key of it: (table, column)
UniqueColumn = Callable[[str, str], bool]

# UPDATE t SET ... WHERE ...: the table, the SET list, the WHERE
_UPDATE = LazyPattern(
    r"^\s*UPDATE\s+[`\"]?(\w+)[`\"]?\s+SET\s+(.*?)\s+WHERE\s+(.*?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_BOUND = LazyPattern(r"^[`\"]?(\w+)[`\"]?\s*=\s*:(\w+)$")
_EXECUTES = frozenset({"execute", "exec_driver_sql"})
_TEXT_CALLS = frozenset({"text"})


def fresh_per_row(facts: Facts, table: str, column: str, before: int, unique: UniqueColumn) -> bool:
    """Whether the upgrade added `table.column` (lowercase) before step `before` with no
    server default and wrote it, before that step, only with a value of its own for each row
    (see above); `unique` says which columns find one row each."""
    added = next(
        (
            (op, spec)
            for (t, c), (op, spec) in facts.added.items()
            if (t or "").lower() == table and (c or "").lower() == column
        ),
        None,
    )
    if added is None or added[0].seq >= before:
        return False
    op, spec = added
    if spec.server_default not in (None, DEFAULT_NONE) or spec.generated:
        return False
    if facts.unread_before(table, before, op.seq, writes=True) is not None:
        return False  # a step lint cannot read may write it
    assignments = [
        a
        for a in facts.assignments
        if op.seq < a.seq < before
        and a.column.lower() == column
        and (a.table or table).lower() == table
    ]
    if any(not (a.in_loop and PER_ROW_PYTHON.search(ast.unparse(a.value))) for a in assignments):
        return False
    bound_lines = _fresh_bound_updates(facts, table, column, unique)
    wanted = {(table, column), (None, column), (table, "*")}
    writes = 0
    for fill in facts.fills:
        if not (op.seq < fill.seq < before) or wanted.isdisjoint(fill.writes):
            continue
        writes += 1
        if fill.sql is None:
            if not any(fill.line <= a.line <= fill.end_line for a in assignments):
                return False  # a Core or ORM write lint did not read as a value
        elif not (
            any(first <= fill.line <= last for first, last in bound_lines)
            or sets_distinct(fill.sql, column, ())
        ):
            return False
    return writes > 0 or bool(assignments)


def fresh_bound_write(
    facts: Facts,
    table: str,
    column: str,
    before: int,
    keys: Collection[str],
    every_row: Callable[[], bool] | None = None,
) -> bool:
    """Whether, before step `before`, the upgrade writes `table.column` (lowercase) by a raw
    `UPDATE table SET column = :p WHERE key = :k` executed in a loop with `p` a value made per
    pass (`{"p": str(uuid4())}`, `p=str(ULID())`, a name the loop binds so) and `key` one of
    `keys`, the table's one-column unique keys: each row gets a value of its own (L309, round
    42). With `every_row` (whether rows the loops leave out cannot repeat a value: none is left
    out, or they hold NULL), the pass's own number counts too (row_counters, issue 20)."""

    def unique(_table: str, name: str) -> bool:
        return name in keys

    bound_lines = _fresh_bound_updates(facts, table, column, unique, every_row)
    if not bound_lines:
        return False
    wanted = {(table, column), (None, column), (table, "*")}
    return any(
        fill.seq < before
        and not wanted.isdisjoint(fill.writes)
        and any(first <= fill.line <= last for first, last in bound_lines)
        for fill in facts.fills
    )


def _fresh_bound_updates(
    facts: Facts,
    table: str,
    column: str,
    unique: UniqueColumn,
    every_row: Callable[[], bool] | None = None,
) -> list[tuple[int, int]]:
    """The lines of each raw `UPDATE t SET column = :p WHERE key = :k` executed in a loop
    with `p` a value made per pass (`str(uuid.uuid4())`, inline or bound to a name in the same
    loop) and `key` a one-column unique key of the table; with `every_row` (whether the loops
    leave no row of the table out), also `p` the pass's number (row_counters)."""
    source = facts.source
    if source is None:
        return []
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    counters = every_row is not None and LOOP_COUNTER.search(text) is not None
    if PER_ROW_PYTHON.search(text) is None and not counters:
        return []
    found: list[tuple[int, int]] = []
    tree = source_tree(facts)
    for loop in (n for n in ast.walk(tree) if isinstance(n, (ast.For, ast.AsyncFor, ast.While))):
        made = made_per_pass(loop)
        for call in executes(loop):
            parameter = _fresh_parameter(call, table, column, unique)
            if parameter is None:
                continue
            given = value = _parameter_value(call, parameter)
            if type(value) is ast.Name:
                value = made.get(value.id)
            if (value is not None and PER_ROW_PYTHON.search(ast.unparse(value))) or (
                counters
                and given is not None
                and counted_per_pass(given, loop, tree)
                and every_row is not None
                and every_row()
            ):
                # a fresh id per pass, or the pass's number (row_counters: `enumerate`)
                found.append((call.lineno, call.end_lineno or call.lineno))
    return found


def source_tree(facts: Facts) -> ast.Module:
    """The revision file's syntax, parsed once for the rules that read it again (empty when
    the text is not there or not Python)."""
    memo = facts.memo.get("fresh_values.tree")
    if memo is None:
        source = facts.source
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        try:
            memo = ast.parse(text) if text is not None else None
        except (SyntaxError, ValueError):
            memo = None
        memo = memo or ast.Module(body=[], type_ignores=[])
        facts.memo["fresh_values.tree"] = memo
    assert isinstance(memo, ast.Module)
    return memo


def made_per_pass(loop: ast.For | ast.AsyncFor | ast.While) -> dict[str, ast.expr]:
    """name -> the value a statement of the loop's body binds it to, each pass."""
    made: dict[str, ast.expr] = {}
    for statement in loop.body:
        for node in ast.walk(statement):
            if type(node) is ast.Assign and len(node.targets) == 1:
                target = node.targets[0]
                if type(target) is ast.Name:
                    made[target.id] = node.value
    return made


def executes(loop: ast.For | ast.AsyncFor | ast.While) -> Iterator[ast.Call]:
    """The `.execute(...)` / `.exec_driver_sql(...)` calls of a loop's body, given SQL."""
    for statement in loop.body:
        for node in ast.walk(statement):
            if (
                type(node) is ast.Call
                and type(node.func) is ast.Attribute
                and node.func.attr in _EXECUTES
                and node.args
            ):
                yield node


def _fresh_parameter(call: ast.Call, table: str, column: str, unique: UniqueColumn) -> str | None:
    """The bind parameter a raw `UPDATE table SET column = :p WHERE key = :k` executed by
    `call` writes into the column, its WHERE one unique key of the table; else None."""
    statement = call.args[0]
    if type(statement) is ast.Call and statement.args:
        func = statement.func
        name = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
        if name in _TEXT_CALLS:
            statement = statement.args[0]
    sql = string_value(statement)
    match = _UPDATE.match(sql) if sql is not None else None
    if match is None or match.group(1).lower() != table:
        return None
    where = _BOUND.match(match.group(3).strip())
    if where is None or not unique(table, where.group(1).lower()):
        return None
    for part in match.group(2).split(","):
        bound = _BOUND.match(part.strip())
        if bound is not None and bound.group(1).lower() == column:
            return bound.group(2)
    return None


def _parameter_value(call: ast.Call, parameter: str) -> ast.expr | None:
    """The value an execute gives a bind parameter: `{"p": v}` or `p=v`."""
    for keyword in call.keywords:
        if keyword.arg == parameter:
            return keyword.value
    given = call.args[1] if len(call.args) > 1 else None
    if type(given) is ast.Dict:
        for key, value in zip(given.keys, given.values):
            if key is not None and string_value(key) == parameter:
                return value
    return None
