"""Rules about a revision's two directions: L317 an empty upgrade, L318 a missing or empty
downgrade (scratch tables and data-only fills aside), L319 an upgrade operation the downgrade
never undoes (its raw SQL, helpers, loops and tables renamed in the revision included). Each rule
is a `Check` over lint.facts' `Facts`.

Longer than 500 lines for a reason: the undo keys (what would undo an upgrade operation) and the
done keys (what a downgrade does) are one vocabulary that L318 and L319 both read; split, each
half would have to mirror the other's key shapes.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator, Mapping, Sequence

from alembic_sentinel.lint.absent_drops import drop_finds_nothing
from alembic_sentinel.lint.column_keys import (
    check_dropped_with_column,
    primary_key_dropped_with_column,
)
from alembic_sentinel.lint.column_swaps import swaps_undone
from alembic_sentinel.lint.facts import (
    Facts,
    Hit,
    LintOptions,
    column_label,
    object_name,
    op_hit,
    sql_text,
)
from alembic_sentinel.lint.fallback_adds import fallback_add, fallback_create
from alembic_sentinel.lint.index_renames import (
    DROPPED_AT_START,
    at_start,
    index_renames,
    name_at_end,
    name_at_start,
)
from alembic_sentinel.lint.innodb_key_names import renamed_key_names
from alembic_sentinel.lint.inverse_redefinitions import redefined_in_place, whole_table_keys
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import is_none, literal_bool, string_list, string_value
from alembic_sentinel.lint.naming_convention import named_object, undone_by
from alembic_sentinel.lint.new_tables import goes_with_its_new_table
from alembic_sentinel.lint.noop_alters import no_op_alter
from alembic_sentinel.lint.recreated_keys import recreated_as_before
from alembic_sentinel.lint.reflected_keys import drops_every
from alembic_sentinel.lint.refusals import Refusals
from alembic_sentinel.lint.renamed_tables import table_renames
from alembic_sentinel.lint.restored_keys import restored_as_other_kind, was_plain_index
from alembic_sentinel.lint.revision_model import FunctionBody, OpaqueStep, Operation
from alembic_sentinel.lint.schema_changes import (
    drops_other_tools_bookkeeping,
    only_creates,
    only_temporary,
    schema_operations,
    temporary_tables,
)
from alembic_sentinel.lint.sql_reader import (
    CREATE_INDEX,
    CREATE_TABLE,
    DROP_INDEX,
    DROP_TABLE,
    RENAME_TABLE,
    SqlStatement,
)
from alembic_sentinel.lint.stated_intent import (
    EMPTY_ON_PURPOSE,
    MARKER,
    message_says_irreversible,
    says_not_undone,
    says_work_moved,
    speaks_of,
    stated_decisions,
    upgrade_decisions,
)
from alembic_sentinel.lint.structure_rules import CONSTRAINT_CREATES as _CONSTRAINT_CREATES
from alembic_sentinel.lint.table_presence import effective_base
from alembic_sentinel.lint.table_rebuilds import rebuilds_undone
from alembic_sentinel.lint.table_swaps import (
    renamed_aside,
)
from alembic_sentinel.lint.type_swaps import type_swaps_undone

# L317, L318, L319


def empty_upgrade(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    module = facts.module
    upgrade = module.upgrade
    if module.is_merge or module.branch_anchor:
        return  # a merge, a base or a branch's first revision: empty by design
    if "upgrade" in module.rebound:
        return  # the module binds upgrade another way (an import, an assignment): not read
    if upgrade is not None and not upgrade.empty:
        return  # the common case, decided before the messages are read
    if module.depends_on or EMPTY_ON_PURPOSE.search(module.docstring or ""):
        # it only orders the graph (depends_on: after a revision of another branch), or its
        # message says it is empty on purpose ("empty expand for symmetry", "placeholder")
        return
    if says_work_moved(module.docstring) or (
        upgrade is not None and upgrade.empty and says_work_moved(upgrade.docstring)
    ):
        return  # "Absorbed by fab4f4f31f8a": its work moved to the revision it names
    if upgrade is None:
        yield Hit("L317", "the revision has no upgrade()", 1, 1)
    elif upgrade.empty and upgrade.commented:
        return  # a comment says why it is empty
    elif upgrade.empty and MARKER.search(upgrade.docstring or ""):
        return  # its docstring says it is empty on purpose (a release marker)
    elif upgrade.empty and _empty_both_ways_and_built_on(facts, options):
        return  # changes nothing either way, and later revisions were built on it
    elif upgrade.empty:
        yield Hit(
            "L317",
            "upgrade() is empty in a revision that is not a merge",
            upgrade.line,
            upgrade.line,
        )


def _empty_both_ways_and_built_on(facts: Facts, options: LintOptions) -> bool:
    """Both directions empty in a revision a later revision names as its parent: a no-op kept
    as a link of the chain (a marker, a check whose work moved elsewhere), applied and built on
    already; an empty revision at a head may still be one forgotten while being written."""
    module = facts.module
    downgrade = module.downgrade
    return (
        downgrade is not None
        and downgrade.empty
        and module.revision_id is not None
        and module.revision_id in options.history.revised
    )


def missing_downgrade(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    downgrade = facts.module.downgrade
    if downgrade is None or not downgrade.empty or "downgrade" in facts.module.rebound:
        # no downgrade() at all: the project's template leaves it out (forward-only
        # migrations, as OpenStack's): a decision, not an oversight; a downgrade with a body
        # is L319's to check
        return
    refusals = Refusals([downgrade.docstring or "", *downgrade.remarks], facts.upgrade_ops)
    if (
        says_not_undone(downgrade)
        or message_says_irreversible(facts.module.docstring)
        or refusals.firm
    ):
        # its docstring or a comment says the change stays on purpose, or the revision's
        # message says it cannot be undone ("This is the irreversible part."), or a remark
        # firmly refuses ("No-op", "we cannot remove them"): a decision
        return
    if options.history.downgrades.forward_only_at(options.position):
        # the revisions around it (the whole history, or a long run since the project stopped
        # writing downgrades) leave theirs out or empty: `pass` is the forward-only convention
        # written out, not a forgotten inverse
        return
    # a data migration's rows stay as they are: an empty downgrade is its inverse; a table
    # created and dropped again in the upgrade (a temporary one) leaves nothing to undo
    paired = _undone_within(facts)
    temporary = temporary_tables(facts)
    fills = {fill.seq: fill for fill in facts.fills}
    changes = [
        op
        for op in schema_operations(facts)
        if op.seq not in paired
        and not (
            op.name in ("create_table", "drop_table") and (op.table or "").lower() in temporary
        )
        and not only_temporary(fills.get(op.seq), temporary)
        # the version table of the tool the project migrated from: nothing to restore
        and not drops_other_tools_bookkeeping(op, fills.get(op.seq))
        # an alter_column restating what the column already is changes nothing (round 32)
        and not no_op_alter(facts, options, op)
        # a guarded create of what the history already has never runs, a drop of what it
        # leaves absent finds nothing: no change to undo (as for L319; round 39)
        and not fallback_add(facts, options, op)
        and not fallback_create(facts, options, op)
        and not drop_finds_nothing(facts, options, op)
    ]
    # a remark refusing to undo a change it names ("leave status as VARCHAR")
    changes = [op for op in changes if not refusals.refuse(op)]
    module = facts.module
    history = options.history
    base = (module.branch_anchor and not module.down_revisions) or effective_base(
        history.lineage, history.no_ops, module.down_revisions
    )
    if changes and base and only_creates(changes, fills):
        # the first schema of a history (or of a branch with its own base): its inverse is
        # dropping every table, which `downgrade base` leaving the database as it is decides
        # against; a base revision that also drops or alters something is still reported.
        # The first revision doing anything after a no-op base ("baseline: all tables
        # already created") is that first schema too (round 39)
        return
    if changes:
        shown = ", ".join(f"{op.name} {_subject(op)} (line {op.line})" for op in changes[:3])
        more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
        yield Hit(
            "L318",
            f"downgrade() does nothing while upgrade() makes {len(changes)} schema change(s) "
            f"it does not undo: {shown}{more}",
            downgrade.line,
            downgrade.line,
        )


def _undo_keys(op: Operation) -> list[tuple[str, ...]]:
    """What in a downgrade would undo `op` (any one of them); [] when it cannot be paired. A
    downgrade that rebuilds the whole table (creates it, or renames a copy into its place)
    undoes every change to it."""
    keys = _direct_undo_keys(op)
    if keys and op.table and op.name not in ("create_table", "drop_table", "rename_table"):
        keys.append(("table_rebuilt", op.table))
    return keys


def _direct_undo_keys(op: Operation) -> list[tuple[str, ...]]:
    table = op.table or ""
    column = op.string("column_name") or ""
    whole = ("drop_table", table)
    if op.name == "create_table":
        return [whole]
    if op.name == "drop_table":
        return [("create_table", table)]
    if op.name == "add_column":
        names = [c.name for c in op.columns if c.name]
        return [("drop_column", table, names[0]), whole] if names else []
    if op.name == "drop_column":
        return [("add_column", table, column)] if column else []
    if op.name == "alter_column" and column:
        renamed = op.string("new_column_name")
        current = renamed or column
        return [("alter_column", table, current), ("drop_column", table, current), whole]
    if op.name == "rename_table":
        new = op.string("new_table_name")
        return [("rename_table", new)] if new else []
    if op.name == "create_index":
        index = op.string("index_name")
        if not index:
            return []
        # a drop of an index without its name on the table is its inverse, broken (L310's)
        unnamed = _unnamed_drop(table, "index")
        if literal_bool(op.param("unique")) is True:
            # a unique index is a unique key: drop_constraint(type_="unique") drops it
            keys = [("drop_index", index), ("drop_constraint", index), whole, at_start(index)]
            return [*keys, unnamed, _unnamed_drop(table, "unique")]
        return [("drop_index", index), whole, at_start(index), unnamed]
    if op.name == "drop_index":
        index = op.string("index_name")
        return [("create_index", index)] if index else []
    if op.name in _CONSTRAINT_CREATES:
        constraint = op.string("constraint_name")
        kind = next((k for k, create in _CREATE_BY_TYPE.items() if create == op.name), "")
        unnamed_drops = [_unnamed_drop(table, kind), _unnamed_drop(table, "")]
        return (
            [("drop_constraint", constraint), ("drop_index", constraint), whole, *unnamed_drops]
            if constraint
            else []
        )
    if op.name == "drop_constraint":
        constraint = op.string("constraint_name")
        # a constraint recreated without a name, on the same table and of the same type: the
        # naming convention gives it its name back
        unnamed = ("create_unnamed", table, op.string("type_") or "")
        return [("create_constraint", constraint), unnamed] if constraint else []
    return []


def _unnamed_drop(table: str, kind: str) -> tuple[str, ...]:
    """The key of a drop of a `kind` key ("foreignkey", "unique", "index"; "" when the drop
    gives no type_) on `table` written without its name: `drop_constraint(None, "t",
    type_="foreignkey")`, autogenerate's inverse of a key the model left unnamed. It is the
    inverse, broken: L310 says the name is missing, and L319 would only repeat it with a wrong
    hint (round 23)."""
    return ("drop_unnamed", table, kind)


def _done_keys(op: Operation) -> Iterator[tuple[str, ...]]:
    """What a downgrade operation does, in the terms of `_undo_keys`."""
    table = op.table or ""
    if op.name in ("create_table", "drop_table"):
        yield (op.name, table)
        if op.name == "create_table":
            yield ("table_rebuilt", table, "")
        # a foreign key, unique key or index recreated inside the table it belongs to
        named = [c for c in op.constraints if c.name]
        named += [fk for column in op.columns for fk in column.foreign_keys if fk.name]
        for constraint in named:
            yield ("create_constraint", constraint.name or "")
            yield ("create_index", constraint.name or "")
    elif op.name == "add_column":
        for column in op.columns:
            yield ("add_column", table, column.name or "")
            # a foreign key declared on the column (sa.ForeignKey(..., name=...)); without a
            # name, MySQL (or the naming convention) names it: it recreates a key dropped from
            # the table, as create_foreign_key(None, ...) does (round 22)
            for fk in column.foreign_keys:
                # and MySQL's index for it, named as the key or else as the column (round 34)
                yield ("create_index", fk.name or column.name or "")
                if fk.name:
                    yield ("create_constraint", fk.name)
                else:
                    yield ("create_unnamed", table, "foreignkey")
                    yield ("create_unnamed", table, "")
    elif op.name in ("drop_column", "alter_column"):
        yield (op.name, table, op.string("column_name") or "")
    elif op.name == "rename_table":
        yield ("rename_table", table)
        new = op.string("new_table_name")
        if new:
            yield ("table_rebuilt", new, table)  # a copy renamed into the table's place
    elif op.name in ("create_index", "drop_index"):
        yield (op.name, op.string("index_name") or "")
        if op.name == "drop_index" and is_none(op.param("index_name")):
            yield _unnamed_drop(table, "index")
    elif op.name in _CONSTRAINT_CREATES:
        yield ("create_constraint", op.string("constraint_name") or "")
        if op.name == "create_foreign_key":
            yield from _foreign_key_index(op)
        if is_none(op.param("constraint_name")):
            kind = next((k for k, create in _CREATE_BY_TYPE.items() if create == op.name), "")
            yield ("create_unnamed", table, kind)
            yield ("create_unnamed", table, "")
    elif op.name == "drop_constraint":
        yield ("drop_constraint", op.string("constraint_name") or "")
        if is_none(op.param("constraint_name")):
            yield _unnamed_drop(table, op.string("type_") or "")
        if op.string("type_") == "unique":
            # MySQL's DROP INDEX: any index of the name on the table, plain or unique
            yield (DROP_INDEX_AS_UNIQUE, table, op.string("constraint_name") or "")


def _foreign_key_index(op: Operation) -> Iterator[tuple[str, ...]]:
    """The index MySQL makes for a foreign key create_foreign_key adds, when no index of the
    table starts with its columns: named as the key, or (a key without a name) as its first
    column (checked on MariaDB 10.11). A downgrade recreating the key recreates the index an
    upgrade dropped with it (round 34)."""
    name = op.string("constraint_name")
    columns = string_list(op.param("local_cols"))
    if name:
        yield ("create_index", name)
    elif is_none(op.param("constraint_name")) and columns:
        yield ("create_index", columns[0])


def _sql_done_keys(statement: SqlStatement) -> Iterator[tuple[str, ...]]:
    """What a raw SQL statement does, in the terms of `_undo_keys` (names as Alembic's)."""
    table = statement.table or ""
    if statement.kind in (CREATE_TABLE, DROP_TABLE):
        yield (statement.kind, table)
        if statement.kind == CREATE_TABLE:
            # the table made again whole, as op.create_table's (_done_keys): its every column
            yield ("table_rebuilt", table, "")
    elif statement.kind == CREATE_INDEX and statement.index_name:
        yield ("create_index", statement.index_name)
        yield ("create_constraint", statement.index_name)
    elif statement.kind == DROP_INDEX and statement.index_name:
        yield ("drop_index", statement.index_name)
        yield ("drop_constraint", statement.index_name)
    elif statement.kind == RENAME_TABLE:
        yield ("rename_table", table)
    for action in statement.actions:
        name = action.name or ""
        if action.kind == "add_column":
            yield ("add_column", table, name)
        elif action.kind == "drop_column":
            yield ("drop_column", table, name)
        elif action.kind in ("change_column", "rename_column"):
            yield ("alter_column", table, name)
        elif action.kind in ("add_index", "add_constraint", "add_primary_key"):
            yield ("create_index", name)
            yield ("create_constraint", name)
        elif action.kind in ("drop_index", "drop_foreign_key", "drop_constraint"):
            yield ("drop_index", name)
            yield ("drop_constraint", name)
        elif action.kind == "rename_table":
            yield ("rename_table", table)


def _lowered(key: tuple[str, ...]) -> tuple[str, ...]:
    return (key[0], *(part.lower() for part in key[1:]))


# a drop_constraint(type_="unique"), which MySQL and MariaDB run as DROP INDEX (round 23)
DROP_INDEX_AS_UNIQUE = "drop_index_as_unique"

_TABLE_KEYS = frozenset(
    {
        DROP_INDEX_AS_UNIQUE,
        "add_column",
        "drop_column",
        "alter_column",
        "create_table",
        "drop_table",
        "create_unnamed",
        "drop_unnamed",
        "table_rebuilt",
    }
)


def _canonical(key: tuple[str, ...], aliases: dict[str, str]) -> tuple[str, ...]:
    """The key with its table under the name it had before the upgrade renamed it."""
    if key[0] in _TABLE_KEYS and len(key) > 1 and key[1] in aliases:
        return (key[0], aliases[key[1]], *key[2:])
    return key


def _body_done_keys(body: FunctionBody) -> list[tuple[int, tuple[str, ...]]]:
    """(seq, key) of what a function does: its operations and its raw SQL."""
    operations = (*body.operations, *body.helper_operations)
    done = [(op.seq, _lowered(key)) for op in operations for key in _done_keys(op)]
    renames = index_renames(body)
    for op in body.operations if renames else ():
        # the index renamed aside before its drop: the drop removes the one it was (round 22)
        index = op.string("index_name") if op.name == "drop_index" else None
        if index and name_at_start(renames, index, op.seq) != index.lower():
            # said as a drop of what was there when the function began: never paired with an
            # index the same function created before it (_paired_within)
            done.append((op.seq, (DROPPED_AT_START, name_at_start(renames, index, op.seq))))
    done.extend(whole_table_keys(body))  # helpers' rebuilds, metadata.create_all, t.drop(bind)
    for fill in body.fills:
        done.extend(
            (fill.seq, _lowered(key))
            for statement in fill.statements
            for key in _sql_done_keys(statement)
        )
    if renames:
        # an index created under a temporary name and renamed into place later: the function
        # leaves it under the final name (round 33)
        done.extend(
            (seq, (kind, name_at_end(renames, key[0], seq)))
            for seq, (kind, *key) in list(done)
            if kind in ("create_index", "create_constraint")
            and len(key) == 1
            and name_at_end(renames, key[0], seq) != key[0]
        )
    return done


def _undone_within(facts: Facts) -> set[int]:
    """_paired_within, once per revision (L318 and L319 both ask)."""
    found = facts.memo.get("undone_within")
    if not isinstance(found, set):
        found = facts.memo["undone_within"] = _paired_within(facts)
    return found


def _paired_within(facts: Facts) -> set[int]:
    """Upgrade operations a later one of the same upgrade undoes (an index created for a data
    migration and dropped again, a foreign key dropped around a change and created again): the
    pair leaves nothing for the downgrade to undo. An index dropped and created again may
    differ (columns, uniqueness), so the downgrade still has to restore it."""
    upgrade = facts.module.upgrade
    if upgrade is None:
        return set()
    # each key's seqs in the order _body_done_keys lists them: one lookup per operation, not a
    # scan of the whole upgrade (quadratic in a squashed revision's hundreds of operations)
    seqs_by_key: dict[tuple[str, ...], list[int]] = {}
    for seq, key in _body_done_keys(upgrade):
        seqs_by_key.setdefault(key, []).append(seq)
    paired: set[int] = set()
    for op in facts.upgrade_ops:
        created = op.name.startswith("create_") or op.name == "add_column"
        foreign_key = op.name == "drop_constraint" and op.string("type_") == "foreignkey"
        if not (created or foreign_key):
            continue
        undo = _undo_keys(op)[:1]  # the direct inverse only
        seqs = seqs_by_key.get(_lowered(undo[0]), []) if undo else []
        later = next((seq for seq in seqs if seq > op.seq), None)
        if later is not None:
            paired.add(op.seq)
            paired.add(later)
    return paired | _leftovers_cleared(upgrade, seqs_by_key)


def _leftovers_cleared(
    upgrade: FunctionBody, seqs_by_key: dict[tuple[str, ...], list[int]]
) -> set[int]:
    """Drops under an `if` lint cannot decide (`if "t" in inspector.get_table_names():
    op.drop_table("t")`) that a later step of the upgrade creates again: the drop clears a
    leftover the database may or may not hold, and the pair is one creation, undone by the
    downgrade's inverse of the create (which L319 still asks for). Unconditional, the drop and
    create are a rebuild of something that was there (_rebuilt_in_place); a conditional
    change with no such create keeps its own inverse to find (a guarded create_index the
    downgrade leaves is still reported)."""
    cleared: set[int] = set()
    for op in upgrade.operations:
        if op.seq not in upgrade.conditional or not op.name.startswith("drop_"):
            continue
        undo = _direct_undo_keys(op)[:1]
        seqs = seqs_by_key.get(_lowered(undo[0]), []) if undo else []
        if any(seq > op.seq for seq in seqs):
            cleared.add(op.seq)
    return cleared


def _renamed_later(facts: Facts) -> dict[tuple[str | None, str, str], str]:
    """(table, column, "add_column") -> the name a later alter_column renames the added column
    to; (table, column, "drop_column") -> that name again when a later rename reuses the
    dropped column's name."""
    found: dict[tuple[str | None, str, str], str] = {}
    for op in facts.upgrade_ops:
        new = op.string("new_column_name")
        old = op.string("column_name")
        if op.name != "alter_column" or not new or not old:
            continue
        for earlier in facts.upgrade_ops:
            if earlier.seq >= op.seq or earlier.table != op.table:
                continue
            if earlier.name == "add_column" and any(c.name == old for c in earlier.columns):
                found[(op.table, old, "add_column")] = new
            elif earlier.name == "drop_column" and earlier.string("column_name") == new:
                found[(op.table, new, "drop_column")] = new
    return found


_NAMING = ("drop_table", "rename_table")  # a new table's own name: no drop of it undoes them


def downgrade_incomplete(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    downgrade = facts.module.downgrade
    if downgrade is None or downgrade.empty or downgrade.always_raises:
        # L318's case, or a downgrade that says it is irreversible by always raising (what
        # follows its `raise` never runs: Alembic's generated inverse kept below it, say)
        return
    # a table the upgrade renames is one table under two names: the downgrade may undo the
    # changes after renaming it back (old name), the upgrade made them under the new one
    # (op.rename_table, or raw RENAME TABLE / ALTER TABLE ... RENAME TO)
    aliases = {rename.new: rename.old for rename in table_renames(facts)}
    done = set()
    for _, key in _body_done_keys(downgrade):
        key = _canonical(key, aliases)
        if key[0] == "table_rebuilt":
            # renaming the table back to its old name is no rebuild
            if aliases.get(key[2], key[2]) == key[1]:
                continue
            key = key[:2]
        done.add(key)
    upgrade = facts.module.upgrade
    upgrade_renames = index_renames(upgrade) if upgrade is not None else []
    renamed = _renamed_later(facts)
    templates = options.convention_templates()
    # what most revisions never need (their downgrade's inverse is found first): worked out
    # the first time an operation gets that far
    reasons = _LaterReasons(facts, downgrade, done, options, templates)
    for op in facts.upgrade_ops:
        if goes_with_its_new_table(facts, op, done):
            continue  # undone by the drop of the table it created
        if no_op_alter(facts, options, op):
            continue  # restates what the column already is: no change to undo (round 30)
        if renamed_aside(facts.upgrade_ops, op):
            continue  # renamed aside for a rebuild: the rebuilt table's create_table is checked
        if fallback_add(facts, options, op) or fallback_create(facts, options, op):
            continue  # a guarded add for a database missing a column the history has
        if drop_finds_nothing(facts, options, op):
            continue  # drops what the history leaves absent: nothing for the downgrade to restore
        dropped = _dropped_later(facts, op)
        if dropped is not None and any(
            _canonical(_lowered(key), aliases) in done for key in _undo_keys(dropped)
        ):
            continue  # altered, then dropped: the downgrade's add_column restores it whole
        undo = _undo_keys(op)
        if options.target.is_mysql and op.name in ("drop_constraint", "create_foreign_key"):
            # `<t>_ibfk_<n>` follows the table's renames on InnoDB: the inverse may be written
            # under the name the key has on the other side of a rename (round 39)
            kind = "create_constraint" if op.name == "drop_constraint" else "drop_constraint"
            renames = [(r.old, r.new) for r in table_renames(facts)]
            others = renamed_key_names(op.string("constraint_name"), renames)
            undo = [*undo, *((kind, other) for other in others)]
        if options.target.is_mysql and op.name == "create_index" and op.string("index_name"):
            # Alembic drops a unique key by DROP INDEX there: it takes a plain index as well
            undo = [*undo, (DROP_INDEX_AS_UNIQUE, op.table or "", op.string("index_name") or "")]
        index = op.string("index_name") if op.name == "drop_index" else None
        if index and upgrade_renames:
            # an index renamed aside then dropped: created again under its first name, undone
            undo = [*undo, ("create_index", name_at_start(upgrade_renames, index, op.seq))]
        created = op.string("index_name") if op.name == "create_index" else None
        final = name_at_end(upgrade_renames, created, op.seq) if created else None
        if created and final and final != created.lower():
            # created under a temporary name, renamed into place: the upgrade leaves `final`
            undo = [*undo, *_renamed_index_undo_keys(op, final, options)]
        if op.name in ("add_column", "drop_column"):
            column = op.columns[0].name if op.name == "add_column" and op.columns else None
            column = column or op.string("column_name")
            later = renamed.get((op.table, column, op.name)) if column else None
            if later is not None:
                # added then renamed (undone by dropping the new name), or dropped and
                # replaced by a column renamed to its name (the swap of a column's type)
                if op.name == "drop_column":
                    continue
                undo = [
                    ("drop_column", op.table or "", later),
                    ("alter_column", op.table or "", later),
                ]
        if undo and op.name not in _NAMING and op.table and facts.is_new_table(op.table):
            undo = [*undo, ("drop_table", op.table)]  # dropping a new table undoes all on it
        if not undo or any(_canonical(_lowered(key), aliases) in done for key in undo):
            continue
        if op.seq in reasons.paired:
            continue  # undone within the upgrade
        if op.table is None and _undone_on_some_table(undo, done):
            continue  # on a table named at run time: the inverse on any table may be it
        if undone_by(op, downgrade.operations, templates) or _goes_with_its_columns(
            op, facts.upgrade_ops, downgrade.operations, options
        ):
            continue
        # what the downgrade, or a project helper it calls (`drop_fk(t, ["c"])`), drops under
        # the names reflection reports
        dropping = (*downgrade.operations, *downgrade.helper_operations)
        reflected = [other.reflected for other in dropping if other.reflected]
        if op.seq in reasons.recreated or drops_every(reflected, op.name, named_object(op)):
            continue
        if restored_as_other_kind(op, downgrade.operations, options):
            continue  # an index restored as the unique constraint it is, or the reverse
        if redefined_in_place(op, downgrade.operations):
            continue  # dropped under a name found at run time, then defined again
        if reasons.leaves_all or any(speaks_of(decision, op) for decision in reasons.decisions):
            continue  # "No downgrade for the other columns": a stated decision
        if reasons.refusals.refuse(op):
            continue  # "Cannot restore UNIQUE ...; only ensure the index exists"
        if _index_of_left_column(op, reasons.left_columns):
            continue  # the index of a column the downgrade leaves dropped on purpose
        given = _column_object_given(op, downgrade.operations)
        if given is not None:
            yield op_hit(
                "L319",
                op,
                f"downgrade() does not undo {op.name} {_subject(op)}: its drop_column (line "
                f"{given.line}) is given a Column object, not the column's name, and fails when "
                f"it runs (Alembic makes a Column of its argument, SQLAlchemy refuses a Column "
                f"as a name); expected op.drop_column({op.table!r}, {op.columns[0].name!r})",
            )
            continue
        if _unread_inverse(op, undo, downgrade, aliases) is not None:
            continue  # a step of the downgrade lint cannot read may be the inverse
        yield op_hit(
            "L319",
            op,
            f"downgrade() does not undo {op.name} {_subject(op)} "
            f"(expected {_inverse_operation(op, undo[0][0], options)})",
        )


class _LaterReasons:
    """What excuses an upgrade operation the downgrade does not plainly undo (L319), each
    worked out on first use: most operations are undone by the downgrade's inverse of them,
    and a revision whose operations all are never pays for these (pure, so computing them
    late changes no finding)."""

    def __init__(
        self,
        facts: Facts,
        downgrade: FunctionBody,
        done: set[tuple[str, ...]],
        options: LintOptions,
        templates: Mapping[str, str] | None,
    ) -> None:
        self._facts, self._downgrade, self._done = facts, downgrade, done
        self._options, self._templates = options, templates

    @functools.cached_property
    def paired(self) -> set[int]:
        """Operations undone within the upgrade: by a later one, a rebuild, a key dropped and
        created again as it was, a column dropped and added again with its type turned back,
        a type swapped by a rename aside."""
        facts, downgrade = self._facts, self._downgrade
        paired = _undone_within(facts) | rebuilds_undone(
            facts, downgrade, self._done, self._options
        )
        paired |= recreated_as_before(facts, self._options)
        paired |= type_swaps_undone(facts, downgrade)
        paired |= swaps_undone(facts.module.upgrade, downgrade)
        return paired

    @functools.cached_property
    def recreated(self) -> set[int]:
        return _foreign_keys_recreated(self._facts, self._downgrade.operations, self._templates)

    @functools.cached_property
    def _stated(self) -> tuple[bool, list[str]]:
        # what the downgrade says it leaves on purpose: everything, when it does no schema
        # work at all (`print("No downgrade for this")`); else only the changes a decision
        # speaks of, and the remarks refusing a change (lint/refusals.py): firmly, they leave
        # everything too
        decisions = stated_decisions(self._downgrade)
        leaves_all = (bool(decisions) or self.refusals.firm) and not self._done
        # the upgrade may say beside its change why the downgrade leaves it (round 28)
        decisions += upgrade_decisions(self._facts.module.upgrade)
        return leaves_all, decisions

    @property
    def leaves_all(self) -> bool:
        return self._stated[0]

    @property
    def decisions(self) -> list[str]:
        return self._stated[1]

    @functools.cached_property
    def refusals(self) -> Refusals:
        downgrade = self._downgrade
        return Refusals(
            [downgrade.docstring or "", *downgrade.remarks],
            self._facts.upgrade_ops,
            downgrade.operations,
        )

    @functools.cached_property
    def left_columns(self) -> set[tuple[str, str]]:
        return _columns_left(self._facts.upgrade_ops, self.decisions)


def _renamed_index_undo_keys(
    op: Operation, final: str, options: LintOptions
) -> list[tuple[str, ...]]:
    """What undoes a create_index whose index the upgrade renames to `final` afterwards: a drop
    of `final`, as a drop of the index itself would undo it under its first name."""
    keys: list[tuple[str, ...]] = [("drop_index", final), at_start(final)]
    if literal_bool(op.param("unique")) is True:
        keys.append(("drop_constraint", final))
    if options.target.is_mysql:
        keys.append((DROP_INDEX_AS_UNIQUE, op.table or "", final))
    return keys


def _dropped_later(facts: Facts, alter: Operation) -> Operation | None:
    """The drop_column by which the upgrade drops, later, the column an alter_column leaves
    (under its new name when it renames it): nothing of the alter outlives the upgrade, and
    the downgrade's add_column of the column, the drop's inverse, gives it back as it was
    before the revision (the alter's state included; round r28)."""
    column = alter.string("new_column_name") or alter.string("column_name")
    if alter.name != "alter_column" or not column or not alter.table:
        return None
    return next(
        (
            other
            for other in facts.upgrade_ops
            if other.seq > alter.seq
            and other.name == "drop_column"
            and (other.table or "").lower() == alter.table.lower()
            and (other.string("column_name") or "").lower() == column.lower()
        ),
        None,
    )


def _undone_on_some_table(undo: Sequence[tuple[str, ...]], done: set[tuple[str, ...]]) -> bool:
    """Whether the downgrade does an inverse of an upgrade operation whose table lint cannot
    name (`op.add_column(table, ...)` in a loop over tables read at run time), on any table:
    the same kind of change to an object of the same name (opaque_steps.py, from the upgrade's
    side)."""
    wanted = {(key[0], *key[2:]) for key in undo if key[0] in _TABLE_KEYS}
    return any(key[0] in _TABLE_KEYS and (key[0], *key[2:]) in wanted for key in done)


def _unread_inverse(
    op: Operation,
    undo: Sequence[tuple[str, ...]],
    downgrade: FunctionBody,
    aliases: Mapping[str, str],
) -> OpaqueStep | None:
    """The first step of the downgrade lint cannot read that may undo `op`: one that may do
    anything, or an operation named at run time of an inverse's kind (opaque_steps.py), on the
    operation's table (under either name, when the upgrade renames it) or on a table lint cannot
    name, on its object and kind of key when the step names them, and before the downgrade
    creates the same object again (a drop after that takes the new one)."""
    kinds = {key[0] for key in undo}
    tables = {op.table.lower()} if op.table else {""}
    tables |= {new for new, old in aliases.items() if old in tables}
    wanted = _object_name(op)
    kind = _key_kind(op)
    again = next(
        (
            other.seq
            for other in downgrade.operations
            if other.name == op.name
            and op.name.startswith("create_")
            and wanted is not None
            and _object_name(other) == wanted
        ),
        None,
    )
    for step in downgrade.opaque_steps:
        if again is not None and step.seq > again:
            break
        if not any(step.may_touch(table or None) for table in tables):
            continue
        if step.effects is not None and step.effects.isdisjoint(kinds):
            continue  # it can only make another kind of change
        if step.names is not None and wanted is not None and wanted not in step.names:
            continue  # it names another column, index or key
        if not _same_kind_of_key(step.key_kind, kind):
            continue  # it drops a foreign key, the upgrade made an index
        return step
    return None


def _key_kind(op: Operation) -> str | None:
    """The kind of key an upgrade operation makes ("foreignkey", "unique", "check",
    "primary", "index") or drops (its type_); None for other operations."""
    if op.name == "create_index":
        return "unique" if literal_bool(op.param("unique")) is True else "index"
    made = {
        "create_foreign_key": "foreignkey",
        "create_unique_constraint": "unique",
        "create_check_constraint": "check",
        "create_primary_key": "primary",
    }.get(op.name)
    return made or (op.string("type_") if op.name == "drop_constraint" else None)


def _same_kind_of_key(step: str | None, op: str | None) -> bool:
    """Whether a step on keys of one kind may undo an operation on a key of the other (an index
    and a unique key are one thing to MySQL's DROP INDEX)."""
    if step is None or op is None or step == op:
        return True
    return {step, op} <= {"unique", "index"}


def _object_name(op: Operation) -> str | None:
    """The column, index or key an operation is about (lowercase); None for a table's."""
    if op.name == "add_column":
        name = op.columns[0].name if op.columns else None
    else:
        name = (
            op.string("new_column_name")
            or op.string("column_name")
            or op.string("index_name")
            or op.string("constraint_name")
        )
    return name.lower() if name else None


def _column_object_given(op: Operation, downgrade: Sequence[Operation]) -> Operation | None:
    """The downgrade's drop_column of the column `op` adds, written with a Column object where
    Alembic wants the name (`op.drop_column("t", sa.Column("x"))`): Alembic wraps the argument
    in a Column of its own and SQLAlchemy refuses a Column as a column's name, so the drop
    never runs (round 22)."""
    if op.name != "add_column" or not op.columns or not op.columns[0].name:
        return None
    for other in downgrade:
        given = other.param("column_name") if other.name == "drop_column" else None
        if other.table != op.table or type(given) is not ast.Call or not given.args:
            continue
        func = given.func
        callee = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
        if callee == "Column" and string_value(given.args[0]) == op.columns[0].name:
            return other
    return None


def _goes_with_its_columns(
    op: Operation,
    upgrade: Sequence[Operation],
    downgrade: Sequence[Operation],
    options: LintOptions,
) -> bool:
    """Whether a downgrade's drop_column takes the index or constraint `op` creates with it:
    PostgreSQL drops every index and constraint that involves the column (a check's condition
    naming it included); MySQL drops an index once all of its columns are gone, a one-column
    primary key included, and a CHECK over that column alone (column_keys)."""
    made = named_object(op)
    if made is None or not op.name.startswith("create_"):
        return False
    dropped = {
        (other.string("column_name") or "").lower()
        for other in downgrade
        if other.name == "drop_column" and (other.table or "").lower() == made.table
    }
    dropped.discard("")
    if not dropped:
        return False
    columns = set(made.columns or ())
    if made.kind == "ck" or made.columns is None:
        # a check's condition, an expression index's text: the dropped columns they name
        written = op.param("condition") if made.kind == "ck" else op.param("columns")
        text = ast.unparse(written).lower() if written is not None else ""
        columns = {word for word in re.findall(r"\w+", text) if word in dropped}
    if options.target.is_mysql and made.kind == "pk":
        return primary_key_dropped_with_column(made, upgrade, downgrade, options)
    if options.target.is_mysql and made.kind == "ck":
        # a CHECK over the dropped column alone goes with it (round 40)
        return check_dropped_with_column(op.param("condition"), dropped)
    if options.target.is_mysql:
        # a functional index's column is refused (ER_DEPENDENT_BY_FUNCTIONAL_INDEX)
        literal = made.columns is not None
        return made.kind in ("ix", "uq") and literal and bool(columns) and columns <= dropped
    return bool(columns & dropped)


# the names MySQL and PostgreSQL give a foreign key created without one
_SERVER_FOREIGN_KEY_NAME = LazyPattern(r".+_ibfk_\d+|.+_fkey\d*")


def _foreign_keys_recreated(
    facts: Facts, downgrade: Sequence[Operation], templates: Mapping[str, str] | None
) -> set[int]:
    """Upgrade drops of foreign keys named by the server ("orders_ibfk_2"), which the code
    cannot tie to columns, that a downgrade creating foreign keys on the same table under
    other names restores: paired one for one, in order, per table."""
    spare: dict[str, int] = {}
    for other in downgrade:
        if other.name == "create_foreign_key" and other.table:
            if not undone_by(other, facts.upgrade_ops, templates):
                spare[other.table.lower()] = spare.get(other.table.lower(), 0) + 1
    recreated: set[int] = set()
    for op in facts.upgrade_ops:
        name = op.string("constraint_name") or ""
        table = (op.table or "").lower()
        if (
            op.name == "drop_constraint"
            and op.string("type_") == "foreignkey"
            and _SERVER_FOREIGN_KEY_NAME.fullmatch(name)
            and spare.get(table, 0) > 0
        ):
            spare[table] -= 1
            recreated.add(op.seq)
    return recreated


_CREATE_BY_TYPE = {
    "foreignkey": "create_foreign_key",
    "unique": "create_unique_constraint",
    "check": "create_check_constraint",
    "primary": "create_primary_key",
}


def _inverse_operation(op: Operation, key: str, options: LintOptions) -> str:
    """The Alembic operation a downgrade would call to undo `op` ("create_constraint" is a
    key of ours: the drop's type_ says which create_* it is; a "unique" key the history shows
    was a plain index, which MySQL's DROP INDEX took, comes back by create_index)."""
    if key != "create_constraint":
        return f"op.{key}"
    if was_plain_index(op, options):
        return "op.create_index"
    kind = op.string("type_")
    if kind in _CREATE_BY_TYPE:
        return f"op.{_CREATE_BY_TYPE[kind]}"
    return "op.create_foreign_key / op.create_unique_constraint / op.create_check_constraint"


def _subject(op: Operation) -> str:
    """What an operation is about, for messages: "election.isListed", "ix_a_b on a", "party",
    an op.execute's SQL (its start)."""
    if op.name == "execute":
        text = sql_text(op)
        if text is None:
            return "(SQL lint cannot read)"
        flat = " ".join(text.split())
        return f'"{flat[:60]}..."' if len(flat) > 60 else f'"{flat}"'
    if op.name == "add_column" and op.columns:
        return column_label(op, op.columns[0].name)
    column = op.string("column_name")
    if column:
        return column_label(op, column)
    name = op.string("index_name") or op.string("constraint_name")
    table = op.table_label()
    if name:
        return f"{name} on {table}"
    if op.name in _CONSTRAINT_CREATES or op.name in ("create_index", "drop_constraint"):
        return f"{object_name(op, 'index_name', 'constraint_name')} on {table}"
    return table


def _columns_left(ops: Sequence[Operation], decisions: Sequence[str]) -> set[tuple[str, str]]:
    """(table, column) of each column the upgrade drops that a stated decision speaks of: the
    downgrade leaves it dropped on purpose."""
    if not decisions:
        return set()
    return {
        (op.table, column)
        for op in ops
        if op.name == "drop_column" and op.table
        for column in [op.string("column_name")]
        if column and any(speaks_of(decision, op) for decision in decisions)
    }


def _index_of_left_column(op: Operation, left: set[tuple[str, str]]) -> bool:
    """Whether `op` drops an index named for a column left dropped on purpose on its table
    (`ix_t_c` ending in `_c`): an index cannot come back without its column."""
    index = op.string("index_name") if op.name == "drop_index" else None
    if not index or not left:
        return False
    table = op.table or op.string("table_name")
    return any(
        (table is None or table == t) and index.lower().endswith(f"_{column.lower()}")
        for t, column in left
    )
