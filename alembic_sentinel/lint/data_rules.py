"""Rules about the rows already in the tables: the values they get, keep or lose.

L302 NOT NULL without a fill before it (L301, NOT NULL added without a default, is
not_null_rule's; L303, a fill of the wrong kind, is kind_rules'), L304/L305 dropped tables and
columns (values read before the drop count as copied), L306 a drop and add that may be a rename
(keys over existing rows are key_rules'). Each rule is a `Check` over lint.facts' `Facts`.
"""

from __future__ import annotations

from collections.abc import Iterator

from alembic_sentinel.lint.absent_drops import drop_finds_nothing, raw_drop_finds_nothing
from alembic_sentinel.lint.column_state import (
    already_not_null,
    computed_column,
    restated_both_ways,
    restated_by_rename,
)
from alembic_sentinel.lint.derived_values import derived_or_never_written
from alembic_sentinel.lint.facts import (
    SQL_TABLE,
    Facts,
    Hit,
    LintOptions,
    column_label,
    literal_bool,
    op_hit,
    raw_sql,
    table_of,
)
from alembic_sentinel.lint.own_fills import own_fill
from alembic_sentinel.lint.raw_not_nulls import raw_not_nulls
from alembic_sentinel.lint.rename_pairs import (
    history_type,
    kept_family,
    redesigned,
    rename_fix,
    renames_in_pairs,
    similar_tables,
    stated_apart,
)
from alembic_sentinel.lint.renamed_tables import (
    created_under_any_name,
    emptied_under_any_name,
    new_before_statement,
    read_under_any_name,
    rows_read_under_any_name,
)
from alembic_sentinel.lint.replaced_tables import no_rows_of_its_own
from alembic_sentinel.lint.revision_model import (
    DEFAULT_NONE,
    ColumnSpec,
    Fill,
    Operation,
)
from alembic_sentinel.lint.scratch_columns import columns_added_by_sql, replaced_through_new_column
from alembic_sentinel.lint.sql_reader import (
    ALTER_TABLE,
    CREATE_INDEX,
    DROP_DATABASE,
    DROP_INDEX,
    DROP_TABLE,
    RENAME_INDEX,
)

# L302


def _names(facts: Facts, op: Operation, column: str | None) -> set[str] | None:
    """The column's name and the names an earlier rename in this upgrade gave it (a filled
    `mime_type_new` renamed to `mime_type`), lowercase."""
    if column is None:
        return None
    names = {column.lower()}
    for other in facts.upgrade_ops:
        if other.seq < op.seq and other.name == "alter_column" and other.table == op.table:
            old = other.string("column_name")
            if old is not None and other.string("new_column_name") == column:
                names.add(old.lower())
    return names


def may_write(fill: Fill, table: str | None, names: set[str] | None) -> bool:
    """Whether a fill before the NOT NULL may be the one that fills `column`.

    A fill whose SQL is read and names only other columns (`SET updated_on = NOW()` before
    `created_on` is made NOT NULL, round 42) leaves its NULLs in place: no fill of it.
    Anything unread (opaque SQL, Python code, no written column known) may be.
    """
    if fill.opaque or names is None or table is None:
        return True
    if not fill.writes and _rowless_ddl(fill, table, names):
        return False  # DDL read whole (another column's MODIFY, an index): it writes no row
    if not fill.writes:
        return True
    return any(
        (written == "*" or written in names)
        # no table told, or a computed name (not a plain identifier): it may be this one
        and (named is None or named == table.lower() or not named.isidentifier())
        for named, written in fill.writes
    )


def _added_before(
    facts: Facts, op: Operation, column: str | None
) -> tuple[Operation, ColumnSpec] | None:
    """The add_column of this upgrade that made the column before `op`, its names compared
    without case (raw SQL's are lowercase). One after it (in another branch of an `if` on the
    dialect) added nothing the alter meets."""
    added = facts.added.get((op.table, column))
    if added is None and op.table and column:
        key = (op.table.lower(), column.lower())
        added = next(
            (
                a
                for (t, c), a in facts.added.items()
                if ((t or "").lower(), (c or "").lower()) == key
            ),
            None,
        )
    return added if added is not None and added[0].seq < op.seq else None


# raw statements that change the schema and write no value into a row already there
_ROWLESS_KINDS = frozenset({CREATE_INDEX, DROP_INDEX, RENAME_INDEX})


