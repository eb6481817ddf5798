"""Whether a key column can hold NULL in the rows already there when a primary key is made
over it (L325), as far as the revision and the ones before show:

- an alter_column(nullable=False) of this upgrade before the key (a NULL would fail it first:
  its own step, not the key's);
- a DELETE of the rows where it IS NULL before the key (`t.delete().where(t.c.c == None)`,
  `.is_(None)`, any of an `or_()`; `DELETE FROM t WHERE c IS NULL`);
- NOT NULL as the revisions before leave it (or as an inline description of the table says),
  when this upgrade neither adds it nor writes it;
- filled by a lookup of another table's NOT NULL key through a NOT NULL column of the row
  that a foreign key (declared by a revision before, or by this upgrade) ties to the column
  the lookup matches: every row finds its row.

A lookup or column lint cannot read counts as maybe NULL.
"""

from __future__ import annotations

import ast
import re

from alembic_sentinel.lint.facts import Facts, LintOptions, sql_text
from alembic_sentinel.lint.key_lookups import lookup_of
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import literal_bool, string_list
from alembic_sentinel.lint.revision_model import ColumnSpec, Operation


def never_null(facts: Facts, options: LintOptions, key: Operation, column: str) -> bool:
    """Whether `column` (lowercase) of the key's table holds no NULL when the key is made."""
    table = (key.table or "").lower()
    if _made_not_null(facts, table, column, key.seq) or _null_rows_deleted(
        facts, table, column, key.seq
    ):
        return True
    added = _added(facts, table, column)
    if added is None:
        if facts.written_between(key.table, column, 0, key.seq, unread=False):
            return False
        return _not_null_before(facts, options, table, column)
    if added[0].seq >= key.seq:
        return False
    if added[1].not_null:
        return False  # NOT NULL with what value? (L309 / L325 ask about duplicates)
    writes = [
        a
        for a in facts.assignments
        if a.seq < key.seq and a.column.lower() == column and (a.table or table).lower() == table
    ]
    opaque = any(f.opaque and f.seq < key.seq for f in facts.fills)
    if not writes or opaque:
        return False
    return all(
        not w.in_loop and _lookup_finds_a_row(facts, options, table, w.value, w.where, key.seq)
        for w in writes
    )


def _added(facts: Facts, table: str, column: str) -> tuple[Operation, ColumnSpec] | None:
    for (t, c), value in facts.added.items():
        if (t or "").lower() == table and (c or "").lower() == column:
            return value
    return None


def _made_not_null(facts: Facts, table: str, column: str, before: int) -> bool:
    return any(
        op.seq < before
        and op.name == "alter_column"
        and (op.table or "").lower() == table
        and (op.string("column_name") or "").lower() == column
        and literal_bool(op.param("nullable")) is False
        for op in facts.upgrade_ops
    )


def _not_null_before(facts: Facts, options: LintOptions, table: str, column: str) -> bool:
    if options.state_before(table, column).not_null is True:
        return True
    for model in facts.module.tables.values():
        if not model.orm and (model.table or "").lower() == table:
            spec = model.columns.get(column)
            if spec is not None and spec.not_null:
                return True
    return False


def _lookup_finds_a_row(
    facts: Facts,
    options: LintOptions,
    table: str,
    value: ast.expr,
    where: tuple[ast.expr, ...],
    before: int,
) -> bool:
    """A lookup (key_lookups) of a NOT NULL column through a NOT NULL column of the row that
    a foreign key ties to the matched column."""
    found = lookup_of(value, where)
    model = facts.module.tables.get(found.source) if found is not None else None
    if found is None or model is None or model.table is None:
        return False
    other = model.table.lower()
    if not _not_null_before(facts, options, table, found.own):
        return False
    target = f"{other}.{found.matched}"
    declared = target in options.refers_before(table, found.own) or any(
        op.seq < before
        and (op.table or "").lower() == table
        and any(
            spec.name and spec.name.lower() == found.own and fk.target == target
            for spec in op.columns
            for fk in spec.foreign_keys
        )
        for op in facts.upgrade_ops
    )
    if not declared:
        return False
    spec = model.columns.get(found.key)
    added = _added(facts, other, found.key)
    return (
        (spec is not None and spec.not_null)
        or (added is not None and added[1].not_null)
        or _made_primary(facts, other, found.key, before)
        or _not_null_before(facts, options, other, found.key)
    )


