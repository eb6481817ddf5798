"""The columns a revision's upgrade copies into another place, in raw SQL: the expand step of
an expand/contract split (`INSERT INTO t_private (...) SELECT secret, ... FROM t`), whose
contract step, a later revision, drops the column (L305 reads this through history).

Only a column named among the values a statement writes counts: the select list of an
INSERT ... SELECT (or of a subquery), the SET clause of an UPDATE. A column only tested in a
WHERE is no value copied. Pure: the fills lint already read, and regular expressions.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.revision_model import RevisionModule

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
    for fill in upgrade.fills if upgrade is not None else ():
        if not fill.writes or not fill.sql:
            continue
        values = " ".join(a or b for a, b in _VALUE_PARTS.findall(fill.sql)).lower()
        words = set(re.findall(r"\w+", values))
        for table, column in fill.reads:
            if table and column in words and (table, column) not in fill.writes:
                found.add((table, column))
    return found
