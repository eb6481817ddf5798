"""A column's type changed by renaming it aside (L319, round 32): the old column renamed
(`alter_column("post", "flags", new_column_name="oldflags")`), a new one added under the old
name, the values copied, the renamed one dropped. A downgrade that does the same back renames
the new column aside and drops it, and adds one of the old type under the name.

Read one step at a time, the upgrade adds `flags` and drops `oldflags`, and the downgrade drops
`oldflags` and adds `flags`: no step finds its inverse by name. Followed through the renames of
its own function, each column is what it was between the two functions: the downgrade's drop
of `oldflags` drops the `flags` the upgrade added (its name when the downgrade began), and its
add of `flags` gives back the column the upgrade dropped (`flags` when the upgrade began).
Renames are alter_column's `new_column_name` and raw SQL's `RENAME COLUMN` / `CHANGE`.
"""

from __future__ import annotations

from collections.abc import Iterator

from alembic_sentinel.lint.revision_model import FunctionBody

# (seq, table, old name, new name), lowercase
Rename = tuple[int, str, str, str]
# (seq, "add_column" / "drop_column", table, column), lowercase
ColumnStep = tuple[int, str, str, str]


def column_renames(body: FunctionBody) -> list[Rename]:
    """Each column the function renames, in operations and raw SQL."""
    found: list[Rename] = []
    for op in body.operations:
        old, new = op.string("column_name"), op.string("new_column_name")
        if op.name == "alter_column" and op.table and old and new and old.lower() != new.lower():
            found.append((op.seq, op.table.lower(), old.lower(), new.lower()))
    for fill in body.fills:
        for statement in fill.statements:
            for action in statement.actions:
                old, new = action.name, action.new_name
                renamed = action.kind in ("rename_column", "change_column")
                if renamed and statement.table and old and new and old != new:
                    found.append((fill.seq, statement.table, old, new))
    return sorted(found)


def _column_steps(body: FunctionBody, raw: bool) -> Iterator[ColumnStep]:
    """The function's add_column and drop_column operations (with `raw`, its raw SQL's too)."""
    for op in body.operations:
        table = (op.table or "").lower()
        if op.name == "add_column" and table:
            for column in op.columns:
                if column.name:
                    yield (op.seq, "add_column", table, column.name.lower())
        elif op.name == "drop_column" and table:
            column_name = op.string("column_name")
            if column_name:
                yield (op.seq, "drop_column", table, column_name.lower())
    for fill in body.fills if raw else ():
        for statement in fill.statements:
            for action in statement.actions:
                kind = action.kind
                if kind in ("add_column", "drop_column") and statement.table and action.name:
                    yield (fill.seq, kind, statement.table, action.name)


def _at_start(renames: list[Rename], table: str, column: str, seq: int) -> str:
    """The name the column called `column` at step `seq` had when the function began."""
    for at, on, old, new in reversed(renames):
        if at < seq and on == table and new == column:
            column = old
    return column


def _at_end(renames: list[Rename], table: str, column: str, seq: int) -> str:
    """The name the column called `column` at step `seq` has when the function ends."""
    for at, on, old, new in renames:
        if at > seq and on == table and old == column:
            column = new
    return column


def swaps_undone(upgrade: FunctionBody | None, downgrade: FunctionBody) -> set[int]:
    """The upgrade's add_column and drop_column steps the downgrade undoes once the renames of
    both functions are followed (see above): a column the upgrade leaves under a name that
    the downgrade drops under whatever it renames it to, a column the upgrade drops under a
    name it had at the start that the downgrade adds back under that name. Only with a
    rename in either function; without one, names pair directly (downgrade_rules)."""
    if upgrade is None:
        return set()
    up_renames, down_renames = column_renames(upgrade), column_renames(downgrade)
    if not up_renames and not down_renames:
        return set()
    dropped_back: set[tuple[str, str]] = set()  # (table, name between the two functions)
    added_back: set[tuple[str, str]] = set()
    for seq, kind, table, column in _column_steps(downgrade, raw=True):
        if kind == "drop_column":
            dropped_back.add((table, _at_start(down_renames, table, column, seq)))
        else:
            added_back.add((table, _at_end(down_renames, table, column, seq)))
    undone: set[int] = set()
    for seq, kind, table, column in _column_steps(upgrade, raw=False):
        if kind == "add_column" and (table, _at_end(up_renames, table, column, seq)) in (
            dropped_back
        ):
            undone.add(seq)
        elif kind == "drop_column" and (table, _at_start(up_renames, table, column, seq)) in (
            added_back
        ):
            undone.add(seq)
    # a rename aside whose column the upgrade drops later: nothing of it outlives the drop,
    # which the downgrade undoes
    for op in upgrade.operations:
        renamed = (op.string("new_column_name") or "").lower()
        table = (op.table or "").lower()
        if op.name != "alter_column" or not renamed or not table:
            continue
        if any(
            kind == "drop_column"
            and at > op.seq
            and on == table
            and column == renamed
            and at in undone
            for at, kind, on, column in _column_steps(upgrade, raw=False)
        ):
            undone.add(op.seq)
    return undone