def _made_primary(facts: Facts, table: str, column: str, before: int) -> bool:
    """Whether the upgrade made the column its table's primary key (NOT NULL) before `before`."""
    return any(
        op.seq < before
        and op.name == "create_primary_key"
        and (op.table or "").lower() == table
        and [c.lower() for c in string_list(op.param("columns")) or ()] == [column]
        for op in facts.upgrade_ops
    )


# `DELETE FROM t WHERE ... c IS NULL ...` (the name quoted or not)
_DELETE = LazyPattern(r"^\s*DELETE\s+FROM\s+[`\"\[]?(\w+)[`\"\]]?\s+WHERE\b(.*)$", re.I | re.S)


def _null_rows_deleted(facts: Facts, table: str, column: str, before: int) -> bool:
    """Whether an op.execute before step `before` deletes the table's rows where the column
    IS NULL (alone, or as one term of an OR: each such row goes)."""
    for op in facts.upgrade_ops:
        if op.seq >= before or op.name != "execute":
            continue
        text = sql_text(op)
        if text is not None:
            match = _DELETE.match(text)
            if match and match.group(1).lower() == table and _sql_null_term(match.group(2), column):
                return True
            continue
        node = op.param("sqltext")
        if node is not None and _core_null_delete(node, table, column, facts):
            return True
    return False


def _sql_null_term(condition: str, column: str) -> bool:
    if re.search(r"\bAND\b", condition, re.IGNORECASE):
        return False
    term = rf"(?:\w+\.)?[`\"\[]?{re.escape(column)}[`\"\]]?\s+IS\s+NULL\b"
    return re.search(term, condition, re.IGNORECASE) is not None


def _core_null_delete(node: ast.expr, table: str, column: str, facts: Facts) -> bool:
    """`t.delete().where(t.c.c == None)` (or `.is_(None)`, or inside `or_(...)`), t the
    table's variable."""
    if not (
        type(node) is ast.Call
        and type(node.func) is ast.Attribute
        and node.func.attr == "where"
        and len(node.args) == 1
    ):
        return False
    deleted = node.func.value
    if not (
        type(deleted) is ast.Call
        and type(deleted.func) is ast.Attribute
        and deleted.func.attr == "delete"
        and type(deleted.func.value) is ast.Name
    ):
        return False
    model = facts.module.tables.get(deleted.func.value.id)
    if model is None or (model.table or "").lower() != table:
        return False
    condition = node.args[0]
    terms = [condition]
    if type(condition) is ast.Call and getattr(condition.func, "attr", None) == "or_":
        terms = list(condition.args)
    elif type(condition) is ast.Call and getattr(condition.func, "id", None) == "or_":
        terms = list(condition.args)
    return any(_is_null_test(term, column) for term in terms)


def _is_null_test(term: ast.expr, column: str) -> bool:
    """`x.c.col == None`, `x.c.col.is_(None)`."""
    if type(term) is ast.Compare and len(term.ops) == 1 and type(term.ops[0]) in (ast.Eq, ast.Is):
        right = term.comparators[0]
        return _names(term.left, column) and type(right) is ast.Constant and right.value is None
    if (
        type(term) is ast.Call
        and type(term.func) is ast.Attribute
        and term.func.attr == "is_"
        and len(term.args) == 1
        and type(term.args[0]) is ast.Constant
        and term.args[0].value is None
    ):
        return _names(term.func.value, column)
    return False


def _names(node: ast.expr, column: str) -> bool:
    """`x.c.col`."""
    return (
        type(node) is ast.Attribute
        and node.attr.lower() == column
        and type(node.value) is ast.Attribute
        and node.value.attr == "c"
    )
