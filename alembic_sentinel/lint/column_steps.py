"""What one upgrade's steps leave a column as: NOT NULL or not, computed by the server, with a
server default or not, declared NULL by a MySQL restatement (lint.history keeps it per revision,
lint.column_state reads it step by step). Split from lint.history, which orders the revisions."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from alembic_sentinel.lint.literals import literal_bool, stated_default, string_list, string_value
from alembic_sentinel.lint.named_keys import name_after
from alembic_sentinel.lint.revision_model import DEFAULT_NONE, Operation, RevisionModule
from alembic_sentinel.lint.sql_reader import ALTER_TABLE, read_sql


class ColumnState(NamedTuple):
    """What an upgrade step leaves a column as; None: the step does not say. A dropped column
    is neither NOT NULL nor computed (nothing is left of it)."""

    not_null: bool | None = None
    computed: bool | None = None  # a `sa.Computed` column: the server computes its values
    # a server default: given when created or added (or not: False), set or removed by an
    # alter_column's server_default= (server_default=None removes it; round r28a, L330), or
    # dropped by a restating MODIFY (below; only L330, a MySQL rule, reads it)
    has_default: bool | None = None
    # declared NULL by a MySQL CHANGE/MODIFY that restated the column without its nullability
    # (restating_alter) since the latest step that stated it (False: a step stated it since).
    # Its values are what they were (not_null keeps saying whether rows may hold NULL, L302):
    # only the declaration changed, which L330 reads (round r28, fix28h)
    restated: bool | None = None

    def then(self, later: ColumnState) -> ColumnState:
        """This state with what a later step says put over it."""
        restated = later.restated
        if restated is None:
            restated = self.restated if later.not_null is None else False
        return ColumnState(
            self.not_null if later.not_null is None else later.not_null,
            self.computed if later.computed is None else later.computed,
            self.has_default if later.has_default is None else later.has_default,
            restated,
        )


_GONE = ColumnState(False, False, False, False)


def restating_alter(op: Operation) -> bool:
    """Whether an alter_column is, on MySQL, a CHANGE/MODIFY that restates the whole column
    without its nullability: it changes the type or the name and states neither nullable= nor
    existing_nullable= (Alembic writes the column NULL and, without existing_server_default=,
    without its DEFAULT). A rebuilt batch restates from the reflected table: no MODIFY."""
    return (
        op.name == "alter_column"
        and not op.spread
        and not op.rebuilt
        and any(op.param(p) is not None for p in ("type_", "new_column_name"))
        and all(op.param(p) is None for p in ("nullable", "existing_nullable"))
    )


def column_steps(
    operations: Sequence[Operation],
) -> Iterator[tuple[int, tuple[str, str], ColumnState]]:
    """(seq, (table, column) lowercase, what the step leaves it as) for each upgrade step that
    states something of a column: create_table and add_column (a primary key is NOT NULL, a
    `sa.Computed` column is the server's), alter_column's nullable= / existing_nullable=,
    create_primary_key (MySQL makes a key's columns NOT NULL), drop_column (nothing left), and
    raw ALTER TABLE's columns (raw_column_steps), in the upgrade's order."""
    steps = [*_operation_steps(operations), *raw_column_steps(operations)]
    return iter(sorted(steps, key=lambda step: step[0]))


def _operation_steps(
    operations: Sequence[Operation],
) -> Iterator[tuple[int, tuple[str, str], ColumnState]]:
    for op in operations:
        table = (op.table or "").lower()
        if not table:
            continue
        if op.name in ("create_table", "add_column"):
            primary = {
                c.lower() for k in op.constraints if k.kind == "primary_key" for c in k.columns
            }
            for spec in op.columns:
                if spec.name:
                    not_null = spec.not_null or spec.name.lower() in primary
                    default = spec.server_default not in (None, DEFAULT_NONE)
                    state = ColumnState(not_null, spec.computed, default)
                    yield op.seq, (table, spec.name.lower()), state
        elif op.name == "alter_column":
            column = (op.string("column_name") or "").lower()
            nullable = literal_bool(op.param("nullable"))
            if nullable is None:
                nullable = literal_bool(op.param("existing_nullable"))
            stated = stated_default(op.param("server_default"), op.param("existing_server_default"))
            restating = restating_alter(op)
            if column and (nullable is not None or stated is not None or restating):
                stated_null = None if nullable is None else not nullable
                state = ColumnState(not_null=stated_null, has_default=stated)
                if restating:  # declared NULL, and without a default unless one is stated
                    state = state._replace(restated=True, has_default=bool(stated))
                yield op.seq, (table, column), state
                renamed = (op.string("new_column_name") or "").lower()
                if renamed and renamed != column:
                    # the column goes on under its new name, as the alter leaves it
                    yield op.seq, (table, renamed), state
        elif op.name == "create_primary_key":
            for column in string_list(op.param("columns")) or ():
                yield op.seq, (table, column.lower()), ColumnState(not_null=True)
        elif op.name == "drop_column":
            column = (op.string("column_name") or "").lower()
            if column:
                yield op.seq, (table, column), _GONE


def raw_column_steps(
    operations: Sequence[Operation],
) -> Iterator[tuple[int, tuple[str, str], ColumnState]]:
    """The same for columns added and dropped by raw `ALTER TABLE` in op.execute: a column
    added `GENERATED ALWAYS AS (...)` / `AS (...) STORED` is the server's (computed), as a
    `sa.Computed` one; a dropped one leaves nothing."""
    for op in operations:
        if op.name != "execute":
            continue
        node = op.param("sqltext")
        if type(node) is ast.Call and node.args:
            node = node.args[0]  # sa.text("...")
        text = string_value(node) if node is not None else None
        for statement in read_sql(text) if text else ():
            if statement.kind != ALTER_TABLE or not statement.table:
                continue
            for action in statement.actions:
                if not action.name:
                    continue
                key = (statement.table, action.name.lower())
                if action.kind == "add_column":
                    yield op.seq, key, ColumnState(None, action.generated)
                elif action.kind == "drop_column":
                    yield op.seq, key, _GONE


def column_renames(module: RevisionModule) -> Iterator[tuple[tuple[str, str], str]]:
    """((table, new name), old name), lowercase, of each column the module's upgrade renames."""
    upgrade = module.upgrade
    for op in upgrade.operations if upgrade is not None else ():
        old = (op.string("column_name") or "").lower()
        new = (op.string("new_column_name") or "").lower()
        if op.name == "alter_column" and op.table and old and new and old != new:
            yield (op.table.lower(), new), old


def column_states(module: RevisionModule) -> dict[tuple[str, str], ColumnState]:
    """(table, column) -> what the module's upgrade leaves the column as, for the columns it
    states something of (column_steps)."""
    upgrade = module.upgrade
    operations = upgrade.operations if upgrade is not None else ()
    found: dict[tuple[str, str], ColumnState] = {}
    renames = [op for op in operations if op.name == "rename_table"]  # one pass, not per step
    # seq -> (table, old, new) of the upgrade's column renames
    moved = {
        op.seq: ((op.table or "").lower(), old, new)
        for op in operations
        for old, new in [_renamed(op)]
        if old and new and old != new
    }
    for seq, (table, column), state in column_steps(operations):
        # a column goes with its table when a later step renames it (a primary key made on
        # `role-group`, then rename_table to `role_groups`: role_groups' column is NOT NULL)
        key = (name_after(renames, table, seq), column)
        rename = moved.get(seq)
        if rename is not None and rename[0] == table and rename[2] == column:
            # the renamed column is what the old one was up to the rename, not what a column
            # the upgrade adds later under the old name is (name reuse takes none of its facts)
            old = found.get((key[0], rename[1]))
            if old is not None:
                found[key] = old
        found[key] = found.get(key, ColumnState()).then(state)
    return found


def _renamed(op: Operation) -> tuple[str, str]:
    """(old, new) names, lowercase, of an alter_column renaming a column; ("", "") else."""
    if op.name != "alter_column":
        return "", ""
    return (op.string("column_name") or "").lower(), (op.string("new_column_name") or "").lower()
