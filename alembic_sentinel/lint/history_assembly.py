"""The history assembled from each revision's part (lint/history.py's facts, read per file).

`history_part` reads what one revision's module states (plain, picklable data, in the module's
order), `revision_history` puts the parts of every revision at their depths in the graph: the
modules may be read in more than one process (lint/shared_work.py) and give the history the
serial reading gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.lint.column_steps import (
    ColumnState,
    column_renames,
    column_states,
    doubted_columns,
)
from alembic_sentinel.lint.copied_values import copied_columns
from alembic_sentinel.lint.declared_references import declared_references
from alembic_sentinel.lint.downgrade_habits import DowngradeHabits, downgrade_kind
from alembic_sentinel.lint.history import (
    ColumnHistory,
    HeaderOnly,
    RevisionHistory,
    column_history,
    table_charsets,
    table_keys,
)
from alembic_sentinel.lint.moved_rows import moved_tables
from alembic_sentinel.lint.name_events import ANY_TABLE, NameEvent, name_events
from alembic_sentinel.lint.named_keys import (
    KeyMade,
    follow_moves,
    follow_table_renames,
    named_keys,
    table_renames,
)
from alembic_sentinel.lint.primary_keys import primary_keys
from alembic_sentinel.lint.revision_model import RevisionModule
from alembic_sentinel.lint.row_fills import filled_for_every_row, tables_written
from alembic_sentinel.lint.table_presence import (
    DROPPED,
    Drops,
    column_fates,
    net_outcomes,
    table_events,
)
from alembic_sentinel.lint.trigger_columns import TriggerRoutine, body_triggers
from alembic_sentinel.lint.written_texts import WrittenText, written_texts


class HistoryPart(NamedTuple):
    """What one revision contributes to the history, read from its module alone (plain,
    picklable data in the module's order): `revision_history` assembles the parts of every
    revision with their depths, so the modules may be read in more than one process."""

    revision_id: str | None
    down_revisions: tuple[str, ...]
    undoing: bool
    columns: tuple[tuple[tuple[str, str], ColumnHistory], ...]
    charsets: tuple[tuple[str, str], ...]
    unique: tuple[tuple[str, tuple[frozenset[str], ...]], ...]
    states: tuple[tuple[tuple[str, str], ColumnState], ...]
    named: tuple[tuple[str, KeyMade], ...]
    table_moves: tuple[tuple[str, str], ...]
    renames: tuple[tuple[tuple[str, str], str], ...]
    copied: tuple[tuple[str, str], ...]
    filled: tuple[tuple[str, str], ...]
    written: tuple[str, ...]
    primary: tuple[tuple[str, frozenset[str]], ...]
    references: tuple[tuple[tuple[str, str], str], ...]
    references_cleared: tuple[str, ...]
    # what its upgrade's raw SQL does to triggers and trigger functions, in order
    triggers: tuple[TriggerRoutine, ...]
    # (table, words) of its drops of the foreign keys a reflection loop's test picks
    references_filtered: tuple[tuple[str, frozenset[str]], ...]
    # the names its upgrade gives and takes from keys and constraints, in order
    name_events: tuple[NameEvent, ...] = ()
    # (table, what its upgrade last did to it: created, dropped, unread) (table_presence)
    table_outcomes: tuple[tuple[str, str], ...] = ()
    # ((table, column), whether its upgrade's last step stating the column dropped it)
    column_fates: tuple[tuple[tuple[str, str], bool | None], ...] = ()
    # the tables whose every row its upgrade copies into other tables (moved_rows)
    moved: tuple[str, ...] = ()
    # its upgrade() is there and does nothing (`pass`): a no-op base, a marker
    empty_upgrade: bool = False
    # ((table, column), whether it is certain) of each column whose nullability its upgrade
    # states: not certain when a step that may not run states it (column_steps.doubted_columns)
    nullability: tuple[tuple[tuple[str, str], bool], ...] = ()
    # ((table, column), text) of each string literal its upgrade writes into a column
    # (written_texts: L307 reads one that does not convert as evidence of such rows)
    texts: tuple[tuple[tuple[str, str], str], ...] = ()


def history_part(module: RevisionModule) -> HistoryPart:
    """The facts one revision's module states, for `revision_history`."""
    declared = declared_references(module)
    states = column_states(module)
    doubted = doubted_columns(module)
    return HistoryPart(
        module.revision_id,
        module.down_revisions,
        downgrade_kind(module) == "undoing",
        tuple(column_history(module).items()),
        tuple(table_charsets(module).items()),
        tuple((table, tuple(made)) for table, made in table_keys(module).items()),
        tuple(states.items()),
        tuple((name, made) for (name, _), made in named_keys(module).items()),
        tuple(table_renames(module)),
        tuple(column_renames(module)),
        tuple(copied_columns(module)),
        tuple(filled_for_every_row(module)),
        tuple(tables_written(module)),
        tuple(primary_keys(module).items()),
        tuple(declared.made.items()),
        tuple(declared.cleared),
        tuple(body_triggers(module.upgrade)),
        tuple(declared.filtered),
        tuple(event for _, event in name_events(module)),
        tuple(net_outcomes(table_events(module))),
        tuple(column_fates(module)),
        tuple(sorted(moved_tables(module))),
        module.upgrade is not None and module.upgrade.empty,
        tuple(
            (key, key not in doubted)
            for key, state in states.items()
            if state.not_null is not None or state.restated
        ),
        texts=_distinct_texts(written_texts(module.upgrade)),
    )


# the most texts kept of one column per revision: evidence needs one that does not convert
_TEXTS_KEPT = 16


def _distinct_texts(
    written: Sequence[WrittenText],
) -> tuple[tuple[tuple[str, str], str], ...]:
    kept: dict[tuple[str, str], list[str]] = {}
    for entry in written:
        texts = kept.setdefault((entry.table, entry.column), [])
        if entry.text not in texts and len(texts) < _TEXTS_KEPT:
            texts.append(entry.text)
    return tuple((key, text) for key, texts in kept.items() for text in texts)


def revision_history(
    parts: Sequence[HistoryPart | None],
    depths: Sequence[int],
    header_only: Sequence[HeaderOnly] = (),
) -> RevisionHistory:
    """The history of the revisions whose `history_part`s are `parts` (None: a file that
    shows no facts), each at its depth in the graph."""
    columns: dict[tuple[str, str], list[tuple[int, ColumnHistory]]] = {}
    charsets: dict[str, list[tuple[int, str]]] = {}
    unique: dict[str, list[tuple[int, frozenset[str]]]] = {}
    states: dict[tuple[str, str], list[tuple[int, ColumnState]]] = {}
    named: dict[str, list[tuple[int, KeyMade]]] = {}
    renames: dict[tuple[str, str], list[tuple[int, str]]] = {}
    copied: dict[tuple[str, str], list[int]] = {}
    moved: dict[str, list[int]] = {}
    filled: dict[tuple[str, str], list[int]] = {}
    written: dict[str, list[int]] = {}
    primary: dict[str, list[tuple[int, frozenset[str]]]] = {}
    references: dict[tuple[str, str], list[tuple[int, str]]] = {}
    references_cleared: dict[str, list[int]] = {}
    triggers: list[tuple[int, tuple[TriggerRoutine, ...]]] = []
    references_filtered: dict[str, list[tuple[int, frozenset[str]]]] = {}
    named_events: dict[str, list[tuple[int, int, tuple[NameEvent, ...]]]] = {}
    table_moves: list[tuple[int, str, str]] = []
    tables: dict[str, list[tuple[int, str]]] = {}
    fates: dict[tuple[str, str], list[tuple[int, bool | None]]] = {}
    column_drops: dict[tuple[str, str], list[tuple[int, str]]] = {}
    table_drops: dict[str, list[tuple[int, str]]] = {}
    nullability: dict[tuple[str, str], list[tuple[int, str, bool]]] = {}
    texts: dict[tuple[str, str], list[tuple[int, str]]] = {}
    undoing: list[int] = []
    quiet: list[int] = []
    for number, (part, depth) in enumerate(zip(parts, depths)):
        if part is None:
            continue
        (undoing if part.undoing else quiet).append(depth)
        for key, seen in part.columns:
            columns.setdefault(key, []).append((depth, seen))
        for table, charset in part.charsets:
            charsets.setdefault(table, []).append((depth, charset))
        for table, made in part.unique:
            unique.setdefault(table, []).extend((depth, key) for key in made)
        for key, state in part.states:
            states.setdefault(key, []).append((depth, state))
        for name, key_made in part.named:
            named.setdefault(name, []).append((depth, key_made))
        table_moves.extend((depth, old, new) for old, new in part.table_moves)
        for renamed, old in part.renames:
            renames.setdefault(renamed, []).append((depth, old))
        for key in part.copied:
            copied.setdefault(key, []).append(depth)
        for table in part.moved:
            moved.setdefault(table, []).append(depth)
        for key in part.filled:
            filled.setdefault(key, []).append(depth)
        for table in part.written:
            written.setdefault(table, []).append(depth)
        for table, columns_of_key in part.primary:
            primary.setdefault(table, []).append((depth, columns_of_key))
        for key, target in part.references:
            references.setdefault(key, []).append((depth, target))
        for table in part.references_cleared:
            references_cleared.setdefault(table, []).append(depth)
        if part.triggers:
            triggers.append((depth, part.triggers))
        for table, words in part.references_filtered:
            references_filtered.setdefault(table, []).append((depth, words))
        for table in {event.table for event in part.name_events}:
            kept = tuple(e for e in part.name_events if e.table in (table, ANY_TABLE))
            named_events.setdefault(table, []).append((depth, number, kept))
        for table, outcome in part.table_outcomes:
            tables.setdefault(table, []).append((depth, outcome))
            if outcome == DROPPED and part.revision_id:
                table_drops.setdefault(table, []).append((depth, part.revision_id))
        for key, certain in part.nullability:
            nullability.setdefault(key, []).append((depth, part.revision_id or "", certain))
        for key, text in part.texts:
            texts.setdefault(key, []).append((depth, text))
        for key, dropped in part.column_fates:
            fates.setdefault(key, []).append((depth, dropped))
            if dropped and part.revision_id:
                column_drops.setdefault(key, []).append((depth, part.revision_id))
    follow_table_renames(named, table_moves)
    follow_moves(states, table_moves, ColumnState(), ColumnState.then)
    return RevisionHistory(
        MappingProxyType({k: tuple(v) for k, v in columns.items()}),
        MappingProxyType({k: tuple(v) for k, v in charsets.items()}),
        MappingProxyType({k: tuple(v) for k, v in unique.items()}),
        DowngradeHabits(tuple(sorted(undoing)), tuple(sorted(quiet))),
        MappingProxyType({k: tuple(v) for k, v in states.items()}),
        frozenset(
            parent
            for part in [*parts, *header_only]
            if part is not None
            for parent in part.down_revisions
            if parent != part.revision_id
        ),
        MappingProxyType({k: tuple(v) for k, v in renames.items()}),
        MappingProxyType({k: tuple(v) for k, v in named.items()}),
        MappingProxyType({k: tuple(v) for k, v in copied.items()}),
        MappingProxyType({k: tuple(v) for k, v in filled.items()}),
        MappingProxyType({k: tuple(v) for k, v in written.items()}),
        MappingProxyType({k: tuple(v) for k, v in primary.items()}),
        MappingProxyType({k: tuple(v) for k, v in references.items()}),
        MappingProxyType({k: tuple(v) for k, v in references_cleared.items()}),
        tuple(triggers),
        MappingProxyType({k: tuple(v) for k, v in references_filtered.items()}),
        MappingProxyType({k: tuple(sorted(v)) for k, v in named_events.items()}),
        MappingProxyType({k: tuple(v) for k, v in tables.items()}),
        MappingProxyType({k: tuple(v) for k, v in fates.items()}),
        # a revision lint could not read (a syntax error, a file too large) may have made any
        # column: no table's whole column list is known then
        all_read=all(part is not None for part in parts) and not header_only,
        lineage=MappingProxyType(
            {p.revision_id: p.down_revisions for p in parts if p is not None and p.revision_id}
        ),
        drops=Drops(
            MappingProxyType({k: tuple(v) for k, v in column_drops.items()}),
            MappingProxyType({k: tuple(v) for k, v in table_drops.items()}),
        ),
        moved=MappingProxyType({k: tuple(v) for k, v in moved.items()}),
        no_ops=frozenset(
            p.revision_id for p in parts if p is not None and p.revision_id and p.empty_upgrade
        ),
        nullability=MappingProxyType({k: tuple(v) for k, v in nullability.items()}),
        texts=MappingProxyType({k: tuple(v) for k, v in texts.items()}),
    )
