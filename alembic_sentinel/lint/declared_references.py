"""The foreign keys a revision's upgrade leaves declared, one column to one column.

A foreign key that held up to a revision says every non-NULL value of its column is a value
of the referred column: a lookup of the referred table through that column finds a row for
each of them (L325: a key column filled by such a lookup gets no NULL from a row nothing
matched). lint.history keeps what each revision leaves, and which tables' foreign keys a
revision dropped without saying which (a name lint cannot read): those it made before may
be gone. A drop in a loop over the foreign keys reflection reports, kept by a test of their
columns (`if fk["referred_columns"] == ["group_name"]:`, round 32), drops only the keys those
words fit: the words are kept with the table, for lint.history to tell which keys went.
"""

from __future__ import annotations

from typing import NamedTuple

from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.reflected_keys import FOREIGN_KEY, UNREAD
from alembic_sentinel.lint.revision_model import Operation, RevisionModule

# "table.column" (lowercase) a (table, column) refers to
References = dict[tuple[str, str], str]


class DeclaredReferences(NamedTuple):
    made: References  # what the upgrade leaves declared, at its end
    # tables (lowercase; "" for one lint cannot name) whose foreign keys it dropped, some
    # perhaps made before it and not made again
    cleared: frozenset[str]
    # (table, words) of a reflection loop's drops kept by a test of the keys' fields: only
    # the keys the words fit went (reflected_keys.ReflectedKeys.words; filtered_clear_fits)
    filtered: frozenset[tuple[str, frozenset[str]]] = frozenset()


def filtered_clear_fits(
    words: frozenset[str], column: str, target: str, others: frozenset[str]
) -> bool:
    """Whether a reflection loop's drop whose tests compare the keys with `words` may have
    dropped the foreign key from `column` to `target` ("table.column"), lowercase. It may,
    unless a word is a column of another foreign key of the table (`others`: their local and
    referred columns) and none of this key's: the test picked that other key by its column. A
    word of no column may be this key's name, which lint does not keep: it may have gone."""
    referred_table, _, referred = target.partition(".")
    own = {column, referred, referred_table}
    return not any(word in others and word not in own for word in words)


def declared_references(module: RevisionModule) -> DeclaredReferences:
    """The one-column foreign keys the upgrade's operations declare (create_table's columns
    and constraints, add_column's, create_foreign_key), less those it drops again."""
    made: References = {}
    cleared: set[str] = set()
    filtered: set[tuple[str, frozenset[str]]] = set()
    upgrade = module.upgrade
    for op in upgrade.operations if upgrade is not None else ():
        table = (op.table or "").lower()
        if op.name in ("create_table", "add_column") and table:
            made.update(_declared(op, table))
        elif op.name == "create_foreign_key" and table:
            local = string_list(op.param("local_cols"))
            remote = string_list(op.param("remote_cols"))
            referent = op.string("referent_table")
            if local and remote and referent and len(local) == len(remote) == 1:
                made[(table, local[0].lower())] = f"{referent.lower()}.{remote[0].lower()}"
        elif op.name in ("drop_table", "drop_constraint"):
            if op.name == "drop_constraint" and op.string("type_") != "foreignkey":
                continue
            words = _column_words(op)
            if words is not None and table:
                filtered.add((table, words))
                others = frozenset(
                    part
                    for key, target in made.items()
                    if key[0] == table
                    for part in (key[1], target.partition(".")[2])
                )
                for key in [key for key in made if key[0] == table]:
                    if filtered_clear_fits(words, key[1], made[key], others - {key[1]}):
                        del made[key]
                continue
            cleared.add(table)
            for key in [key for key in made if key[0] == table or not table]:
                del made[key]
        elif op.name == "drop_column" and table:
            made.pop((table, (op.string("column_name") or "").lower()), None)
    return DeclaredReferences(made, frozenset(cleared), frozenset(filtered))


def _column_words(op: Operation) -> frozenset[str] | None:
    """The words a reflection loop's foreign-key drop keeps the keys by, when its tests read
    values lint knows (reflected_keys.filter_words); None for a drop of every key or of
    keys a value lint cannot read picks."""
    reflected = op.reflected
    if reflected is None or reflected.kind != FOREIGN_KEY or reflected.found_one:
        return None
    words = reflected.words
    return words if words and UNREAD not in words else None


def _declared(op: Operation, table: str) -> References:
    found: References = {}
    for spec in op.columns:
        for key in spec.foreign_keys:
            if spec.name and key.target:
                found[(table, spec.name.lower())] = key.target
    for constraint in op.constraints:
        if constraint.kind == "foreign_key" and constraint.target and len(constraint.columns) == 1:
            found[(table, constraint.columns[0].lower())] = constraint.target
    return found
