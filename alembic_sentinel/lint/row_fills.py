"""Columns a revision's upgrade fills for every row, and tables whose rows it writes at all.

The expand/contract split of a NOT NULL column: one revision adds it nullable and fills it,
a later one makes it NOT NULL (L302). The later revision alone shows no fill; the history
does, when the fill plainly reaches every row (lint.history keeps it as a fact). Read from the
upgrade's raw SQL and ORM loops, and only in four shapes:

- `UPDATE t SET c = <value>` with no WHERE, LIMIT or join, the value not NULL;
- `UPDATE t SET c = <value> WHERE c IS NULL` (every NULL gets a value);
- a per-row loop: `SELECT ... FROM t` of every row (no WHERE, LIMIT or join), its rows walked
  in a loop, and `UPDATE t SET c = :value WHERE k = :key AND ...`, every condition an
  equality with a bound parameter (the row in hand);
- an ORM loop over every row of the table (an unfiltered query) setting `row.c` to a value
  other than None, under no `if` and with no `continue`/`break`, a flush or commit after it
  (round 41);
- a Core loop (round r40): every row of the table selected (no WHERE, LIMIT or join) and
  walked in a loop, and in each pass, under no `if` of the body and with no pass left early,
  `t.update().where(t.c.k == <the row's value>).values(c=<value>)`, every condition an
  equality of a column of the table with something other than a constant (the row in hand),
  the value not None.

A fill lint cannot read (SQL in a variable it cannot follow, a Core or ORM write whose filter it
does not see) says nothing here: L302 keeps its finding.

Pure: reads the module's fills.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from alembic_sentinel.lint.revision_model import Assignment, Fill, RevisionModule
from alembic_sentinel.lint.sql_reader import Token, tokens

_ROWS_WALKED = "rows read in a loop"  # revision_reader's kind for a loop over read rows
_NARROWING = ("where", "limit", "join", "from")


def filled_for_every_row(module: RevisionModule) -> frozenset[tuple[str, str]]:
    """(table, column), lowercase, that the module's upgrade fills in every row (see above)."""
    upgrade = module.upgrade
    if upgrade is None:
        return frozenset()
    found: set[tuple[str, str]] = set()
    fills = upgrade.fills
    for fill in fills:
        if len(fill.statements) != 1 or not fill.sql:
            continue
        statement = fill.statements[0]
        if statement.kind != "update" or not statement.table:
            continue
        words = tokens(fill.sql)
        where = _clause_after(words, "where")
        for table, column in fill.writes:
            if table != statement.table or column == "*" or _set_to_null(words, column):
                continue
            if _every_row(words, where, column) or (
                _per_row(where) and _walked_every_row(fills, fill, table)
            ):
                found.add((table, column))
    found |= _orm_loop_fills(upgrade.assignments, fills)
    found |= _core_loop_fills(upgrade.assignments, fills)
    return frozenset(found)


def _core_loop_fills(
    assignments: Sequence[Assignment], fills: Sequence[Fill]
) -> set[tuple[str, str]]:
    """(table, column) a Core update per row of a loop over every row of the table sets
    (the module's docstring, round r40: `for row in conn.execute("SELECT id, ... FROM t"):
    op.execute(t.update().where(t.c.id == row[0]).values(c=f(row)))`)."""
    found: set[tuple[str, str]] = set()
    for a in assignments:
        if a.walked is None or a.new_row or a.table is None or a.via != ".values()":
            continue
        if type(a.value) is ast.Constant and a.value.value is None:
            continue
        if not a.where or not all(_matches_row(clause) for clause in a.where):
            continue
        table = a.table.lower()
        walk = [f for f in fills if f.seq == a.walked and f.kind == _ROWS_WALKED]
        if not walk or not _selected_every_row(fills, table, a.walked):
            continue
        # the loop reads the table's rows: named in its reads, or selected by its own `in`
        # (`for row in conn.execute(text("SELECT id FROM t")):` reads row.id of no table)
        if any(t == table for t, _ in walk[0].reads) or _selected_every_row(
            fills, table, a.walked, walk[0].line
        ):
            found.add((table, a.column.lower()))
    return found


