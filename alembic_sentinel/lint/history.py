"""What the revisions linted together show of tables and columns, in revision-graph order.

One revision alone rarely shows what a column or table already is: that a column is NOT NULL
(L330), which character set a table was created with (L312, L314), which keys make it unique
(L309). The revisions linted together do (a whole history with `--all`). Each fact is kept with
the depth of the revision that states it in the graph (`down_revision`), and a revision is judged
only by facts of revisions before it: a key a later revision adds does not make an earlier one
safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple, Optional, Protocol, TypeVar

from alembic_sentinel.lint.column_steps import ColumnState as ColumnState
from alembic_sentinel.lint.column_steps import certain_statement
from alembic_sentinel.lint.declared_references import filtered_clear_fits
from alembic_sentinel.lint.downgrade_habits import DowngradeHabits
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import (
    is_none,
    literal_bool,
    string_list,
    string_value,
)
from alembic_sentinel.lint.name_events import NameEvent
from alembic_sentinel.lint.named_keys import (
    KeyMade,
)
from alembic_sentinel.lint.raw_not_nulls import raw_not_nulls
from alembic_sentinel.lint.revision_model import (
    DEFAULT_NONE,
    Operation,
    RevisionModule,
    TypeSpec,
)
from alembic_sentinel.lint.table_presence import (
    DROPPED,
    Drops,
    column_absent,
    dropped_for_good,
    table_state,
)
from alembic_sentinel.lint.trigger_columns import TriggerRoutine

# utf8mb4, the default character set of MySQL 8.0 and of SQLAlchemy's MySQL URLs in the guide
BYTES_PER_CHAR = 4
# the most bytes a character takes in the character sets a table may be declared with
CHARSET_BYTES: Mapping[str, int] = MappingProxyType(
    {"utf8mb4": 4, "utf8mb3": 3, "utf8": 3, "latin1": 1, "ascii": 1, "ucs2": 2, "utf16": 4}
)
# a table's character set, as the MySQL dialect reads create_table's keywords: a dialect prefix
# (lowercase, as SQLAlchemy finds the dialect by it), then an option name in any letter case
# (the dialect upper-cases it: `mysql_CHARSET=`, `mysql_Default_Charset=`, round 32)
_CHARSET_PREFIXES = ("mysql_", "mariadb_")
_CHARSET_OPTIONS = frozenset(
    {"CHARSET", "DEFAULT_CHARSET", "CHARACTER_SET", "DEFAULT_CHARACTER_SET"}
)
_SQL_CHARSET = LazyPattern(
    r"\b(?:CREATE|ALTER)\s+TABLE\s+[`\"]?(\w+)[`\"]?.*?\b(?:CHARSET|CHARACTER\s+SET)\s*=?\s*(\w+)",
    re.IGNORECASE | re.DOTALL,
)


def table_keys(module: RevisionModule) -> dict[str, set[frozenset[str]]]:
    """table (lowercase) -> the column sets (lowercase) the module's upgrade makes unique:
    create_table's primary key, unique constraints, unique indexes and unique columns,
    create_primary_key, create_unique_constraint, create_index(unique=True)."""
    found: dict[str, set[frozenset[str]]] = {}
    upgrade = module.upgrade
    for op in upgrade.operations if upgrade is not None else ():
        table = (op.table or "").lower()
        if not table:
            continue
        keys = found.setdefault(table, set())
        if op.name in ("create_table", "add_column"):
            primary = {c.name.lower() for c in op.columns if c.primary_key and c.name}
            if primary:
                keys.add(frozenset(primary))
            keys.update(frozenset({c.name.lower()}) for c in op.columns if c.unique and c.name)
            for constraint in op.constraints:
                unique = constraint.kind in ("unique", "primary_key") or constraint.unique
                if unique and constraint.columns:
                    keys.add(frozenset(c.lower() for c in constraint.columns))
        elif op.name in ("create_primary_key", "create_unique_constraint") or (
            op.name == "create_index" and literal_bool(op.param("unique")) is True
        ):
            columns = string_list(op.param("columns"))
            if columns:
                keys.add(frozenset(c.lower() for c in columns))
    return {table: keys for table, keys in found.items() if keys}


def table_charsets(module: RevisionModule) -> dict[str, str]:
    """table (lowercase) -> the character set the module declares it with: create_table's
    mysql_charset= / mysql_default_charset= / mysql_character_set= (mariadb_ too; the option
    in any letter case), or CHARSET= / CHARACTER SET in raw SQL."""
    found: dict[str, str] = {}
    for op in _operations(module):
        if op.name == "create_table" and op.table:
            for keyword, value in op.keywords.items():
                if _charset_keyword(keyword):
                    charset = string_value(value)
                    if charset:
                        found[op.table.lower()] = charset.lower()
    upgrade = module.upgrade
    for fill in upgrade.fills if upgrade is not None else ():
        if fill.sql and "char" in fill.sql.lower():
            for match in _SQL_CHARSET.finditer(fill.sql):
                found[match.group(1).lower()] = match.group(2).lower()
    return found


def _charset_keyword(keyword: str) -> bool:
    """Whether a create_table keyword gives the table's character set on MySQL/MariaDB."""
    return any(
        keyword.startswith(prefix) and keyword[len(prefix) :].upper() in _CHARSET_OPTIONS
        for prefix in _CHARSET_PREFIXES
    )


