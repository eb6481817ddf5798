"""How a revision shows that the rows a new unique key meets hold no duplicates (L309): it
counts them itself (`GROUP BY a, b HAVING COUNT(*) > 1`), deletes the rows another row of the
same table matches, calls a function of its own file named for the job (`_remove_duplicates`),
calls a function of the project's own modules that does it (round 26), or groups the table's
rows in Python by columns of the key in its own code and deletes the ones found alike (round
28, python_grouping; revision_reader places it, as a project function's, at the delete).

A function of another module is read, not trusted by its name alone: its body (read at the call
by revision_reader) must touch the key's table, and a duplicate search in it must group by
columns of the key. Only when its body shows no search in SQL (the rows grouped in Python) does
its name, or a self-joined DELETE, say it removes duplicates. Pure: ast and re only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import LIKE, UPGRADE, Fill, HelperDeduplication

_SQL_DUPLICATES = LazyPattern(
    r"GROUP\s+BY\s+(.+?)\s+HAVING\s+COUNT\s*\(", re.IGNORECASE | re.DOTALL
)
# rows deleted when another row of the same table matches them: `DELETE FROM t WHERE EXISTS
# (SELECT ... FROM t t2 ...)`, `DELETE t1 FROM t t1 JOIN t t2 ...`, `DELETE FROM t USING t ...`;
# the table may be an f-string's {expression} (a helper looping over tables): the same text twice
_SELF_JOINED_DELETE = LazyPattern(
    r"\bDELETE\b[^;]*?\bFROM\s+([^\s,;()]+)[^;]*?\b(?:FROM|JOIN|USING)\s+\1(?=[\s,;)]|$)",
    re.IGNORECASE | re.DOTALL,
)
# a function named for removing duplicates: `dedupe_names`, `_remove_duplicates`,
# `deduplicate_multi_active_user_tenants`, `drop_dupes`
_DEDUPLICATING_NAME = LazyPattern(r"dedup|duplicate|dupe", re.IGNORECASE)
# a duplicate check over every column: the revision removes duplicates however the key is made
ANY_COLUMNS = frozenset({"*"})


def duplicate_checks(tree: ast.AST) -> tuple[frozenset[str], ...]:
    """The column sets a revision (or one function) counts duplicates over: `GROUP BY a, b
    HAVING COUNT(*) > 1` in SQL text, `.group_by(t.c.a, t.c.b).having(func.count() > 1)` in
    Core or ORM."""
    found: list[frozenset[str]] = []
    for node in ast.walk(tree):
        if type(node) is ast.Constant and type(node.value) is str:
            for match in _SQL_DUPLICATES.finditer(node.value):
                columns = {
                    part.strip().split(".")[-1].strip('`"').lower()
                    for part in match.group(1).split(",")
                }
                found.append(frozenset(columns))
        elif (
            type(node) is ast.Call
            and type(node.func) is ast.Attribute
            and node.func.attr == "having"
            and "count" in ast.unparse(node).lower()
        ):
            grouped = node.func.value
            while type(grouped) is ast.Call and type(grouped.func) is ast.Attribute:
                if grouped.func.attr == "group_by":
                    columns = set()
                    for arg in grouped.args:
                        if type(arg) is ast.Attribute:
                            columns.add(arg.attr.lower())
                        elif string_value(arg) is not None:
                            columns.add((string_value(arg) or "").lower())
                    found.append(frozenset(columns))
                    break
                grouped = grouped.func.value
    return tuple(found)


def _deletes_duplicates(tree: ast.AST) -> bool:
    """Whether SQL in `tree` (a literal or an f-string's text) deletes the rows that match
    another row of the same table."""
    for node in ast.walk(tree):
        text = None
        if type(node) is ast.Constant and type(node.value) is str:
            text = node.value
        elif type(node) is ast.JoinedStr:
            text = ast.unparse(node)
        if text is not None and _SELF_JOINED_DELETE.search(text):
            return True
    return False


def deduplications(
    tree: ast.Module, definitions: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef]
) -> tuple[frozenset[str], ...]:
    """ANY_COLUMNS when the revision removes duplicate rows itself: SQL deleting rows that
    match another row of the same table, or upgrade() calling a function of the file named for
    it (`_remove_duplicates`, `dedupe_names`): the helper's own logic (rows grouped in Python,
    then deleted or merged) is what it is named for."""
    if _deletes_duplicates(tree):
        return (ANY_COLUMNS,)
    upgrade = definitions.get(UPGRADE)
    if upgrade is not None:
        for node in ast.walk(upgrade):
            if (
                type(node) is ast.Call
                and type(node.func) is ast.Name
                and node.func.id in definitions
                and _DEDUPLICATING_NAME.search(node.func.id)
            ):
                return (ANY_COLUMNS,)
    return ()


@lru_cache(maxsize=256)
def _body_evidence(
    definition: ast.FunctionDef | ast.AsyncFunctionDef,
) -> tuple[tuple[frozenset[str], ...], bool]:
    """A project function's duplicate searches, and whether its name or a self-joined DELETE
    says it removes duplicates: read once per function (a helper is called again and again,
    and the project's modules are parsed once, lint/project_modules.py)."""
    says_so = bool(_DEDUPLICATING_NAME.search(definition.name)) or _deletes_duplicates(definition)
    return duplicate_checks(definition), says_so


def helper_deduplication(
    definition: ast.FunctionDef | ast.AsyncFunctionDef, fills: Sequence[Fill], seq: int
) -> HelperDeduplication | None:
    """What a call to a function of the project's own modules shows of removing duplicates,
    from its body and the statements lint read it run at the call (`fills`); `seq` is the
    call's last step. None when lint saw it touch no table, or when neither its name nor its
    SQL says it looks for duplicates. Like a search in the revision's own text, a search
    counts whatever follows it (rows renamed, deleted, set to NULL, or an error raised)."""
    if not fills:
        return None
    tables: set[str] = set()
    for fill in fills:
        tables.update(t for t, _ in (*fill.reads, *fill.writes) if t)
        tables.update(fill.emptied)
        # a DELETE ... WHERE reads and writes no column lint keeps, but names its table
        tables.update(s.table for s in fill.statements if s.table)
    tables = {t for t in tables if not t.startswith(LIKE)}
    if not tables:
        return None
    searches, says_so = _body_evidence(definition)
    if not searches and not says_so:
        return None
    return HelperDeduplication(seq, frozenset(tables), searches, says_so)


def removes_duplicates(found: HelperDeduplication, table: str, columns: frozenset[str]) -> bool:
    """Whether a project function's de-duplication covers a unique key over `columns` of
    `table` (lowercase): it touched the table, and its duplicate search groups by columns of
    the key (no two rows left alike there, so none alike over the whole key), or, with no
    search in SQL to read, its name or a self-joined DELETE says it removes duplicates."""
    if table not in found.tables:
        return False
    if found.searches:
        return any(search and search <= columns for search in found.searches)
    return found.says_so


# how a loop fills a dict or set keyed by a row's values, and how it looks one up (round 28)
_KEY_WRITES = frozenset({"add", "setdefault"})
_KEY_LOOKUPS = frozenset({"get", "setdefault", "pop"})


def python_grouping(loop: ast.For | ast.AsyncFor) -> frozenset[str] | None:
    """The columns a loop over rows groups them by in Python, the way a revision removes
    duplicates itself (round 28): a dict or set the body both fills and looks up by each row's
    key (`seen[key] = row` or `seen.add(key)`, and `seen.get(key)`, `seen[key]` or `key in
    seen`), the key made of the loop variable's attributes (`(row.account_id, row.name)`,
    `"{}-{}".format(row.a, row.b)`, or a name the body binds to one). A dict only looked up
    (`new_ids[row.old_id]`, a translation) groups nothing. The union of the columns of every
    such key, so that a key over columns outside a unique key never counts for it; None when
    the loop groups nothing by its rows."""
    if type(loop.target) is not ast.Name:
        return None
    variable = loop.target.id
    nodes = [child for statement in loop.body for child in ast.walk(statement)]
    bound: dict[str, ast.expr] = {}
    for node in nodes:
        if type(node) is ast.Assign and len(node.targets) == 1:
            target = node.targets[0]
            if type(target) is ast.Name:
                bound[target.id] = node.value
    written: dict[str, set[str]] = {}  # container -> the row columns of the keys it is filled by
    looked_up: dict[str, set[str]] = {}
    for node in nodes:
        for container, key, kinds in _keyed_uses(node):
            if type(key) is ast.Name and key.id in bound:
                key = bound[key.id]
            columns = _row_columns(key, variable)
            if not columns:
                continue
            for kind in kinds:
                (written if kind else looked_up).setdefault(container, set()).update(columns)
    found: set[str] = set()
    for container, columns in written.items():
        if container in looked_up:
            found |= columns | looked_up[container]
    return frozenset(found) or None


def _keyed_uses(node: ast.AST) -> list[tuple[str, ast.expr, tuple[bool, ...]]]:
    """(container, key, (True for a write, False for a lookup)) of a dict or set use."""
    if type(node) is ast.Subscript and type(node.value) is ast.Name:
        if isinstance(node.slice, ast.expr):
            return [(node.value.id, node.slice, (type(node.ctx) is ast.Store,))]
    elif (
        type(node) is ast.Call
        and type(node.func) is ast.Attribute
        and type(node.func.value) is ast.Name
        and node.args
    ):
        method = node.func.attr
        kinds = (
            *((True,) if method in _KEY_WRITES else ()),
            *((False,) if method in _KEY_LOOKUPS else ()),
        )
        if kinds:
            return [(node.func.value.id, node.args[0], kinds)]
    elif (
        type(node) is ast.Compare
        and len(node.ops) == 1
        and type(node.ops[0]) in (ast.In, ast.NotIn)
        and type(node.comparators[0]) is ast.Name
    ):
        return [(node.comparators[0].id, node.left, (False,))]
    return []


def _row_columns(key: ast.expr, variable: str) -> set[str]:
    """The columns of the loop's row an expression reads: `row.col`, `row["col"]`."""
    found: set[str] = set()
    for node in ast.walk(key):
        if (
            type(node) is ast.Attribute
            and type(node.value) is ast.Name
            and node.value.id == variable
        ):
            found.add(node.attr.lower())
        elif type(node) is ast.Subscript and type(node.value) is ast.Name:
            name = string_value(node.slice) if isinstance(node.slice, ast.expr) else None
            if node.value.id == variable and name is not None:
                found.add(name.lower())
    return found


# words that start the next clause or join, never an alias
_NOT_ALIASES = (
    "on|where|inner|left|right|full|cross|join|group|order|having|limit|using|natural|outer"
    "|union|as|set|straight_join|from|select|and|window"
)
# a table read in a SQL text, and the name its columns are qualified by there: `FROM t a`,
# `JOIN t AS b`, `, t c`; not a column (`, a.label`) or a call (`, count(*)`); a select
# list's `, label` reads as a table of that name, of no use: harmless
_TABLE_READ = LazyPattern(
    rf"(?:\bFROM|\bJOIN|,)\s*(\w+)\b(?!\s*[.(])(?:\s+(?:AS\s+)?(?!(?:{_NOT_ALIASES})\b)(\w+))?",
    re.IGNORECASE,
)
# `a.x = b.x`, and `a.id != b.id` / `<>` / `<` / `>`: two names of the table compared
_COMPARED = LazyPattern(r"\b(\w+)\.(\w+)\s*(=|!=|<>|<|>)\s*(\w+)\.(\w+)\b")


def self_joined_search(text: str) -> tuple[str, frozenset[str]] | None:
    """(table, columns) of a SELECT that finds the rows another row of the same table matches
    (round 32): the table read under two names, compared by equal columns and told apart by
    another (`FROM t a JOIN t b ON a.x = b.x AND a.y = b.y AND a.id != b.id`, `<`, `>`, `<>`;
    also `FROM t a, t b WHERE ...` and `FROM t WHERE EXISTS (SELECT 1 FROM t b WHERE b.x =
    t.x AND b.id < t.id)`); the columns are those compared equal, lowercase. None for any
    other text, or when an OR joins the conditions (rows alike on one column or another)."""
    plain = re.sub(r"[`\"\[\]]", "", text)
    if not re.match(r"\s*(?:SELECT|WITH)\b", plain, re.IGNORECASE):
        return None
    if re.search(r"\bOR\b", plain, re.IGNORECASE):
        return None
    aliases: dict[str, str] = {}  # alias -> table
    for match in _TABLE_READ.finditer(plain):
        table = match.group(1).lower()
        aliases[(match.group(2) or table).lower()] = table  # a later FROM wins
    equal: dict[str, set[str]] = {}
    apart: set[str] = set()
    for match in _COMPARED.finditer(plain):
        left, left_column, sign, right, right_column = (g.lower() for g in match.groups())
        table = aliases.get(left)
        if left == right or table is None or aliases.get(right) != table:
            continue
        if left_column != right_column:
            continue
        if sign == "=":
            equal.setdefault(table, set()).add(left_column)
        else:
            apart.add(table)
    for table, columns in equal.items():
        if table in apart:
            return table, frozenset(columns)
    return None
