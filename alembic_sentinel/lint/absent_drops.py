"""Drops that find nothing on a database built from the history (issue 20, round 38): no
values or rows lost (L305, L304), no inverse owed (L319).

The history says which columns and tables are not there (table_presence): dropped by an
earlier revision and not made again, or, for a column, never made on a table whose columns
lint knows. This upgrade must not have made it either before the drop: an add (by op or raw
SQL), a rename to its name, a rename of the table, or anything lint cannot follow on the
table.
"""

from __future__ import annotations

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.literals import literal_bool
from alembic_sentinel.lint.revision_model import Fill, Operation
from alembic_sentinel.lint.table_presence import ANY_TABLE, NEVER, step_events


def column_drop_finds_nothing(
    facts: Facts,
    options: LintOptions,
    table: str | None,
    column: str | None,
    seq: int,
    guarded: bool,
) -> bool:
    """Whether the drop of table.column at upgrade step `seq` drops a column the history
    leaves absent, and this upgrade did not make before it. A column the history never made
    counts only for a drop `guarded` by an existence test or a `try` (the author was not sure
    it is there) of a scratch copy of a column the table has (`scratch_of_kept`): an
    unguarded drop says the author's database has the column, made outside the history, and
    a guarded one of another name may be a column some databases hold with values of their
    own (an edited revision once added it: round 38, irrd's bogon_status)."""
    why = options.column_absent(table, column)
    if not table or not column or why is None:
        return False
    if why == NEVER and not (guarded and scratch_of_kept(options, table, column)):
        return False
    if (table, column) in facts.added or _touched_before(facts, table, seq):
        return False
    key = (table.lower(), column.lower())
    return not any(
        op.seq < seq
        and op.name == "alter_column"
        and ((op.table or "").lower(), (op.string("new_column_name") or "").lower()) == key
        for op in facts.upgrade_ops
    ) and not _added_by_sql(facts, key, seq)


# what a conversion or rebuild adds to a column's name for the scratch column it fills
_SCRATCH_SUFFIXES = (
    *("_int", "_integer", "_str", "_text", "_json", "_bool", "_num", "_uuid", "_enum"),
    *("_new", "_old", "_tmp", "_temp", "_copy", "_backup", "_bak", "_orig", "_converted"),
)
_SCRATCH_PREFIXES = ("tmp_", "temp_", "new_", "old_", "_")


def scratch_of_kept(options: LintOptions, table: str, column: str) -> bool:
    """Whether the column's name is a column the history leaves on the table with a scratch
    affix (`difficulty_level_int` beside `difficulty_level`, `tmp_status`): a leftover copy of
    that column's values, made for a conversion, which the kept column still holds."""
    lowered = column.lower()
    bases = [lowered[: -len(s)] for s in _SCRATCH_SUFFIXES if lowered.endswith(s)]
    bases += [lowered[len(p) :] for p in _SCRATCH_PREFIXES if lowered.startswith(p)]
    return any(
        base
        and options.column_absent(table, base) is None
        and options.state_before(table, base).column_type is not None
        for base in bases
    )


def table_drop_finds_nothing(
    facts: Facts, options: LintOptions, table: str | None, seq: int
) -> bool:
    """Whether the drop of the table at upgrade step `seq` drops one the history dropped, and
    this upgrade did not make (or rename into) before it."""
    return (
        bool(table)
        and options.table_dropped(table)
        and not _touched_before(facts, table or "", seq)
    )


def drop_finds_nothing(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether `op` is a drop_column or drop_table of what the history leaves absent (L319:
    the downgrade owes it no inverse)."""
    if op.name == "drop_column":
        column = op.string("column_name")
        return column_drop_finds_nothing(
            facts, options, op.table, column, op.seq, guarded_drop(facts, op, column)
        )
    if op.name != "drop_table":
        return False
    return table_drop_finds_nothing(facts, options, op.table, op.seq) or (
        (_if_exists(op) or _existence_guarded(facts, op))
        and never_made_drop(facts, options, op.table, op.seq)
    )


def _existence_guarded(facts: Facts, op: Operation) -> bool:
    """Whether the drop runs under an `if` testing the table's presence (`if "t" in
    inspector.get_table_names(): op.drop_table("t")`) and the upgrade creates the table again
    after it: a leftover of an interrupted run cleared before the create_table, tolerating a
    missing table as if_exists=True does (round 42). A guarded drop with no such create is
    how a table from before the history (a pre-baseline schema) is removed: not this."""
    upgrade = facts.module.upgrade
    if upgrade is None or op.table is None or op.seq not in upgrade.conditional:
        return False
    table = op.table.lower()
    return table in upgrade.guards.get(op.seq, frozenset()) and any(
        seq > op.seq and name.lower() == table for seq, name in facts.creations
    )


def never_made_drop(facts: Facts, options: LintOptions, table: str | None, seq: int) -> bool:
    """Whether a drop that tolerates a missing table (`drop_table(t, if_exists=True)`, `DROP
    TABLE IF EXISTS t`) at upgrade step `seq` is of a table no earlier revision touched and
    this upgrade did not make before it: on a database built from the history it drops
    nothing (round 41, a baseline clearing a table before its create_table). An unguarded
    drop of such a table says the author's database has it, made outside the history."""
    return (
        bool(table)
        and options.table_never_made(table)
        and not _touched_before(facts, table or "", seq)
    )


def _if_exists(op: Operation) -> bool:
    """Whether the operation is given `if_exists=True` (Alembic 1.13+)."""
    return literal_bool(op.param("if_exists")) is True


def raw_drop_finds_nothing(
    facts: Facts,
    options: LintOptions,
    table: str | None,
    column: str | None,
    fill: Fill,
    if_exists: bool = False,
) -> bool:
    """The same for raw SQL's `DROP TABLE [IF EXISTS] t` (no column) or `ALTER TABLE t DROP
    c`; guarded when a handler catches its error."""
    if column is None:
        return table_drop_finds_nothing(facts, options, table, fill.seq) or (
            if_exists and never_made_drop(facts, options, table, fill.seq)
        )
    upgrade = facts.module.upgrade
    caught = upgrade is not None and fill.line in upgrade.caught_fills
    return column_drop_finds_nothing(facts, options, table, column, fill.seq, caught)


def guarded_drop(facts: Facts, op: Operation, column: str | None) -> bool:
    """Whether the drop_column may not run where the column is missing: in a `try` body with
    a handler, or under an `if` whose test names the column (an existence guard)."""
    upgrade = facts.module.upgrade
    if upgrade is None or column is None:
        return False
    if op.seq in upgrade.caught:
        return True
    return op.seq in upgrade.conditional and column.lower() in upgrade.guards.get(op.seq, ())


def _touched_before(facts: Facts, table: str, seq: int) -> bool:
    """Whether an upgrade step before `seq` created, dropped, renamed the table or did
    something to it lint cannot follow."""
    memo = facts.memo.get("table_step_events")
    if not isinstance(memo, list):
        memo = step_events(facts.module)
        facts.memo["table_step_events"] = memo
    return any(step < seq and name in (table.lower(), ANY_TABLE) for step, name, _ in memo)


def _added_by_sql(facts: Facts, key: tuple[str, str], seq: int) -> bool:
    """Whether raw SQL before step `seq` adds the column (`ALTER TABLE t ADD c`)."""
    return any(
        fill.seq < seq
        and statement.table == key[0]
        and any(
            a.kind == "add_column" and (a.name or "").lower() == key[1] for a in statement.actions
        )
        for fill in facts.fills
        for statement in fill.statements
    )