class ColumnHistory(NamedTuple):
    """What some revision shows of a column: NOT NULL somewhere, a server default somewhere."""

    not_null: bool = False
    has_default: bool = False

    def merged(self, other: ColumnHistory) -> ColumnHistory:
        return ColumnHistory(self.not_null or other.not_null, self.has_default or other.has_default)


_NOTHING_SEEN = ColumnHistory()


def column_history(module: RevisionModule) -> dict[tuple[str, str], ColumnHistory]:
    """(table, column) -> NOT NULL / default as the module's operations state them: the columns
    of create_table / add_column, alter_column's nullable=False, existing_nullable=False,
    server_default= and existing_server_default=, and raw SQL's MODIFY / CHANGE ... NOT NULL."""
    found: dict[tuple[str, str], ColumnHistory] = {}

    def note(table: str | None, column: str | None, not_null: bool, default: bool) -> None:
        if table and column and (not_null or default):
            key = (table.lower(), column.lower())
            found[key] = found.get(key, _NOTHING_SEEN).merged(ColumnHistory(not_null, default))

    for op in _operations(module):
        for spec in op.columns:
            default = spec.server_default not in (None, DEFAULT_NONE)
            note(op.table, spec.name, spec.nullable is False, default)
        if op.name == "alter_column":
            not_null = any(
                literal_bool(op.param(p)) is False for p in ("nullable", "existing_nullable")
            )
            default = any(
                op.param(p) is not None and not is_none(op.param(p))
                for p in ("server_default", "existing_server_default")
            )
            note(op.table, op.string("column_name"), not_null, default)
            note(op.table, op.string("new_column_name"), not_null, default)
    for body in (module.upgrade, module.downgrade):
        # raw SQL's MODIFY / CHANGE ... NOT NULL states it as nullable=False does (issue 20)
        for stand_in in raw_not_nulls(body.operations if body is not None else ()):
            note(stand_in.table, stand_in.string("column_name"), True, False)
            note(stand_in.table, stand_in.string("new_column_name"), True, False)
    return found


def _operations(module: RevisionModule) -> Iterator[Operation]:
    for body in (module.upgrade, module.downgrade):
        if body is not None:
            yield from body.operations


