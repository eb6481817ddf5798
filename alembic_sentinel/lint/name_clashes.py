"""Names MySQL refuses because of what the revisions before gave or never gave (L336, L337,
L338; issue 20, round 34). Checked on MariaDB 10.11 unless said.

L336: an index or unique key created under a name the table's index or key already has, with
no drop between (the revisions before, or this upgrade's steps): ERROR 1061 Duplicate key name
(indexes and unique keys share one name space per table).

L337: a CHECK created under a name a CHECK still has. MySQL 8.0 keeps CHECK names per schema
(the MySQL manual, "CHECK Constraints"): a name another table's CHECK holds is ERROR 3822
Duplicate check constraint name; MariaDB keeps them per table (a second table may reuse one),
and refuses a name the same table holds with ERROR 1826.

L338: a foreign key created without a name (no MetaData naming_convention for foreign keys)
is named `<table>_ibfk_<n>` by MySQL; a later drop by PostgreSQL's name for it,
`<table>_<column>_fkey`, is ERROR 1091 Can't DROP ...; check that column/key exists.

L339: a named foreign key created under a name a foreign key of any table still holds: InnoDB
keeps foreign key names per schema, MySQL 8.0 stops with ERROR 1826 (Duplicate foreign key
constraint name), MariaDB with ERROR 1005 (errno: 121 "Duplicate key on write or update"),
checked on MariaDB 10.11 for another table and for the same one.

L341: a column dropped while its unnamed foreign key is still on it: MySQL 8.0 stops with
ERROR 1828 (Cannot drop column ...: needed in a foreign key constraint), MariaDB with ERROR
1553 (Cannot drop index ...: needed in a foreign key constraint), both checked on MariaDB 10.11
(1828 with foreign_key_checks=0).

What the names are comes from name_events (the history keeps them): created, dropped, or not
known after a step lint cannot read. Only a name the events show existing for sure is
reported; an operation under an `if` lint cannot decide or in a `try` is not. Upgrade steps
only (L341's downgrade drops: downgrade_key_drops, which runs both). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import cast

from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, op_hit
from alembic_sentinel.lint.literals import final_name
from alembic_sentinel.lint.name_events import (
    ANY_NAME,
    ANY_TABLE,
    CHECK,
    CONVENTION_INDEX,
    DROP,
    FOREIGN_KEY,
    FORGET,
    INDEX,
    UNNAMED,
    NameEvent,
    exists,
    name_events,
    tables_named,
)
from alembic_sentinel.lint.naming_convention import DEFAULT_CONVENTION
from alembic_sentinel.lint.revision_model import Operation
from alembic_sentinel.lint.sql_reader import ALTER_TABLE


def _own_events(facts: Facts) -> list[tuple[int, NameEvent]]:
    known = facts.memo.get("name_events")
    if isinstance(known, list):
        return known
    found = name_events(facts.module)
    facts.memo["name_events"] = found
    return found


def exists_before(
    facts: Facts,
    options: LintOptions,
    space: str,
    table: str,
    name: str,
    seq: int,
    also: str = "",
    read: Callable[[Sequence[NameEvent]], Sequence[NameEvent]] = tuple,
) -> bool | None:
    """Whether the name (or `also`, another name of the same object) is on the table just
    before upgrade step `seq`: the revisions before this one in depth order (revisions at one
    depth are branches: they must agree), then this upgrade's steps before it. `read` may
    change what each revision's events say (L341's named drops)."""
    names = (name, also) if also else (name,)
    state: bool | None = None
    for branches in events_by_depth(options, table):
        outcomes = {_replayed(state, read(events), space, table, names) for events in branches}
        state = outcomes.pop() if len(outcomes) == 1 else None
    own = read(own_events_before(facts, seq))
    return _replayed(state, own, space, table, names)


def events_by_depth(options: LintOptions, table: str) -> list[list[tuple[NameEvent, ...]]]:
    """The events of the revisions before this one that name the table or every table, one
    list per depth of the graph in order (revisions at one depth are branches)."""
    kept = options.history.name_events
    named = kept.get(table, ())
    numbers = {number for _, number, _ in named}
    anywhere = [e for e in kept.get(ANY_TABLE, ()) if e[1] not in numbers]
    by_depth: dict[int, list[tuple[NameEvent, ...]]] = {}
    for depth, _, events in sorted([*named, *anywhere]) if anywhere else named:
        if depth < options.position:
            by_depth.setdefault(depth, []).append(events)
    return [by_depth[depth] for depth in sorted(by_depth)]


def own_events_before(facts: Facts, seq: int) -> list[NameEvent]:
    """This upgrade's events before step `seq`, in order."""
    return [event for step, event in _own_events(facts) if step < seq]


