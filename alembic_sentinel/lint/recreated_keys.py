"""A key an upgrade drops and creates again as it was (L319, L309).

Autogenerate, or a hand-made fix of a name Alembic compares badly, writes
`op.drop_constraint("uq_a_b", "t")` followed by `op.create_unique_constraint("uq_a_b", "t",
["a", "b"])`. When the revisions before show what the name was (lint.named_keys: the same
table, the same uniqueness, the same columns), the pair changes nothing: the downgrade has
nothing to restore (L319), and the new key meets only rows the same key already held unique
(L309). A re-create that differs (other columns, unique where the old one was a plain index,
another name) is a change, and both rules still read it; so does a key lint knows nothing of
before (no earlier revision linted with this one names it).

Pure: reads lint.facts' `Facts` and the history in `LintOptions`.
"""

from __future__ import annotations

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.literals import literal_bool, string_list
from alembic_sentinel.lint.revision_model import Operation

_DROPS = ("drop_index", "drop_constraint")
_CREATES = ("create_index", "create_unique_constraint")
# what a create_index may say and still make the plain or unique key the history records:
# anything else (postgresql_where, mysql_length, a dialect option) may differ from the old one
_PLAIN_PARAMS = frozenset(
    {"index_name", "constraint_name", "table_name", "source", "columns", "unique", "schema"}
)


def recreated_as_before(facts: Facts, options: LintOptions) -> frozenset[int]:
    """The seqs of the upgrade's drops and creates that recreate a key as it was (see the
    module's docstring), once per revision."""
    found = facts.memo.get("recreated_as_before")
    if not isinstance(found, frozenset):
        found = facts.memo["recreated_as_before"] = _pairs(facts, options)
    return found


def _pairs(facts: Facts, options: LintOptions) -> frozenset[int]:
    paired: set[int] = set()
    operations = facts.upgrade_ops
    for at, drop in enumerate(operations):
        if drop.name not in _DROPS or not drop.table:
            continue
        name = drop.string("index_name") or drop.string("constraint_name")
        type_ = drop.string("type_")
        if not name or (drop.name == "drop_constraint" and type_ not in (None, "unique")):
            continue  # a foreign key, check or primary key: not a key named_keys records
        known = options.key_named(name, drop.table)
        if known is None or known.columns is None:
            continue  # nothing before says what the name was
        if drop.name == "drop_constraint" and not known.unique:
            continue
        create = next(
            (
                other
                for other in operations[at + 1 :]
                if other.name in _CREATES and _names(other, name, drop.table)
            ),
            None,
        )
        if create is not None and _same_key(create, known.unique, known.columns):
            paired.update((drop.seq, create.seq))
    return frozenset(paired)


def _names(op: Operation, name: str, table: str) -> bool:
    given = op.string("index_name") or op.string("constraint_name")
    return (
        given is not None
        and given.lower() == name.lower()
        and (op.table or "").lower() == table.lower()
    )


def _same_key(create: Operation, unique: bool, columns: frozenset[str]) -> bool:
    """Whether the create makes a key as unique as `unique`, over exactly `columns`, and says
    nothing more lint cannot compare (a partial index, a prefix length)."""
    if create.spread or set(create.params) - _PLAIN_PARAMS:
        return False
    if create.name == "create_index":
        node = create.param("unique")
        made_unique = literal_bool(node) if node is not None else False
        if made_unique is None or made_unique is not unique:
            return False
    elif not unique:
        return False  # a unique constraint where a plain index was: a new uniqueness
    listed = string_list(create.param("columns"))
    return listed is not None and frozenset(c.lower() for c in listed) == columns


def dropped_by_upgrade(facts: Facts, restored: Operation) -> bool:
    """Whether the upgrade drops the key a downgrade operation restores: the key held before
    the revision. Dropped before the new key, the rows it kept unique are still there; dropped
    after it (a key renamed: the new one created, then the old one dropped), it still holds
    when the new key is built. A unique constraint the upgrade drops on the same table under a
    name it finds at run time (`drop_constraint(old_name, "t", type_="unique")`, the name looked
    up by the key's columns) is the one the downgrade restores too (round 37)."""
    name = restored.string("constraint_name") or restored.string("index_name")
    if restored.name == "create_primary_key":
        return True  # a table has one primary key: the downgrade restores the one it had
    table = (restored.table or "").lower()
    return name is not None and any(
        other.name in ("drop_constraint", "drop_index")
        and (
            (other.string("constraint_name") or other.string("index_name")) == name
            or (
                restored.name == "create_unique_constraint"
                and other.name == "drop_constraint"
                and other.string("type_") == "unique"
                and (other.table or "").lower() == table
                and other.param("constraint_name") is not None
                and other.string("constraint_name") is None
            )
        )
        for other in facts.upgrade_ops
    )