class RevisionHistory(NamedTuple):
    """Facts of the revisions linted together, each with the graph depth of its revision."""

    columns: Mapping[tuple[str, str], tuple[tuple[int, ColumnHistory], ...]] = MappingProxyType({})
    charsets: Mapping[str, tuple[tuple[int, str], ...]] = MappingProxyType({})
    unique: Mapping[str, tuple[tuple[int, frozenset[str]], ...]] = MappingProxyType({})
    # the depths of the revisions whose downgrade() undoes something, and of the others
    downgrades: DowngradeHabits = DowngradeHabits()
    # (table, column) -> what each revision's upgrade leaves it as (column_states)
    states: Mapping[tuple[str, str], tuple[tuple[int, ColumnState], ...]] = MappingProxyType({})
    # the ids of the revisions another revision linted with them names as its down_revision:
    # released revisions something was built on, not heads still being written
    revised: frozenset[str] = frozenset()
    # (table, column) -> (depth, the column's name before) of each revision renaming a column to it
    renames: Mapping[tuple[str, str], tuple[tuple[int, str], ...]] = MappingProxyType({})
    # index or unique key name -> what each revision's upgrade created under it (named_keys)
    named: Mapping[str, tuple[tuple[int, KeyMade], ...]] = MappingProxyType({})
    # (table, column) -> the depths of the revisions whose upgrade copied its values elsewhere
    copied: Mapping[tuple[str, str], tuple[int, ...]] = MappingProxyType({})
    # (table, column) -> the depths of the revisions whose upgrade filled it in every row, and
    # table ("" for one lint cannot name) -> the depths of those writing its rows at all
    filled: Mapping[tuple[str, str], tuple[int, ...]] = MappingProxyType({})
    written: Mapping[str, tuple[int, ...]] = MappingProxyType({})
    # table -> (depth, the primary key's columns) each revision's upgrade leaves it with
    primary: Mapping[str, tuple[tuple[int, frozenset[str]], ...]] = MappingProxyType({})
    # (table, column) -> (depth, "table.column") of each revision leaving a foreign key from
    # the column declared, and table ("" for one lint cannot name) -> the depths of those
    # dropping foreign keys of it (declared_references)
    references: Mapping[tuple[str, str], tuple[tuple[int, str], ...]] = MappingProxyType({})
    references_cleared: Mapping[str, tuple[int, ...]] = MappingProxyType({})
    # (depth, what its upgrade's raw SQL does to triggers and trigger functions, in order) of
    # each revision that creates or drops one (trigger_columns)
    triggers: tuple[tuple[int, tuple[TriggerRoutine, ...]], ...] = ()
    # table -> (depth, words) of each revision dropping those of its foreign keys a reflection
    # loop's test of their columns picks (declared_references.filtered_clear_fits)
    references_filtered: Mapping[str, tuple[tuple[int, frozenset[str]], ...]] = MappingProxyType({})
    # table -> (depth, the revision's number, what its upgrade does to the table's names and
    # to every table's, in order) of each revision naming the table; "" -> those of the
    # revisions that do something to every table's names (name_events)
    name_events: Mapping[str, tuple[tuple[int, int, tuple[NameEvent, ...]], ...]] = (
        MappingProxyType({})
    )
    # table (table_presence.ANY_TABLE: any) -> (depth, what each revision's upgrade last did
    # to it: created with the columns lint read, dropped, or something lint cannot follow)
    tables: Mapping[str, tuple[tuple[int, str], ...]] = MappingProxyType({})
    # (table, column) -> (depth, whether each revision stating it left it dropped)
    fates: Mapping[tuple[str, str], tuple[tuple[int, bool | None], ...]] = MappingProxyType({})
    # every revision file was read (none lint could not parse or read)
    all_read: bool = False
    # revision id -> its down_revisions, and the ids of the revisions dropping each column and
    # table (L342 asks whether an ancestor did)
    lineage: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    drops: Drops = Drops()

    def column_absent(self, table: str, column: str, before: int) -> str | None:
        """Why the revisions before depth `before` leave no such column on the table: dropped
        and not made again, or never made on a table whose columns lint knows; None: it may
        be there (table_presence.column_absent)."""
        key = (table.lower(), column.lower())
        renamed = any(d < before for d, _ in self.renames.get(key, ()))
        fates = self.fates.get(key, ())
        return column_absent(fates, self.tables, renamed, key[0], before, self.all_read)

    def dropped_for_good(self, table: str, column: str | None, revision: str) -> str | None:
        """The id of an ancestor of `revision` that dropped the column (the table, when
        `column` is None), when no revision of the history, before or after it on any branch,
        made it again or did to the table what lint cannot follow since (table_presence)."""
        return dropped_for_good(self, table, column, revision)

    def table_state(self, table: str, before: int) -> str | None:
        """What the revisions before depth `before` leave the table as: created (with the
        columns lint read), dropped, or None (not known)."""
        return table_state(self.tables, table, before)[0]

    def table_never_made(self, table: str, before: int) -> bool:
        """Whether no revision before depth `before` touched the table at all (nor did
        anything lint cannot name the table of): a history-built database has no such table."""
        return table_state(self.tables, table, before) == (None, -1)

    def table_dropped(self, table: str, before: int) -> bool:
        """Whether the latest revisions before depth `before` touching the table dropped it
        (and nothing lint cannot follow made it again since)."""
        return table_state(self.tables, table, before)[0] == DROPPED

    # table -> the depths of the revisions whose upgrade copied its every row into other
    # tables (moved_rows: the expand step of a split whose contract step drops the table)
    moved: Mapping[str, tuple[int, ...]] = MappingProxyType({})
    # the ids of the revisions whose upgrade() does nothing (`pass`)
    no_ops: frozenset[str] = frozenset()
    # (table, column) -> (depth, revision id, whether certain) of each revision whose upgrade
    # states the column's nullability (history_assembly.HistoryPart.nullability)
    nullability: Mapping[tuple[str, str], tuple[tuple[int, str, bool], ...]] = MappingProxyType({})
    # (table, column) -> (depth, text) of each literal string an upgrade writes (written_texts)
    texts: Mapping[tuple[str, str], tuple[tuple[int, str], ...]] = MappingProxyType({})

    def texts_before(self, table: str, column: str, before: int) -> list[str]:
        """The string literals the revisions before depth `before` write into the column."""
        return [t for d, t in self.texts.get((table.lower(), column.lower()), ()) if d < before]

    def nullability_stated_by(self, table: str, column: str, before: int) -> tuple[str, ...]:
        """column_steps.certain_statement of the revisions before depth `before`."""
        stated = self.nullability.get((table.lower(), column.lower()), ())
        return certain_statement([entry for entry in stated if entry[0] < before])

    def types_before(self, table: str, column: str, before: int) -> list[TypeSpec]:
        """Every type the revisions before depth `before` gave the column under this name (a
        type stated by create_table, add_column or an alter_column's type_=), in no order."""
        key = (table.lower(), column.lower())
        return [
            s.column_type
            for d, s in self.states.get(key, ())
            if d < before and s.column_type is not None and s.column_type.family
        ]

    def column(self, table: str, column: str, upto: int) -> ColumnHistory:
        """What the revisions up to depth `upto` (the revision itself included) show."""
        seen = _NOTHING_SEEN
        for depth, fact in self.columns.get((table.lower(), column.lower()), ()):
            if depth <= upto:
                seen = seen.merged(fact)
        return seen

    def state_before(
        self, table: str, column: str, before: int, seen: frozenset[str] = frozenset()
    ) -> ColumnState:
        """What the revisions before depth `before` leave the column as, each part from the
        latest revision that states it. Revisions at the same depth are branches lint cannot
        order: a part holds only when all of them agree (NOT NULL on one branch, nullable on
        another: not known). A column no revision states NOT NULL or nullable under its name,
        but that an earlier revision renamed from another, is what that one was then."""
        key = (table.lower(), column.lower())
        facts = [(d, s) for d, s in self.states.get(key, ()) if d < before]
        state = ColumnState(
            _latest([(d, s.not_null) for d, s in facts]),
            _latest([(d, s.computed) for d, s in facts]),
            _latest([(d, s.has_default) for d, s in facts]),
            _latest([(d, s.column_type) for d, s in facts]),
        )
        # an existing_type= stated since the latest revision giving the column a type
        typed = max((d for d, s in facts if s.column_type is not None), default=-1)
        state = state._replace(
            restated=_latest([(d, s.restated) for d, s in facts]),
            auto_increment=_latest([(d, s.auto_increment) for d, s in facts]),
            stated_type=_latest([(d, s.stated_type) for d, s in facts if d >= typed]),
        )
        renames = [(d, old) for d, old in self.renames.get(key, ()) if d < before]
        if state.not_null is not None or not renames or key[1] in seen:
            return state
        depth, old = max(renames)
        # what the old column was before the renaming revision: what that revision said of it
        # before the rename went with the new name (column_states), and a column it adds
        # again under the old name afterwards is another one (round r28, fix28h)
        earlier = self.state_before(table, old, depth, seen | {key[1]})
        restated = earlier.restated if state.restated is None else state.restated
        return state._replace(not_null=earlier.not_null, restated=restated)

    def charset(self, table: str, upto: int) -> str | None:
        """The character set the latest revision up to depth `upto` declares the table with."""
        facts = [(d, c) for d, c in self.charsets.get(table.lower(), ()) if d <= upto]
        return max(facts)[1] if facts else None

    def key_named(self, name: str, before: int, table: str | None = None) -> KeyMade | None:
        """What the latest revision before depth `before` created under the index or key name
        (on `table`, when given: MySQL names keys per table); None when none did, or revisions
        at that depth (branches, or tables when none is given) disagree."""
        facts = [
            (d, made)
            for d, made in self.named.get(name.lower(), ())
            if d < before and (table is None or made.table == table.lower())
        ]
        if not facts:
            return None
        deepest = max(d for d, _ in facts)
        made = {m for d, m in facts if d == deepest}
        return made.pop() if len(made) == 1 else None

    def copied_before(self, table: str, column: str, before: int) -> bool:
        """Whether a revision before depth `before` copied the column's values into another
        place (the expand step of an expand/contract split; this one drops what it copied)."""
        return any(d < before for d in self.copied.get((table.lower(), column.lower()), ()))

    def moved_before(self, table: str, before: int) -> bool:
        """Whether a revision before depth `before` copied every row of the table into other
        tables (moved_rows), and no revision between wrote rows of the table: rows added or
        changed after the copy would be lost with the table."""
        key = table.lower()
        copies = [d for d in self.moved.get(key, ()) if d < before]
        if not copies:
            return False
        since = max(copies)
        return not any(since < d < before for d in self.written.get(key, ()))

    def filled_before(self, table: str, column: str, before: int) -> bool:
        """Whether a revision before depth `before` filled the column in every row (row_fills)
        and nothing after it could have left a NULL there again: no revision between writes
        the table's rows (an INSERT without the column, an UPDATE setting NULL: any write is
        taken as one), writes rows of a table lint cannot name, or states something of the
        column (drops it, adds it again, alters it)."""
        key = (table.lower(), column.lower())
        fills = [d for d in self.filled.get(key, ()) if d < before]
        if not fills:
            return False
        since = max(fills)
        later = (*self.written.get(key[0], ()), *self.written.get("", ()))
        later += tuple(d for d, _ in self.states.get(key, ()))
        return not any(since < d < before for d in later)

    def loosened_with_default(self, table: str, column: str, before: int) -> bool:
        """Whether the latest revision before depth `before` stating the column's nullability
        made a NOT NULL column nullable while keeping its server default (an autogenerated type
        sync saying nullable=True, existing_server_default=...), and nothing since could have
        put a NULL there: the rows from before held values, and a row inserted since without
        the column got the default. No revision between writes the table's rows (an UPDATE may
        set NULL), and none states the column's default or nullability again (round r37)."""
        key = (table.lower(), column.lower())
        facts = [(d, s) for d, s in self.states.get(key, ()) if d < before]
        stated = [(d, s) for d, s in facts if s.not_null is not None]
        if not stated or _latest([(d, s.not_null) for d, s in stated]) is not False:
            return False
        loosened = max(d for d, _ in stated)
        earlier = [(d, s.not_null) for d, s in stated if d < loosened]
        if _latest(earlier) is not True and not all(s.loosened for d, s in stated if d == loosened):
            return False  # nullable from the start, or not known: NULLs may be there
        if {s.has_default for d, s in facts if d == loosened} != {True}:
            return False  # the loosening step did not say the default stays
        if any(d > loosened for d, _ in facts):
            return False  # a later revision changed the column again
        later = (*self.written.get(key[0], ()), *self.written.get("", ()))
        return not any(loosened <= d < before for d in later)

    def primary_key(self, table: str, before: int) -> frozenset[str] | None:
        """The primary key's columns the latest revision before depth `before` that states one
        leaves the table with (empty: it dropped it); None when none does, or revisions at that
        depth (branches) disagree."""
        facts = [(d, key) for d, key in self.primary.get(table.lower(), ()) if d < before]
        if not facts:
            return None
        deepest = max(d for d, _ in facts)
        keys = {key for d, key in facts if d == deepest}
        return keys.pop() if len(keys) == 1 else None

    def refers_before(self, table: str, column: str, before: int) -> frozenset[str]:
        """The "table.column"s a foreign key from the column refers to as the revisions before
        depth `before` leave it: declared by one, and no later one dropped the table's foreign
        keys without declaring it again."""
        key = (table.lower(), column.lower())
        drops = self.references_cleared
        cleared = [d for d in (*drops.get(key[0], ()), *drops.get("", ())) if d < before]
        latest: dict[str, int] = {}
        for depth, target in self.references.get(key, ()):
            if depth < before:
                latest[target] = max(depth, latest.get(target, depth))
        last_clear = max(cleared, default=-1)
        filtered = [
            (d, words) for d, words in self.references_filtered.get(key[0], ()) if d < before
        ]
        others: frozenset[str] = frozenset()
        if filtered:
            # the columns of the table's other foreign keys, which a test may pick them by
            others = frozenset(
                part
                for (table, column), made in self.references.items()
                if table == key[0] and column != key[1]
                for _, target in made
                for part in (column, target.partition(".")[2])
            )
        return frozenset(
            t
            for t, depth in latest.items()
            if depth >= last_clear
            and not any(
                d > depth and filtered_clear_fits(words, key[1], t, others) for d, words in filtered
            )
        )

    def trigger_routines(self, before: int) -> list[TriggerRoutine]:
        """What the revisions before depth `before` did to triggers, shallower ones first."""
        ordered = sorted((d, i) for i, (d, _) in enumerate(self.triggers) if d < before)
        return [routine for _, i in ordered for routine in self.triggers[i][1]]

    def keys(self, table: str, before: int) -> list[frozenset[str]]:
        """The unique keys revisions before depth `before` made (a revision's own keys cannot
        vouch for it)."""
        return [key for depth, key in self.unique.get(table.lower(), ()) if depth < before]


