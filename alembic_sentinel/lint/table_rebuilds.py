"""A table rebuilt within one function: one change of the table, however it is spelled.

Three spellings give `t` a new shape while keeping its name, each with steps that read alone
as a table created and another dropped:

- in place: `drop_table("t")`, then `create_table("t", ...)` (round r28a);
- aside: `t` renamed aside (`rename_table("t", "t_tmp")`, raw `ALTER TABLE t RENAME TO t_tmp`
  or `RENAME TABLE t TO t_tmp`), `t` created again, the rows copied, `t_tmp` dropped
  (round 17's legacy copy, round 28's `sources_tmp`);
- copy and swap: `t_new` created, `t` dropped, `t_new` renamed to `t` (round 21).

Before and after, `t` exists: the net change is its new columns and keys (those made on the
aside copy are checked one by one under `t`'s name, downgrade_rules' aliases). A downgrade
undoes the rebuild when it changes `t` back, in place (`batch_alter_table("t")
.drop_column(...)`, an alter) or by a rebuild of its own, and leaves a `t` behind; one that
leaves `t` alone, or ends by dropping it, does not. The steps are read from operations,
SQLAlchemy's own DDL and raw SQL alike (lint/sql_reader.py reads quoted names of every kind).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.revision_model import FunctionBody
from alembic_sentinel.lint.sql_reader import (
    ALTER_TABLE,
    CREATE_TABLE,
    DROP_TABLE,
    RENAME_TABLE,
    SqlStatement,
)

CREATE, DROP, RENAME = "create_table", "drop_table", "rename_table"


class TableStep(NamedTuple):
    seq: int  # the operation, or the fill of raw SQL
    place: int  # the statement's place within its fill (0 for an operation)
    kind: str  # CREATE, DROP or RENAME
    table: str  # lowercase
    new: str = ""  # RENAME: the new name


class Rebuild(NamedTuple):
    table: str  # the table's name before and after, lowercase
    seqs: frozenset[int]  # the steps of the rebuild
    created: int  # the seq of the step that creates the new shape (create or swap)


def table_steps(body: FunctionBody | None) -> tuple[TableStep, ...]:
    """The function's creates, drops and renames of tables, in the order they run."""
    if body is None:
        return ()
    found = list(_operation_steps(body))
    for fill in body.fills:
        for place, statement in enumerate(fill.statements, 1):
            found.extend(_sql_steps(fill.seq, place, statement))
    return tuple(sorted(found))


def _operation_steps(body: FunctionBody) -> Iterator[TableStep]:
    for op in body.operations:
        table = (op.table or "").lower()
        new = (op.string("new_table_name") or "").lower()
        if op.name in (CREATE, DROP) and table:
            yield TableStep(op.seq, 0, op.name, table)
        elif op.name == RENAME and table and new:
            yield TableStep(op.seq, 0, RENAME, table, new)
    for seq, kind, table in body.table_ddl:  # metadata.create_all(...), t.drop(bind)
        yield TableStep(seq, 0, CREATE if kind == "create" else DROP, table.lower())


def _sql_steps(seq: int, place: int, statement: SqlStatement) -> Iterator[TableStep]:
    kind, table = statement.kind, statement.table or ""
    if kind in (CREATE_TABLE, DROP_TABLE) and table:
        yield TableStep(seq, place, CREATE if kind == CREATE_TABLE else DROP, table)
    elif kind == RENAME_TABLE:
        for old, new in statement.renames:
            yield TableStep(seq, place, RENAME, old, new)
    elif kind == ALTER_TABLE and table:
        for action in statement.actions:
            if action.kind == "rename_table" and action.name:
                yield TableStep(seq, place, RENAME, table, action.name)


def rebuilds(steps: Sequence[TableStep]) -> list[Rebuild]:
    """Every table the steps rebuild under its own name, in any of the three spellings."""
    found: list[Rebuild] = []
    for index, step in enumerate(steps):
        later = steps[index + 1 :]
        if step.kind == DROP:
            # in place: the next step naming the table creates it again
            create = next((s for s in later if _names(s, step.table)), None)
            if create is not None and create.kind == CREATE:
                found.append(Rebuild(step.table, frozenset({step.seq, create.seq}), create.seq))
        elif step.kind == RENAME:
            found.extend(_aside(step, later))
            found.extend(_swapped(step, steps[:index]))
    return found


def _names(step: TableStep, table: str) -> bool:
    return step.table == table or step.new == table


