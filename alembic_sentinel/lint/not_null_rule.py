"""L301: a NOT NULL column added to a table that may hold rows, without a server_default.

What the existing rows get is the question: MySQL gives each the type's implicit value, and
PostgreSQL and SQLite refuse the ADD. lint.table_rows says when the revision itself shows the
rows need nothing (an emptied table) or get the value the author wants (the upgrade writes
the column after the add, which counts on MySQL/MariaDB only: elsewhere the ADD fails first).
When the application's model declares as the column's client-side default the very value
MySQL fills in (model_defaults.py), the rows hold what the application writes for a new row:
a notice that the revision should say so, not an error.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from alembic_sentinel.lint.facts import (
    Facts,
    Hit,
    LintOptions,
    auto_increment,
    column_label,
    op_hit,
)
from alembic_sentinel.lint.kind_rules import value_kind, wrong_kind
from alembic_sentinel.lint.model_defaults import ModelDefault, model_default
from alembic_sentinel.lint.revision_model import (
    BLOB,
    BOOLEAN,
    DEFAULT_NONE,
    ENUM,
    INTEGER,
    NUMERIC,
    STRING,
    TEXT,
    ColumnSpec,
    Operation,
    TypeSpec,
)
from alembic_sentinel.lint.table_rows import empty_at, refilled_after_add, written_after_add
from alembic_sentinel.report.model import NOTICE

_UNKNOWN_IMPLICIT = "the type's implicit default"


def _implicit_default(column_type: TypeSpec | None) -> str:
    family = column_type.family if column_type is not None else None
    if family in (STRING, TEXT, BLOB):
        return "''"
    if family == ENUM and column_type is not None and column_type.values:
        return repr(column_type.values[0])
    if family in (INTEGER, NUMERIC, BOOLEAN):
        return "0"
    return _UNKNOWN_IMPLICIT


def _default_is_implicit(column: ColumnSpec) -> bool:
    """Whether the column's literal client-side `default=` is the implicit value MySQL gives
    existing rows of its type. A callable, an expression or another literal (`default=1`)
    differs from what the rows get."""
    node = column.default_node
    return type(node) is ast.Constant and _is_implicit_value(node.value, column.type)


def _is_implicit_value(value: object, typed: TypeSpec | None) -> bool:
    """Whether `value` is the implicit value MySQL gives existing rows of the type: 0 (or
    False) for a number or a boolean, "" for a string or a text, b"" for a blob, the first
    value of an Enum. A type whose implicit value lint does not know (a date) never is."""
    if typed is None:
        return False
    if typed.family in (INTEGER, NUMERIC, BOOLEAN):
        return type(value) in (int, float, bool) and value == 0
    if typed.family in (STRING, TEXT):
        return value == "" and type(value) is str
    if typed.family == BLOB:
        return value == b"" and type(value) is bytes
    if typed.family == ENUM and typed.values:
        return type(value) is str and value == typed.values[0]
    return False


# column names that say the integer counts from 0: SQLAlchemy's optimistic-concurrency counter
# (`version_id_col`, Rails' lock_version) and counters of retries / attempts. A `*_count` in
# general is not one (round 19's warre: `instance_count` of a reservation is no tally from 0)
_COUNTERS = frozenset(
    {
        "version",
        "version_id",
        "lock_version",
        "row_version",
        "retries",
        "retry_count",
        "attempts",
        "attempt_count",
    }
)


def _counter_from_zero(column: ColumnSpec) -> bool:
    """Whether the column is an integer counter by its name (_COUNTERS): existing rows have
    counted nothing yet, so the 0 MySQL gives them is the value the application would write."""
    typed = column.type
    return (
        typed is not None and typed.family == INTEGER and (column.name or "").lower() in _COUNTERS
    )


def not_null_without_default(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in facts.upgrade_ops:
        if op.name != "add_column" or facts.new_at(op.table, op.seq):
            continue
        if empty_at(facts, op.table, op.seq):
            continue  # every row deleted first: no row to fill, none to refuse
        for column in op.columns:
            if (
                column.not_null
                and column.server_default in (None, DEFAULT_NONE)
                and not column.generated
                and not auto_increment(column, op.rebuilt)
            ):
                if options.target.is_mysql and _counter_from_zero(column):
                    # an optimistic-concurrency version or a retry counter: 0, MySQL's implicit
                    # value, is the right start for rows that have had no update or retry yet
                    continue
                if options.target.is_mysql and _default_is_implicit(column):
                    # the column's own client-side default (`default=0`) is the value MySQL
                    # gives the existing rows: they hold what the application would write
                    continue
                if (
                    options.target.is_mysql
                    and column.type is not None
                    and _implicit_default(column.type) != _UNKNOWN_IMPLICIT
                    and (
                        (
                            written_after_add(facts, op.table, column.name, op.seq)
                            and not _wrong_kind_written(facts, op, column.name, column.type)
                        )
                        or refilled_after_add(facts, op.table, column.name, op.seq)
                    )
                ):
                    # MySQL gives the rows a known value ('', 0, the first Enum value) and the
                    # upgrade then writes the value it wants; a zero date or a type lint
                    # cannot read may make the ADD itself fail in strict mode: still reported
                    continue
                label = column_label(op, column.name)
                declared = _model_default(options, op, column)
                if declared is not None:
                    # the rows get the value the application's model writes for a new row
                    # that leaves the column out (rounds 39-43): nothing wrong is filled, but
                    # only the model says so, not the revision
                    yield _model_default_notice(op, label, column.type, declared)
                    continue
                yield op_hit(
                    "L301",
                    op,
                    f"add_column {label} is NOT NULL without a "
                    f"server_default: {_effect(options, column.type)}",
                )


def _model_default(options: LintOptions, op: Operation, column: ColumnSpec) -> ModelDefault | None:
    """The application's model default for the column when, on MySQL/MariaDB, it is the
    implicit value the existing rows get; None otherwise (PostgreSQL and SQLite refuse the
    ADD whatever the model says)."""
    if not options.target.is_mysql or not op.table or not column.name:
        return None
    declared = model_default(options.application_code, op.table, column.name)
    if declared is None or not _is_implicit_value(declared.value, column.type):
        return None
    return declared


_MODEL_DEFAULT_FIX = (
    "give it a server_default stating the value the rows get (the model's default), or fill "
    "the column in the revision"
)
# the server_default that states each family's implicit value in the revision
_STATED_DEFAULTS = {BOOLEAN: "sa.false()", INTEGER: '"0"', NUMERIC: '"0"', STRING: '""'}


def _model_default_notice(
    op: Operation, label: str, typed: TypeSpec | None, declared: ModelDefault
) -> Hit:
    implicit = _implicit_default(typed)
    stated = _STATED_DEFAULTS.get(typed.family) if typed is not None else None
    if typed is not None and typed.family == ENUM:
        stated = implicit
    advice = f"; say server_default={stated} to make it explicit" if stated else ""
    message = (
        f"add_column {label} is NOT NULL without a server_default: MySQL gives existing rows "
        f"{implicit}, the model's default={declared.value!r} ({declared.path}:{declared.line})"
        f"{advice}"
    )
    return op_hit("L301", op, message, fix=_MODEL_DEFAULT_FIX)._replace(severity=NOTICE)


def _effect(options: LintOptions, column_type: TypeSpec | None) -> str:
    """What the target does with the existing rows (round 38: the target's effect, not
    another server's): MySQL fills them, PostgreSQL and SQLite refuse the ADD."""
    if options.target.is_mysql:
        implicit = _implicit_default(column_type)
        return f"MySQL gives existing rows {implicit}, PostgreSQL and SQLite refuse"
    if options.target.flavor == "postgresql":
        return "PostgreSQL refuses it on a table with rows (the column would hold NULLs)"
    return "SQLite refuses it on a table with rows (a NOT NULL column with default NULL)"


def _wrong_kind_written(facts: Facts, op: Operation, column: str | None, typed: TypeSpec) -> bool:
    """Whether a value the upgrade writes into the column after adding it is of the wrong kind
    for its type (a bool into a VARCHAR, L303's case): MySQL converts it, so the rows do not
    get a value the author chose for this column, and the add stays reported with L303."""
    name = (column or "").lower()
    table = (op.table or "").lower()
    return any(
        a.seq >= op.seq  # as written_after_add reads them: a statement built right after the add
        and a.column.lower() == name
        and (a.table or "").lower() == table
        and (kind := value_kind(a.value, facts.module)) is not None
        and wrong_kind(kind, a.value, typed)
        for a in facts.assignments
    )
