"""A dropped column whose values are derived from other data (L305, round 32): nothing of its
own is lost with it.

- A database trigger fills it from other columns or tables (lint/trigger_columns.py): created
  by a revision before this one and not dropped since (dropping it in this very upgrade, before
  the column, is part of the same change), by this upgrade before the drop, or by this
  revision's downgrade (which puts the derived column back as it was).
- The downgrade computes it again: it adds the column back, then writes it with a statement
  reading other data that outlives the upgrade (an `UPDATE project SET completed = true WHERE
  id IN (SELECT ... FROM task ...)`, a `SET full_name = first || ' ' || last`, a Core update
  or ORM loop reading other columns). What the statement reads must be there after the
  upgrade and hold values from before it: not the column itself, nor a column or table the
  upgrade adds, creates or drops. A constant in every row (`SET completed = false`) restores
  nothing and does not count. The column itself, just added back empty, is no read of what
  the upgrade removed (round 37: `SET active = (SELECT CASE ... END AS active FROM ...)`).

- The revision says it never held values of its own: a remark naming it as never written
  (lint/stated_intent.py's says_never_written).
- The revision says its values can be computed again (round 34): a comment on the drop's own
  line ("# can be generated", "# derived from the counts table"), or a sentence of a remark
  naming the column, saying they can be (re)generated / derived / recomputed / recalculated /
  rebuilt, calling them cached or denormalized, or saying they are the sum / total / count /
  difference / average / concatenation of others. Words that it is unused or no longer needed
  say nothing of its values, and a TODO note decides nothing.

Generated columns (`sa.Computed`, `GENERATED ALWAYS AS`) are lint.column_state's
computed_column.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.named_changes import mentions
from alembic_sentinel.lint.refusals import UNFINISHED
from alembic_sentinel.lint.revision_model import Fill
from alembic_sentinel.lint.spoken_remarks import comment_blocks
from alembic_sentinel.lint.sql_reader import ALTER_TABLE, ColumnRef
from alembic_sentinel.lint.stated_intent import says_never_written
from alembic_sentinel.lint.trigger_columns import body_triggers, derived_columns


def derived_by_trigger(
    facts: Facts, options: LintOptions, table: str | None, column: str | None, seq: int
) -> bool:
    """Whether a trigger derives the column's values from other data when the upgrade's step
    `seq` drops it (module docstring)."""
    if table is None or column is None:
        return False
    key = (table.lower(), column.lower())
    earlier = options.history.trigger_routines(options.position)
    if not earlier and not _any_trigger_sql(facts):
        return False
    module = facts.module
    return any(
        key in derived_columns(routines)
        for routines in (
            earlier,
            [*earlier, *body_triggers(module.upgrade, before=seq)],
            [*earlier, *body_triggers(module.downgrade)],
        )
    )


def _any_trigger_sql(facts: Facts) -> bool:
    bodies = (facts.module.upgrade, facts.module.downgrade)
    return any(
        fill.sql and "trigger" in fill.sql.lower()
        for body in bodies
        if body is not None
        for fill in body.fills
    )


def recomputed_by_downgrade(
    facts: Facts, options: LintOptions, table: str | None, column: str | None
) -> bool:
    """Whether the downgrade adds the column back and then fills it from other data that the
    upgrade leaves in place (module docstring): its values are derivable, not lost. The row's
    own identity (`WHERE id > 0`, its primary key as the revisions before leave it) chooses
    rows and computes nothing: reading only it does not count."""
    downgrade = facts.module.downgrade
    if downgrade is None or table is None or column is None:
        return False
    key = (table.lower(), column.lower())
    added = [
        op.seq
        for op in downgrade.operations
        if (op.table or "").lower() == key[0]
        and (
            (op.name == "add_column" and any((c.name or "").lower() == key[1] for c in op.columns))
            or _raw_add(op.name, downgrade.fills, op.seq, key)
        )
    ]
    if not added:
        return False
    gone = _changed_by_upgrade(facts)
    identity: set[ColumnRef] = {(key[0], c.lower()) for c in options.primary_key(key[0]) or ()}
    identity.add((key[0], "id"))
    return any(
        fill.seq > min(added)
        and any(_same(ref, key) for ref in fill.writes)
        and _reads_what_outlives(fill, key, gone, identity)
        for fill in downgrade.fills
    )


def _raw_add(name: str, fills: tuple[Fill, ...], seq: int, key: ColumnRef) -> bool:
    """Whether the downgrade's raw `ALTER TABLE t ADD [COLUMN] c` at step `seq` adds it back."""
    if name != "execute":
        return False
    return any(
        fill.seq == seq
        and statement.kind == ALTER_TABLE
        and statement.table == key[0]
        and any(
            a.kind == "add_column" and (a.name or "").lower() == key[1] for a in statement.actions
        )
        for fill in fills
        for statement in fill.statements
    )


def _same(ref: ColumnRef, key: ColumnRef) -> bool:
    table, column = ref
    return column.lower() == key[1] and (table is None or table.lower() == key[0])


