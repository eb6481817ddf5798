"""The columns a revision's upgrade copies into another place, in raw SQL: the expand step of
an expand/contract split (`INSERT INTO t_private (...) SELECT secret, ... FROM t`), whose
contract step, a later revision, drops the column (L305 reads this through history).

Only a column named among the values a statement writes counts: the select list of an
INSERT ... SELECT (or of a subquery), the SET clause of an UPDATE. A column only tested in a
WHERE is no value copied. Pure: the fills lint already read, and regular expressions.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.revision_model import FunctionBody, RevisionModule

# where a statement's values come from: the select list of an INSERT ... SELECT (or of a
# subquery), the SET clause of an UPDATE; a column only tested in a WHERE is no value copied
_VALUE_PARTS = re.compile(
    r"\bSELECT\b(.*?)\bFROM\b|\bSET\b(.*?)(?:\bWHERE\b|\bFROM\b|$)", re.IGNORECASE | re.DOTALL
)


def copied_columns(module: RevisionModule) -> set[tuple[str, str]]:
    """(table, column), lowercase, whose values the module's upgrade copies elsewhere: raw SQL
    that writes rows and names the column among the values it writes (`INSERT INTO t_private
    (...) SELECT secret, ... FROM t`, `UPDATE other SET x = (SELECT c FROM t ...)`), into
    somewhere other than that column."""
    found: set[tuple[str, str]] = set()
    upgrade = module.upgrade
    if upgrade is None:
        return found
    swapped = _renamed_into(upgrade)
    for fill in upgrade.fills:
        if not fill.writes or not fill.sql:
            continue
        values = " ".join(a or b for a, b in _VALUE_PARTS.findall(fill.sql)).lower()
        words = set(re.findall(r"\w+", values))
        # a copy into a table renamed to the source afterwards (a rebuilt table) moves the
        # column back under the same name: its later drop still loses the values
        targets = {t for t, _ in fill.writes if t}
        for table, column in fill.reads:
            if not table or column not in words or (table, column) in fill.writes:
                continue
            if targets and all(swapped.get(t) == table for t in targets):
                continue
            found.add((table, column))
    return found


def _renamed_into(upgrade: FunctionBody) -> dict[str, str]:
    """table -> the name the upgrade renames it to (op.rename_table, raw RENAME), lowercase."""
    renamed: dict[str, str] = {}
    for op in upgrade.operations:
        old, new = op.string("old_table_name"), op.string("new_table_name")
        if op.name == "rename_table" and old and new:
            renamed[old.lower()] = new.lower()
    for fill in upgrade.fills:
        for statement in fill.statements:
            if statement.table and statement.new_table:
                renamed[statement.table] = statement.new_table.lower()
            for action in statement.actions:
                if statement.table and action.kind == "rename_table" and action.name:
                    renamed[statement.table] = action.name.lower()
    return renamed