def _matches_row(clause: ast.expr) -> bool:
    """`t.c.k == <not a constant>` (either way round): a condition that picks the row in hand
    (a `where` of an and_(...) is read as its parts by the caller's clauses)."""
    if type(clause) is not ast.Compare or len(clause.ops) != 1 or type(clause.ops[0]) is not ast.Eq:
        return False
    sides = (clause.left, clause.comparators[0])
    columns = [side for side in sides if _table_column(side)]
    return bool(columns) and not any(type(side) is ast.Constant for side in sides)


def _table_column(node: ast.expr) -> bool:
    """`t.c.k` / `t.c["k"]`: a column of a Core table."""
    if type(node) is ast.Subscript:
        node = node.value
        return type(node) is ast.Attribute and node.attr == "c"
    return (
        type(node) is ast.Attribute and type(node.value) is ast.Attribute and node.value.attr == "c"
    )


def _selected_every_row(
    fills: Sequence[Fill], table: str, before: int, line: int | None = None
) -> bool:
    """Whether a raw SELECT of every row of the table (no WHERE, LIMIT or join) comes before
    `before` (on `line`, when given)."""
    return any(
        fill.seq < before
        and (line is None or fill.line == line)
        and fill.sql
        and len(fill.statements) == 1
        and fill.statements[0].kind == "select"
        and fill.statements[0].table == table
        and not any(token.is_word("where", "limit", "join") for token in tokens(fill.sql))
        for fill in fills
    )


def _orm_loop_fills(
    assignments: Sequence[Assignment], fills: Sequence[Fill]
) -> set[tuple[str, str]]:
    """(table, column) an ORM loop over every row sets (round 41): `for row in
    session.query(C).all(): row.c = v` (also `C.query.all()`, rows fetched into a name first,
    behind `tqdm(...)`), the write under no `if` of the body, a value other than None, and a
    flush or commit after it that sends it to the database."""
    found: set[tuple[str, str]] = set()
    for a in assignments:
        if not a.every_row or a.new_row or a.table is None or a.via != "attribute":
            continue
        if type(a.value) is ast.Constant and a.value.value is None:
            continue
        if any(fill.seq >= a.seq and fill.kind.endswith(_FLUSHES) for fill in fills):
            found.add((a.table.lower(), a.column.lower()))
    return found


_FLUSHES = (".flush", ".commit", ".merge")


def matched_per_row(module: RevisionModule) -> frozenset[tuple[str, str]]:
    """(table, column), lowercase, of the keys a per-row loop over another table matches the
    updated table's rows by, writing a value of the row it walks (round 35): every row of P
    selected (no WHERE, LIMIT or join) and walked, and per row `UPDATE c SET x = :v WHERE k1
    = :p1 [AND k2 = :p2]`, the parameters columns of P the loop reads. It is `UPDATE c JOIN p
    ON c.k1 = p.p1 ... SET c.x = p.v` one row at a time: the keys are carried by x
    (joined_links, copied_values; L305)."""
    upgrade = module.upgrade
    if upgrade is None:
        return frozenset()
    found: set[tuple[str, str]] = set()
    fills = upgrade.fills
    if not any(fill.kind == _ROWS_WALKED for fill in fills):
        return frozenset()  # no loop over read rows: the cheap, common case
    for fill in fills:
        if len(fill.statements) != 1 or not fill.sql:
            continue
        statement = fill.statements[0]
        table = statement.table
        if statement.kind != "update" or not table:
            continue
        words = [t for t in tokens(fill.sql) if t.text not in ("(", ")", ";")]
        where = _clause_after(words, "where")
        if not _per_row(where) or where is None:
            continue
        head = words[: len(words) - len(where)]
        written = {
            head[i + 2].text[1:]
            for i in range(len(head) - 2)
            if head[i + 1].text == "=" and head[i + 2].kind == "param"
        }
        if not written:
            continue  # a constant written: nothing of the walked row is kept
        values = written | {token.text[1:] for token in where if token.kind == "param"}
        keys = {where[i - 1].text.lower() for i, t in enumerate(where) if t.text == "="}
        for walked in _walks_of_every_row(fills, fill):
            read = {column for t, column in _loop_reads(fills, fill) if t == walked}
            if walked != table and values <= read:
                found.update((table, key) for key in keys)
    return frozenset(found)


