"""L303: a fill that writes a value of the wrong kind for its column (a bool into a VARCHAR, a
word into an INTEGER): MySQL converts it, so the rows do not hold the value the author meant.
The column's type is the one the revision states where it writes (its own create_table,
add_column or alter_column, else the history's), a lightweight `sa.table()` stub's only when
nothing else says (split from data_rules, which had grown past its length).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.facts import Facts, Hit, LintOptions
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.number_strings import spells_its_number
from alembic_sentinel.lint.revision_model import (
    BOOLEAN,
    DATE,
    DATETIME,
    ENUM,
    INTEGER,
    NUMERIC,
    STRING,
    TEXT,
    UNNAMED_TABLE,
    Assignment,
    FunctionBody,
    RevisionModule,
    TypeSpec,
)

# value kind -> column families it does not belong in (L303)
_WRONG_KIND: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "bool": frozenset({STRING, TEXT, ENUM}),
        "string": frozenset({INTEGER, BOOLEAN, NUMERIC, DATETIME, DATE}),
        "number": frozenset({STRING, TEXT, ENUM}),
    }
)


def value_kind(node: ast.expr, module: RevisionModule) -> str | None:
    """The kind of value ("bool", "string", "number") when the syntax makes it plain."""
    if isinstance(node, ast.Constant):
        value = node.value
        if type(value) is bool:
            return "bool"
        if type(value) is str:
            return "string"
        return "number" if type(value) in (int, float) else None
    if isinstance(node, ast.Compare):
        return "bool"
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return "bool"
        return "number" if value_kind(node.operand, module) == "number" else None
    if isinstance(node, ast.BoolOp):
        kinds = {value_kind(value, module) for value in node.values}
        return "bool" if kinds == {"bool"} else None
    if isinstance(node, ast.JoinedStr):
        return "string"
    if isinstance(node, ast.Call) and module.names.sqlalchemy_name(node.func) in ("true", "false"):
        return "bool"
    return None


def wrong_kind(kind: str, value: ast.expr, column_type: TypeSpec) -> bool:
    if column_type.family in _WRONG_KIND[kind]:
        return not (kind == "string" and spells_its_number(value, column_type.family))
    # a string that is not one of the Enum's values: MySQL stores '' (or fails in strict mode)
    return (
        kind == "string"
        and column_type.family == ENUM
        and column_type.values is not None
        and string_value(value) not in column_type.values
    )


def _written_type(facts: Facts, body: FunctionBody, assignment: Assignment) -> TypeSpec | None:
    """The column's type as this revision writes it where a fill assigns it: the upgrade's;
    in the downgrade, the type its own alter_column gave the column before the fill, when
    one did (`VARCHAR(64)` first, the rows moved back to an old value, the old Enum last)."""
    if body is facts.module.downgrade:
        column = assignment.column.lower()
        retyped: TypeSpec | None = None
        for op in body.operations:
            if (
                op.seq < assignment.seq
                and op.name == "alter_column"
                and (op.string("column_name") or "").lower() == column
                and (op.table or "").lower() == (assignment.table or "").lower()
            ):
                retyped = type_spec(op.param("type_"), facts.names) or retyped
        if retyped is not None:
            return retyped
    return facts.types.get((assignment.table, assignment.column))


def _stated_type(
    facts: Facts, options: LintOptions, body: FunctionBody, assignment: Assignment
) -> tuple[TypeSpec, str] | None:
    """The column's type where a fill writes it as the revision's own steps state it (the
    type_= of an alter_column before the fill or the type of the create_table / add_column
    that made it there, else the existing_type= of an alter_column after it), else, in
    the upgrade, as the revisions before leave it (ColumnState.column_type); None: neither
    says (round r29: a `sa.table()` stub typed an e-mail column TINYINT, its VARCHAR(255)
    created earlier and stated by the same file's existing_type)."""
    column = assignment.column.lower()
    table = (assignment.table or "").lower()
    before: tuple[TypeSpec, str] | None = None
    after: TypeSpec | None = None
    for op in body.operations:
        if (op.table or "").lower() != table:
            continue
        if op.name in ("create_table", "add_column") and op.seq < assignment.seq:
            # the same function made the column just before (round 40: a stub typed
            # `pagetype` Integer, the create_table above it String(16))
            for spec in op.columns:
                if (spec.name or "").lower() == column and spec.type is not None:
                    before = (spec.type, f"as this revision's {op.name} makes it")
            continue
        if op.name != "alter_column" or (op.string("column_name") or "").lower() != column:
            continue
        if op.seq < assignment.seq:
            retyped = type_spec(op.param("type_"), facts.names)
            if retyped is not None:
                before = (retyped, "as this revision's alter_column states it")
        elif after is None:
            after = type_spec(op.param("existing_type"), facts.names)
    if before is not None and before[0].family:
        return before
    if after is not None and after.family:
        return after, "as this revision's alter_column states it"
    if body is not facts.module.upgrade or not table:
        return None
    history = options.state_before(table, column).column_type
    if history is not None and history.family:
        return history, "as the revisions before leave it"
    return None


def fill_wrong_kind(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    module = facts.module
    bodies = [body for body in (module.upgrade, module.downgrade) if body is not None]
    for body in bodies:
        for assignment in body.assignments:
            kind = value_kind(assignment.value, module)
            if kind is None:
                continue
            candidates: list[tuple[TypeSpec, str]] = []
            model = assignment.model
            if model is not None:
                column = model.columns.get(assignment.column)
                if column is not None and column.type is not None:
                    declared = (column.type, f"declared in {model.variable}")
                    # a lightweight table()'s type is only the author's note: what the
                    # revision's alter_column or the history says the column is wins
                    known = None if model.orm else _stated_type(facts, options, body, assignment)
                    if known is not None and known[0].family != column.type.family:
                        declared = known
                    candidates.append(declared)
            written = _written_type(facts, body, assignment)
            if written is not None:
                candidates.append((written, "as this revision writes it"))
            for column_type, where in candidates:
                if wrong_kind(kind, assignment.value, column_type):
                    shown = ast.unparse(assignment.value)
                    shown = shown if len(shown) <= 60 else shown[:57] + "..."
                    yield Hit(
                        "L303",
                        f"{body.name}() assigns a {kind} ({shown}) to "
                        f"{assignment.table or UNNAMED_TABLE}.{assignment.column}, "
                        f"typed {column_type} "
                        f"({where}; via {assignment.via})",
                        assignment.line,
                        assignment.end_line,
                    )
                    break