def _aside(rename: TableStep, later: Sequence[TableStep]) -> Iterator[Rebuild]:
    """`t` renamed to `a`, `t` created again, `a` dropped."""
    create = next((s for s in later if _names(s, rename.table)), None)
    if create is None or create.kind != CREATE or create.table != rename.table:
        return
    drop = next((s for s in later if _names(s, rename.new)), None)
    if drop is not None and drop.kind == DROP and drop.table == rename.new:
        seqs = frozenset({rename.seq, create.seq, drop.seq})
        yield Rebuild(rename.table, seqs, create.seq)


def _swapped(rename: TableStep, earlier: Sequence[TableStep]) -> Iterator[Rebuild]:
    """`n` created, `t` dropped, then `n` renamed to `t`."""
    created = [s for s in earlier if s.kind == CREATE and s.table == rename.table]
    dropped = [s for s in earlier if s.kind == DROP and s.table == rename.new]
    if created and dropped:
        seqs = frozenset({created[-1].seq, dropped[-1].seq, rename.seq})
        yield Rebuild(rename.new, seqs, rename.seq)


def left_in_place(steps: Sequence[TableStep], table: str) -> bool:
    """Whether after the steps a table called `table` exists, as far as they say: not when
    the last step naming it drops it or renames it away (none naming it: it stays)."""
    last = None
    for step in steps:
        if step.table == table or step.new == table:
            last = step
    if last is None:
        return True
    return last.kind == CREATE or (last.kind == RENAME and last.new == table)


def rebuilds_undone(
    facts: Facts, downgrade: FunctionBody, done: set[tuple[str, ...]], options: LintOptions
) -> set[int]:
    """The steps of each table the upgrade rebuilds under its own name (lint/table_rebuilds.py:
    dropped and created again, renamed aside and created again, or a copy swapped in), when
    the downgrade changes that table back, in place or by a rebuild of its own, and undoes the
    columns the rebuild adds as far as lint knows them: the rebuild is one change of the table,
    and none of its steps needs an inverse of its own. A downgrade that leaves the table alone,
    or ends by dropping it (none left where the upgrade found one), keeps the findings (round
    r28a; rename-aside rebuilds and raw SQL's renames, round 28)."""
    found = rebuilds(table_steps(facts.module.upgrade))
    if not found:
        return set()
    steps = table_steps(downgrade)
    # the downgrade's own rebuilds' steps: a rename aside outside one leaves a table behind
    own = {seq for other in rebuilds(steps) for seq in other.seqs}
    pairs: set[int] = set()
    for rebuild in found:
        table = rebuild.table
        if not (_changes_in_place(downgrade, table) and left_in_place(steps, table)):
            continue
        if any(s.kind == "rename_table" and s.table == table and s.seq not in own for s in steps):
            continue  # `t` renamed aside and kept: the upgrade's table is still there
        rebuilt_back = any(s.kind == "create_table" and s.table == table for s in steps)
        added = _columns_new_to(facts, rebuild, options)
        if rebuilt_back or all(("drop_column", table, c) in done for c in added):
            pairs |= rebuild.seqs
    return pairs


def _changes_in_place(downgrade: FunctionBody, table: str) -> bool:
    """Whether the downgrade does something to `table` other than dropping it: an operation on
    it (a project helper's included), raw SQL altering or creating it, a rename of it."""
    operations = (*downgrade.operations, *downgrade.helper_operations)
    if any((o.table or "").lower() == table and o.name != "drop_table" for o in operations):
        return True
    return any(
        statement.table == table and statement.kind in (ALTER_TABLE, CREATE_TABLE, RENAME_TABLE)
        for fill in downgrade.fills
        for statement in fill.statements
    ) or any(s.new == table for s in table_steps(downgrade))


def _columns_new_to(facts: Facts, rebuild: Rebuild, options: LintOptions) -> set[str]:
    """The columns the rebuilt table's create_table gives it that the revisions before this one
    never gave it, when they show the table at all (else: none known), and that the upgrade
    does not add one by one (those are checked on their own, under the table's either name)."""
    create = next((op for op in facts.upgrade_ops if op.seq == rebuild.created), None)
    if create is None or create.name != "create_table":
        return set()
    table = rebuild.table
    states = options.history.states
    before = options.position

    def known(column: str) -> bool:
        return any(depth < before for depth, _ in states.get((table, column), ()))

    if not any(key[0] == table and known(key[1]) for key in states):
        return set()  # the history shows nothing of the table's columns: nothing to compare
    added_alone = {
        (c.name or "").lower()
        for op in facts.upgrade_ops
        if op.name == "add_column"
        for c in op.columns
    }
    columns = {(c.name or "").lower() for c in create.columns if c.name}
    return {c for c in columns if not known(c) and c not in added_alone}