def tables_written(module: RevisionModule) -> frozenset[str]:
    """Tables (lowercase) whose rows the module's upgrade writes in any way: an INSERT or
    UPDATE, a Core or ORM write, bulk_insert; "" when some write's table cannot be told (SQL
    lint cannot read). A fill made in an earlier revision holds only if none of these comes
    between."""
    upgrade = module.upgrade
    if upgrade is None:
        return frozenset()
    found = {(table or "") for fill in upgrade.fills for table, _ in fill.writes}
    found |= {"" for fill in upgrade.fills if fill.opaque}
    found |= {(a.table or "").lower() for a in upgrade.assignments}
    found |= {(op.table or "").lower() for op in upgrade.operations if op.name == "bulk_insert"}
    return frozenset(found)


def _clause_after(words: Sequence[Token], keyword: str) -> list[Token] | None:
    """The tokens after the first `keyword` (a word), or None when there is none."""
    for index, token in enumerate(words):
        if token.is_word(keyword):
            return list(words[index + 1 :])
    return None


def _set_to_null(words: Sequence[Token], column: str) -> bool:
    """Whether the SET gives the column NULL (`SET c = NULL`)."""
    for index in range(len(words) - 2):
        if _names(words[index], column) and words[index + 1].text == "=":
            return words[index + 2].is_word("null")
    return False


def _names(token: Token, column: str) -> bool:
    return token.kind in ("word", "name") and token.text.lower() == column


def _every_row(words: Sequence[Token], where: list[Token] | None, column: str) -> bool:
    """No narrowing at all, or a WHERE that only picks the column's NULLs."""
    if where is None:
        return not any(token.is_word(*_NARROWING) for token in words)
    if any(token.is_word("limit", "join") for token in words):
        return False
    body = where[2:] if len(where) > 2 and where[1].text == "." else where  # t.c
    return (
        len(body) == 3
        and _names(body[0], column)
        and body[1].is_word("is")
        and body[2].is_word("null")
    )


def _per_row(where: list[Token] | None) -> bool:
    """A WHERE of `name = <bound parameter>` conditions joined by AND only: the row in hand."""
    if not where:
        return False
    parts: list[list[Token]] = [[]]
    for token in where:
        if token.is_word("and"):
            parts.append([])
        else:
            parts[-1].append(token)
    return all(
        len(part) in (3, 5)
        and part[-1].kind == "param"
        and part[-2].text == "="
        and all(t.kind in ("word", "name") or t.text == "." for t in part[:-2])
        for part in parts
    )


def _walks_of_every_row(fills: Sequence[Fill], update: Fill) -> set[str]:
    """The tables whose every row the upgrade selected, before `update`, with no WHERE, LIMIT
    or join (the one table of a plain SELECT)."""
    return {
        fill.statements[0].table
        for fill in fills
        if fill.seq < update.seq
        and fill.sql
        and len(fill.statements) == 1
        and fill.statements[0].kind == "select"
        and fill.statements[0].table
        and not any(token.is_word("where", "limit", "join") for token in tokens(fill.sql))
    }


def _loop_reads(fills: Sequence[Fill], update: Fill) -> set[tuple[str | None, str]]:
    """What the loops walking read rows before `update` read of them."""
    return {
        read
        for fill in fills
        if fill.kind == _ROWS_WALKED and fill.seq < update.seq
        for read in fill.reads
    }


def _walked_every_row(fills: Sequence[Fill], update: Fill, table: str) -> bool:
    """Whether, before `update`, the upgrade selected every row of the table and walked them in
    a loop (the update being the loop's per-row write)."""
    selected = [
        fill.seq
        for fill in fills
        if fill.seq < update.seq
        and fill.sql
        and len(fill.statements) == 1
        and fill.statements[0].kind == "select"
        and fill.statements[0].table == table
        and not any(token.is_word("where", "limit", "join") for token in tokens(fill.sql))
    ]
    return any(
        fill.kind == _ROWS_WALKED
        and selected
        and min(selected) < fill.seq < update.seq
        and any(read_table == table for read_table, _ in fill.reads)
        for fill in fills
    )
