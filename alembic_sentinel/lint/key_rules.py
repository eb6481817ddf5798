"""Rules about keys added over the rows already in a table: L309 a unique key that may meet
duplicates, L325 a primary key added to a table with rows.

A unique key cannot meet duplicates when the revision shows why: a column it added and left
NULL, rows deleted or duplicates renamed first, a superset of a key already known unique, a
random value per row. Each rule is a `Check` over lint.facts' `Facts`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from alembic_sentinel.lint.carried_keys import carried_from
from alembic_sentinel.lint.deduplicated_keys import deduplicated_first_key
from alembic_sentinel.lint.deduplications import removes_duplicates
from alembic_sentinel.lint.distinct_fills import (
    PER_ROW_PYTHON,
    from_key,
    server_numbered,
)
from alembic_sentinel.lint.facts import (
    SQL_TABLE,
    Facts,
    Hit,
    LintOptions,
    column_label,
    literal_bool,
    op_hit,
    raw_sql,
    sql_text,
    table_of,
)
from alembic_sentinel.lint.key_column_drops import key_alone
from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.named_keys import name_after
from alembic_sentinel.lint.null_writes import writes_only_null
from alembic_sentinel.lint.numbered_keys import numbered_first_key
from alembic_sentinel.lint.raw_unique_keys import raw_keys_before, raw_unique_keys
from alembic_sentinel.lint.recreated_keys import dropped_by_upgrade, recreated_as_before
from alembic_sentinel.lint.renamed_tables import new_before_statement
from alembic_sentinel.lint.replaced_keys import key_replaced
from alembic_sentinel.lint.revision_model import DEFAULT_NONE, INTEGER, Assignment, Operation
from alembic_sentinel.lint.sql_key_evidence import (
    numbered_key,
    renamed_after_search,
    set_distinct_by_sql,
)
from alembic_sentinel.lint.sql_reader import ALTER_TABLE, DELETE, name_pattern
from alembic_sentinel.lint.swapped_keys import raw_key_swapped
from alembic_sentinel.lint.table_rows import empty_at
from alembic_sentinel.lint.widened_keys import raw_key_widened
from alembic_sentinel.report.model import NOTICE


def _recreated_unique(facts: Facts, op: Operation, name: str) -> bool:
    """Whether this upgrade drops a unique key over the same columns just before (a key
    recreated with new options, a constraint turned into a unique index): its rows already
    had no duplicates. The downgrade, which restores what was dropped, says whether it was
    unique; restored non-unique means a new uniqueness, and L309 holds."""
    dropped = {
        other.string("index_name") or other.string("constraint_name")
        for other in facts.upgrade_ops
        if other.seq < op.seq and other.name in ("drop_index", "drop_constraint")
    }
    downgrade = facts.module.downgrade
    if downgrade is None or not dropped - {None}:
        return False
    columns = string_list(op.param("columns"))
    for other in downgrade.operations:
        restored = other.string("index_name") or other.string("constraint_name")
        unique = other.name == "create_unique_constraint" or (
            other.name == "create_index" and literal_bool(other.param("unique")) is True
        )
        if not unique or restored not in dropped:
            continue
        same_columns = other.table == op.table and string_list(other.param("columns")) == columns
        if restored == name or same_columns:
            return True
    return False


def _recreated_under_same_variable(facts: Facts, op: Operation) -> bool:
    """Whether a key named by a variable (`for name, columns in KEYS[table].items():`) is
    created right after the upgrade dropped the unique constraint of that same name expression
    on the same table: the key recreated (a column widened, a new NULL column appended), over
    rows it already held unique. Neither the name nor the columns can be read, so a recreation
    over fewer columns would pass unseen; a dropped index (maybe not unique) does not count."""
    node = op.param("constraint_name")
    table = (op.table or "").lower()
    if node is None or type(node) is ast.Constant or not table:
        return False
    shape = ast.dump(node)
    for other in facts.upgrade_ops:
        dropped = other.param("constraint_name")
        if (
            other.seq < op.seq
            and other.name == "drop_constraint"
            and other.string("type_") == "unique"
            and (other.table or "").lower() == table
            and dropped is not None
            and ast.dump(dropped) == shape
        ):
            return True
    return False


# targets that ignore an index's `postgresql_where` / `sqlite_where`
_MYSQL = ("mysql", "mariadb")
# a row's own key when the table's is not known: the conventional primary key
_CONVENTIONAL_KEY = "id"


def _cannot_meet_duplicates(
    facts: Facts, options: LintOptions, op: Operation, columns: Sequence[str]
) -> bool:
    """Whether the key's columns cannot hold duplicates in the existing rows: they include a
    key known unique (a primary key or unique key this revision, or one linted with it, shows
    on the table), the revision checks for duplicates itself (GROUP BY ... HAVING COUNT > 1 over
    the key's columns), one of them is filled with a value distinct per row (uuid4(), UUID(),
    the key of a row just inserted), or an existing key column is rewritten by an UPDATE
    before the key (duplicates renamed first)."""
    table = (op.table or "").lower()
    wanted = {c.lower() for c in columns}
    known = _known_keys(facts, table, op.seq) + [set(k) for k in options.unique_keys(table)]
    if any(key <= wanted for key in known):
        return True

    def unique_in_table(other: str, column: str, seq: int) -> bool:
        alone = {column}
        known_alone = alone in _known_keys(facts, other, seq)
        return known_alone or key_alone(facts, options, other, column, seq, _CONVENTIONAL_KEY)

    carried = carried_from(facts, op, wanted, options, unique_in_table)
    if carried and any(key <= {carried.get(c, c) for c in wanted} for key in known):
        return True  # a known key moved to renamed or copied columns: the same values
    if any(
        (checked and checked <= wanted) or "*" in checked
        for checked in facts.module.duplicate_checks
    ):
        # the revision looks for duplicates over these columns, a part of them (rows told apart
        # by a part are told apart by the whole key) or any, itself
        return True
    if wanted & _numbered_columns(facts, table, op.seq):
        return True  # added as SERIAL / AUTO_INCREMENT: the server numbered every row
    # columns a per-row value may be built from: the table's single keys (CONCAT('x-', id))
    row_keys = {next(iter(key)) for key in known if len(key) == 1} | {_CONVENTIONAL_KEY}
    for column in wanted:
        keys = row_keys - {column}
        added = facts.added.get((op.table, column)) or next(
            (v for (t, c), v in facts.added.items() if t == op.table and c and c.lower() == column),
            None,
        )
        if added is not None and added[0].seq < op.seq and server_numbered(added[1]):
            return True  # an identity, a per-row server default: a distinct value in every row
        written = [a for a in facts.assignments if a.seq < op.seq and a.column.lower() == column]
        written += _helper_writes(facts, table, column, op.seq)
        for assignment in written:
            if PER_ROW_PYTHON.search(ast.unparse(assignment.value)):
                return True  # obj.key = uuid4() in a loop: one value per row
        if written and all(a.in_loop and _computed_per_row(a.value) for a in written):
            return True  # a value the loop computes per row (a counter): distinct by design
        if written and all(
            not a.in_loop
            and a.via != "attribute"
            and not a.new_row
            and from_key(a.value, keys, a.model.variable if a.model else None)
            for a in written
        ):
            return True  # t.update().values(slug=t.c.id): each row's own key
        if set_distinct_by_sql(facts, table, column, keys, op.seq, wanted - {column}):
            # SET key = UUID() / nextval('s') / CONCAT('x', id) / @n := @n + 1; UPDATE t SET
            # key = :u WHERE id = :id, {"u": str(uuid4())} or the pass's number, in a loop
            return True
        if added is None and any(
            other.seq < op.seq and other.name == "execute" and _renames_duplicates(other, table)
            for other in facts.upgrade_ops
        ):
            return True  # an existing key column rewritten first: the duplicates renamed
    return False


def _numbered_columns(facts: Facts, table: str, before: int) -> set[str]:
    """The columns of `table` a raw `ALTER TABLE ... ADD COLUMN c SERIAL` (or AUTO_INCREMENT,
    IDENTITY) added before `before`: the server gave each existing row its own number."""
    return {
        action.name.lower()
        for fill, statement in raw_sql(facts)
        if fill.seq < before and statement.kind == ALTER_TABLE and statement.table == table
        for action in statement.actions
        if action.kind == "add_column" and action.numbered and action.name
    }


def _helper_writes(facts: Facts, table: str, column: str, seq: int) -> list[Assignment]:
    """The values a function of the project's own modules writes into the column before `seq`
    (`assign_uuids(Model, session)` setting `obj.uuid = uuid4()` per row): on the key's table,
    or on objects whose class lint does not know (the model handed to the helper)."""
    upgrade = facts.module.upgrade
    return [
        a
        for a in (upgrade.helper_assignments if upgrade is not None else ())
        if a.seq < seq and a.column.lower() == column and (a.table or table).lower() == table
    ]


def _added_alike(facts: Facts, op: Operation, column: str, mysql: bool) -> str | None:
    """How the upgrade gave every existing row one value in a column it added before the key
    and left unwritten since: NOT NULL with no server default (MySQL's implicit value, '' or
    0), or a server default (the same for all; one per row was let through already). A NULL
    column (NULLs never collide), one written since (each row may differ), or a partial
    index on a target that keeps its WHERE (MySQL ignores it: `mysql`) is not; None then."""
    added = facts.added.get((op.table, column))
    if added is None or added[0].seq >= op.seq or added[1].generated:
        return None
    if any(name.endswith("_where") for name in op.keywords) and not mysql:
        return None  # a partial index (`postgresql_where=is_default`) may leave them all out
    spec = added[1]
    defaulted = spec.server_default not in (None, DEFAULT_NONE)
    if not (spec.not_null or defaulted):
        return None
    if facts.written_between(op.table, column, added[0].seq, op.seq):
        return None
    if defaulted and spec.server_default_node is not None:
        return f"with server_default={ast.unparse(spec.server_default_node)}"
    return "NOT NULL with no server default"


def _written_before(facts: Facts, op: Operation, columns: Sequence[str]) -> bool:
    """Whether the upgrade writes one of the key's columns before it (values computed per row
    were let through by _cannot_meet_duplicates already); a step lint cannot read is no write
    it knows of (the caller asks about those)."""
    null = writes_only_null  # an UPDATE setting NULL only: NULLs never collide (round 42)
    return any(facts.written_between(op.table, c, 0, op.seq, False, null) for c in columns)


def _computed_per_row(value: ast.expr) -> bool:
    """A value a loop computes itself (`index + 1`, `next(counter)`): no constant, and no
    column of a row (`row.email`, `row["email"]`) that could repeat."""
    if type(value) is ast.Constant:
        return False
    called = {id(n.func) for n in ast.walk(value) if type(n) is ast.Call}
    return not any(
        (type(n) is ast.Attribute and id(n) not in called) or type(n) is ast.Subscript
        for n in ast.walk(value)
    )


def _renames_duplicates(op: Operation, table: str) -> bool:
    """Whether an op.execute is an UPDATE of `table` that joins or selects the table again (a
    self-join or a subquery over it: how duplicates are found and renamed)."""
    text = sql_text(op)
    if text is None or not re.match(r"\s*UPDATE\b", text, re.IGNORECASE):
        return False
    again = rf"\b(?:JOIN|FROM)\s+{name_pattern(table)}(?:\s|$|\))"
    return re.search(again, text, re.IGNORECASE) is not None


def _known_keys(facts: Facts, table: str, before: int, added: bool = True) -> list[set[str]]:
    """Column sets the revision shows unique on `table` before `before`: a primary key or unique
    key of a table described inline, created earlier in the upgrade, or restored by the
    downgrade and dropped by the upgrade, before or after `before` (it held before the
    revision); with `added`, a column the upgrade adds unique=True / primary_key=True (whose
    values only the key it makes keeps apart)."""
    keys: list[set[str]] = []
    for model in facts.module.tables.values():
        if (model.table or "").lower() != table:
            continue
        specs = {id(c): c for c in model.columns.values()}.values()
        primary = {c.name.lower() for c in specs if c.primary_key and c.name}
        if primary:
            keys.append(primary)
        keys.extend({c.name.lower()} for c in specs if c.unique and c.name)
    downgrade = facts.module.downgrade
    restoring = [
        (other, True) for other in (downgrade.operations if downgrade is not None else ())
    ] + [(other, False) for other in facts.upgrade_ops if other.seq < before]
    # a key the downgrade restores on the table under its name before the upgrade renamed it
    # (`family_sample` -> `case_sample`) held on the renamed table's rows (round r28)
    moves = [other for other in facts.upgrade_ops if other.name == "rename_table"]
    for other, restored in restoring:
        on = (other.table or "").lower()
        if on != table and not (restored and moves and name_after(moves, on, -1) == table):
            continue
        unique = other.name in ("create_unique_constraint", "create_primary_key") or (
            other.name == "create_index" and literal_bool(other.param("unique")) is True
        )
        if unique:
            columns = string_list(other.param("columns"))
            if columns and (not restored or dropped_by_upgrade(facts, other)):
                keys.append({c.lower() for c in columns})
    keys.extend(raw_keys_before(facts, table, before))  # `ADD UNIQUE (a)` (round 43)
    for (added_table, _), (_, spec) in facts.added.items() if added else ():
        if (added_table or "").lower() == table and spec.name and (spec.unique or spec.primary_key):
            keys.append({spec.name.lower()})
    return keys


def _deduplicated_by_helper(facts: Facts, op: Operation, columns: Sequence[str]) -> bool:
    """Whether a call to a function of the project's own modules removes the duplicates the
    key would meet (lint/deduplications.py): before the key, on its table, and after every
    write of the key's columns lint reads or cannot read (a constant written after the
    de-duplication makes duplicates again)."""
    upgrade = facts.module.upgrade
    if upgrade is None or not upgrade.helper_deduplications:
        return False
    table = (op.table or "").lower()
    wanted = frozenset(c.lower() for c in columns)
    for found in upgrade.helper_deduplications:
        if found.seq >= op.seq or not removes_duplicates(found, table, wanted):
            continue
        if any(facts.written_between(op.table, c, found.seq, op.seq) for c in columns):
            continue  # the key's columns written again after it
        if facts.unread_before(op.table, op.seq, after=found.seq, writes=True) is None:
            return True
    return False


def _rows_deleted_before(facts: Facts, table: str | None, seq: int) -> bool:
    """Whether a raw DELETE on the table runs before `seq` (duplicates cleaned first)."""
    lowered = table.lower() if table else None
    return lowered is not None and any(
        fill.seq < seq and statement.kind == DELETE and statement.table == lowered
        for fill, statement in raw_sql(facts)
    )


# L309


def unique_on_existing_table(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    raw = list(raw_unique_keys(facts))  # CREATE UNIQUE INDEX, ADD UNIQUE (round 42)
    for op in [*facts.upgrade_ops, *raw]:
        if facts.new_at(op.table, op.seq):
            continue
        if empty_at(facts, op.table, op.seq):
            continue  # every row deleted first and none put back: no two rows to collide
        if op.name == "create_unique_constraint" or (
            op.name == "create_index" and literal_bool(op.param("unique")) is True
        ):
            yield from _unique_key(facts, options, op, any(op is r for r in raw))
        elif op.name == "add_column":
            for column in op.columns:
                # a new nullable column holds NULL everywhere, and NULLs never collide
                same_value = column.not_null or column.server_default not in (None, DEFAULT_NONE)
                if column.unique and same_value:
                    yield op_hit(
                        "L309",
                        op,
                        f"add_column {column_label(op, column.name)} unique=True gives every "
                        "existing row the same value: fails on a table with two rows or more",
                        fix="add the column nullable and unique, fill distinct values, then "
                        "make it NOT NULL",
                    )


def _unique_key(facts: Facts, options: LintOptions, op: Operation, raw: bool) -> Iterator[Hit]:
    """L309's judgement of one unique key over the table's rows (`raw`: a stand-in for SQL)."""
    name = op.string("constraint_name") or op.string("index_name") or "(unnamed)"
    columns = string_list(op.param("columns"))
    on = f"({', '.join(columns)})" if columns else ""
    # a key over a column this upgrade added and left NULL everywhere: NULLs never
    # collide, so existing rows cannot hold duplicates
    if columns and any(facts.added_empty(op.table, c, op.seq) for c in columns):
        return
    if _rows_deleted_before(facts, op.table, op.seq):
        return  # the duplicates were deleted first (DELETE FROM t WHERE ...)
    if columns and _deduplicated_by_helper(facts, op, columns):
        return  # a function of the project removed them (deduplicate_users(bind))
    if columns and renamed_after_search(facts, op, columns):
        return  # found by a self-join, then renamed row by row
    if op.seq in recreated_as_before(facts, options):
        return  # dropped and created again as the revisions before made it
    if _recreated_unique(facts, op, name):
        return  # dropped and created again: it was unique before, as its downgrade says
    if op.name == "create_unique_constraint" and _recreated_under_same_variable(facts, op):
        return  # the unique key of that name, dropped just before, created again
    if columns and _cannot_meet_duplicates(facts, options, op, columns):
        return
    subject = f"{op.name} {name} on {table_of(op)}{on}" + (" (raw SQL)" if raw else "")
    unread = facts.unread_before(op.table, op.seq, writes=True)
    if unread is not None:
        # a step lint cannot read may remove the duplicates (or write the key's
        # columns): nothing in what lint reads shows either way
        yield Hit(
            "L309",
            f"{subject}: fails if existing rows hold duplicates; the upgrade runs "
            f"{unread.what or 'a step'} (line {unread.line}) before it, which lint cannot "
            "read",
            op.line,
            op.end_line,
            severity=NOTICE,
        )
    elif (
        columns
        and len(columns) == 1
        and (alike := _added_alike(facts, op, columns[0], options.target.flavor in _MYSQL))
    ):
        yield op_hit(
            "L309",
            op,
            f"{subject}: the upgrade added {column_label(op, columns[0])} {alike}, so "
            "every existing row holds the same value: fails on a table with two rows "
            "or more",
            fix="add the column nullable (or fill each row with its own value) before "
            "the key, then make it NOT NULL",
        )
    elif columns and _written_before(facts, op, columns):
        yield op_hit(
            "L309",
            op,
            f"{subject}: the upgrade writes the key's columns first (a copy, a constant, "
            "a normalisation) and the key fails if that leaves two rows alike",
        )
    else:
        # only the data already there can hold duplicates, and lint cannot see it
        yield Hit(
            "L309",
            f"{subject}: fails if existing rows hold duplicates; nothing in the revision "
            "shows whether they do",
            op.line,
            op.end_line,
            severity=NOTICE,
        )


# L325


# what adding a primary key to a table with rows costs, by the target's flavor: InnoDB's
# primary key is the clustered index (the table is rebuilt); PostgreSQL builds a unique index
# under an ACCESS EXCLUSIVE lock; SQLite cannot add one, and Alembic's batch mode copies the table
_PRIMARY_KEY_COST = {
    "postgresql": "it builds the key's unique index under a lock that blocks reads and writes",
    "sqlite": "it copies the whole table (SQLite adds none in place; batch mode rebuilds it)",
}
_REBUILD = "it rebuilds the table (its clustered index)"


def primary_key_on_existing_table(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    cost = _PRIMARY_KEY_COST.get(options.target.flavor, _REBUILD)
    for op in facts.upgrade_ops:
        if op.name != "create_primary_key" or facts.new_at(op.table, op.seq):
            continue
        if _numbered_by_the_rebuild(facts, op) or key_replaced(facts, options, op, _known_keys):
            continue
        if numbered_first_key(facts, options, op):
            continue  # the table's first key, over a column just added numbered per row
        if deduplicated_first_key(facts, options, op, _deduplicated_by_helper):
            continue  # the table's first key, its NULLs and duplicates deleted first
        columns = string_list(op.param("columns"))
        on = f"({', '.join(columns)})" if columns else ""
        yield op_hit(
            "L325",
            op,
            f"create_primary_key on {table_of(op)}{on}, a table with rows: {cost} and fails if "
            "the rows hold NULLs or duplicates there, or if the table already has a primary key",
        )
    yield from _raw_primary_keys(facts, options, cost)


def _numbered_by_the_rebuild(facts: Facts, key: Operation) -> bool:
    """Whether a create_primary_key inside batch_alter_table(recreate="always") is over one
    integer column the same rebuild adds, after dropping the table's primary key (round r28a):
    Alembic creates the new table with that key, an AUTO_INCREMENT column on MySQL (a single
    integer key), and copies the rows without the new column, so the server numbers them: no
    NULL, no duplicate, no second key. The copy itself is L314's."""
    columns: list[str] = list(string_list(key.param("columns")) or ())
    if not key.rebuilt or len(columns) != 1 or key.table is None:
        return False
    column, table = columns[0].lower(), key.table.lower()
    added = dropped = False
    for op in facts.upgrade_ops:
        if op.seq >= key.seq or (op.table or "").lower() != table:
            continue
        if not op.rebuilt:
            added = dropped = False  # another batch (or a plain step) on the table: start over
        elif op.name == "drop_constraint" and op.string("type_") == "primary":
            dropped = True
        elif op.name == "add_column" and any(
            (c.name or "").lower() == column
            and c.type is not None
            and c.type.family == INTEGER
            and c.autoincrement is not False
            for c in op.columns
        ):
            added = True
    return added and dropped


