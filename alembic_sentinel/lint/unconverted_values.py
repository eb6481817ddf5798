"""A string column made a number or a date: an error only on evidence (L307, issue 20).

Whether the ALTER fails (strict mode: MariaDB 10.11 says ERROR 1292 Truncated incorrect
INTEGER value, checked) or writes 0 (outside strict mode) depends on the rows: ids held as
text are numbers, free text is not. Labellers of rounds 28-43 split on the same reasoning both
ways, because lint cannot see the rows: without evidence the finding is a notice that says how
to check. It stays an error where lint has evidence of a value that does not convert:

- an ENUM made a number: MariaDB stores each value's position among the members (1, 2, ...),
  whatever the members spell (`ENUM('5','7')` made INT holds 1 and 2; checked), without a
  warning (type_rules.narrowing says so); an ENUM made a date, or a number elsewhere, when a
  member does not convert (or its members are not known);
- a JSON column (an object or an array is no number): never a notice;
- a string literal the history or this upgrade (before the change) writes into the column
  that does not convert to the new type (written_texts: a server default such as 'n/a' or '',
  a bulk_insert row, an UPDATE / INSERT constant). `''` counts: it fails in strict mode too.
"""

from __future__ import annotations

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.revision_model import (
    BOOLEAN,
    DATE,
    DATETIME,
    ENUM,
    INTEGER,
    NUMERIC,
    STRING,
    TEXT,
    TIME,
    Operation,
    TypeSpec,
)
from alembic_sentinel.lint.written_texts import WrittenText, converts, written_texts

_NUMBERS = frozenset({INTEGER, NUMERIC, BOOLEAN})
_CONVERTED = _NUMBERS | {DATE, DATETIME, TIME}


def conditional_conversion(old: TypeSpec, new: TypeSpec, flavor: str) -> bool:
    """Whether the change converts a string's values to a number or a date (a Boolean is a
    TINYINT on MySQL), so that the values decide whether it loses anything. Not a JSON
    column's (an object is no number), nor an ENUM made a number on MySQL/MariaDB (each value
    becomes its position, whatever it spells)."""
    if new.family not in _CONVERTED:
        return False
    if old.family == ENUM:
        return new.family not in _NUMBERS or flavor not in ("mysql", "mariadb")
    return old.family in (STRING, TEXT)


def evidence(
    facts: Facts, options: LintOptions, op: Operation, old: TypeSpec, new: TypeSpec
) -> str | None:
    """What shows a value of the column that does not convert to `new` (above), or None."""
    if old.family == ENUM:
        if old.values is None:
            return "the ENUM's members are not known"
        wrong = [value for value in old.values if not converts(value, new.family)]
        return f"the ENUM holds {wrong[0]!r}" if wrong else None
    table, column = op.table, op.string("column_name")
    if not table or not column:
        return None
    key = (table.lower(), column.lower())
    for written in _own_texts(facts):
        if written.seq <= op.seq and (written.table, written.column) == key:
            if not converts(written.text, new.family):
                if written.default:
                    return f"its server default is {written.text!r}"
                return f"the upgrade writes {written.text!r} into it first"
    for text in options.texts_before(table, column):
        if not converts(text, new.family):
            return f"a revision before gives it the value {text!r}"
    return None


def _own_texts(facts: Facts) -> list[WrittenText]:
    """This upgrade's written texts, read once per revision."""
    known = facts.memo.get("written_texts")
    if isinstance(known, list):
        return known
    found = written_texts(facts.module.upgrade)
    facts.memo["written_texts"] = found
    return found


# a regular expression of the values that convert, for the check the notice asks for
_CHECKS = {
    INTEGER: "^ *[-+]?[0-9]+ *$",
    BOOLEAN: "^ *[-+]?[0-9]+ *$",
    NUMERIC: "^ *[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)? *$",
    DATE: "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
    DATETIME: "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
    TIME: "^-?[0-9]{1,3}:[0-9]{2}",
}


def notice_message(label: str, old: TypeSpec, new: TypeSpec, flavor: str) -> str:
    """The notice: what a value that does not convert does on the target."""
    kind = "a date" if new.family in (DATE, DATETIME, TIME) else "a number"
    if flavor == "postgresql":
        effect = "makes the ALTER fail"
    elif flavor == "sqlite":
        effect = "becomes 0"
    else:
        # MariaDB's error checked (1292); MySQL's number is not, so its message names none
        code = " (ERROR 1292)" if flavor == "mariadb" else ""
        effect = f"makes the ALTER fail in strict mode{code} or becomes 0 outside it"
    return (
        f"alter_column {label}: {old} to {new}: a value that is not {kind} {effect}; "
        "lint cannot tell what the rows hold"
    )


def notice_fix(op: Operation, new: TypeSpec, flavor: str) -> str:
    """The check to run first: a SELECT of the values that do not convert."""
    table, column = op.table or "t", op.string("column_name") or "c"
    pattern = _CHECKS.get(new.family, _CHECKS[INTEGER])
    test: str | None
    if flavor == "postgresql":
        test = f"{column} !~ '{pattern}'"
    elif flavor == "sqlite":
        test = f"{column} GLOB '*[^0-9]*'" if new.family in (INTEGER, BOOLEAN) else None
    else:
        test = f"{column} NOT REGEXP '{pattern}'"
    if test is None:
        return f"check first that every value of {table}.{column} converts, clean those that do not"
    return f"check first: SELECT {column} FROM {table} WHERE {test}; clean those rows before"
