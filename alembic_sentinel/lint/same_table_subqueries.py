"""An UPDATE or DELETE whose subquery reads the table it changes (L331, round 34).

MySQL refuses `DELETE FROM t WHERE id IN (SELECT id FROM t ...)`, `UPDATE t SET c = (SELECT
MAX(c) FROM t)` and the like with ERROR 1093 ("You can't specify target table 't' for update
in FROM clause"; MySQL's manual, the UPDATE and DELETE statements and "Subquery Restrictions").
MariaDB accepts a single-table UPDATE or DELETE of that shape since 10.3.2, but refuses the
multi-table DELETE (`DELETE t FROM t WHERE ... (SELECT ... FROM t)`, `DELETE FROM t USING t
...`) with the same number: checked on MariaDB 10.11 by tests/test_lint_same_table_subqueries.py.
PostgreSQL and SQLite run them all.

A subquery reading the table through a derived table (`WHERE id IN (SELECT id FROM (SELECT id
FROM t ...) AS x)`) is materialized first and runs everywhere: not reported, and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.sql_reader import Token, statements

# a subquery needs `(SELECT`: most SQL is not tokenized
_HINT = LazyPattern(r"\(\s*SELECT\b", re.IGNORECASE)
_MODIFIERS = frozenset({"low_priority", "quick", "ignore"})
# words that follow a table where an alias would stand
_NOT_ALIAS = frozenset({"where", "join", "inner", "left", "right", "cross", "on", "using"})
_NOT_ALIAS |= {"natural", "straight_join", "order", "limit", "as"}


class SameTableRead(NamedTuple):
    kind: str  # "UPDATE" or "DELETE"
    table: str  # as written, lowercase
    multi_table: bool  # `DELETE t FROM ...`, `DELETE FROM t USING ...`, `UPDATE a JOIN b ...`


def same_table_reads(sql: str) -> list[SameTableRead]:
    """Each UPDATE / DELETE of `sql` with a subquery (not a derived table) reading its table."""
    if not _HINT.search(sql):
        return []
    found = []
    for items in statements(sql):
        if not items[0].is_word("update", "delete"):
            continue
        targets, multi = _targets(items)
        if not targets:
            continue
        read = _subquery_tables(items) & targets
        for table in sorted(read):
            found.append(SameTableRead(items[0].text.upper(), table, multi))
    return found


def _name(token: Token) -> str | None:
    return token.text.lower() if token.kind in ("word", "name") else None


def _targets(items: Sequence[Token]) -> tuple[set[str], bool]:
    """The tables the statement changes (lowercase), and whether it is a multi-table one."""
    level = _top_level(items)
    at = 1
    while at < len(level) and level[at].is_word(*_MODIFIERS):
        at += 1
    if items[0].is_word("update"):
        head = []
        for token in level[at:]:
            if token.is_word("set"):
                break
            head.append(token)
        multi = any(t.is_word("join") or t == Token("symbol", ",") for t in head)
        # the first table only: of a join's others, lint cannot tell which the SET writes
        name = _name(head[0]) if head else None
        return ({name} if name else set()), multi
    if at < len(level) and level[at].is_word("from"):
        name = _name(level[at + 1]) if at + 1 < len(level) else None
        multi = any(t.is_word("using") for t in level)
        return ({name} if name else set()), multi
    # `DELETE t1, t2 FROM ...`: the names before FROM, each a table or an alias of one
    names = set()
    while at < len(level) and not level[at].is_word("from"):
        name = _name(level[at])
        if name:
            names.add(name)
        at += 1
    aliases = {}  # `FROM member m`, `FROM member AS m JOIN ...`
    for index in range(at + 1, len(level) - 1):
        if level[index].is_word("where", "order", "limit"):
            break
        previous = level[index - 1]
        if not (previous.is_word("from", "join") or previous == Token("symbol", ",")):
            continue
        table, alias = _name(level[index]), level[index + 1]
        if alias.is_word("as") and index + 2 < len(level):
            alias = level[index + 2]
        if table and _name(alias) and not alias.is_word(*_NOT_ALIAS):
            aliases[_name(alias)] = table
    return {aliases.get(name, name) for name in names}, True


def _top_level(items: Sequence[Token]) -> list[Token]:
    depth = 0
    level = []
    for token in items:
        if token == Token("symbol", "("):
            depth += 1
        elif token == Token("symbol", ")"):
            depth -= 1
        elif depth == 0:
            level.append(token)
    return level


def _subquery_tables(items: Sequence[Token]) -> set[str]:
    """The tables a subquery reads directly (after FROM / JOIN / a comma of its FROM list),
    not through a derived table (`FROM (SELECT ...) AS x`) it is inside of."""
    # each open group: (a subquery, a derived table)
    stack: list[tuple[bool, bool]] = []
    found: set[str] = set()
    in_from: list[bool] = [False]
    for at, token in enumerate(items):
        if token == Token("symbol", ")"):
            if stack:
                stack.pop()
                in_from.pop()
            continue
        if token == Token("symbol", "("):
            following = items[at + 1] if at + 1 < len(items) else None
            select = following is not None and following.is_word("select", "with")
            before = items[at - 1] if at else None
            derived = (
                select
                and before is not None
                and (
                    before.is_word("from", "join")
                    or (before == Token("symbol", ",") and in_from[-1])
                )
            )
            stack.append((select, derived))
            in_from.append(False)
            continue
        if token.kind == "word":
            word = token.text.lower()
            if word in ("from", "join", "straight_join"):
                in_from[-1] = True
            elif word in ("where", "group", "having", "order", "limit", "union", "on", "set"):
                in_from[-1] = False
        if not stack or not any(s for s, _ in stack) or any(d for _, d in stack):
            continue
        before = items[at - 1]
        reads = before.is_word("from", "join", "straight_join") or (
            before == Token("symbol", ",") and in_from[-1]
        )
        name = _name(token)
        if (
            reads
            and name is not None
            and not (at + 1 < len(items) and items[at + 1] == Token("symbol", "."))
        ):
            found.add(name)
    return found


def refused_on(read: SameTableRead, flavor: str) -> bool:
    """Whether the server refuses it (ERROR 1093): MySQL every one (from its manual), MariaDB
    a multi-table DELETE (checked on 10.11)."""
    return flavor == "mysql" or (read.kind == "DELETE" and read.multi_table)
