"""Columns raw SQL joins another table's rows by and whose link it writes down: the values a
later drop of the column loses are kept elsewhere (copied_values, L305 through history).

A revision that turns a name into a reference to a lookup table fills the new column through
a join on the old one, and a later revision (the contract step) drops the old column:

    UPDATE hosts JOIN environments USING (environment) SET hosts.environment_id = environments.id
    UPDATE hosts JOIN environments e ON hosts.environment = e.name SET hosts.environment_id = e.id
    UPDATE hosts SET environment_id = (SELECT e.id FROM environments e
                                       WHERE e.name = hosts.environment)
    UPDATE hosts SET environment_id = e.id FROM environments e WHERE e.name = hosts.environment

Each row's `environment` decides the lookup row whose value the row gets: what the column
said is carried by the written column (the downgrade rebuilds it by the same join). So does
an `INSERT ... SELECT` over a join whose select list takes columns of both tables: each new
row ties the row of one to the row of the other that the join key matched (`INSERT INTO
relationships (...) SELECT t.id, o.object_id ... FROM tasks t JOIN objects o ON
t.object_ref = o.id` keeps what `tasks.object_ref` linked).

Only an equality between a column of one table and a column of another counts (`ON a.x =
b.y`, the parts of an AND, `USING (c)` between two tables, the same in a WHERE), and only
when the statement writes what it took from the other side: an UPDATE setting another column
of the key's table to a value read from the joined table, an INSERT selecting columns of both.
A join whose SET writes a constant, or reads the key's own table only, carries nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from alembic_sentinel.lint.sql_reader import Token, statements

ColumnRef = tuple[str, str]  # (table, column), lowercase

# words that end a table's entry in a FROM / JOIN list, or are never an alias
_NOT_ALIAS = frozenset(
    """
    on using join left right inner outer cross natural straight_join where set group order
    limit having union select values as from for lock window partition
    """.split()
)
# words after which a FROM / JOIN list names a table
_TABLE_WORDS = ("update", "from", "join", "straight_join")


class _Sources(NamedTuple):
    """The tables of a statement's FROM / JOIN list (or UPDATE's), by alias, and the column
    equalities its joins match rows by."""

    aliases: dict[str, str]  # alias or name -> table, lowercase
    tables: list[str]  # in order
    equalities: list[tuple[ColumnRef, ColumnRef]]


def carried_columns(sql: str) -> set[ColumnRef]:
    """(table, column) of each column a statement of `sql` joins another table by and whose
    link to the joined row it writes (an UPDATE of the key's table from the other, an INSERT
    ... SELECT of columns of both)."""
    found: set[ColumnRef] = set()
    for items in statements(sql):
        if items[0].is_word("update"):
            found |= _update_links(items)
        elif items[0].is_word("insert", "replace"):
            select_at = _top_level(items, "select")
            if select_at < len(items):
                found |= _select_links(items[select_at:])
    return found


def _top_level(items: Sequence[Token], *words: str, start: int = 0) -> int:
    """The position of the first of `words` outside parentheses from `start`, else the length."""
    depth = 0
    for index in range(start, len(items)):
        token = items[index]
        if token.kind == "symbol" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif depth == 0 and token.is_word(*words):
            return index
    return len(items)


def _group(items: Sequence[Token], at: int) -> tuple[list[Token], int]:
    """The tokens inside the parentheses opening at `at`, and the position after them."""
    depth = 0
    inside: list[Token] = []
    for index in range(at, len(items)):
        token = items[index]
        if token.kind == "symbol" and token.text == "(":
            depth += 1
            if depth == 1:
                continue
        elif token.kind == "symbol" and token.text == ")":
            depth -= 1
            if depth == 0:
                return inside, index + 1
        inside.append(token)
    return inside, len(items)


def _is_name(token: Token | None) -> bool:
    return token is not None and token.kind in ("word", "name")


def _sources(items: Sequence[Token]) -> _Sources:
    """The tables (with aliases) and join equalities of the tokens of a FROM / JOIN list."""
    found = _Sources({}, [], [])
    index = 0
    while index < len(items):
        token = items[index]
        if token.kind == "symbol" and token.text == "(":
            index = _group(items, index)[1]  # a subquery: not followed
            continue
        if token.is_word(*_TABLE_WORDS) or (token.kind == "symbol" and token.text == ","):
            index = _table_entry(items, index + 1, found)
            continue
        if token.is_word("on"):
            end = _top_level(items, *_NOT_ALIAS - {"as"}, start=index + 1)
            found.equalities.extend(_equalities(items[index + 1 : end], found.aliases))
            index = end
            continue
        following = items[index + 1] if index + 1 < len(items) else None
        if token.is_word("using") and following == Token("symbol", "(") and found.tables:
            columns, index = _group(items, index + 1)
            if len(found.tables) == 2:  # `a JOIN b USING (c)`: a.c = b.c
                left, right = found.tables
                found.equalities.extend(
                    ((left, c.text.lower()), (right, c.text.lower()))
                    for c in columns
                    if _is_name(c)
                )
            continue
        index += 1
    return found


def _table_entry(items: Sequence[Token], index: int, found: _Sources) -> int:
    """Read `name [AS alias]` at `index` into `found` (a comma-separated list goes on through
    the caller); the position after it."""
    if index >= len(items) or not _is_name(items[index]):
        return index
    if items[index].is_word(*_NOT_ALIAS):
        return index
    table = items[index].text.lower()
    index += 1
    while (
        index + 1 < len(items)
        and items[index] == Token("symbol", ".")
        and _is_name(items[index + 1])
    ):
        table = items[index + 1].text.lower()  # `db`.`t`: the table is the last part
        index += 2
    found.tables.append(table)
    found.aliases[table] = table
    if index < len(items) and items[index].is_word("as"):
        index += 1
    if index < len(items) and _is_name(items[index]) and not items[index].is_word(*_NOT_ALIAS):
        found.aliases[items[index].text.lower()] = table
        index += 1
    return index


def _column(items: Sequence[Token], aliases: dict[str, str]) -> ColumnRef | None:
    """`q.c` (or `db.q.c`) as (table, column) through the aliases; else None."""
    names = [t for t in items if _is_name(t)]
    dots = [t for t in items if t == Token("symbol", ".")]
    if len(names) < 2 or len(names) != len(dots) + 1 or len(names) + len(dots) != len(items):
        return None
    table = aliases.get(names[-2].text.lower())
    return (table, names[-1].text.lower()) if table else None


def _equalities(
    condition: Sequence[Token], aliases: dict[str, str]
) -> list[tuple[ColumnRef, ColumnRef]]:
    """The `a.x = b.y` parts of a condition's top-level AND, between two different tables."""
    found = []
    start = 0
    while start <= len(condition):
        end = _top_level(condition, "and", start=start)
        part = condition[start:end]
        equals = [i for i, t in enumerate(part) if t == Token("symbol", "=")]
        if len(equals) == 1:
            left = _column(part[: equals[0]], aliases)
            right = _column(part[equals[0] + 1 :], aliases)
            if left is not None and right is not None and left[0] != right[0]:
                found.append((left, right))
        start = end + 1
    return found


