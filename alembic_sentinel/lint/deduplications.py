"""How a revision shows that the rows a new unique key meets hold no duplicates (L309): it
counts them itself (`GROUP BY a, b HAVING COUNT(*) > 1`), deletes the rows another row of the
same table matches, calls a function of its own file named for the job (`_remove_duplicates`),
or calls a function of the project's own modules that does it (round 26).

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

from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import LIKE, UPGRADE, Fill, HelperDeduplication

_SQL_DUPLICATES = re.compile(r"GROUP\s+BY\s+(.+?)\s+HAVING\s+COUNT\s*\(", re.IGNORECASE | re.DOTALL)
# rows deleted when another row of the same table matches them: `DELETE FROM t WHERE EXISTS
# (SELECT ... FROM t t2 ...)`, `DELETE t1 FROM t t1 JOIN t t2 ...`, `DELETE FROM t USING t ...`;
# the table may be an f-string's {expression} (a helper looping over tables): the same text twice
_SELF_JOINED_DELETE = re.compile(
    r"\bDELETE\b[^;]*?\bFROM\s+([^\s,;()]+)[^;]*?\b(?:FROM|JOIN|USING)\s+\1(?=[\s,;)]|$)",
    re.IGNORECASE | re.DOTALL,
)
# a function named for removing duplicates: `dedupe_names`, `_remove_duplicates`,
# `deduplicate_multi_active_user_tenants`, `drop_dupes`
_DEDUPLICATING_NAME = re.compile(r"dedup|duplicate|dupe", re.IGNORECASE)
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
