"""The indexes and unique keys a revision creates under a name, as lint.history keeps them.

L319 asks what a key dropped by name was (an index or a unique key, over which columns) when
the downgrade restores it by the other call (lint.restored_keys). MySQL names keys per table,
so a name is recorded per table, and a key follows its table through a later `rename_table`
(MySQL's RENAME TABLE keeps the indexes).

Pure: reads the module's upgrade.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple, TypeVar

from alembic_sentinel.lint.literals import literal_bool, string_list
from alembic_sentinel.lint.revision_model import Fill, Operation, RevisionModule


class KeyMade(NamedTuple):
    """An index or unique key a revision creates under a name: its table, whether it is
    unique (a unique constraint or a unique index), its columns when literal."""

    table: str  # lowercase
    unique: bool
    columns: frozenset[str] | None  # lowercase; None: not literal


def named_keys(module: RevisionModule) -> dict[tuple[str, str], KeyMade]:
    """(name, table), lowercase -> the index or unique key the module's upgrade creates under
    that name on that table: create_index (unique= a literal), create_unique_constraint, the
    named UniqueConstraint / Index of a create_table, and the same in raw SQL (a CREATE TABLE's
    `CONSTRAINT n UNIQUE (...)` / `KEY n (...)`, CREATE [UNIQUE] INDEX). The latest creation of
    a name on a table in the upgrade wins; MySQL names keys per table, so one name may be a key
    of several."""
    found: dict[tuple[str, str], KeyMade] = {}
    upgrade = module.upgrade
    if upgrade is None:
        return found
    if any(statement.keys for fill in upgrade.fills for statement in fill.statements):
        found.update(_sql_keys(upgrade.fills))
    for op in upgrade.operations:
        table = (op.table or "").lower()
        if not table:
            continue
        if op.name == "create_table":
            for constraint in op.constraints:
                if constraint.name and constraint.kind in ("unique", "index"):
                    unique = constraint.kind == "unique" or constraint.unique
                    declared = frozenset(c.lower() for c in constraint.columns)
                    key = (constraint.name.lower(), table)
                    found[key] = KeyMade(table, unique, declared or None)
            continue
        name = op.string("index_name") or op.string("constraint_name")
        if not name or op.name not in ("create_index", "create_unique_constraint"):
            continue
        unique_node = op.param("unique")
        unique = op.name == "create_unique_constraint" or (
            literal_bool(unique_node) is True if unique_node is not None else False
        )
        if unique_node is not None and literal_bool(unique_node) is None:
            continue  # unique= given as a value lint cannot read
        listed = string_list(op.param("columns"))
        found[(name.lower(), table)] = KeyMade(
            table, unique, frozenset(c.lower() for c in listed) if listed is not None else None
        )
    return found


def _sql_keys(fills: Sequence[Fill]) -> dict[tuple[str, str], KeyMade]:
    """The named keys the raw SQL of `fills` creates (SqlStatement.keys), each on its table.
    Read before the upgrade's `op.*` calls, which win for a name both create."""
    found: dict[tuple[str, str], KeyMade] = {}
    for fill in fills:
        for statement in fill.statements:
            if statement.table is None:
                continue
            for key in statement.keys:
                made = KeyMade(statement.table, key.unique, frozenset(key.columns))
                found[(key.name, statement.table)] = made
    return found


def table_renames(module: RevisionModule) -> Iterator[tuple[str, str]]:
    """(old, new), lowercase, of each table the module's upgrade renames (op.rename_table)."""
    upgrade = module.upgrade
    for op in upgrade.operations if upgrade is not None else ():
        new = (op.string("new_table_name") or "").lower()
        if op.name == "rename_table" and op.table and new and new != op.table.lower():
            yield op.table.lower(), new


def name_after(operations: Sequence[Operation], table: str, seq: int) -> str:
    """The name (lowercase) the table goes by once the rename_table steps after `seq` ran."""
    for op in operations:
        new = (op.string("new_table_name") or "").lower()
        if op.name == "rename_table" and op.seq > seq and (op.table or "").lower() == table and new:
            table = new
    return table


def follow_table_renames(
    named: dict[str, list[tuple[int, KeyMade]]], moves: Sequence[tuple[int, str, str]]
) -> None:
    """A key goes with its table when a later revision renames the table (MySQL's RENAME TABLE
    keeps its indexes): recorded again on the new name, at the rename's depth."""
    for depth, old, new in sorted(moves):
        for facts in named.values():
            facts.extend(
                [
                    (depth, made._replace(table=new))
                    for d, made in facts
                    if d < depth and made.table == old
                ]
            )


State = TypeVar("State")


def follow_moves(
    states: dict[tuple[str, str], list[tuple[int, State]]],
    moves: Sequence[tuple[int, str, str]],
    empty: State,
    then: Callable[[State, State], State],
) -> None:
    """A column's state goes with its table when a later revision renames the table: what the
    revisions before the rename left it as (their states stacked by `then`, oldest first) is
    recorded again on the new name at the rename's depth, before what the renaming revision
    itself says of the column there (round r28a)."""
    for depth, old, new in sorted(moves):
        for (table, column), facts in list(states.items()):
            # oldest first; a stable sort keeps one depth's facts in the order recorded
            earlier = [s for d, s in sorted(facts, key=lambda fact: fact[0]) if d < depth]
            if table != old or not earlier:
                continue
            state = empty
            for step in earlier:
                state = then(state, step)
            moved = states.setdefault((new, column), [])
            own = [i for i, (d, _) in enumerate(moved) if d == depth]
            for i in own:
                moved[i] = (depth, then(state, moved[i][1]))
            if not own:
                moved.append((depth, state))
