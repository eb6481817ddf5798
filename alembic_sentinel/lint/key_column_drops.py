"""L343: a column dropped while a primary or unique key of several columns still holds it
(issue 20, round 39's misses). Checked on MariaDB 10.11.

An error where the server refuses, a warning where it narrows the key. MariaDB 10.2.8 and
newer refuse `ALTER TABLE t DROP COLUMN c` when c is part of a
multi-column PRIMARY KEY or UNIQUE key: ERROR 1072 (Key column 'c' doesn't exist in table),
on an empty table too (the MariaDB manual: dropping the column would leave the rest of the key
unique). A plain index of several columns narrows, and a key of that column alone goes with
it. MySQL (and MariaDB before 10.2.8) removes the column from the key, which narrows to the
other columns: ERROR 1062 (Duplicate entry) as soon as two rows share them, and on an empty
table a stricter key than the one declared; not when the column's unnamed foreign key makes
MySQL refuse the drop first (L341 says so), where the key never narrows.

What the keys are comes from name_events: a primary key's columns (create_table's
primary_key=True columns or PrimaryKeyConstraint, create_primary_key), a unique key's
(UniqueConstraint / Index(unique=True) of create_table, create_unique_constraint,
create_index(unique=True)), replayed over the revisions before in depth order (branches must
agree) and this upgrade's steps before the drop. A key is not known after a drop of it (a
drop by a name forgets the unnamed ones, which MySQL or a convention named), a step lint
cannot read on the table, a renamed table, or a dropped or renamed column of it. Upgrade
steps only; a drop under an `if` lint cannot decide or in a `try` is not reported. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, op_hit
from alembic_sentinel.lint.name_clashes import (
    certain_operations,
    events_by_depth,
    own_events_before,
    under_foreign_key,
)
from alembic_sentinel.lint.name_events import (
    ANY_NAME,
    ANY_SPACE,
    ANY_TABLE,
    CONVENTION_INDEX,
    CREATE,
    GONE,
    INDEX,
    KEY_COLUMNS,
    PRIMARY,
    UNNAMED_KEY,
    NameEvent,
)
from alembic_sentinel.report.model import WARNING

# (space, name) of a key -> its columns, lowercase
Keys = Mapping[tuple[str, str], tuple[str, ...]]


def _touches(event: NameEvent, key: tuple[str, str], columns: tuple[str, ...]) -> bool:
    """Whether the event (other than a creation) may drop or change the key."""
    space, name = key
    if event.space not in (ANY_SPACE, KEY_COLUMNS, space):
        return False
    if event.action == GONE:
        return bool(set(event.columns) & set(columns))
    if event.name == ANY_NAME or space == PRIMARY:
        return True  # (a drop_constraint without type_ may be the primary key's, any name)
    if name.startswith((UNNAMED_KEY, CONVENTION_INDEX)):
        return True  # a name lint does not know: a drop by any name may be this key's
    return event.name == name


def _replayed(
    keys: Keys, events: Iterable[NameEvent], table: str
) -> dict[tuple[str, str], tuple[str, ...]]:
    state = dict(keys)
    for event in events:
        if event.table not in (table, ANY_TABLE):
            continue
        if event.action == CREATE and event.space in (PRIMARY, INDEX):
            key = (event.space, event.name)
            if event.columns:
                state[key] = event.columns
            else:
                state.pop(key, None)  # the name is a plain index's now
            continue
        for key, columns in list(state.items()):
            if _touches(event, key, columns):
                del state[key]
    return state


def keys_before(facts: Facts, options: LintOptions, table: str, seq: int) -> Keys:
    """The primary and unique keys (with their columns) surely on the table just before
    upgrade step `seq`."""
    state: Keys = {}
    for branches in events_by_depth(options, table):
        outcomes = [_replayed(state, events, table) for events in branches]
        # branches must agree: a key only where every one leaves it the same
        state = {k: v for k, v in outcomes[0].items() if all(o.get(k) == v for o in outcomes)}
    return _replayed(state, own_events_before(facts, seq), table)


def key_alone(
    facts: Facts, options: LintOptions, table: str, column: str, seq: int, conventional: str
) -> bool:
    """Whether `column` is a key of `table` on its own before step `seq`: a unique key the
    revisions before made or its primary key (L309's joined copies); a table whose primary key
    no revision shows (made before the history: nylas's `namespace`) has the `conventional`
    one, `id` (round 43)."""
    if frozenset({column}) in options.unique_keys(table):
        return True
    keys = keys_before(facts, options, table, seq)
    primary = [columns for (space, _), columns in keys.items() if space == PRIMARY]
    return (column,) in keys.values() or (not primary and column == conventional)


def _described(key: tuple[str, str]) -> str:
    space, name = key
    if space == PRIMARY:
        return "the primary key"
    if name.startswith((UNNAMED_KEY, CONVENTION_INDEX)):
        return "an unnamed unique key"
    return f"the unique key {name}"


def column_dropped_from_key(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in certain_operations(facts, options):
        column = (op.string("column_name") or "").lower()
        if op.name != "drop_column" or not column or not op.table:
            continue
        table = op.table.lower()
        holding = [
            (key, columns)
            for key, columns in keys_before(facts, options, table, op.seq).items()
            if column in columns and len(columns) > 1
        ]
        if not holding:
            continue
        key, columns = min(holding, key=lambda item: (item[0][0] != PRIMARY, item[0][1]))
        listed = ", ".join(columns)
        rest = ", ".join(c for c in columns if c != column)
        target = options.target
        kind = "primary" if key[0] == PRIMARY else "unique"
        refused = target.flavor == "mariadb" and target.at_least(10, 2, 8)
        if not refused and under_foreign_key(facts, options, op):
            continue  # refused for its foreign key first (L341): the key never narrows
        if refused:
            outcome = (
                f"{target} stops the migration with ERROR 1072 (Key column '{column}' "
                "doesn't exist in table), on an empty table too"
            )
        else:
            outcome = (
                f"{target} takes the column out of the key, which narrows to ({rest}): ERROR "
                f"1062 (Duplicate entry) as soon as two rows share ({rest}), a stricter key "
                "than declared otherwise; MariaDB 10.2.8+ refuses the drop (ERROR 1072)"
            )
        hit = op_hit(
            "L343",
            op,
            f"drop_column {table}.{op.string('column_name')}: the column is part of "
            f"{_described(key)} ({listed}), created before and not dropped since: {outcome}",
            fix=f"drop the key first (drop_constraint(..., type_={kind!r}) or drop_index), "
            f"then the column, and create the key you want after it (create_primary_key / "
            f"create_unique_constraint on ({rest}) if that is the one)",
        )
        # an error where the server refuses; where it narrows the key, whether it fails
        # depends on the rows (a warning)
        yield hit if refused else hit._replace(severity=WARNING)
