"""What the revisions linted together show of tables and columns, in revision-graph order.

One revision alone rarely shows what a column or table already is: that a column is NOT NULL
(L330), which character set a table was created with (L312, L314), which keys make it unique
(L309). The revisions linted together do (a whole history with `--all`). Each fact is kept with
the depth of the revision that states it in the graph (`down_revision`), and a revision is judged
only by facts of revisions before it: a key a later revision adds does not make an earlier one
safe.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple, Union

from alembic_sentinel.lint.copied_values import copied_columns
from alembic_sentinel.lint.literals import (
    is_none,
    literal_bool,
    stated_default,
    string_list,
    string_value,
)
from alembic_sentinel.lint.named_keys import (
    KeyMade,
    follow_moves,
    follow_table_renames,
    name_after,
    named_keys,
    table_renames,
)
from alembic_sentinel.lint.revision_model import DEFAULT_NONE, Operation, RevisionModule
from alembic_sentinel.lint.row_fills import filled_for_every_row, tables_written
from alembic_sentinel.lint.sql_reader import ALTER_TABLE, read_sql

# utf8mb4, the default character set of MySQL 8.0 and of SQLAlchemy's MySQL URLs in the guide
BYTES_PER_CHAR = 4
# the most bytes a character takes in the character sets a table may be declared with
CHARSET_BYTES: Mapping[str, int] = MappingProxyType(
    {"utf8mb4": 4, "utf8mb3": 3, "utf8": 3, "latin1": 1, "ascii": 1, "ucs2": 2, "utf16": 4}
)
_CHARSET_KEYWORDS = (
    "mysql_charset",
    "mysql_default_charset",
    "mariadb_charset",
    "mariadb_default_charset",
)
_SQL_CHARSET = re.compile(
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
    mysql_charset= / mysql_default_charset=, or CHARSET= / CHARACTER SET in raw SQL."""
    found: dict[str, str] = {}
    for op in _operations(module):
        if op.name == "create_table" and op.table:
            for keyword in _CHARSET_KEYWORDS:
                charset = string_value(op.keywords[keyword]) if keyword in op.keywords else None
                if charset:
                    found[op.table.lower()] = charset.lower()
    upgrade = module.upgrade
    for fill in upgrade.fills if upgrade is not None else ():
        if fill.sql and "char" in fill.sql.lower():
            for match in _SQL_CHARSET.finditer(fill.sql):
                found[match.group(1).lower()] = match.group(2).lower()
    return found


class ColumnHistory(NamedTuple):
    """What some revision shows of a column: NOT NULL somewhere, a server default somewhere."""

    not_null: bool = False
    has_default: bool = False

    def merged(self, other: ColumnHistory) -> ColumnHistory:
        return ColumnHistory(self.not_null or other.not_null, self.has_default or other.has_default)


_NOTHING_SEEN = ColumnHistory()


def column_history(module: RevisionModule) -> dict[tuple[str, str], ColumnHistory]:
    """(table, column) -> NOT NULL / default as the module's operations state them: the columns
    of create_table / add_column, and alter_column's nullable=False, existing_nullable=False,
    server_default= and existing_server_default=."""
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
    return found


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


def _operations(module: RevisionModule) -> Iterator[Operation]:
    for body in (module.upgrade, module.downgrade):
        if body is not None:
            yield from body.operations


# a run of revisions without an undoing downgrade shows a forward-only convention when it is the
# whole history and holds this many revisions, or, in a history that undoes things elsewhere, when
# it holds the larger number: there a short run is as likely forgotten inverses as a policy
WHOLE_HISTORY_RUN = 3
PART_HISTORY_RUN = 5


