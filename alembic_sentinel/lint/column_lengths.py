"""L340: a CHAR or VARCHAR longer than MySQL stores (issue 20, round 37's misses).

A VARCHAR holds at most 65,535 bytes, counted at its character set's widest character: under
utf8mb4, `VARCHAR(16384)` (65,536 bytes) is refused with ERROR 1074 (Column length too big for
column ...; use BLOB or TEXT instead) in strict mode, the default of MySQL 5.7+ and MariaDB
10.2.4+ (checked on MariaDB 10.11; without it the column silently becomes a MEDIUMTEXT). A CHAR
holds at most 255 characters, whatever the character set. Read from the types of create_table,
add_column and alter_column(type_=), and from raw CREATE / ALTER TABLE SQL.

The character set counts as for L312: the column's own, else the table's from the history;
when neither is known, utf8mb4 only on MySQL 8.0+ (its default). On an older MySQL or MariaDB
(whose server default is latin1 unless configured) only a length over what any character set
holds is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from alembic_sentinel.lint.column_charset import declared_charset
from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, column_label, op_hit
from alembic_sentinel.lint.history import CHARSET_BYTES
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.postgresql_ddl import without_strings
from alembic_sentinel.lint.revision_model import STRING, Operation, TypeSpec
from alembic_sentinel.lint.try_blocks import quietly_caught

# the largest VARCHAR in bytes (the row's 65,535, of which the length takes two: MariaDB
# refuses latin1 VARCHAR(65533), MySQL 65536; over 65,535 both do)
VARCHAR_BYTES = 65_535
CHAR_CHARS = 255
_CHARS = frozenset({"CHAR", "NCHAR"})
# NATIONAL VARCHAR / CHAR: MySQL's utf8mb3
_NATIONAL = frozenset({"NVARCHAR", "NCHAR"})
_SQL_TYPE = LazyPattern(
    r"\b(NATIONAL\s+)?(N?VARCHAR|N?CHAR|CHARACTER\s+VARYING|CHARACTER)\s*\(\s*(\d+)\s*\)"
    r"(\s+(?:CHARACTER\s+SET|CHARSET)\s*=?\s*(\w+)|\s+COLLATE\s*=?\s*(\w+))?",
    re.IGNORECASE,
)
# any character set or collation the SQL names: the bytes per character are then not guessed
_SQL_CHARSET_WORD = LazyPattern(r"\b(?:CHARSET|CHARACTER\s+SET|COLLATE)\b", re.IGNORECASE)


def _bytes_per_char(charset: str | None, options: LintOptions, table: str | None) -> int | None:
    """The widest character of the column: its own character set, else the table's, else
    utf8mb4 where it is the server default (MySQL 8.0+); None when not known."""
    if charset:
        return CHARSET_BYTES.get(charset.lower().split("_")[0])
    table_charset = options.charset(table) if table else None
    if table_charset:
        return CHARSET_BYTES.get(table_charset)
    target = options.target
    return 4 if target.flavor == "mysql" and target.at_least(8, 0) else None


def _too_long(chars: int, per_char: int | None, is_char: bool) -> str | None:
    """Why MySQL refuses the length, or None."""
    if is_char:
        return f"a CHAR holds at most {CHAR_CHARS} characters" if chars > CHAR_CHARS else None
    if per_char is None:
        per_char = 1  # not known: only what no character set holds
    if chars * per_char <= VARCHAR_BYTES:
        return None
    return (
        f"{chars} characters of up to {per_char} bytes is over a VARCHAR's "
        f"{VARCHAR_BYTES:,} bytes (at most {VARCHAR_BYTES // per_char:,} characters)"
    )


def _message(what: str, type_text: str, why: str) -> str:
    return (
        f"{what} is {type_text}: {why}, refused with ERROR 1074 (Column length too big; use "
        "BLOB or TEXT instead) in strict mode, the default (without it MySQL makes it a TEXT)"
    )


_FIX = "use sa.Text() (MEDIUMTEXT for more than 64 KiB), or a shorter length"


def _typed_columns(
    facts: Facts, op: Operation
) -> Iterator[tuple[str | None, TypeSpec, str | None]]:
    """(column, type, its own character set) of each column the operation gives a type."""
    if op.name in ("create_table", "add_column"):
        for column in op.columns:
            if column.type is not None:
                yield column.name, column.type, column.charset
    elif op.name == "alter_column":
        type_node = op.param("type_")
        new_type = type_spec(type_node, facts.names)
        if new_type is not None:
            yield op.string("column_name"), new_type, declared_charset(type_node)


def varchar_too_long(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    caught = quietly_caught(facts.source, facts.module.upgrade, facts.module.downgrade)
    for op in facts.upgrade_ops:
        if id(op) in caught:
            continue
        for name, column_type, charset in _typed_columns(facts, op):
            if column_type.family != STRING or not column_type.length:
                continue
            national = column_type.name in _NATIONAL
            per_char = 3 if national else _bytes_per_char(charset, options, op.table)
            why = _too_long(column_type.length, per_char, column_type.name in _CHARS)
            if why is not None:
                yield op_hit(
                    "L340",
                    op,
                    _message(f"{op.name} {column_label(op, name)}", str(column_type), why),
                    fix=_FIX,
                )
    yield from _raw_sql(facts, options, caught)


def _raw_sql(facts: Facts, options: LintOptions, caught: set[int]) -> Iterator[Hit]:
    body = facts.module.upgrade
    for fill in body.fills if body is not None else ():
        if not fill.sql or id(fill) in caught:
            continue
        text = without_strings(fill.sql)
        if "CHAR" not in text.upper() or not re.search(r"\bTABLE\b", text, re.IGNORECASE):
            continue
        tables = [s.table for s in fill.statements if s.table]
        table = tables[0] if len(set(tables)) == 1 else None
        names_charset = bool(_SQL_CHARSET_WORD.search(text))
        for match in _SQL_TYPE.finditer(text):
            national, kind, length = match[1], match[2].upper(), int(match[3])
            is_char = kind in ("CHAR", "NCHAR", "CHARACTER")
            own = match[5] or match[6]
            if national or kind.startswith("N"):
                per_char: int | None = 3
            elif own:
                per_char = CHARSET_BYTES.get(own.lower().split("_")[0])
            elif names_charset:
                per_char = None  # a table or column character set lint does not place
            else:
                per_char = _bytes_per_char(None, options, table)
            why = _too_long(length, per_char, is_char)
            if why is not None:
                type_text = f"{' '.join(kind.split())}({length})"
                yield Hit(
                    "L340",
                    _message(f"{fill.kind}'s column", type_text, why),
                    fill.line,
                    fill.end_line,
                    fix=_FIX,
                )