def _reads(items: Sequence[Token], aliases: dict[str, str]) -> set[str]:
    """The tables whose columns an expression names as `alias.column` (outside subqueries)."""
    found = set()
    depth = 0
    for index, token in enumerate(items):
        if token.kind == "symbol" and token.text in "()":
            depth += 1 if token.text == "(" else -1
            continue
        following = items[index + 1] if index + 1 < len(items) else None
        if depth == 0 and _is_name(token) and following == Token("symbol", "."):
            table = aliases.get(token.text.lower())
            if table is not None:
                found.add(table)
    return found


def _links(
    equalities: list[tuple[ColumnRef, ColumnRef]], written: list[tuple[ColumnRef, set[str]]]
) -> set[ColumnRef]:
    """The key columns whose link a write keeps: for `a.x = b.y`, a column of a other than x
    written from a value that reads b carries a.x (and the other way around)."""
    found: set[ColumnRef] = set()
    for pair in equalities:
        for key, other in (pair, pair[::-1]):
            if any(
                target[0] == key[0] and target[1] != key[1] and other[0] in sources
                for target, sources in written
            ):
                found.add(key)
    return found


def _update_links(items: Sequence[Token]) -> set[ColumnRef]:
    set_at = _top_level(items, "set")
    if set_at >= len(items):
        return set()
    found = _sources(items[:set_at])
    if not found.tables:
        return set()
    updated = found.tables[0]
    body = items[set_at + 1 :]
    where_at = _top_level(body, "where")
    from_at = _top_level(body[:where_at], "from")  # PostgreSQL's UPDATE ... FROM
    if from_at < where_at:
        more = _sources(body[from_at:where_at])
        found.aliases.update(more.aliases)
        found.tables.extend(more.tables)
        found.equalities.extend(more.equalities)
    found.equalities.extend(_equalities(body[where_at + 1 :], found.aliases))
    written: list[tuple[ColumnRef, set[str]]] = []
    carried: set[ColumnRef] = set()
    start = 0
    assignments = body[:from_at]
    while start < len(assignments):
        end = _top_level_symbol(assignments, ",", start)
        part = assignments[start:end]
        start = end + 1
        equals = next((i for i, t in enumerate(part) if t == Token("symbol", "=")), None)
        if equals is None:
            continue
        target = _column(part[:equals], found.aliases)
        if target is None and len(part[:equals]) == 1 and _is_name(part[0]):
            target = (updated, part[0].text.lower())  # an unqualified column: the table's own
        if target is None:
            continue
        value = part[equals + 1 :]
        written.append((target, _reads(value, found.aliases)))
        carried |= _subquery_links(value, found.aliases, target)
    return carried | _links(found.equalities, written)