def _changed_by_upgrade(facts: Facts) -> tuple[set[str], set[ColumnRef]]:
    """The tables the upgrade creates or drops, and the columns it adds or drops (lowercase):
    what holds no values from before it once it has run."""
    tables = {t.lower() for t in facts.created}
    columns: set[ColumnRef] = set()
    for op in facts.upgrade_ops:
        if op.table is None:
            continue
        if op.name == "drop_table":
            tables.add(op.table.lower())
        elif op.name == "add_column":
            columns.update((op.table.lower(), (c.name or "").lower()) for c in op.columns)
        elif op.name == "drop_column":
            columns.add((op.table.lower(), (op.string("column_name") or "").lower()))
    for fill in facts.fills:
        for statement in fill.statements:
            for action in statement.actions:
                if action.kind in ("add_column", "drop_column") and statement.table and action.name:
                    columns.add((statement.table, action.name.lower()))
    return tables, columns


def _reads_what_outlives(
    fill: Fill, key: ColumnRef, gone: tuple[set[str], set[ColumnRef]], identity: set[ColumnRef]
) -> bool:
    """Whether a downgrade fill computes the column from data the upgrade leaves with its
    values: it reads some column of a named table other than the dropped one and the row's
    identity, and nothing of a table or column the upgrade makes or removes (a link the
    upgrade added, `customer.contact_id`, gives values of its own making, not the old ones)."""
    tables, columns = gone
    other = False
    for ref in fill.reads | fill.keys:
        table, column = (ref[0] or "").lower(), ref[1].lower()
        if _same(ref, key):
            continue  # the column itself, just added back empty: it computes nothing
        if table in tables or (table, column) in columns:
            return False
        # a column of no known table (an expression's alias) tells nothing of what it reads
        if table and column != "*" and (table, column) not in identity:
            other = True
    return other


def said_never_written(facts: Facts, column: str) -> bool:
    """Whether the upgrade's comments, its docstring or the revision's message say the dropped
    column never held values of its own (stated_intent.says_never_written)."""
    upgrade = facts.module.upgrade
    remarks = [facts.module.docstring or ""]
    if upgrade is not None:
        remarks += [upgrade.docstring or "", *upgrade.remarks]
    others = [
        name
        for op in facts.upgrade_ops
        if op.name == "drop_column"
        for name in [op.string("column_name")]
        if name and name != column
    ]
    return says_never_written(remarks, column, others)


def derived_or_never_written(
    facts: Facts, options: LintOptions, table: str | None, column: str | None, seq: int
) -> bool:
    """Whether the column the upgrade's step `seq` drops holds nothing of its own: a trigger
    derives it, the downgrade computes it again, or the revision says it was never written."""
    return (
        derived_by_trigger(facts, options, table, column, seq)
        or recomputed_by_downgrade(facts, options, table, column)
        or (column is not None and said_never_written(facts, column))
        or (column is not None and said_derivable(facts, column, seq))
    )


# words saying a column's values can be computed again from other data
_DERIVABLE = LazyPattern(
    r"\b(?:can|could|may|will)\s+(?:always\s+|easily\s+|simply\s+)?be\s+"
    r"(?:re-?)?(?:generated|derived|computed|calculated|built|constructed)\b"
    r"|\b(?:is|are|was|were|gets?|been)\s+(?:re-?)?(?:generated|derived|computed|calculated)"
    r"\s+(?:from|on the fly|at runtime|when)\b"
    r"|\bcached\b|\bdenormali[sz]ed\b"
    # "as it is simply the sum of location_ok and location_nok" (round 35)
    r"|\b(?:is|are|was|were)\s+(?:simply\s+|just\s+|only\s+|always\s+)?(?:the\s+)?"
    r"(?:sum|total|count|difference|product|average|concatenation)\s+of\b",
    re.IGNORECASE,
    # searched in every file that drops a column: what any match holds, a cheap test first
    words=(
        *("generated", "derived", "computed", "calculated", "built", "constructed"),
        *("cached", "denormali"),
        *("sum", "total", "count", "difference", "product", "average", "concatenation"),
    ),
)
_SENTENCES = LazyPattern(r"(?<=[.!?])\s+|\n\s*\n")


def said_derivable(facts: Facts, column: str, seq: int) -> bool:
    """Whether a comment on the line(s) of the step `seq` that drops the column, or a sentence
    naming the column in the upgrade's remarks, its docstring or the revision's message, says
    its values can be computed again (module docstring)."""
    said: list[str] = []
    source = facts.source
    if source is not None:
        text = _source_text(facts)
        if not text:
            return False  # the file says no such words: nothing to read
        spans = [(op.line, op.end_line) for op in facts.upgrade_ops if op.seq == seq]
        spans += [(fill.line, fill.end_line) for fill in facts.fills if fill.seq == seq]
        if spans and "#" in text:
            lines = text.splitlines()
            said += [b for first, last in spans for b in comment_blocks(lines, first, last)]
    upgrade = facts.module.upgrade
    remarks = [facts.module.docstring or "", *(upgrade.remarks if upgrade else ())]
    remarks.append(upgrade.docstring or "" if upgrade else "")
    for remark in remarks:
        if remark and _DERIVABLE.search(remark):
            said += [s for s in _SENTENCES.split(remark) if mentions(s, column)]
    return any(_DERIVABLE.search(s) and not UNFINISHED.search(s) for s in said)


def _source_text(facts: Facts) -> str:
    """The file's text when it holds words _DERIVABLE reads, else "" (read once per file)."""
    known = facts.memo.get("derivable_text")
    if isinstance(known, str):
        return known
    source = facts.source or ""
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    text = text if _DERIVABLE.search(text) else ""
    facts.memo["derivable_text"] = text
    return text