def _raw_primary_keys(facts: Facts, options: LintOptions, cost: str) -> Iterator[Hit]:
    """`ALTER TABLE t ... ADD PRIMARY KEY (...)` in raw SQL (often after `DROP PRIMARY KEY` in
    the same statement): the same rebuild over the same rows as create_primary_key."""
    for fill, statement in raw_sql(facts):
        if statement.kind != ALTER_TABLE or new_before_statement(facts, fill, statement):
            continue
        kinds = {action.kind for action in statement.actions}
        if "add_primary_key" not in kinds:
            continue
        replaces = "drop_primary_key" in kinds
        earlier = _numbered_columns(facts, statement.table or "", fill.seq)
        if replaces and numbered_key(statement, earlier):
            continue  # the server numbers every row of its one column: no NULL, no duplicate
        if replaces and raw_key_widened(facts, options, fill, statement):
            continue  # the old key plus columns NOT NULL (round 34)
        if replaces and raw_key_swapped(facts, options, fill, statement):
            continue  # part of the old key kept, the rest swapped or widened (round 35's leftovers)
        what = "replaces the primary key of" if replaces else "adds a primary key to"
        table = statement.table or SQL_TABLE
        yield Hit(
            "L325",
            f"raw ALTER TABLE {what} {table}, a table with rows: {cost} and fails if the rows "
            "hold NULLs or duplicates in the new key"
            + ("" if replaces else ", or if the table already has a primary key"),
            fill.line,
            fill.end_line,
            subject=table,
        )
