"""A narrowing whose upgrade first bounds the column's values (L307; issue 20, round 41).

`UPDATE power_schedule SET timezone = 'Unknown' WHERE LENGTH(timezone) > 32` (or a loop over
the rows a `func.length(t.c.timezone) > 32` query selects, writing each), or `SET name =
LEFT(name, 32)` / `SUBSTRING(name, 1, 32)`, before `alter_column(..., type_=String(32))`
leaves no longer value to cut or refuse: the author replaced them on purpose. Told by two
things before the alter in the upgrade: a write of the column (raw SQL, a Core update, an ORM
attribute), and the upgrade's text measuring or cutting it (a length or substring function
beside the column's name). Either alone is no bound: a write of other values, or a length
read only to report.

Pure: revision_model and the revision's text (read only for a narrowing, rare).
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.revision_model import BLOB, STRING, TEXT, Operation

# a length measured or a value cut, SQL's and SQLAlchemy's func.* spellings alike, with the
# column inside its parentheses (`LENGTH(timezone)`, `func.char_length(t.c.timezone)`)
_BOUNDING = (
    r"\b(?:char_length|character_length|length|len|substring|substr|left|octet_length)"
    r"\s*\([^()]*\b{column}\b"
)


def bounded_first(facts: Facts, op: Operation) -> bool:
    """Whether the upgrade, before the narrowing alter_column `op` to a shorter text, writes
    its column and measures or cuts that column's values (see above). A length bound says
    nothing of a change to another kind of value (a number, a date)."""
    node = op.param("type_")
    new = type_spec(node, facts.names) if node is not None else None
    if new is None or new.family not in (STRING, TEXT, BLOB):
        return False
    column = op.string("column_name")
    upgrade = facts.module.upgrade
    source = facts.source
    if isinstance(source, bytes):
        source = source.decode("utf-8", "replace")
    if column is None or upgrade is None or source is None:
        return False
    if not _written_before(facts, op, column):
        return False
    lines = source.splitlines()[upgrade.line - 1 : op.line - 1]
    bounding = re.compile(_BOUNDING.format(column=re.escape(column)), re.IGNORECASE)
    if any(bounding.search(line) for line in lines):
        return True
    return new.length is not None and _fresh_values_fit("\n".join(lines), new.length)


# fresh identifiers of a known length, as Python writes them (round 42): a ULID's 26
# characters (`str(ULID())`, `ulid.new()`, `ulid.ulid()`), a uuid4's 32 hex digits
# (`uuid4().hex`) or its 36-character text (`str(uuid.uuid4())`)
_FRESH_LENGTHS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\bULID\s*\(\s*\)|\bulid\.(?:new|ulid)\s*\(\s*\)", re.IGNORECASE), 26),
    (re.compile(r"\buuid[14]\s*\(\s*\)\s*\.hex\b"), 32),
    (re.compile(r"\bstr\s*\(\s*(?:uuid\.)?uuid[14]\s*\(\s*\)\s*\)"), 36),
)


def _fresh_values_fit(text: str, length: int) -> bool:
    """Whether the upgrade's text before the narrowing makes fresh identifiers of a known
    length, every one of which fits the new length: the values it wrote into the column
    (a rewrite of 36-character UUIDs as 26-character ULIDs, then String(36) -> String(26)).
    One that does not fit, or none, is no bound."""
    found = [size for pattern, size in _FRESH_LENGTHS if pattern.search(text)]
    return bool(found) and max(found) <= length


def _written_before(facts: Facts, op: Operation, column: str) -> bool:
    lowered = (op.table or "").lower() or None
    name = column.lower()
    wanted = {(lowered, name), (None, name)}
    if any(fill.seq < op.seq and not wanted.isdisjoint(fill.writes) for fill in facts.fills):
        return True
    return any(
        a.seq < op.seq
        and a.column.lower() == name
        and (a.table is None or lowered is None or a.table.lower() == lowered)
        for a in facts.assignments
    )