def _top_level_symbol(items: Sequence[Token], symbol: str, start: int) -> int:
    depth = 0
    for index in range(start, len(items)):
        token = items[index]
        if token.kind == "symbol" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif depth == 0 and token == Token("symbol", symbol):
            return index
    return len(items)


def _subquery_links(
    value: Sequence[Token], outer: dict[str, str], target: ColumnRef
) -> set[ColumnRef]:
    """`SET ref_id = (SELECT o.id FROM other o WHERE o.name = t.ref)`: the outer table's
    column the scalar subquery matches its rows by, carried into the written column."""
    if len(value) < 2 or value[0] != Token("symbol", "(") or not value[1].is_word("select"):
        return set()
    inner, after = _group(value, 0)
    if after != len(value):
        return set()  # the subquery is only a part of the value
    from_at = _top_level(inner, "from")
    where_at = _top_level(inner, "where")
    if from_at >= where_at:
        return set()
    own = _sources(inner[from_at:where_at])
    aliases = {**outer, **own.aliases}
    if not _reads(inner[1:from_at], own.aliases):
        return set()  # it selects nothing of its own tables
    end = _top_level(inner, "group", "order", "limit", "having", start=where_at)
    equalities = _equalities(inner[where_at + 1 : end], aliases)
    return {
        key
        for pair in equalities
        for key, other in (pair, pair[::-1])
        if key[0] == target[0] and key[1] != target[1] and other[0] in own.tables
    }


def _select_links(items: Sequence[Token]) -> set[ColumnRef]:
    """INSERT ... SELECT over a join: each key of a join equality whose two tables both give
    the select list a column."""
    from_at = _top_level(items, "from")
    if from_at >= len(items):
        return set()
    where_at = _top_level(items, "where", start=from_at)
    end = _top_level(items, "group", "order", "limit", "having", "union", start=from_at)
    found = _sources(items[from_at : min(where_at, end)])
    found.equalities.extend(_equalities(items[where_at + 1 : end], found.aliases))
    selected = _reads(items[1:from_at], found.aliases)
    return {
        key
        for pair in found.equalities
        for key, other in (pair, pair[::-1])
        if key[0] in selected and other[0] in selected
    }