def _rowless_ddl(fill: Fill, table: str, names: set[str]) -> bool:
    """Whether a fill's raw SQL, read whole, only changes the schema without giving the column
    a value: indexes, and ALTER TABLE clauses other than an ADD of the column itself with a
    DEFAULT or NOT NULL (the rows got a value; added plain, every row holds NULL) or a clause
    lint does not read. Such a statement is no fill (issue 20: one raw MODIFY ... NOT NULL
    after another is not filled by it)."""
    if not fill.statements:
        return False  # a Core construct or Python code: what it writes is not read
    for statement in fill.statements:
        if statement.kind in _ROWLESS_KINDS:
            continue
        if statement.kind != ALTER_TABLE:
            return False
        same_table = (statement.table or "").lower() == table.lower()
        for action in statement.actions:
            if action.kind == "other":
                return False
            if action.kind == "add_column" and same_table and (action.name or "") in names:
                if not action.starts_null:
                    return False  # added with a DEFAULT (or NOT NULL): the rows got a value
    return True


def not_null_without_fill(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    upgrade = facts.module.upgrade
    if upgrade is None:
        return
    # raw SQL's MODIFY / CHANGE ... NOT NULL, each as a stand-in alter_column (issue 20)
    raw = tuple(raw_not_nulls(facts.upgrade_ops)) if facts.fills else ()
    for op in facts.upgrade_ops + raw:
        if op.name != "alter_column" or literal_bool(op.param("nullable")) is not False:
            continue
        if facts.new_at(op.table, op.seq) or literal_bool(op.param("autoincrement")) is True:
            continue  # an AUTO_INCREMENT column is a key: never NULL
        if already_not_null(facts, options, op):
            continue  # NOT NULL restated (a type change, a rename): no NULL can be there
        if restated_both_ways(facts, options, op) or restated_by_rename(facts, options, op):
            continue  # NOT NULL before and after: a rename restating it (round r40)
        column = op.string("column_name")
        added = _added_before(facts, op, column)
        if added is not None and added[1].server_default not in (None, DEFAULT_NONE):
            continue  # existing rows were given the default when the column was added
        after = added[0].seq if added is not None else 0
        names = _names(facts, op, column)
        if any(may_write(fill, op.table, names) for fill in upgrade.fills_between(after, op.seq)):
            continue
        if added is None and options.no_null_left_earlier(op.table, column):
            # the expand/contract split: an earlier revision filled every row (round 23), or
            # loosened a NOT NULL keeping its default (round r37); nothing wrote rows since
            continue
        since = f" since add_column on line {added[0].line}" if added is not None else ""
        if op in raw:
            written = "CHANGE" if op.param("new_column_name") is not None else "MODIFY"
            what = f"raw SQL's {written} {column_label(op, column)} ... NOT NULL"
        else:
            what = f"alter_column {column_label(op, column)} nullable=False"
        yield op_hit(
            "L302",
            op,
            f"{what} with no data fill before it{since}: existing NULLs make it fail",
        )


# L304, L305, L306


def drop_table(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in facts.upgrade_ops:
        if op.name != "drop_table" or facts.new_at(op.table, op.seq):
            continue  # a drop before a create of its name meets the old table (round 42)
        if created_under_any_name(facts, op.table, op.seq):
            continue  # made by this upgrade under another name, then renamed
        # its rows were read first (INSERT ... SELECT, UPDATE ... FROM, a loop over them):
        # copied into their new place, as L305 counts a column read before its drop; read
        # under a name it had before a rename, they are its rows too (a copy and swap)
        if op.table is not None and rows_read_under_any_name(facts, op.table, op.seq):
            continue
        if op.table is not None and facts.unread_before(op.table, op.seq) is not None:
            continue  # a step before it lint cannot read may be that copy
        if options.rows_moved_earlier(op.table):
            continue  # an earlier revision copied every row elsewhere: the contract step
        if no_rows_of_its_own(facts, options, op.table):
            continue  # another tool's bookkeeping; or left behind by an older replacement
        if drop_finds_nothing(facts, options, op):
            continue  # an earlier revision dropped it already: no row is there to lose
        if op.table is not None:
            yield op_hit(
                "L304",
                op,
                f"upgrade drops table {table_of(op)} and all its rows",
            )
    for fill, statement in raw_sql(facts):
        if (
            statement.kind == DROP_TABLE
            and not statement.temporary  # a session's scratch table, no schema rows
            and not new_before_statement(facts, fill, statement)
            and not created_under_any_name(facts, statement.table, fill.seq)
            and not (statement.table and rows_read_under_any_name(facts, statement.table, fill.seq))
            and facts.unread_before(statement.table, fill.seq) is None
            and not options.rows_moved_earlier(statement.table)
            and not no_rows_of_its_own(facts, options, statement.table)
            and not raw_drop_finds_nothing(
                facts, options, statement.table, None, fill, statement.if_exists
            )
        ):
            yield Hit(
                "L304",
                f"upgrade drops table {statement.table or SQL_TABLE} and all its rows (raw SQL)",
                fill.line,
                fill.end_line,
            )
        elif statement.kind == DROP_DATABASE:
            yield Hit(
                "L304",
                f"upgrade drops database {statement.table or SQL_TABLE} and every table in it "
                "(raw SQL)",
                fill.line,
                fill.end_line,
            )


def drop_column(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    sql_added = columns_added_by_sql(facts) if facts.fills else {}
    for op in facts.upgrade_ops:
        column = op.string("column_name")
        if op.name != "drop_column" or (op.table, column) in facts.added:
            continue
        where = sql_added.get(((op.table or "").lower(), (column or "").lower()))
        if where is not None and where[0] < op.seq:
            continue  # a scratch column the upgrade's raw SQL added
        if created_under_any_name(facts, op.table, op.seq):
            continue  # a column of a table this upgrade made: its values are the upgrade's own
        if read_under_any_name(facts, op.table or op.computed_table, column, op.seq):
            continue  # its values were read (copied) before the drop (or before a rename)
        if options.copied_earlier(op.table, column):
            continue  # an earlier revision copied them elsewhere: this is the contract step
        if emptied_under_any_name(facts, op.table, op.seq):
            continue  # every row was deleted first: no value is left to lose
        if replaced_through_new_column(facts, op):
            continue  # converted into a new column that takes its name
        if computed_column(facts, options, op.table, column):
            continue  # the server computes its values from other columns: none are lost
        if derived_or_never_written(facts, options, op.table, column, op.seq):
            continue  # a trigger or the downgrade derives it, or it never held values
        if facts.unread_before(op.table or op.computed_table, op.seq) is not None:
            continue  # a step before it lint cannot read may copy the values
        if drop_finds_nothing(facts, options, op):
            continue  # the history leaves no such column: no value is there to lose
        yield op_hit("L305", op, f"upgrade drops column {column_label(op, column)} and its values")
    op_added = {((t or "").lower(), (c or "").lower()) for t, c in facts.added}
    for fill in facts.fills:
        for index, statement in enumerate(fill.statements):
            for action in statement.actions:
                if action.kind != "drop_column" or action.name is None:
                    continue
                key = ((statement.table or "").lower(), action.name.lower())
                if key in op_added or (key in sql_added and sql_added[key] < (fill.seq, index)):
                    continue  # a scratch column the upgrade added (by op or raw SQL) before
                if created_under_any_name(facts, statement.table, fill.seq):
                    continue
                if read_under_any_name(facts, statement.table, action.name, fill.seq):
                    continue
                if options.copied_earlier(statement.table, action.name):
                    continue
                if emptied_under_any_name(facts, statement.table, fill.seq):
                    continue
                if computed_column(facts, options, statement.table, action.name):
                    continue
                if derived_or_never_written(facts, options, statement.table, action.name, fill.seq):
                    continue
                if facts.unread_before(statement.table, fill.seq) is not None:
                    continue
                if raw_drop_finds_nothing(facts, options, statement.table, action.name, fill):
                    continue
                yield Hit(
                    "L305",
                    f"upgrade drops column {statement.table or SQL_TABLE}.{action.name} and its "
                    "values (raw SQL)",
                    fill.line,
                    fill.end_line,
                )


def possible_rename(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    added: dict[str, list[tuple[Operation, str]]] = {}
    dropped: dict[str, list[tuple[Operation, str]]] = {}
    for op in facts.upgrade_ops:
        if op.table is None:
            continue
        if op.name == "add_column":
            added.setdefault(op.table, []).extend((op, c.name) for c in op.columns if c.name)
        elif op.name == "drop_column" and op.string("column_name"):
            dropped.setdefault(op.table, []).append((op, op.string("column_name") or ""))
    for table, drops in dropped.items():
        adds = added.get(table, [])
        added_names = [name for _, name in adds]
        # a column whose values were read before its drop was copied: no value is lost
        gone = [
            (op, column)
            for op, column in drops
            if column not in added_names
            and not read_under_any_name(facts, table, column, op.seq)
            and not emptied_under_any_name(facts, table, op.seq)
        ]
        # a new column the upgrade fills itself (a constant, values computed from other
        # columns, a server_default every existing row gets) is a new design, not the dropped
        # column renamed; so is one filled from another column (one the upgrade copies before
        # dropping it too), in a loop before or after the drop: only a fill that reads the
        # lost column makes the new one its copy
        defaulted = {
            c.name
            for op, _ in adds
            for c in op.columns
            if c.server_default not in (None, DEFAULT_NONE)
        }
        new = [
            name
            for op, name in adds
            if name not in {c for _, c in drops}
            and name not in defaulted
            and not own_fill(facts, table, name, op.seq, [c for _, c in gone])
        ]
        # the revision's message states the drop and the add as two acts ("add line_text and
        # delete line_type"): a removal and a new column, not a rename
        gone, new = stated_apart(facts.module.docstring, gone, new)
        # a rename keeps the type: a dropped VARCHAR and an added INTEGER (bracket ->
        # bracket_id, a foreign key) are a replacement, whose loss L305 reports
        restored = _restored_types(facts)
        families = {c.type.family for op, _ in adds for c in op.columns if c.type is not None}
        # (nor when the history's type of the dropped column holds other values than every
        # added one: the downgrade's type may be written from the new model; round r40)
        known = {column: history_type(facts, options, table, column) for _, column in gone}
        gone = [
            (op, column)
            for op, column in gone
            if ((table, column) not in restored or restored[(table, column)] in families)
            and kept_family(known[column], families)
        ]
        # a rename maps one column to one: two added for one dropped (or the reverse) is a
        # redesign, whose loss L305 reports; as many added as dropped, their types pairing up
        # as MySQL stores them, are several renames (rename_pairs)
        if len(new) != 1 or len(gone) != 1:
            yield from renames_in_pairs(facts, options, table, gone, new, adds)
            continue
        # the dropped column's unique key does not move over, a new foreign key, a reference
        # to another table (`project_id` -> `agent_id`), another kind of value: a redesign
        if redesigned(facts, options, table, gone[0][1], new[0]):
            continue
        first_add = min(op.seq for op, _ in adds)
        if facts.unread_before(table, gone[0][0].seq, after=first_add) is not None:
            continue  # a step between the add and the drop lint cannot read may copy them
        yield op_hit(
            "L306",
            gone[0][0],
            f"upgrade drops {table}.{', '.join(c for _, c in gone)} and adds {', '.join(new)}: "
            "if this is a rename, the values are lost",
            fix=rename_fix(facts, table, gone[0][1], new[0]),
        )
    creates = {op.table: op for op in facts.upgrade_ops if op.name == "create_table" and op.table}
    drop_tables = [
        op
        for op in facts.upgrade_ops
        if op.name == "drop_table"
        and op.table
        and op.table not in creates
        and not rows_read_under_any_name(facts, op.table, op.seq)
    ]
    new_tables = [t for t in creates if t not in {op.table for op in drop_tables}]
    # the downgrade recreates a dropped table with its columns: a renamed table keeps most of
    # them, a redesign does not
    recreated = _restored_tables(facts)
    drop_tables = [
        op
        for op in drop_tables
        if op.table is None
        or op.table not in recreated
        or any(similar_tables(recreated[op.table], creates[t]) for t in new_tables)
    ]
    if len(drop_tables) == 1 and len(new_tables) == 1:
        first = drop_tables[0]
        created = min(creates[t].seq for t in new_tables)
        if any(
            facts.unread_before(table, first.seq, after=created) is not None
            for table in (first.table, *new_tables)
        ):
            return  # a step between the create and the drop lint cannot read may copy rows
        yield op_hit(
            "L306",
            first,
            f"upgrade drops table {', '.join(str(op.table) for op in drop_tables)} and creates "
            f"{', '.join(new_tables)}: if this is a rename, the rows are lost",
            fix=f"op.rename_table({first.table!r}, {new_tables[0]!r})",
        )


def _restored_tables(facts: Facts) -> dict[str, Operation]:
    downgrade = facts.module.downgrade
    return {
        op.table: op
        for op in (downgrade.operations if downgrade is not None else ())
        if op.name == "create_table" and op.table and op.columns
    }


def _restored_types(facts: Facts) -> dict[tuple[str, str], str]:
    """(table, column) -> type family of each column the downgrade adds back: the type a
    column the upgrade drops had."""
    downgrade = facts.module.downgrade
    restored: dict[tuple[str, str], str] = {}
    for op in downgrade.operations if downgrade is not None else ():
        if op.name == "add_column" and op.table:
            for column in op.columns:
                if column.name and column.type is not None:
                    restored[(op.table, column.name)] = column.type.family
    return restored
