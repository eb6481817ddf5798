"""Tables whose every row a revision's upgrade copies into another table (L304, round 38).

The expand step of an expand/contract split creates the new table and copies the old one's rows
into it; a later revision (the contract step) drops the old table. Linted together, that drop
loses nothing the copy did not carry: L304 reads `moved_tables` through the history, as L305
reads a column an earlier revision copied (copied_values.py). A copy is one of:

- raw SQL `INSERT INTO new (...) SELECT ... FROM old` (a join allowed, `WHERE` only as the join's
  equalities): every row of `old`, the table the SELECT reads FROM first, selected (the tables it
  joins are lookups, not copied);
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
from collections.abc import Collection, Iterable, Mapping, Sequence

from alembic_sentinel.lint.injective_images import split_top_level
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import (
    LIKE,
    Assignment,
    Fill,
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
# builtins given a row that take no copy of it: one column (`getattr(row, name)`) or none
_PEEKS = frozenset(
    {"getattr", "hasattr", "setattr", "isinstance", "len", "print", "repr", "id", "type", "bool"}
)
# a row's whole-row views: `row._mapping`, `row._asdict()`
_WHOLE_VIEWS = frozenset({"_mapping", "_asdict"})
# an INSERT ... SELECT: what follows the SELECT's first FROM
_INSERT_SELECT = LazyPattern(
    r"^\s*INSERT\b.*?\bSELECT\b.*?\bFROM\b(.*)$", re.IGNORECASE | re.DOTALL
)
# INSERT ... SELECT <list> FROM <table> [[AS] alias] <rest>
_SOURCE_SELECT = LazyPattern(
    r"^\s*INSERT\b.*?\bSELECT\s+(.*?)\s+FROM\s+[`\"]?(\w+)[`\"]?"
    r"(?:\s+(?:AS\s+)?(?!(?:WHERE|JOIN|INNER|LEFT|RIGHT|CROSS|ON|GROUP|ORDER|LIMIT)\b)(\w+))?(.*)$",
    re.IGNORECASE | re.DOTALL,
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
        if type(node) is ast.Call and type(node.func) is ast.Name and node.func.id in _PEEKS:
            continue  # `getattr(row, name)` reads one column; `len(row)`, `print(row)` none
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
    body: Sequence[ast.stmt],
    tables: Mapping[str, TableModel],
    rows: Collection[str],
) -> frozenset[str]:
    """The tables other than `table` (lowercase) a loop body inserts rows into that carry the
    loop's row: its whole row (`into(as_dict(row), New())`, `New(**row)`) or at least two of
    its columns (`New(owner_id=row.member_id, board_id=row.board_id)`, `INSERT INTO new ...
    VALUES (:a, :b)` given `row.a`, `row.b`). An insert taking one value of the row (a link to
    it, `request_id=row.request_id`) or none (a placeholder row) copies no row."""
    whole = set(rows) | _whole_row_names(body, rows)
    taken: dict[str, set[str]] = {}
    for assignment in assignments:
        target = (assignment.table or "").lower()
        if assignment.new_row and target:
            taken.setdefault(target, set()).update(_row_columns(assignment.value, rows, whole))
    written = {t for t, found in taken.items() if len(found) >= _CARRIED}
    fills = list(fills)
    for fill in fills:
        if fill.sql is not None and any(s.kind == INSERT for s in fill.statements):
            values = {c for t, c in fill.reads if t is None or t == table}
            if len(values) >= _CARRIED:
                written.update(t for t, _ in fill.writes if t)
    if any(fill.kind.rsplit(".", 1)[-1] in _SAVES for fill in fills):
        for statement in (child for part in body for child in ast.walk(part)):
            if not isinstance(statement, ast.stmt) or isinstance(statement, _BLOCKS):
                continue
            built = {
                model.table.lower()
                for node in ast.walk(statement)
                if type(node) is ast.Call and type(node.func) is ast.Name
                for model in (tables.get(node.func.id),)
                if model is not None and model.orm and model.table
            }
            if built and len(_row_columns(statement, rows, whole)) >= _CARRIED:
                written.update(built)
    return frozenset(written - {table, ""})


# a copied row carries at least this many of its values (or the whole row)
_CARRIED = 2
# the whole row, as one of _row_columns' finds
_WHOLE = "*whole*"
_BLOCKS = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try)


def _whole_row_names(body: Sequence[ast.stmt], rows: Collection[str]) -> set[str]:
    """Names the body binds to its row handed whole to a call (`rep = to_dict(row)`)."""
    found: set[str] = set()
    for node in (child for part in body for child in ast.walk(part)):
        if (
            type(node) is ast.Assign
            and len(node.targets) == 1
            and type(node.targets[0]) is ast.Name
        ):
            if type(node.value) is ast.Call and any(
                _is_row(arg, rows)
                for arg in [*node.value.args, *(k.value for k in node.value.keywords)]
            ):
                found.add(node.targets[0].id)
    return found


def _row_columns(node: ast.AST, rows: Collection[str], whole: Collection[str]) -> set[str]:
    """The row's columns an expression (or statement) takes (`row.a`, `row["a"]`), or _WHOLE
    twice over when it takes the whole row (a whole-row name used bare)."""
    found: set[str] = set()
    attributes = {id(n.value) for n in ast.walk(node) if type(n) is ast.Attribute}
    subscripts = {id(n.value) for n in ast.walk(node) if type(n) is ast.Subscript}
    for child in ast.walk(node):
        if type(child) is ast.Attribute and type(child.value) is ast.Name:
            if child.value.id in rows and not child.attr.startswith("_"):
                found.add(child.attr.lower())
        elif type(child) is ast.Subscript and type(child.value) is ast.Name:
            key = string_value(child.slice) if isinstance(child.slice, ast.expr) else None
            if child.value.id in rows and key is not None:
                found.add(key.lower())
        elif type(child) is ast.Name and child.id in whole:
            if id(child) not in attributes and id(child) not in subscripts:
                found.update({_WHOLE, _WHOLE + "2"})
    return found


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
                    # the table the SELECT reads FROM (first); those it joins are lookups
                    source = _carried_source(fill.sql)
                    if source is not None and source in read - written:
                        found.add(source)
            continue
        # `op.bulk_insert(new, [... for r in rows])` over rows a literal SELECT took whole
        written = {t for t, _ in fill.writes if t}
        if fill.kind.endswith("bulk_insert") and written - read:
            found.update(t for t in read - written if not _chosen_before(upgrade.fills, t, fill))
    return {table for table in found if not table.startswith(LIKE)}


def _carried_source(sql: str) -> str | None:
    """The table (lowercase) an INSERT ... SELECT copies rows of: the one its SELECT reads FROM
    first, when the select list takes all its columns (`*`, `t.*`) or at least two of them
    (`SELECT t.a, t.b, o.id FROM t JOIN o ...`; bare names only when it is the one table). A
    select list taking one column of it (an id, to link rows: `SELECT f.id, r.id FROM f, r`)
    copies no row of it."""
    match = _SOURCE_SELECT.match(sql)
    if match is None:
        return None
    listed, table, alias, rest = match.groups()
    names = {table.lower(), (alias or table).lower()}
    alone = not re.match(r"\s*(?:,|\b(?:\w+\s+)*JOIN\b)", rest or "", re.IGNORECASE)
    taken: set[str] = set()
    for item in split_top_level(listed):
        reference = re.match(r"^(?:[`\"]?(\w+)[`\"]?\s*\.\s*)?([`\"]?(\w+|\*)[`\"]?)", item)
        if reference is None:
            continue
        qualifier, column = reference.group(1), reference.group(3)
        if (qualifier is None and alone) or (qualifier is not None and qualifier.lower() in names):
            if column == "*":
                return table.lower()
            taken.add(column.lower())
    return table.lower() if len(taken) >= _CARRIED else None


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
