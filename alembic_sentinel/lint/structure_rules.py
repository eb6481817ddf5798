"""Rules about how the revision is written: constraint names, what it imports and runs, downgrade.

L310 a drop of a constraint or index by name None, L311 a constraint left for MySQL to name,
L315 an op call at import time, L316 an import of the application's own code, L317 an empty
upgrade, L318 a missing or empty downgrade, L319 an upgrade operation the downgrade never undoes.
Each rule is a `Check` over lint.facts' `Facts`.
"""

from __future__ import annotations

from collections.abc import Iterator

from alembic_sentinel.lint.facts import (
    Facts,
    Hit,
    LintOptions,
    all_operations,
    column_label,
    op_hit,
)
from alembic_sentinel.lint.literals import is_none
from alembic_sentinel.lint.revision_model import Operation

_CONSTRAINT_CREATES = frozenset(
    {
        "create_unique_constraint",
        "create_foreign_key",
        "create_check_constraint",
        "create_primary_key",
    }
)


# L310, L311


def drop_unnamed_constraint(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in all_operations(facts.module):
        if op.name == "drop_constraint" and is_none(op.param("constraint_name")):
            yield op_hit(
                "L310",
                op,
                f"drop_constraint(None) on {op.table or '?'} can never run: the constraint needs "
                "its name",
            )
        elif op.name == "drop_index" and is_none(op.param("index_name")):
            yield op_hit(
                "L310", op, f"drop_index(None) on {op.table or '?'} can never run: it needs a name"
            )


def unnamed_constraint(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    if options.naming_convention:
        return
    for op in all_operations(facts.module):
        table = op.table or "?"
        if op.name in _CONSTRAINT_CREATES and op.name != "create_primary_key":
            if is_none(op.param("constraint_name")):
                yield op_hit("L311", op, f"{op.name}(None, ...) on {table}: MySQL invents the name")
            continue
        if op.name not in ("create_table", "add_column"):
            continue
        for constraint in op.constraints:
            if constraint.kind in ("foreign_key", "unique", "check") and not constraint.named:
                on = f" on ({', '.join(constraint.columns)})" if constraint.columns else ""
                kind = constraint.kind.replace("_", " ")
                yield op_hit(
                    "L311",
                    op,
                    f"{op.name} {table}: {kind} constraint{on} has no name: MySQL invents one",
                )
        for column in op.columns:
            for fk in column.foreign_keys:
                if not fk.named:
                    yield op_hit(
                        "L311",
                        op,
                        f"{op.name} {table}: the foreign key of column {column.name or '?'} has "
                        f"no name: MySQL names it {table}_ibfk_N",
                    )


# L315, L316


def module_level_op(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for call in facts.module.module_calls:
        yield Hit(
            "L315",
            f"{call.call}() runs at import time, outside any migration",
            call.line,
            call.end_line,
        )


def imports_app_models(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    if not options.local_packages:
        return
    for imported in facts.module.imports:
        if imported.module.split(".", 1)[0] in options.local_packages:
            yield Hit(
                "L316",
                f"imports {imported.module}, the application's own code: this revision breaks "
                "when it changes",
                imported.line,
                imported.end_line,
            )


# L317, L318, L319


def empty_upgrade(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    module = facts.module
    upgrade = module.upgrade
    if module.is_merge:
        return
    if upgrade is None:
        yield Hit("L317", "the revision has no upgrade()", 1, 1)
    elif upgrade.empty:
        yield Hit(
            "L317",
            "upgrade() is empty in a revision that is not a merge",
            upgrade.line,
            upgrade.line,
        )


def missing_downgrade(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    module = facts.module
    downgrade = module.downgrade
    if downgrade is None:
        line = module.upgrade.line if module.upgrade is not None else 1
        yield Hit("L318", "the revision has no downgrade()", line, line)
    elif downgrade.empty and facts.upgrade_ops:
        yield Hit(
            "L318",
            f"downgrade() does nothing while upgrade() makes {len(facts.upgrade_ops)} operation(s)",
            downgrade.line,
            downgrade.line,
        )


def _undo_keys(op: Operation) -> list[tuple[str, ...]]:
    """What in a downgrade would undo `op` (any one of them); [] when it cannot be paired."""
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
        return [("drop_index", index), whole] if index else []
    if op.name == "drop_index":
        index = op.string("index_name")
        return [("create_index", index)] if index else []
    if op.name in _CONSTRAINT_CREATES:
        constraint = op.string("constraint_name")
        return (
            [("drop_constraint", constraint), ("drop_index", constraint), whole]
            if constraint
            else []
        )
    if op.name == "drop_constraint":
        constraint = op.string("constraint_name")
        return [("create_constraint", constraint)] if constraint else []
    return []


def _done_keys(op: Operation) -> Iterator[tuple[str, ...]]:
    """What a downgrade operation does, in the terms of `_undo_keys`."""
    table = op.table or ""
    if op.name in ("create_table", "drop_table"):
        yield (op.name, table)
    elif op.name == "add_column":
        for column in op.columns:
            yield ("add_column", table, column.name or "")
    elif op.name in ("drop_column", "alter_column"):
        yield (op.name, table, op.string("column_name") or "")
    elif op.name == "rename_table":
        yield ("rename_table", table)
    elif op.name in ("create_index", "drop_index"):
        yield (op.name, op.string("index_name") or "")
    elif op.name in _CONSTRAINT_CREATES:
        yield ("create_constraint", op.string("constraint_name") or "")
    elif op.name == "drop_constraint":
        yield ("drop_constraint", op.string("constraint_name") or "")


def downgrade_incomplete(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    downgrade = facts.module.downgrade
    if downgrade is None or downgrade.empty or downgrade.raises_only:
        return  # L318's case, or a downgrade that says it is irreversible
    done = {key for op in downgrade.operations for key in _done_keys(op)}
    for op in facts.upgrade_ops:
        undo = _undo_keys(op)
        if undo and not any(key in done for key in undo):
            yield op_hit(
                "L319",
                op,
                f"downgrade() does not undo {op.name} {_subject(op)} (expected {undo[0][0]})",
            )


def _subject(op: Operation) -> str:
    """What an operation is about, for messages: "election.isListed", "ix_a_b on a", "party"."""
    if op.name == "add_column" and op.columns:
        return column_label(op, op.columns[0].name)
    column = op.string("column_name")
    if column:
        return column_label(op, column)
    name = op.string("index_name") or op.string("constraint_name")
    if name:
        return f"{name} on {op.table or '?'}"
    return op.table or "?"
