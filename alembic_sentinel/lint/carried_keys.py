"""Columns a unique key is carried over to: renamed, or filled by a copy of another column.

A revision that moves a key often renames its column (`alter_column("run", "deployment_id",
new_column_name="snapshot_id")`) or adds a new column and copies an old one into it
(`UPDATE action SET project_id = workspace_id`, `t.update().values(number=t.c.id)`), then
creates the unique key over the new column. Every row holds the same values as before under
the new name, so the key can only meet duplicates where the same key over the old columns
could: when that one is known unique (a primary key, a key the upgrade drops and the
downgrade restores, a key of the revisions before), L309 has nothing to report. L309's rule
(lint.key_rules) asks `carried_from` which earlier column each key column stands for.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping

from alembic_sentinel.lint.facts import Facts, LintOptions, raw_sql
from alembic_sentinel.lint.injective_images import constant, image_of, split_top_level
from alembic_sentinel.lint.joined_copies import joined_copy
from alembic_sentinel.lint.key_lookups import looked_up_from
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.revision_model import DEFAULT_NONE, Operation
from alembic_sentinel.lint.sql_reader import ALTER_TABLE

# whether a column is a key of a table on its own before an upgrade step: (table, column, seq)
UniqueIn = Callable[[str, str, int], bool]

# UPDATE t SET a = b[, c = d] [WHERE ...]: the table and the SET list (quotes left in)
_UPDATE = LazyPattern(
    r"^\s*UPDATE\s+[`\"]?(\w+)[`\"]?\s+SET\s+(.*?)(?:\s+WHERE\b.*)?;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
# the written column of one `new = ...` of a SET list
_COPY_TARGET = LazyPattern(r"^[`\"]?(\w+)[`\"]?$")


def _sql_copies(text: str, table: str) -> dict[str, str] | None:
    """The `new -> old` column copies of an UPDATE of `table` (lowercase), {} when it writes
    other values too, None when it is not an UPDATE of that table. A copy may be a one-to-one
    image of the old column (`CAST(user_id AS CHAR)`, `CONCAT('u-', id)`, a hash of one:
    lint.injective_images, round 37), and the same SET may give other columns a constant
    (`entity_type = 'user'`): those are no copy, and a key over them is judged without them."""
    match = _UPDATE.match(text)
    if match is None or match.group(1).lower() != table:
        return None
    copies: dict[str, str] = {}
    for part in split_top_level(match.group(2)):
        target, equals, value = part.partition("=")
        written = _COPY_TARGET.match(target.strip())
        if not equals or written is None:
            return {}
        source = image_of(value)
        if source is not None:
            copies[written.group(1).lower()] = source
        elif not constant(value):
            return {}
    return copies


def _column_of_table(value: ast.expr) -> str | None:
    """`t.c.id`, `t.c["id"]`: the column a Core value reads from its own row."""
    if type(value) is ast.Attribute and type(value.value) is ast.Attribute:
        return value.attr.lower() if value.value.attr == "c" else None
    if type(value) is ast.Subscript and type(value.value) is ast.Attribute:
        key = value.slice
        if value.value.attr == "c" and type(key) is ast.Constant and type(key.value) is str:
            return key.value.lower()
    return None


def _of_another_table(value: ast.expr, own: str | None) -> bool:
    """`o.c.k` with `o` a table variable other than the written one's (`own`)."""
    holder = value.value if isinstance(value, (ast.Attribute, ast.Subscript)) else None
    return (
        own is not None
        and type(holder) is ast.Attribute
        and holder.attr == "c"
        and type(holder.value) is ast.Name
        and holder.value.id != own
    )


def _unique_in(
    facts: Facts, options: LintOptions, unique_in_table: UniqueIn | None, seq: int
) -> Callable[[str, str], bool]:
    """Whether a column of an inline table (by its variable) is a key of its table on its
    own: the one primary key column or a unique column described inline, a one-column key the
    revisions before made, or (given `unique_in_table`) one this upgrade shows before step
    `seq`."""

    def unique(variable: str, column: str) -> bool:
        model = facts.module.tables.get(variable)
        if model is None or model.table is None:
            return False
        spec = model.columns.get(column)
        specs = {id(c): c for c in model.columns.values()}.values()
        primary = [c for c in specs if c.primary_key]
        if spec is not None and (spec.unique or (spec.primary_key and len(primary) == 1)):
            return True
        table = model.table.lower()
        if unique_in_table is not None and unique_in_table(table, column, seq):
            return True
        return frozenset({column}) in options.unique_keys(table)

    return unique


