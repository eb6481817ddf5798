"""The names an upgrade gives and takes from indexes, unique keys, CHECKs and foreign keys, in
order, as lint.history keeps them (L336, L337, L338; issue 20, round 34).

Each event says a name was created, dropped, or may have changed in a way lint cannot read
(forgotten): a raw DDL statement on the table, a step lint cannot read, a dropped column (MySQL
drops an index or CHECK with its last column), a renamed table, an operation under an `if` lint
cannot decide or in a `try`, a table a project function rebuilds whole. A dropped table drops
every name on it. An unnamed foreign key is kept under its column (`*column`): MySQL names it
`<table>_ibfk_<n>` by its order, which lint does not follow; a drop by such a name forgets the
table's unnamed ones. `exists` replays the events: True only when the latest event for the
name created it, None when lint cannot say.

The events also carry what L343 asks of keys by their columns (round 39's misses): a primary
key's columns (space PRIMARY), a unique key's (its INDEX event's `columns`), and a column that
goes (GONE: a drop_column, or a rename by alter_column), which the name rules take as FORGET.

Pure: revision_model and the SQL reader's statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from alembic_sentinel.lint.literals import is_none, literal_bool, string_list, string_value
from alembic_sentinel.lint.revision_model import (
    ConstraintSpec,
    FunctionBody,
    Operation,
    RevisionModule,
)
from alembic_sentinel.lint.sql_reader import DELETE, INSERT, OTHER, SELECT, UPDATE

CREATE = "create"
DROP = "drop"
FORGET = "forget"
# a column dropped or renamed (`columns`): its table's names are not known after it (as after
# FORGET); a key of other columns stays as it was (key_column_drops)
GONE = "gone"

# the name spaces MySQL keeps: indexes and unique keys share one per table, CHECKs (per
# schema on MySQL 8.0, per table on MariaDB), foreign keys (per schema)
INDEX = "index"
CHECK = "check"
FOREIGN_KEY = "foreign_key"
# the primary key (MySQL names it PRIMARY, whatever name it was given), and the events about
# the columns of keys only (a renamed column), which the name rules never ask about
PRIMARY = "primary"
KEY_COLUMNS = "key_columns"
ANY_SPACE = ""
ANY_NAME = ""
ANY_TABLE = ""
UNNAMED = "*"  # an unnamed foreign key's name is "*" + its column
# an index=True column's index, named by the MetaData's convention: "~" + its column
CONVENTION_INDEX = "~"
# an unnamed unique key (MySQL names it after its first column, a convention otherwise):
# "+" + its columns
UNNAMED_KEY = "+"

_ROWS_ONLY = frozenset({UPDATE, INSERT, SELECT, DELETE})
# words of the opaque steps' kinds of change (opaque_steps) that may give or take a name
_NAME_CHANGES = ("constraint", "index", "table", "drop_column", "foreign", "key", "rebuilt")
_MYSQL_FK_NAME = re.compile(r".+_ibfk_\d+\Z")
_CONSTRAINT_SPACES = {"unique": INDEX, "check": CHECK, "foreignkey": FOREIGN_KEY}


class NameEvent(NamedTuple):
    action: str  # CREATE, DROP, FORGET
    space: str  # INDEX, CHECK, FOREIGN_KEY; ANY_SPACE for every one
    table: str  # lowercase; ANY_TABLE: every table
    name: str  # lowercase; ANY_NAME: every name; UNNAMED: every unnamed foreign key
    # a unique or primary key's columns (CREATE), the column that goes (GONE); lowercase
    columns: tuple[str, ...] = ()

    def covers(self, space: str, table: str, name: str) -> bool:
        """Whether the event is about that name of that space on that table."""
        return (
            self.space in (ANY_SPACE, space)
            and self.table in (ANY_TABLE, table)
            and (
                self.name in (ANY_NAME, name) or (self.name == UNNAMED and name.startswith(UNNAMED))
            )
        )


def exists(events: Iterable[NameEvent], space: str, table: str, *names: str) -> bool | None:
    """Whether the events leave the name (any of `names`: one object's names) on the table:
    True, False (dropped, or never made after a drop), None (not known)."""
    state: bool | None = None
    for event in events:
        if any(event.covers(space, table, name) for name in names):
            state = {CREATE: True, DROP: False}.get(event.action)
    return state


def tables_named(events: Iterable[NameEvent], space: str, name: str) -> set[str]:
    """The tables whose events name the name (where it may exist)."""
    return {e.table for e in events if e.space == space and e.name == name and e.table}


def name_events(module: RevisionModule) -> list[tuple[int, NameEvent]]:
    """(seq, event) of the module's upgrade, in order."""
    return body_events(module.upgrade)


def body_events(body: FunctionBody | None) -> list[tuple[int, NameEvent]]:
    """(seq, event) of one function, upgrade() or downgrade(), in order."""
    if body is None:
        return []
    found = list(_operation_events(body))
    for fill in body.fills:
        if fill.opaque:
            found.append((fill.seq, NameEvent(FORGET, ANY_SPACE, ANY_TABLE, ANY_NAME)))
        for statement in fill.statements:
            if statement.kind in _ROWS_ONLY or statement.defines_routine:
                continue
            tables = {statement.table, statement.new_table} - {None}
            if statement.kind == OTHER and not tables:
                continue  # (CREATE EXTENSION, SET, GRANT, COMMENT ON: no key or constraint)
            for table in sorted(t or ANY_TABLE for t in tables) or [ANY_TABLE]:
                found.append((fill.seq, NameEvent(FORGET, ANY_SPACE, table, ANY_NAME)))
            for action in statement.actions:
                if action.foreign_key and action.name and statement.table:
                    # ADD CONSTRAINT n FOREIGN KEY: n is the foreign key's, whatever else the
                    # statement did to the table's other names (round 34)
                    name = action.name.lower()
                    event = NameEvent(CREATE, FOREIGN_KEY, statement.table, name)
                    found.append((fill.seq, event))
    for seq, table in body.rebuilt_tables:
        # a table a project function builds whole (`helpers.transform_table("t", ...)`: a new
        # table from the definition, the old one dropped): its old names went with it, and
        # lint does not read which the new definition gives (issue 20: murano's index created
        # again after it, which an opaque `SET FOREIGN_KEY_CHECKS=0` used to hide)
        found.append((seq, NameEvent(FORGET, ANY_SPACE, table.lower(), ANY_NAME)))
    for step in body.opaque_steps:
        if step.effects is not None and not any(
            word in effect for effect in step.effects for word in _NAME_CHANGES
        ):
            continue  # it can only make changes that name nothing (`status_enum.create(bind)`)
        for table in sorted(step.tables) if step.tables is not None else [ANY_TABLE]:
            found.append((step.seq, NameEvent(FORGET, ANY_SPACE, table, ANY_NAME)))
    found.sort(key=lambda item: item[0])
    return found


def _operation_events(body: FunctionBody) -> Iterator[tuple[int, NameEvent]]:
    uncertain = body.conditional | body.caught
    for op in body.operations:
        table = (op.table or "").lower()
        events = list(_events(op, table))
        named = [e for e in events if e.space not in (PRIMARY, KEY_COLUMNS)]
        if op.rebuilt or op.spread or (op.seq in uncertain and (named or not _nameless(op))):
            # it may not run, or does what lint does not read: its names are not known. A
            # guarded step that names nothing whether it runs or not (an add_column without
            # a foreign key, round 38) leaves them as they were
            events = [e._replace(action=FORGET) for e in events]
            if not named:
                events.append(NameEvent(FORGET, ANY_SPACE, table, ANY_NAME))
        for event in events:
            yield op.seq, event


def _nameless(op: Operation) -> bool:
    """Whether the operation gives or takes no name of an index or constraint: an add_column
    of a column lint reads with no foreign key, index or unique key of its own."""
    return (
        op.name == "add_column"
        and bool(op.columns)
        and all(
            spec.name and not spec.foreign_keys and not spec.unique and not spec.indexed
            for spec in op.columns
        )
    )


def _events(op: Operation, table: str) -> Iterator[NameEvent]:
    name = (op.string("index_name") or op.string("constraint_name") or "").lower()
    if op.name == "create_table" and table:
        yield from _created_with_table(op, table)
    elif op.name == "add_column" and table:
        for spec in op.columns:
            for fk in spec.foreign_keys:
                yield _foreign_key(table, fk.name, spec.name, fk.named)
            if spec.indexed and spec.name and _no_schema(op):
                # Alembic's add_column creates the index=True column's index too, named by
                # the MetaData's convention (checked with its offline SQL)
                yield NameEvent(CREATE, INDEX, table, CONVENTION_INDEX + spec.name.lower())
            elif spec.indexed:
                yield NameEvent(FORGET, INDEX, table, ANY_NAME)
    elif op.name in ("create_index", "create_unique_constraint", "create_check_constraint"):
        space = CHECK if op.name == "create_check_constraint" else INDEX
        given = op.param("index_name") or op.param("constraint_name")
        unique = op.name == "create_unique_constraint" or (
            op.name == "create_index" and literal_bool(op.param("unique")) is True
        )
        listed = string_list(op.param("columns")) if unique else None
        columns = tuple(c.lower() for c in listed or ())
        if name and table:
            yield NameEvent(CREATE, space, table, name, columns)
        elif given is None or not is_none(given):
            yield NameEvent(FORGET, space, table or ANY_TABLE, ANY_NAME)
        elif columns and table:
            yield NameEvent(CREATE, INDEX, table, UNNAMED_KEY + ",".join(columns), columns)
    elif op.name == "create_primary_key" and table:
        listed = string_list(op.param("columns"))
        if listed:
            yield NameEvent(CREATE, PRIMARY, table, PRIMARY, tuple(c.lower() for c in listed))
        else:
            yield NameEvent(FORGET, PRIMARY, table, ANY_NAME)
    elif op.name == "create_foreign_key" and table:
        local = op.param("local_cols")
        locals_ = [string_value(c) for c in getattr(local, "elts", ())]
        named = not is_none(op.param("constraint_name"))
        column = locals_[0] if len(locals_) == 1 else None
        yield _foreign_key(table, name or None, column, named)
    elif op.name == "drop_index":
        yield NameEvent(DROP if name else FORGET, INDEX, table or ANY_TABLE, name)
    elif op.name == "drop_constraint":
        space = _CONSTRAINT_SPACES.get((op.string("type_") or "").lower(), ANY_SPACE)
        if space == FOREIGN_KEY and _MYSQL_FK_NAME.match(name):
            yield NameEvent(FORGET, FOREIGN_KEY, table or ANY_TABLE, UNNAMED)
        action = DROP if name and space != ANY_SPACE else FORGET
        yield NameEvent(action, space, table or ANY_TABLE, name)
        if (op.string("type_") or "").lower() == "primary":
            # MySQL drops the primary key whatever name is given (DROP PRIMARY KEY)
            yield NameEvent(DROP, PRIMARY, table or ANY_TABLE, ANY_NAME)
    elif op.name == "drop_table":
        yield NameEvent(DROP, ANY_SPACE, table or ANY_TABLE, ANY_NAME)
    elif op.name == "drop_column":
        column = (op.string("column_name") or "").lower()
        action = GONE if column and table else FORGET
        yield NameEvent(
            action, ANY_SPACE, table or ANY_TABLE, ANY_NAME, (column,) if column else ()
        )
    elif op.name.startswith("rename"):
        yield NameEvent(FORGET, ANY_SPACE, table or ANY_TABLE, ANY_NAME)
        renamed = (op.string("new_table_name") or "").lower()
        if op.name == "rename_table":
            yield NameEvent(FORGET, ANY_SPACE, renamed or ANY_TABLE, ANY_NAME)
    elif op.name == "alter_column" and table and op.param("new_column_name") is not None:
        # a key keeps its columns under their new names: the old name's keys are not known
        old = (op.string("column_name") or "").lower()
        columns = (old,) if old else ()
        yield NameEvent(GONE if old else FORGET, KEY_COLUMNS, table, ANY_NAME, columns)


def _created_with_table(op: Operation, table: str) -> Iterator[NameEvent]:
    """create_table: the table starts with no name but those it declares."""
    yield NameEvent(DROP, ANY_SPACE, table, ANY_NAME)
    primary = [spec.name.lower() for spec in op.columns if spec.primary_key and spec.name]
    for constraint in op.constraints:
        if constraint.kind == "primary_key":
            primary += [c.lower() for c in constraint.columns if c.lower() not in primary]
    if primary:
        yield NameEvent(CREATE, PRIMARY, table, PRIMARY, tuple(primary))
    if any(spec.unique for spec in op.columns):
        # a unique column's key: named by a convention, or by MySQL after the column
        yield NameEvent(FORGET, INDEX, table, ANY_NAME)
    for constraint in op.constraints:
        space = {"unique": INDEX, "index": INDEX, "check": CHECK}.get(constraint.kind)
        if constraint.kind == "foreign_key":
            column = constraint.columns[0] if len(constraint.columns) == 1 else None
            yield from _table_foreign_key(table, constraint, column)
        unique = constraint.kind == "unique" or constraint.unique
        columns = tuple(c.lower() for c in constraint.columns) if unique else ()
        if space is not None and constraint.name:
            yield NameEvent(CREATE, space, table, constraint.name.lower(), columns)
        elif space is not None and constraint.named:
            yield NameEvent(FORGET, space, table, ANY_NAME)  # a name lint cannot read
        elif constraint.kind == "index" and constraint.columns and _no_schema(op):
            # sa.Index(None, ...): named by the convention after its first column
            convention = CONVENTION_INDEX + constraint.columns[0].lower()
            yield NameEvent(CREATE, INDEX, table, convention, columns)
        elif columns:
            yield NameEvent(CREATE, INDEX, table, UNNAMED_KEY + ",".join(columns), columns)
    for spec in op.columns:
        for fk in spec.foreign_keys:
            yield from _table_foreign_key(table, fk, spec.name)
        if spec.indexed and spec.name and _no_schema(op):
            # named by the MetaData's convention, which name_clashes reads if it knows it
            # (with unique=True too: a UNIQUE INDEX ix_..., checked with Alembic's offline SQL)
            yield NameEvent(CREATE, INDEX, table, CONVENTION_INDEX + spec.name.lower())
        elif spec.indexed:
            yield NameEvent(FORGET, INDEX, table, ANY_NAME)


def _no_schema(op: Operation) -> bool:
    """Whether the operation names no schema: with `schema="s"` the convention's
    %(column_0_label)s is s_<table>_<column> (Alembic's offline SQL), a name lint does not
    follow."""
    schema = op.param("schema")
    return schema is None or is_none(schema)


def _table_foreign_key(
    table: str, constraint: ConstraintSpec, column: str | None
) -> Iterator[NameEvent]:
    """A create_table foreign key: none when use_alter=True (the CREATE TABLE Alembic runs
    leaves it out on MySQL, and nothing adds it after), not known when use_alter is not a
    literal."""
    if constraint.use_alter is True:
        return
    if constraint.use_alter is None:
        yield NameEvent(FORGET, FOREIGN_KEY, table, ANY_NAME)
        return
    yield _foreign_key(table, constraint.name, column, constraint.named)


def _foreign_key(table: str, name: str | None, column: str | None, named: bool) -> NameEvent:
    if name:
        return NameEvent(CREATE, FOREIGN_KEY, table, name.lower())
    if not named and column:
        return NameEvent(CREATE, FOREIGN_KEY, table, UNNAMED + column.lower())
    return NameEvent(FORGET, FOREIGN_KEY, table, UNNAMED if not named else ANY_NAME)