def _replayed(
    state: bool | None,
    events: Sequence[NameEvent],
    space: str,
    table: str,
    names: tuple[str, ...],
) -> bool | None:
    if not any(event.covers(space, table, name) for event in events for name in names):
        return state
    return exists(events, space, table, *names)


def convention_column(options: LintOptions, table: str, name: str) -> str:
    """The column whose index=True index the MetaData's convention names `name` on the table
    ("" when the convention names no index so): SQLAlchemy's default `ix_%(column_0_label)s`
    gives ix_<table>_<column>. When lint cannot read the convention, the default is assumed
    (round 39's misses): SQLAlchemy's documented conventions keep it, and a convention without
    "ix" cannot name an index=True index at all (Alembic's create_table fails); L336 says
    "unless" then."""
    templates = options.convention_templates()
    template = (DEFAULT_CONVENTION if templates is None else templates).get("ix")
    if not template or len(name) >= 60:  # (longer names SQLAlchemy may shorten)
        return ""
    plain = _plain_convention_column(template, table, name)
    if plain is not None:
        return plain
    pattern = re.escape(template)
    for token, part in (
        ("column_0_label", f"{re.escape(table)}_(?P<column>\\w+)"),
        ("column_0_name", "(?P<column>\\w+)"),
        ("table_name", re.escape(table)),
    ):
        pattern = pattern.replace(re.escape(f"%({token})s"), part, 1)
    if "%" in pattern or pattern.count("(?P<column>") != 1:
        return ""  # another token, or a column named twice
    match = re.fullmatch(pattern, name)
    return match.group("column") if match else ""


def _plain_convention_column(template: str, table: str, name: str) -> str | None:
    """convention_column's answer without a pattern compiled for every table, for a template
    of one column token and no other (SQLAlchemy's default `ix_%(column_0_label)s`): the name
    is the template's text around one run of word characters (`\\w`: `_` or what
    str.isalnum takes), so a prefix and a suffix test find it. None for any other template."""
    if template.count("%") != 1 or "%" in table:
        return None
    if "%(column_0_label)s" in template:
        token, head = "%(column_0_label)s", f"{table}_"
    elif "%(column_0_name)s" in template:
        token, head = "%(column_0_name)s", ""
    else:
        return None
    before, after = template.split(token)
    start = len(before) + len(head)
    end = len(name) - len(after)
    if end <= start or not name.startswith(before + head) or not name.endswith(after):
        return ""
    column = name[start:end]
    return column if all(c == "_" or c.isalnum() for c in column) else ""


def certain_operations(facts: Facts, options: LintOptions) -> Iterator[Operation]:
    """The upgrade's operations that run for sure, one by one, as written."""
    upgrade = facts.module.upgrade
    if upgrade is None:
        return
    uncertain = upgrade.conditional | upgrade.caught
    for op in upgrade.operations:
        if op.table and op.seq not in uncertain and not op.rebuilt and not op.spread:
            yield op


def _duplicate_key(facts: Facts, options: LintOptions, op: Operation) -> str | None:
    """The index or unique key name `op` creates that the table already has (once per step)."""
    if op.name not in ("create_index", "create_unique_constraint") or not op.table:
        return None
    key = f"duplicate_key:{op.seq}"
    if key in facts.memo:
        return cast("str | None", facts.memo[key])
    name = (op.string("index_name") or op.string("constraint_name") or "").lower()
    table = op.table.lower()
    found = None
    column = convention_column(options, table, name) if name else ""
    also = CONVENTION_INDEX + column if column else ""
    if name and exists_before(facts, options, INDEX, table, name, op.seq, also) is True:
        found = name
    facts.memo[key] = found
    return found


