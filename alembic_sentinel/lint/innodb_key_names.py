"""The names InnoDB gives a foreign key follow its table's renames (L319, round 39).

A foreign key created without a name gets `<table>_ibfk_<n>` from InnoDB, and RENAME TABLE (or
ALTER TABLE ... RENAME TO) renames every key whose name starts with `<old>_ibfk_` to
`<new>_ibfk_<n>` (checked on MariaDB 10.11; MySQL's manual says the same). So an upgrade that
renames `stock_items` to `proxy_items` and then drops `proxy_items_ibfk_2` drops the key that
was `stock_items_ibfk_2`, and a downgrade that creates it again as `stock_items_ibfk_2` (or as
`proxy_items_ibfk_2`, which the rename back turns into `stock_items_ibfk_2`) and renames the
table back restores it: the inverse is there under the name the key has at that point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# `<table>_ibfk_<n>`: the table's name (as InnoDB writes it) and the key's number
_GENERATED = re.compile(r"(?P<table>.+)_ibfk_(?P<number>\d+)", re.IGNORECASE)


def renamed_key_names(name: str | None, renames: Iterable[tuple[str, str]]) -> list[str]:
    """The other names (lowercase) a key called `name` has under the revision's table renames
    (`(old, new)` pairs, lowercase), when `name` is InnoDB's `<table>_ibfk_<n>` for a table
    renamed: the same number after each other name of that table. [] for any other name."""
    if not name:
        return []
    match = _GENERATED.fullmatch(name)
    if match is None:
        return []
    table = match.group("table").lower()
    number = match.group("number")
    others = _names_of(table, list(renames)) - {table}
    return [f"{other}_ibfk_{number}" for other in sorted(others)]


def _names_of(table: str, renames: list[tuple[str, str]]) -> set[str]:
    """Every name the revision's renames give the table called `table` (itself included), over
    chains of renames (`a` -> `a_tmp` -> `b`)."""
    names = {table}
    grown = True
    while grown:
        grown = False
        for old, new in renames:
            if (old in names) != (new in names):
                names |= {old, new}
                grown = True
    return names if len(names) > 1 else set()