def _copied_from(
    facts: Facts,
    op: Operation,
    column: str,
    options: LintOptions | None = None,
    unique_in_table: UniqueIn | None = None,
) -> str | None:
    """The one column the upgrade copied into `column` before `op`, when it added `column`
    itself (rows the copy missed hold NULL, which never collides) and every write of it is that
    same copy; None otherwise. Given `unique_in_table`, a copy of another table's unique
    column matched by one equality (joined_copies) stands for the row's own matched column."""
    table = (op.table or "").lower()
    added = [
        spec
        for (t, c), (_, spec) in facts.added.items()
        if (t or "").lower() == table and (c or "").lower() == column
    ]
    if not added and not _raw_added_null(facts, table, column, op.seq):
        return None
    # a default gives the rows a copy misses one value alike (a raw add starts them NULL)
    defaulted = bool(added) and added[0].server_default not in (None, DEFAULT_NONE)
    sources: set[str] = set()
    for fill in facts.fills:
        if fill.seq >= op.seq:
            continue
        if fill.opaque:
            return None  # it may write the column in a way the syntax does not show
        if fill.sql is None:
            continue  # a Core update: its values are the assignments read below
        if fill.writes.isdisjoint({(table, column), (None, column), (table, "*")}):
            continue
        copies = _sql_copies(fill.sql or "", table)
        if copies and column in copies:
            sources.add(copies[column])
            continue
        matched = _matched_key(fill.sql or "", table, column, fill.seq, unique_in_table)
        if matched is None or defaulted:
            return None  # written some other way (a constant, an expression, a join)
        sources.add(matched)
    for assignment in facts.assignments:
        if assignment.seq >= op.seq or assignment.column.lower() != column:
            continue
        if assignment.table is not None and assignment.table.lower() != table:
            continue
        own = assignment.model.variable if assignment.model is not None else None
        source = (
            None if _of_another_table(assignment.value, own) else _column_of_table(assignment.value)
        )
        if source is None and options is not None:
            # a lookup of another table's key by a column of the row: one-to-one
            unique = _unique_in(facts, options, unique_in_table, op.seq)
            source = looked_up_from(assignment.value, unique, assignment.where)
        if source is None or assignment.in_loop:
            return None
        sources.add(source)
    return sources.pop() if len(sources) == 1 else None


def _raw_added_null(facts: Facts, table: str, column: str, seq: int) -> bool:
    """Whether a raw `ALTER TABLE t ADD COLUMN c INTEGER` (no NOT NULL, no DEFAULT) before step
    `seq` added the column: every existing row starts NULL, as after an add_column without
    a default (nylas: `ADD COLUMN namespace_id INTEGER`, then a JOIN copy, round 43)."""
    return any(
        fill.seq < seq
        and statement.kind == ALTER_TABLE
        and (statement.table or "").lower() == table
        and action.kind == "add_column"
        and action.starts_null
        and (action.name or "").lower() == column
        for fill, statement in raw_sql(facts)
        for action in statement.actions
    )


def _matched_key(
    sql: str, table: str, column: str, seq: int, unique_in_table: UniqueIn | None
) -> str | None:
    """The updated table's column an UPDATE ... FROM / JOIN matches on, when it copies into
    `column` a column that is a key of the source table on its own (before step `seq`)."""
    joined = joined_copy(sql, table) if unique_in_table is not None else None
    if joined is None or unique_in_table is None or column not in joined.copies:
        return None
    if not unique_in_table(joined.source, joined.copies[column], seq):
        return None  # values of the source that may repeat: two rows may get the same one
    return joined.own_key


def _renamed_from(facts: Facts, op: Operation, column: str) -> str | None:
    """The column an alter_column of this upgrade renamed to `column` before `op`."""
    table = (op.table or "").lower()
    for other in reversed(facts.upgrade_ops):
        if other.seq >= op.seq or other.name != "alter_column":
            continue
        new_name = other.string("new_column_name")
        old_name = other.string("column_name")
        if (other.table or "").lower() == table and new_name and old_name:
            if new_name.lower() == column:
                return old_name.lower()
    return None


def carried_from(
    facts: Facts,
    op: Operation,
    columns: set[str],
    options: LintOptions | None = None,
    unique_in_table: UniqueIn | None = None,
) -> Mapping[str, str]:
    """For each of a key's columns (lowercase) the upgrade renamed or filled by a plain copy
    (or, given the options, by a lookup of another table's key, see key_lookups; given
    `unique_in_table`, by an UPDATE copying another table's unique column matched by one
    equality, see joined_copies) before `op`, the column whose values it holds, or a
    one-to-one image of them."""
    carried: dict[str, str] = {}
    for column in columns:
        renamed = _renamed_from(facts, op, column)
        source = renamed or _copied_from(facts, op, column, options, unique_in_table)
        if renamed is not None:
            # a copy renamed into place (`room_id_uuid` filled from the old `room_id`, which is
            # dropped, then renamed `room_id`): the values of what it copied (round 38)
            # (it may map back onto the name it took: the old column's values, one-to-one)
            source = _copied_from(facts, op, renamed, options, unique_in_table) or renamed
        if source is not None and (source != column or renamed is not None):
            carried[column] = source
    return carried
