"""Literal strings a revision writes into a column, and whether one fails a conversion (L307).

A string column made a number or a date loses the values that do not convert: MariaDB 10.11
in strict mode refuses the ALTER on the first one (ERROR 1292 Truncated incorrect INTEGER
value: 'abc', also for '', '2.5' into an integer and '1e3'; checked), and writes 0 (a zero
date) with a warning outside it ('12abc' becomes 12). Whether any row holds such a value is
the rows' business, which lint cannot see (issue 20, rounds 41-43: ids held as text were
numbers, scores were not known). A literal the revisions themselves write into the column is
what lint can see: a server default (`server_default="n/a"`, also `''`), a `bulk_insert` row,
a Core `.values(c="none")`, an ORM `row.c = "x"`, and raw SQL's `UPDATE t SET c = 'x'` /
`INSERT INTO t (..., c) VALUES (..., 'x')`. One that does not convert to the new type is
evidence that some row holds it. Pure: ast and regular expressions over what the reader read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple, cast

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    NUMERIC,
    TIME,
    Fill,
    FunctionBody,
    Operation,
)


class WrittenText(NamedTuple):
    """A string literal an upgrade step writes into a column (table and column lowercase)."""

    seq: int
    table: str
    column: str
    text: str
    default: bool = False  # a server default, not a row's value


# the strings MariaDB converts to the family without a warning (checked in strict mode:
# ' 45 ', '+8', '007' into BIGINT; '2.5', '1e3' into DOUBLE); a BOOL is a TINYINT
_CONVERTIBLE = {
    INTEGER: LazyPattern(r"\s*[+-]?\d+\s*"),
    BOOLEAN: LazyPattern(r"\s*[+-]?\d+\s*"),
    NUMERIC: LazyPattern(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*"),
    DATE: LazyPattern(r"\s*\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*"),
    DATETIME: LazyPattern(
        r"\s*\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*"
    ),
    TIME: LazyPattern(r"\s*-?\d{1,3}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*"),
}


def converts(text: str, family: str) -> bool:
    """Whether the server reads the string as a value of the type family (True for a family
    this module does not judge)."""
    pattern = _CONVERTIBLE.get(family)
    return pattern is None or pattern.fullmatch(text) is not None


def written_texts(body: FunctionBody | None) -> list[WrittenText]:
    """Every string literal the function's steps write into a named column, in order."""
    if body is None:
        return []
    found = {
        *_defaults(body.operations),
        *_assigned(body),
        *_inline_bulk_rows(body.operations),
        *_raw_sql(body.fills),
    }
    return sorted(found)


def _defaults(operations: Iterable[Operation]) -> Iterator[WrittenText]:
    """A server default is the value of every row written without the column."""
    for op in operations:
        table = (op.table or "").lower()
        if not table:
            continue
        for spec in op.columns:
            text = _default_text(spec.server_default_node)
            if spec.name and text is not None:
                yield WrittenText(op.seq, table, spec.name.lower(), text, True)
        column = op.string("column_name")
        if op.name == "alter_column" and column:
            for keyword in ("existing_server_default", "server_default"):
                text = _default_text(op.param(keyword))
                if text is not None:
                    yield WrittenText(op.seq, table, column.lower(), text, True)


def _default_text(node: ast.expr | None) -> str | None:
    """`"n/a"`, or `sa.text("'n/a'")` (a quoted literal; an expression is not read)."""
    if node is None:
        return None
    if type(node) is ast.Constant:
        return node.value if isinstance(node.value, str) else None
    if type(node) is ast.Call and node.args:
        func = node.func
        name = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
        text = string_value(node.args[0]) if name in ("text", "literal_column") else None
        quoted = _QUOTED.fullmatch(text.strip()) if text is not None else None
        if quoted is not None:
            return quoted.group(1).replace("''", "'")
    return None


def _assigned(body: FunctionBody) -> Iterator[WrittenText]:
    """bulk_insert rows, Core `.values(c="x")`, ORM `row.c = "x"` (lint.revision_reader)."""
    for assignment in (*body.assignments, *body.helper_assignments):
        value = assignment.value
        if assignment.table and type(value) is ast.Constant and isinstance(value.value, str):
            yield WrittenText(
                assignment.seq, assignment.table.lower(), assignment.column.lower(), value.value
            )


def _inline_bulk_rows(operations: Iterable[Operation]) -> Iterator[WrittenText]:
    """`op.bulk_insert(sa.table("t", ...), [{"c": "x"}])`: a table made in the call, whose
    name the reader's assignments do not carry."""
    for op in operations:
        made, rows = op.param("table"), op.param("rows")
        if op.name != "bulk_insert" or type(made) is not ast.Call or not made.args:
            continue
        table = string_value(made.args[0])
        if not table or type(rows) not in (ast.List, ast.Tuple):
            continue
        for row in cast("ast.List | ast.Tuple", rows).elts:
            if type(row) is not ast.Dict:
                continue
            for key, value in zip(row.keys, row.values):
                column = string_value(key) if key is not None else None
                if column and type(value) is ast.Constant and isinstance(value.value, str):
                    yield WrittenText(op.seq, table.lower(), column.lower(), value.value)


_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_NAME = r"[`\"\[]?(\w+)[`\"\]]?"
_UPDATE = re.compile(
    rf"\bUPDATE\s+(?:{_NAME}\s*\.\s*)?{_NAME}\s+SET\s+(.*?)(?=\bWHERE\b|\bLIMIT\b|;|$)",
    re.IGNORECASE | re.DOTALL,
)
_SET_TEXT = re.compile(rf"(?:^|,)\s*(?:\w+\.)?{_NAME}\s*=\s*'((?:[^']|'')*)'\s*(?=,|$)")
_INSERT = re.compile(
    rf"\bINSERT\s+(?:IGNORE\s+)?INTO\s+(?:{_NAME}\s*\.\s*)?{_NAME}\s*\(([^()]*)\)\s*VALUES\s*"
    r"((?:\((?:[^()']|'(?:[^']|'')*')*\)\s*,?\s*)+)",
    re.IGNORECASE,
)
_ROW = re.compile(r"\(((?:[^()']|'(?:[^']|'')*')*)\)")
_ITEM = re.compile(r"\s*('(?:[^']|'')*'|[^,']*)\s*(?:,|$)")


def _raw_sql(fills: Iterable[Fill]) -> Iterator[WrittenText]:
    """`UPDATE t SET c = 'x'` and `INSERT INTO t (a, c) VALUES (1, 'x')` in literal SQL."""
    for fill in fills:
        if fill.sql is None:
            continue
        for update in _UPDATE.finditer(fill.sql):
            table = update.group(2).lower()
            for match in _SET_TEXT.finditer(update.group(3).strip()):
                text = match.group(2).replace("''", "'")
                yield WrittenText(fill.seq, table, match.group(1).lower(), text)
        for insert in _INSERT.finditer(fill.sql):
            table = insert.group(2).lower()
            columns = [c.strip().strip('`"[]').lower() for c in insert.group(3).split(",")]
            for row in _ROW.finditer(insert.group(4)):
                items = [m.group(1) for m in _ITEM.finditer(row.group(1)) if m.group(0)]
                if len(items) != len(columns):
                    continue
                for column, item in zip(columns, items):
                    quoted = _QUOTED.fullmatch(item)
                    if quoted is not None:
                        yield WrittenText(
                            fill.seq, table, column, quoted.group(1).replace("''", "'")
                        )