def refused_name(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether the server refuses `op` for a name L336 reports: it copies nothing (L314)."""
    if options.target.flavor not in ("mysql", "mariadb") or op.name != "create_index":
        return False
    upgrade = facts.module.upgrade
    if upgrade is None or op.seq in upgrade.conditional | upgrade.caught:
        return False
    return _duplicate_key(facts, options, op) is not None


# L336


def duplicate_index_name(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in certain_operations(facts, options):
        name = _duplicate_key(facts, options, op)
        if name is None:
            continue
        table = (op.table or "").lower()
        unless = ""
        if options.convention_templates() is None and (
            exists_before(facts, options, INDEX, table, name, op.seq) is not True
        ):
            # only an index=True index SQLAlchemy's default convention would name so
            unless = (
                ": the index=True index SQLAlchemy's default naming convention names so, "
                "unless the MetaData's naming_convention names indexes otherwise"
            )
        yield op_hit(
            "L336",
            op,
            f"{op.name} {name} on {op.table}: the table already has an index or unique key "
            f"named {name} (created before, not dropped since{unless}): {options.target} "
            f"stops the migration with ERROR 1061 (Duplicate key name '{name}')",
            fix=f"drop {name} first (op.drop_index / drop_constraint), or give the new one "
            "another name; if it is the same key, leave the second creation out",
        )


# L337


def check_name_reused(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    per_schema = options.target.flavor == "mysql"
    expanded = _check_names_carry_table(options)
    for op in certain_operations(facts, options):
        table = (op.table or "").lower()
        names: list[tuple[str, bool]] = []
        if op.name == "create_check_constraint":
            given = op.param("constraint_name")
            names = [((op.string("constraint_name") or "").lower(), final_name(given))]
        elif op.name == "create_table" and per_schema:
            names = [
                (c.name.lower(), c.final) for c in op.constraints if c.kind == "check" and c.name
            ]
        for name, final in [n for n in names if n[0]]:
            # a name the convention expands carries its table: another table's is another name
            across = per_schema and (final or not expanded)
            holder = _holder(facts, options, table, name, op.seq, across)
            if holder is None:
                continue
            error = (
                "ERROR 3822 (Duplicate check constraint name: MySQL names CHECKs per schema)"
                if per_schema
                else "ERROR 1826 (Duplicate CHECK constraint name)"
            )
            yield op_hit(
                "L337",
                op,
                f"{op.name} {table}: the CHECK name {name} is held by a CHECK of {holder} "
                f"(created before, not dropped since): {options.target} stops the migration "
                f"with {error}",
                fix=f"give the CHECK on {table} its own name (a naming_convention's "
                "ck_%(table_name)s_%(constraint_name)s makes them unique), or drop the other "
                "first",
                subject=f"check {table}.{name}",
            )


def _check_names_carry_table(options: LintOptions) -> bool:
    """Whether the MetaData's naming_convention may put the table in a CHECK's given name
    (CheckConstraint / create_check_constraint, not op.f): its "ck" template has
    %(constraint_name)s and %(table_name)s, or lint knows there is a convention but not its
    templates (indico's ck_%(table_name)s_%(constraint_name)s). Round 35."""
    templates = options.convention_templates()
    if templates is None:
        return options.naming_convention is True
    template = templates.get("ck", "")
    return "%(constraint_name)s" in template and "%(table_name)s" in template


def _holder(
    facts: Facts,
    options: LintOptions,
    table: str,
    name: str,
    seq: int,
    per_schema: bool,
    space: str = CHECK,
) -> str | None:
    """The table whose CHECK (or foreign key: `space`) holds the name just before step `seq`
    (any table when the space is per schema, the same one otherwise), if one does for sure."""
    tables = {table}
    if per_schema:
        for entries in options.history.name_events.values():
            for _, _, events in entries:
                tables |= tables_named(events, space, name)
        tables |= tables_named((e for _, e in _own_events(facts)), space, name)
    for holder in sorted(tables):
        if exists_before(facts, options, space, holder, name, seq) is True:
            return holder
    return None


# L338


def foreign_key_by_postgresql_name(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    templates = options.convention_templates()
    if templates is not None and "fk" in templates:
        return  # a convention names foreign keys
    # no metadata read, and no revision names keys as a convention does (op.f("fk_...")): the
    # unnamed creation and PostgreSQL's name in the drop say there was none, unless it names
    # them as PostgreSQL does
    unless = (
        "unless the MetaData's naming_convention names foreign keys {table}_<column>_fkey, "
        if templates is None
        else ""
    )
    for op in certain_operations(facts, options):
        if op.name != "drop_constraint" or (op.string("type_") or "") != "foreignkey":
            continue
        name = (op.string("constraint_name") or "").lower()
        table = (op.table or "").lower()
        if not name.startswith(f"{table}_") or not name.endswith("_fkey"):
            continue
        column = name[len(table) + 1 : -len("_fkey")]
        if not column:
            continue
        made = exists_before(facts, options, FOREIGN_KEY, table, UNNAMED + column, op.seq)
        named = exists_before(facts, options, FOREIGN_KEY, table, name, op.seq)
        if made is not True or named is True:
            continue
        yield op_hit(
            "L338",
            op,
            f"drop_constraint {name} on {table}: the foreign key of {table}.{column} was "
            f"created without a name: {unless.format(table=table)}MySQL named it "
            f"{table}_ibfk_<n>; {name} is "
            f"PostgreSQL's name for it, and {options.target} stops the migration with ERROR "
            f"1091 (Can't DROP '{name}'; check that column/key exists)",
            fix=f"drop it by the name the server gave it (SHOW CREATE TABLE {table}, or "
            "sa.inspect(bind).get_foreign_keys(...) to find it at run time), and name "
            "foreign keys when you create them (a naming_convention with 'fk')",
        )


# L339


def _named_foreign_keys(facts: Facts, options: LintOptions) -> Iterator[tuple[Operation, str, str]]:
    """(step, table, name) of each named foreign key the upgrade surely creates: a named
    ForeignKeyConstraint / ForeignKey of create_table, add_column's `sa.ForeignKey(name=)`,
    create_foreign_key, raw `ADD CONSTRAINT n FOREIGN KEY` (lowercase)."""
    for op in certain_operations(facts, options):
        table = (op.table or "").lower()
        # create_table leaves a use_alter=True key out of its CREATE TABLE; add_column adds it
        if op.name == "create_table":
            for constraint in op.constraints:
                if (
                    constraint.kind == "foreign_key"
                    and constraint.name
                    and not constraint.use_alter
                ):
                    yield op, table, constraint.name.lower()
        if op.name in ("create_table", "add_column"):
            for spec in op.columns:
                for fk in spec.foreign_keys:
                    if fk.name and (fk.use_alter is False or op.name == "add_column"):
                        yield op, table, fk.name.lower()
        elif op.name == "create_foreign_key" and op.string("constraint_name"):
            yield op, table, (op.string("constraint_name") or "").lower()
    upgrade = facts.module.upgrade
    if upgrade is None:
        return
    uncertain = upgrade.conditional | upgrade.caught
    executes = {op.seq: op for op in upgrade.operations if op.name == "execute"}
    for fill in upgrade.fills:
        run = executes.get(fill.seq)
        if run is None or fill.seq in uncertain or "foreign" not in (fill.sql or "").lower():
            continue
        for statement in fill.statements:
            if statement.kind != ALTER_TABLE or not statement.table:
                continue
            for action in statement.actions:
                if action.foreign_key and action.name:
                    yield run, statement.table, action.name.lower()


def foreign_key_name_reused(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op, table, name in _named_foreign_keys(facts, options):
        holder = _holder(facts, options, table, name, op.seq, True, FOREIGN_KEY)
        if holder is None:
            continue
        error = (
            'ERROR 1005 (errno: 121 "Duplicate key on write or update")'
            if options.target.flavor == "mariadb"
            else "ERROR 1826 (Duplicate foreign key constraint name)"
        )
        where = "this table" if holder == table else f"{holder}"
        yield op_hit(
            "L339",
            op,
            f"{op.name} {table}: the foreign key name {name} is held by a foreign key of "
            f"{where} (created before, not dropped since; InnoDB keeps foreign key names per "
            f"schema): {options.target} stops the migration with {error}",
            fix=f"give the foreign key on {table} its own name (fk_%(table_name)s_... in a "
            "naming_convention), or drop the other first; if it is the same key (a "
            "ForeignKey(name=...) already created it), leave the second creation out",
            subject=f"foreign key {table}.{name}",
        )


# L341


def named_drops_forget(events: Sequence[NameEvent]) -> tuple[NameEvent, ...]:
    """A foreign key dropped by a name (or perhaps dropped: in a batch that rebuilds the
    table) may be an unnamed one a MetaData convention or MySQL (`<table>_ibfk_<n>`) named:
    after it, no unnamed foreign key of the table is known."""
    return tuple(
        NameEvent(FORGET, FOREIGN_KEY, event.table, UNNAMED)
        if event.action in (DROP, FORGET)
        and event.space == FOREIGN_KEY
        and event.name != ANY_NAME
        and not event.name.startswith(UNNAMED)
        else event
        for event in events
    )


def under_foreign_key(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether the drop_column's column surely still has its unnamed foreign key (L341)."""
    column = (op.string("column_name") or "").lower()
    if op.name != "drop_column" or not op.table or not column:
        return False
    table = op.table.lower()
    state = exists_before(
        facts, options, FOREIGN_KEY, table, UNNAMED + column, op.seq, read=named_drops_forget
    )
    return state is True


def drop_refused(options: LintOptions, column: str) -> str:
    """The error the target stops a drop of the column under its foreign key with (L341)."""
    if options.target.flavor == "mariadb":
        return f"ERROR 1553 (Cannot drop index '{column}': needed in a foreign key constraint)"
    return f"ERROR 1828 (Cannot drop column '{column}': needed in a foreign key constraint)"


def drop_column_under_foreign_key(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in certain_operations(facts, options):
        if not under_foreign_key(facts, options, op):
            continue
        column = (op.string("column_name") or "").lower()
        table = (op.table or "").lower()
        error = drop_refused(options, column)
        yield op_hit(
            "L341",
            op,
            f"drop_column {table}.{column}: the column still has the foreign key created "
            f"without a name before, and nothing dropped it since: {options.target} stops the "
            f"migration with {error}",
            fix=f"drop the foreign key first (drop_constraint by the name the server gave it, "
            f"{table}_ibfk_<n> on MySQL: SHOW CREATE TABLE {table}), and name foreign keys "
            "when you create them",
        )