EMPTY_HISTORY = RevisionHistory()


_Fact = TypeVar("_Fact")


def _latest(facts: Sequence[tuple[int, _Fact | None]]) -> _Fact | None:
    """The value the deepest revisions stating one give, when they agree; else None."""
    stated = [(d, v) for d, v in facts if v is not None]
    if not stated:
        return None
    deepest = max(d for d, _ in stated)
    values = {v for d, v in stated if d == deepest}
    return values.pop() if len(values) == 1 else None


class HeaderOnly(NamedTuple):
    """A revision lint places in the graph without reading its operations: a file too large to
    parse, placed from its header (F208). Its children follow it; it shows no facts."""

    revision_id: str | None
    down_revisions: tuple[str, ...]


class GraphPlaced(Protocol):
    """What places a revision in the graph: a module, its history part, a header."""

    @property
    def revision_id(self) -> str | None: ...

    @property
    def down_revisions(self) -> tuple[str, ...]: ...


GraphNode = Optional[GraphPlaced]


def graph_depths(modules: Sequence[GraphNode]) -> list[int]:
    """Each module's depth in the revision graph its `revision` / `down_revision` draw (a parent
    outside the set counts as the base): a revision's ancestors are all shallower."""
    index = {m.revision_id: i for i, m in enumerate(modules) if m is not None and m.revision_id}
    children: dict[int, list[int]] = {}
    waiting = [0] * len(modules)
    for i, module in enumerate(modules):
        for parent in module.down_revisions if module is not None else ():
            if parent in index and index[parent] != i:
                children.setdefault(index[parent], []).append(i)
                waiting[i] += 1
    depths = [0] * len(modules)
    ready = [i for i, count in enumerate(waiting) if count == 0]
    while ready:  # Kahn's order: every parent before its children, no recursion
        current = ready.pop()
        for child in children.get(current, ()):
            depths[child] = max(depths[child], depths[current] + 1)
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return depths
