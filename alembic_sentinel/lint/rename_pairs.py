"""Several columns dropped and as many added, each added one of a dropped one's type (L306):
autogenerate's reading of several renames in one revision (`date_created` -> `creation_date`,
`date_modified` -> `last_revision_date`).

One dropped column for one added is L306's own case (a rename keeps the type family). For more,
the types must pair up exactly as MySQL stores them (type_rules.same_on_mysql: `sa.DateTime(
timezone=True)` is the DATETIME a downgrade restores as `sa.DATETIME()`), the dropped column's
type read from the downgrade that adds it back; a dropped column the downgrade gives no type,
or an added one of a type no dropped column had, makes it a redesign (L305 reports the loss).
Among added columns of the same type, the one sharing most words with the dropped name is its
pair (then the first added). Pure: reads the revision's operations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alembic_sentinel.lint.facts import Facts
from alembic_sentinel.lint.revision_model import TypeSpec
from alembic_sentinel.lint.type_rules import same_on_mysql


def paired_by_type(
    facts: Facts, table: str, dropped: Sequence[str], added: Sequence[str]
) -> list[tuple[str, str]] | None:
    """(dropped, added) pairs of the same type on MySQL, each column in one pair, or None
    when the columns do not pair up so (see above)."""
    if len(dropped) != len(added) or len(dropped) < 2:
        return None
    restored = _restored_specs(facts, table)
    new_types = {
        column.name: column.type
        for op in facts.upgrade_ops
        if op.name == "add_column" and op.table == table
        for column in op.columns
        if column.name and column.type is not None
    }
    free = list(added)
    pairs: list[tuple[str, str]] = []
    for old in dropped:
        old_type = restored.get(old)
        if old_type is None:
            return None
        matching = [
            name for name in free if name in new_types and same_on_mysql(old_type, new_types[name])
        ]
        if not matching:
            return None
        words = _words(old)
        chosen = max(matching, key=lambda name: len(words & _words(name)))
        free.remove(chosen)
        pairs.append((old, chosen))
    return pairs


def _restored_specs(facts: Facts, table: str) -> dict[str, TypeSpec]:
    """column -> the type the downgrade adds it back with, on `table`."""
    downgrade = facts.module.downgrade
    return {
        column.name: column.type
        for op in (downgrade.operations if downgrade is not None else ())
        if op.name == "add_column" and op.table == table
        for column in op.columns
        if column.name and column.type is not None
    }


def _words(name: str) -> set[str]:
    """The words of a column name, each cut to its first five letters (`created` and
    `creation` share `creat`)."""
    return {word[:5] for word in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name.lower()) if word}