class DowngradeHabits(NamedTuple):
    """How the revisions linted together write their downgrade(): the graph depths of those
    that undo something and of those that do not (no downgrade() or an empty one)."""

    undoing: tuple[int, ...] = ()
    quiet: tuple[int, ...] = ()

    def forward_only_at(self, depth: int) -> bool:
        """The revision at `depth` sits in a forward-only stretch: the run of depths between
        the nearest undoing revisions before and after it holds none that undoes anything and
        enough revisions to show a convention (WHOLE_HISTORY_RUN when nothing in the history
        undoes, PART_HISTORY_RUN when a history that did downgrades stopped or paused: an
        empty downgrade there follows the convention and is no omission). An undoing revision
        at the same depth (another branch) leaves the revision no such run."""
        if depth in self.undoing:
            return False
        before = max((d for d in self.undoing if d < depth), default=-1)
        after = min((d for d in self.undoing if d > depth), default=None)
        run = sum(1 for d in self.quiet if d > before and (after is None or d < after))
        needed = WHOLE_HISTORY_RUN if not self.undoing else PART_HISTORY_RUN
        return run >= needed


def downgrade_kind(module: RevisionModule) -> str:
    """absent, empty or undoing: how the module writes its downgrade()."""
    if module.downgrade is None:
        return "absent"
    return "empty" if module.downgrade.empty else "undoing"


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
        )
        state = state._replace(restated=_latest([(d, s.restated) for d, s in facts]))
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

    def keys(self, table: str, before: int) -> list[frozenset[str]]:
        """The unique keys revisions before depth `before` made (a revision's own keys cannot
        vouch for it)."""
        return [key for depth, key in self.unique.get(table.lower(), ()) if depth < before]


EMPTY_HISTORY = RevisionHistory()


def _latest(facts: Sequence[tuple[int, bool | None]]) -> bool | None:
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


GraphNode = Union[RevisionModule, HeaderOnly, None]


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


def revision_history(
    modules: Sequence[RevisionModule | None],
    depths: Sequence[int],
    header_only: Sequence[HeaderOnly] = (),
) -> RevisionHistory:
    columns: dict[tuple[str, str], list[tuple[int, ColumnHistory]]] = {}
    charsets: dict[str, list[tuple[int, str]]] = {}
    unique: dict[str, list[tuple[int, frozenset[str]]]] = {}
    states: dict[tuple[str, str], list[tuple[int, ColumnState]]] = {}
    named: dict[str, list[tuple[int, KeyMade]]] = {}
    renames: dict[tuple[str, str], list[tuple[int, str]]] = {}
    copied: dict[tuple[str, str], list[int]] = {}
    filled: dict[tuple[str, str], list[int]] = {}
    written: dict[str, list[int]] = {}
    table_moves: list[tuple[int, str, str]] = []
    undoing: list[int] = []
    quiet: list[int] = []
    for module, depth in zip(modules, depths):
        if module is None:
            continue
        (undoing if downgrade_kind(module) == "undoing" else quiet).append(depth)
        for key, seen in column_history(module).items():
            columns.setdefault(key, []).append((depth, seen))
        for table, charset in table_charsets(module).items():
            charsets.setdefault(table, []).append((depth, charset))
        for table, made in table_keys(module).items():
            unique.setdefault(table, []).extend((depth, key) for key in made)
        for key, state in column_states(module).items():
            states.setdefault(key, []).append((depth, state))
        for (name, _), key_made in named_keys(module).items():
            named.setdefault(name, []).append((depth, key_made))
        table_moves.extend((depth, old, new) for old, new in table_renames(module))
        for renamed, old in column_renames(module):
            renames.setdefault(renamed, []).append((depth, old))
        for key in copied_columns(module):
            copied.setdefault(key, []).append(depth)
        for key in filled_for_every_row(module):
            filled.setdefault(key, []).append(depth)
        for table in tables_written(module):
            written.setdefault(table, []).append(depth)
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
            for module in [*modules, *header_only]
            if module is not None
            for parent in module.down_revisions
            if parent != module.revision_id
        ),
        MappingProxyType({k: tuple(v) for k, v in renames.items()}),
        MappingProxyType({k: tuple(v) for k, v in named.items()}),
        MappingProxyType({k: tuple(v) for k, v in copied.items()}),
        MappingProxyType({k: tuple(v) for k, v in filled.items()}),
        MappingProxyType({k: tuple(v) for k, v in written.items()}),
    )
