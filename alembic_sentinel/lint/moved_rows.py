"""Tables whose every row a revision's upgrade copies into another table (L304, round 39).

The expand step of an expand/contract split creates the new table and copies the old one's rows
into it; a later revision (the contract step) drops the old table. Linted together, that drop
loses nothing the copy did not carry: L304 reads `moved_tables` through the history, as L305
reads a column an earlier revision copied (copied_values.py). A copy is one of:

- raw SQL `INSERT INTO new (...) SELECT ... FROM old` (a join allowed, `WHERE` only as the join's
  equalities): every row of `old` selected;
- `op.bulk_insert(new, [... for r in rows])` over rows a literal SELECT took from `old` (no
  `WHERE` but a join's, no `LIMIT`);
- a loop over every row of `old` (`session.query(Old)`, `conn.execute(old.select())`, a held
  literal `SELECT ... FROM old`, through local names and helpers such as `yield_limit(q, ...)`)
  whose body inserts rows of another table: `session.add(New(...))` (also a `New()` handed to a
  helper and added), `new.insert().values(...)`, `INSERT INTO new ...`, an ORM or Core write of
  another table's columns.

Not a copy: a query or SELECT that chooses rows (`.filter()`, `.where()`, `.filter_by()`,
`.limit()`, `.first()`, a SQL `WHERE` other than a join's equalities, `LIMIT`), a loop that only
reads (counts, logs) or writes the table itself, a copy into the table it reads. A Core
`insert().from_select(...)` is not read as one yet: whether its select chooses rows is not kept.

`gives_row_whole` is the in-revision half: a loop's row handed whole to a call whose value is
used (`rep = to_dict(rec)`, `New(**row)`, `dict(row._mapping)`, `{**row}`, `row._asdict()`) reads
every column of it, as `row[0]` does; a row only passed to a statement (`session.delete(row)`,
`print(row)`) is not read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterable, Mapping

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.revision_model import (
    LIKE,
    Assignment,
    Fill,
    InsertedRows,
    RevisionModule,
    TableModel,
)
from alembic_sentinel.lint.sql_reader import INSERT

# methods of a query or statement that choose rows, not take every one
CHOOSING_METHODS = frozenset(
    {"filter", "filter_by", "where", "having", "limit", "first", "one", "one_or_none", "get"}
)
# a session's calls that save new objects (the object built in the loop, or a list of them)
_SAVES = frozenset({"add", "add_all", "merge", "bulk_save_objects"})
# a row's whole-row views: `row._mapping`, `row._asdict()`
_WHOLE_VIEWS = frozenset({"_mapping", "_asdict"})
# an INSERT ... SELECT: what follows the SELECT's first FROM
_INSERT_SELECT = LazyPattern(
    r"^\s*INSERT\b.*?\bSELECT\b.*?\bFROM\b(.*)$", re.IGNORECASE | re.DOTALL
)
_SELECT_LIST = LazyPattern(r"^\s*SELECT\b", re.IGNORECASE)
_SELECT_ALL = LazyPattern(r"^\s*SELECT\s+(?:\w+\.)?\*\s+FROM\b", re.IGNORECASE)
_CHOOSING_SQL = LazyPattern(r"\b(?:LIMIT|HAVING|TOP|FETCH\s+FIRST|OFFSET)\b", re.IGNORECASE)
_WHERE = LazyPattern(r"\bWHERE\b(.*)$", re.IGNORECASE | re.DOTALL)
_NAME = r"[`\"]?\w+[`\"]?(?:\s*\.\s*[`\"]?\w+[`\"]?)?"
_JOIN_EQUALITY = LazyPattern(rf"^\(?\s*{_NAME}\s*=\s*{_NAME}\s*\)?$")


def gives_row_whole(body: Iterable[ast.stmt], rows: Collection[str]) -> bool:
    """Whether a loop body hands one of its row variables (`rows`) whole to a call whose value
    it uses, unpacks it (`**row`, `*row`, `{**row}`) or takes its whole-row view."""
    statements = list(body)
    dropped = {
        id(node.value)
        for statement in statements
        for node in ast.walk(statement)
        if type(node) is ast.Expr and type(node.value) is ast.Call
    }
    for node in (child for statement in statements for child in ast.walk(statement)):
        if type(node) is ast.Call:
            given = [*node.args, *(kw.value for kw in node.keywords)]
            if any(_is_row(value, rows) for value in given) and id(node) not in dropped:
                return True
            if any(kw.arg is None and _is_row(kw.value, rows) for kw in node.keywords):
                return True
            func = node.func
            if type(func) is ast.Attribute and func.attr == "_asdict" and _is_row(func.value, rows):
                return True
        elif type(node) is ast.Starred and _is_row(node.value, rows):
            return True
        elif type(node) is ast.Dict and any(
            key is None and _is_row(value, rows) for key, value in zip(node.keys, node.values)
        ):
            return True
    return False


def _is_row(node: ast.expr, rows: Collection[str]) -> bool:
    """`row` or its whole-row view `row._mapping`."""
    if type(node) is ast.Attribute and node.attr in _WHOLE_VIEWS:
        node = node.value
    return type(node) is ast.Name and node.id in rows


def chooses_rows(nodes: Iterable[ast.AST], sql: Iterable[str]) -> bool:
    """Whether a looped-over query (the nodes of its expression and of the names it is bound
    to) or its literal SQL chooses rows rather than taking every one."""
    for node in nodes:
        if type(node) is ast.Call and type(node.func) is ast.Attribute:
            if node.func.attr in CHOOSING_METHODS:
                return True
        elif type(node) is ast.Subscript and type(node.slice) is ast.Slice:
            return True  # query[:100]
    return any(_sql_chooses(text) for text in sql)


def selects_columns(nodes: Iterable[ast.AST], sql: Iterable[str]) -> bool:
    """Whether a looped-over query takes some columns, not whole rows: a `select()` /
    `query()` given columns (`t.c.id`, `Model.name`), or literal SQL selecting a list that
    is not `*`. A row of it handed whole to a call gives those columns only."""
    for node in nodes:
        if type(node) is ast.Call:
            func = node.func
            name = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
            if name in ("select", "query") and any(
                isinstance(arg, (ast.Attribute, ast.Subscript)) for arg in node.args
            ):
                return True
    return any(_SELECT_LIST.match(text) and not _SELECT_ALL.match(text) for text in sql)


def _sql_chooses(text: str) -> bool:
    """Whether a SELECT (or INSERT ... SELECT) takes only some rows: LIMIT and its kin, or a
    WHERE that is more than the equalities of a join."""
    if _CHOOSING_SQL.search(text):
        return True
    where = _WHERE.search(text)
    if where is None:
        return False
    parts = re.split(r"\bAND\b", where.group(1).strip().rstrip(";"), flags=re.IGNORECASE)
    return not all(_JOIN_EQUALITY.match(part.strip()) for part in parts)


def loop_writes_elsewhere(
    table: str,
    fills: Iterable[Fill],
    assignments: Iterable[Assignment],
    inserted: Iterable[InsertedRows],
    body: Iterable[ast.stmt],
    tables: Mapping[str, TableModel],
) -> frozenset[str]:
    """The tables other than `table` (lowercase) whose rows a loop body's steps write: its raw
    SQL, Core and ORM writes and inserts, and an object of another ORM class of the file built
    in the body when the body saves objects to a session (`session.add(helper(New()))`)."""
    written: set[str] = set()
    saves = False
    for fill in fills:
        written.update(t for t, _ in fill.writes if t)
        saves = saves or fill.kind.rsplit(".", 1)[-1] in _SAVES
    written.update((a.table or "").lower() for a in assignments if a.table)
    written.update(i.table for i in inserted if i.table)
    if saves:
        for node in (child for statement in body for child in ast.walk(statement)):
            if type(node) is ast.Call and type(node.func) is ast.Name:
                model = tables.get(node.func.id)
                if model is not None and model.orm and model.table:
                    written.add(model.table.lower())
    return frozenset(written - {table, ""})


def moved_tables(module: RevisionModule) -> set[str]:
    """The tables (lowercase) whose every row the module's upgrade copies into another table
    (see above)."""
    upgrade = module.upgrade
    found: set[str] = set()
    if upgrade is None:
        return found
    found.update(table for _, table, _ in upgrade.row_moves)
    for fill in upgrade.fills:
        read = {t for t, _ in fill.reads if t}
        if not read:
            continue
        if fill.sql is not None:
            if any(s.kind == INSERT for s in fill.statements):
                written = {t for t, _ in fill.writes if t}
                match = _INSERT_SELECT.match(fill.sql)
                if match is not None and written - read and not _sql_chooses(match.group(1)):
                    found.update(read - written)
            continue
        # `op.bulk_insert(new, [... for r in rows])` over rows a literal SELECT took whole
        written = {t for t, _ in fill.writes if t}
        if fill.kind.endswith("bulk_insert") and written - read:
            found.update(t for t in read - written if not _chosen_before(upgrade.fills, t, fill))
    return {table for table in found if not table.startswith(LIKE)}


def _chosen_before(fills: Iterable[Fill], table: str, fill: Fill) -> bool:
    """Whether a literal SELECT of the table before `fill` chooses rows (the rows a held
    result gave a bulk_insert may be only some)."""
    return any(
        other.seq < fill.seq
        and other.sql is not None
        and not other.writes
        and any(t == table for t, _ in other.reads)
        and _sql_chooses(other.sql)
        for other in fills
    )
