"""Columns a revision's raw SQL restates with MySQL's MODIFY / CHANGE, as the alter_column L302
judges (issue 20).

`op.execute("ALTER TABLE t MODIFY c VARCHAR(40) NOT NULL")` (or `CHANGE c d ... NOT NULL`, one
clause of several, in `sa.text(...)`) makes the column NOT NULL exactly as
`alter_column("t", "c", type_=..., nullable=False)` does: a NULL among the rows makes it fail in
strict mode. Each such clause becomes a stand-in alter_column at the SQL's place, so L302 gives
it the same judgement and the same exemptions (a column NOT NULL already, filled before, a table
made here, a NOT NULL restated both ways ...) without a second copy of them. A CHANGE / MODIFY
restates the whole column, type included, so the stand-in gives a type (`type_=`); one without
NOT NULL writes the column NULL (`nullable=True`), which the downgrade's restatements say.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import Operation
from alembic_sentinel.lint.sql_reader import ALTER_TABLE, AlterAction, read_sql

# the type a stand-in restates: the SQL's own, which lint does not read
RAW_TYPE = ast.Name("raw_sql_type", ast.Load())


def raw_restatements(operations: Sequence[Operation]) -> Iterator[Operation]:
    """A stand-in alter_column for each CHANGE / MODIFY clause of the literal SQL the
    `op.execute` calls among `operations` run, at the call's place (line and seq):
    `nullable=False` when the clause says NOT NULL (or PRIMARY KEY), `nullable=True` else
    (MySQL writes the column NULL), `new_column_name=` for a CHANGE that renames, and
    `autoincrement=True` when it says AUTO_INCREMENT."""
    for op in operations:
        if op.name != "execute":
            continue
        node = op.param("sqltext")
        if type(node) is ast.Call and node.args:
            node = node.args[0]  # sa.text("...")
        text = string_value(node) if node is not None else None
        for statement in read_sql(text) if text and _may_restate(text) else ():
            if statement.kind != ALTER_TABLE or not statement.table:
                continue
            for action in statement.actions:
                if action.kind == "change_column" and action.name and action.not_null is not None:
                    yield _stand_in(op, statement.table, action.name, action)


def raw_not_nulls(operations: Sequence[Operation]) -> Iterator[Operation]:
    """The stand-ins of raw_restatements that make the column NOT NULL."""
    for stand_in in raw_restatements(operations):
        nullable = stand_in.param("nullable")
        if isinstance(nullable, ast.Constant) and nullable.value is False:
            yield stand_in


def _may_restate(text: str) -> bool:
    """A cheap test before the SQL is read: only ALTER TABLE with MODIFY or CHANGE restates."""
    lowered = text.lower()
    return "alter" in lowered and ("modify" in lowered or "change" in lowered)


def _stand_in(execute: Operation, table: str, column: str, action: AlterAction) -> Operation:
    params: dict[str, ast.expr] = {
        "table_name": ast.Constant(table),
        "column_name": ast.Constant(column),
        "nullable": ast.Constant(action.not_null is not True),
        "type_": RAW_TYPE,
    }
    if action.new_name and action.new_name != column:
        params["new_column_name"] = ast.Constant(action.new_name)
    if action.numbered:
        params["autoincrement"] = ast.Constant(True)
    return Operation(
        "alter_column",
        table,
        (),
        {},
        params,
        (),
        False,
        execute.line,
        execute.end_line,
        execute.seq,
    )
