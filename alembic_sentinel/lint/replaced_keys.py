"""A primary key that replaces the one the upgrade dropped, one-to-one (L325, round r28).

A revision that moves a table's primary key from a name to an id drops the old key, adds the
id column, fills it by looking up another table's key through the name, and makes the new key
over the old key's columns with the name replaced by the id. Two rows the old key kept apart
get different ids (the lookup is one-to-one, carried_keys), and when nothing leaves a NULL
(null_free) the key can meet neither a duplicate nor a NULL, and the table has no other
primary key: none of L325's failures. So is a key over one integer column the server numbers
as it is added. A key over the very columns it had is not replaced: L325 still reports it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

from alembic_sentinel.lint.carried_keys import carried_from
from alembic_sentinel.lint.distinct_fills import server_numbered
from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.fresh_values import fresh_per_row
from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.null_free import never_null
from alembic_sentinel.lint.revision_model import DOWNGRADE, INTEGER, UPGRADE, Assignment, Operation
from alembic_sentinel.lint.swapped_keys import swaps_old_primary_key
from alembic_sentinel.lint.widened_keys import changed_before, widens_old_primary_key

# the unique column sets the revision shows on a table before a step, with or without the
# columns it adds unique / primary_key=True (key_rules._known_keys)
KnownKeys = Callable[[Facts, str, int, bool], list[set[str]]]


def key_replaced(facts: Facts, options: LintOptions, key: Operation, known_keys: KnownKeys) -> bool:
    """Whether a create_primary_key replaces the table's primary key, dropped before it in the
    upgrade (no second key), by one that cannot meet a duplicate or a NULL (round r28):

    - over one integer column the upgrade added as the primary key's, numbered by the server
      as it adds it (SERIAL on PostgreSQL, an identity): every row its own number; or
    - over the columns of a key known unique before (the old primary key, a unique key) with
      at least one of them replaced by a one-to-one image (a copy, a rename, a lookup of
      another table's key through it: carried_keys), each column free of NULL (null_free).

    A key over the same columns as the one dropped is left to the rule: nothing was replaced."""
    table = (key.table or "").lower()
    columns = [c.lower() for c in string_list(key.param("columns")) or ()]
    if not table or not columns or not _primary_key_dropped(facts, table, key.seq):
        return False
    if len(columns) == 1 and _numbered_on_add(facts, options, table, columns[0], key.seq):
        return True
    known = known_keys(facts, table, key.seq, False)
    known += [set(k) for k in options.unique_keys(table)]
    if _widens_a_key(facts, options, key, columns, known):
        return True
    if widens_old_primary_key(facts, options, key, columns):
        return True  # the old key plus columns NOT NULL (round 34)
    if swaps_old_primary_key(facts, options, key, columns):
        return True  # part of the old key kept, the rest swapped, nothing NULL (r35)

    def known_unique(other: str, column: str, seq: int) -> bool:
        alone = {column}
        if alone in known_keys(facts, other, seq, True):
            return True
        return frozenset(alone) in options.unique_keys(other) or (
            options.primary_key(other) == frozenset(alone)
        )

    def unique_in_table(other: str, column: str, seq: int) -> bool:
        # a key of the table, or a column the upgrade filled with a fresh value per row
        return known_unique(other, column, seq) or fresh_per_row(
            facts, other, column, seq, lambda t, c: known_unique(t, c, seq)
        )

    carried = dict(carried_from(facts, key, set(columns), options, unique_in_table))
    if any(
        fresh_per_row(
            facts, table, carried.get(c, c), key.seq, lambda t, x: known_unique(t, x, key.seq)
        )
        for c in columns
    ):
        # a column renamed from one the upgrade filled with a value of its own per row (a
        # new uuid for each): no two rows alike, whatever the other columns (round 38)
        return all(never_null(facts, options, key, c) for c in columns)
    for column in columns:
        if column not in carried:
            mapped = _mapped_from(facts, key, column)
            if mapped is not None:
                carried[column] = mapped
    image = {carried.get(c, c) for c in columns}
    if not any(k <= image for k in known):
        return False
    if not carried and not any(
        k < image and not any(changed_before(facts, key, c) for c in k) for k in known
    ):
        # the very columns of a key it had (nothing replaced), or a key widened whose known
        # part the upgrade rewrote first (two rows it kept apart may be alike now)
        return False
    return all(never_null(facts, options, key, c) for c in columns)


def _widens_a_key(
    facts: Facts,
    options: LintOptions,
    key: Operation,
    columns: Sequence[str],
    known: Sequence[set[str]],
) -> bool:
    """Whether the key is over a key known unique before (the dropped primary key, as the
    revision that made it shows) plus other columns, with no column of the known key written
    or given a new type before it in the upgrade, and none of the new key's columns able to
    hold NULL (null_free): rows the known key kept apart stay apart over more columns (round
    32). The same columns again are not widened: L325 still reports them."""
    wanted = set(columns)
    widened = [k for k in known if k < wanted]
    if not any(k and not any(changed_before(facts, key, c) for c in k) for k in widened):
        return False
    return all(never_null(facts, options, key, c) for c in columns)


def _mapped_from(facts: Facts, key: Operation, column: str) -> str | None:
    """The column of the key's table that `column` re-expresses (round 32): the upgrade added
    `column`, wrote it only row by row as a function of the revision's own file given that
    row's value of one other column and literals (`plan.cooking_date = next_date(plan.day)`),
    and drops that column, which the new column replaces in the key. Lint cannot prove such a
    function one-to-one; a revision that replaces a key column by one it computes from it
    alone means it to be (a key that merged rows the old one kept apart would drop data the
    revision keeps nowhere else). None for any other write, or a write lint cannot read."""
    table = (key.table or "").lower()
    added = [
        op
        for (t, c), (op, _) in facts.added.items()
        if (t or "").lower() == table and (c or "").lower() == column
    ]
    if not added or added[0].seq >= key.seq:
        return None
    sources: set[str] = set()
    for fill in facts.fills:
        if fill.seq >= key.seq:
            continue
        if fill.opaque or (fill.sql is not None and (table, column) in fill.writes):
            return None  # written in a way the syntax does not show, or by SQL
    for assignment in facts.assignments:
        if assignment.seq >= key.seq or assignment.column.lower() != column:
            continue
        if (assignment.table or table).lower() != table:
            continue
        source = _function_of_column(facts, assignment)
        if source is None:
            return None
        sources.add(source)
    if len(sources) != 1:
        return None
    source = sources.pop()
    dropped = any(
        op.name == "drop_column"
        and (op.table or "").lower() == table
        and (op.string("column_name") or "").lower() == source
        for op in facts.upgrade_ops
    )
    return source if dropped and source != column else None


def _function_of_column(facts: Facts, assignment: Assignment) -> str | None:
    """The column a per-row write computes its value from: a call of a function of the
    revision's file given one attribute of a row of the written class (`row.day`) and
    literals, else None."""
    value = assignment.value
    model = assignment.model
    if type(value) is not ast.Call or type(value.func) is not ast.Name or model is None:
        return None
    if value.func.id in (UPGRADE, DOWNGRADE) or value.func.id not in facts.module.functions:
        return None
    given = [*value.args, *(kw.value for kw in value.keywords)]
    if any(kw.arg is None for kw in value.keywords):
        return None
    read = [g for g in given if type(g) is not ast.Constant]
    if len(read) != 1:
        return None
    attribute = read[0]
    if type(attribute) is not ast.Attribute or type(attribute.value) is not ast.Name:
        return None
    spec = model.columns.get(attribute.attr)
    return (spec.name or attribute.attr).lower() if spec is not None else None


def _primary_key_dropped(facts: Facts, table: str, before: int) -> bool:
    """Whether the upgrade drops the table's primary key before step `before` and makes none
    between: a drop_constraint of type "primary", or one of no type whose name is the name
    the upgrade or the downgrade gives the table's primary key (`drop_constraint("pk_plan")`
    then `create_primary_key("pk_plan", ...)`: a table's constraint names are its own)."""
    primary_names = {
        (op.string("constraint_name") or "").lower()
        for op in facts.all_ops
        if op.name == "create_primary_key" and (op.table or "").lower() == table
    } - {""}
    dropped = False
    for op in facts.upgrade_ops:
        if op.seq >= before or (op.table or "").lower() != table:
            continue
        if op.name == "drop_constraint" and (
            op.string("type_") == "primary"
            or (
                op.param("type_") is None
                and (op.string("constraint_name") or "").lower() in primary_names
            )
        ):
            dropped = True
        elif op.name == "create_primary_key":
            dropped = False
    return dropped


def _numbered_on_add(
    facts: Facts, options: LintOptions, table: str, column: str, before: int
) -> bool:
    """Whether the upgrade added the column before step `before` numbered in every row, on
    PostgreSQL: an identity or a per-row server default (distinct_fills.server_numbered), or
    an Integer primary_key=True column not autoincrement=False, which SQLAlchemy renders
    SERIAL (a sequence's next value for each row, NOT NULL). MySQL's AUTO_INCREMENT needs a
    key on the column as it is added (L332), and its dialect renders no identity: not counted."""
    if options.target.flavor != "postgresql":
        return False
    for (t, c), (op, spec) in facts.added.items():
        if (t or "").lower() != table or (c or "").lower() != column or op.seq >= before:
            continue
        serial = (
            spec.primary_key
            and spec.autoincrement is not False
            and spec.type is not None
            and spec.type.family == INTEGER
        )
        return serial or server_numbered(spec)
    return False
