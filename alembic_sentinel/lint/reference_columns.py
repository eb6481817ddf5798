"""A reference column dropped and one to another table added: a redesign, not a rename (L306,
round 28).

`project_id` dropped and `agent_id` added (or `projectId` / `agentId`) share only the word
`id`: each names the table it points at, and rows that belonged to a project do not belong to
the agent of the same number. Copying the values would be wrong data; the lost ones are L305's.
column_state.replaced_by_reference covers a plain value replaced by a key; this is two
references, with or without declared foreign keys. They are told apart from a rename:

- both names are `<a>_id` / `<a>Id`;
- when the foreign keys show both targets (the downgrade restores the old column's, or the
  revisions before gave it one; the upgrade adds the new one's), they differ, whatever the
  names share (`publication_id` -> `catalog_publication_id` moved from `publication` to
  `catalog_publication`, round r36),
  unless the upgrade renames the one table to the other;
- else the stems differ in words (a shared word, `user_id` -> `owner_user_id`, or a typo,
  `acount_id` -> `account_id`, may be a rename), or, sharing one, the old stem's last word (what
  it names: `dataset_job` is a job) is no word of the new one (`export_dataset`, round r40);
  two links of a row to its own kind (`next_id`
  -> `parent_id`, round r37) are two relations; one target known must not be the other name's
  table (`user_id` -> `owner_id` with a key to `users` is a rename);
- else, when lint knows tables (the revisions before this one, the tables this revision names),
  a table the new name points at, perhaps after qualifying words (`default_logo_image_id` ->
  `logo_image`, round 39), exists or is created; a revision linted alone, knowing no
  other table, goes by the names.

The reverse, a reference dropped for a plain column of another name that no key makes a
reference (`stock_id` -> `source`, round 41), is a redesign too.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.column_state import name_words
from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.renamed_tables import table_renames
from alembic_sentinel.lint.revision_model import Operation

# `project_id`, `project_ID`, `projectId`, `projectID`: the stem and the reference suffix
_REFERENCE = LazyPattern(r"(?P<stem>.*?[A-Za-z0-9])(?:_id|_ID|(?<=[a-z0-9])Id|(?<=[a-z0-9])ID)")
# stems this alike are one name misspelt or re-spelt (`acount` / `account`, `organisation` /
# `organization`), not two tables
_TYPO_RATIO = 0.8


# the links a row keeps to another row of its kind (a tree, a list, a version chain), each
# group one link under its spellings: `next_id` and `parent_id` name two relations of the same
# table, and the comment after this one is not the comment it answers (round r37)
_RELATIONS = {
    word: group
    for group, words in enumerate(
        (
            ("parent",),
            ("child",),
            ("next", "following", "successor", "succ"),
            ("prev", "previous", "preceding", "predecessor", "pred"),
            ("root",),
        )
    )
    for word in words
}


def _renamed_into(facts: Facts, old: str, new: str) -> bool:
    """Whether the upgrade renames table `old` to `new` (the key follows its table)."""
    return any(r.old == old.lower() and r.new == new.lower() for r in table_renames(facts))


def _stem(column: str) -> str | None:
    """The referenced thing a column name says (`tool_kit_id` -> "tool_kit"), else None."""
    match = _REFERENCE.fullmatch(column)
    return match.group("stem") if match else None


def _words(stem: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem)
    return {w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w}


def _flat(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _names_table(stem: str, table: str) -> bool:
    """Whether `table` is what the stem names: itself or its plural, after a prefix of whole
    `_` parts (`role` names `roles` and `auth_role`), the stem perhaps after qualifying words
    of its own (`default_logo_image` names `logo_image`, `owner_user` names `users`; round
    39)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem).lower().split("_")
    words = [word for word in words if word]
    parts = table.lower().split("_")
    tails = {_flat("_".join(parts[i:])) for i in range(len(parts))}
    for start in range(len(words)):
        flat = "".join(words[start:])
        forms = {flat, flat + "s", flat + "es"}
        if flat.endswith("y"):
            forms.add(flat[:-1] + "ies")
        if not forms.isdisjoint(tails):
            return True
    return False


def _key_target(operations: tuple[Operation, ...], table: str, column: str) -> str | None:
    """The table the operations point `table.column` at with a foreign key: a create_foreign_key
    on that one column, or an added column's `sa.ForeignKey("t.id")`."""
    lowered, name = table.lower(), column.lower()
    for op in operations:
        if (op.table or "").lower() != lowered:
            continue
        if op.name == "create_foreign_key":
            if [c.lower() for c in string_list(op.param("local_cols")) or ()] == [name]:
                return op.string("referent_table")
        elif op.name == "add_column":
            for spec in op.columns:
                if spec.name and spec.name.lower() == name:
                    targets = [fk.refers for fk in spec.foreign_keys if fk.refers]
                    if targets:
                        return targets[0]
    return None


def _known_tables(facts: Facts, options: LintOptions) -> set[str]:
    """The tables lint knows of at this revision: those the revisions before it state columns
    of, and those this revision names or creates (empty for a revision linted alone that names
    no other table than its own)."""
    history = options.history
    tables = {
        table
        for (table, _), facts_of in history.states.items()
        if any(depth < options.position for depth, _ in facts_of)
    }
    tables |= {(op.table or "").lower() for op in facts.all_ops if op.table}
    tables |= {table.lower() for table in facts.created}
    return tables


def _head_gone(old: str, new: str) -> bool:
    """Whether two reference stems sharing a word name different things: the last word of a
    compound names what it is (`dataset_job` is a job, `export_dataset` a dataset), and the
    old one's is neither the new one's nor any word of it, nor misspelt in it. A
    `dataset_job_id` replaced by an `export_dataset_id` points at another table; `owner_id`
    -> `owner_user_id` (the owner kept as a word), `user_id` -> `owner_user_id` (the same
    last word) or `user_acount_id` -> `user_account_id` (a typo) stay possible renames."""
    old_parts, new_parts = _ordered_words(old), _ordered_words(new)
    if not old_parts or not new_parts:
        return False
    head = old_parts[-1]
    if head in new_parts or head == new_parts[-1]:
        return False
    if any(_abbreviates(head, word) or _abbreviates(word, head) for word in new_parts):
        return False  # `main_pic_id` -> `main_picture_id`: the word written out
    from difflib import SequenceMatcher  # here: few revisions get this far (import cost)

    return all(SequenceMatcher(None, head, word).ratio() < _TYPO_RATIO for word in new_parts)


def _abbreviates(short: str, word: str) -> bool:
    """Whether `short` is `word` cut short (`pic` of `picture`, `img` aside): three letters at
    least, the start of the longer word."""
    return 3 <= len(short) < len(word) and word.startswith(short)


def _ordered_words(stem: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def points_elsewhere(
    facts: Facts, options: LintOptions, table: str, dropped: str, added: str
) -> bool:
    """Whether the dropped and the added column are references to different tables (see
    above): a redesign, whose lost values L305 reports, not a rename."""
    old, new = _stem(dropped), _stem(added)
    if old is None or new is None:
        return False
    downgrade = facts.module.downgrade
    old_target = _key_target(downgrade.operations, table, dropped) if downgrade else None
    if old_target is None:
        # the key the revisions before gave the old column (a create_table's, an added
        # column's sa.ForeignKey, a create_foreign_key), which autogenerate's downgrade does
        # not restore with the column (round 39)
        earlier = {ref.partition(".")[0] for ref in options.refers_before(table, dropped)}
        old_target = earlier.pop() if len(earlier) == 1 else None
    new_target = _key_target(facts.upgrade_ops, table, added)
    if old_target and new_target:
        # the keys say it whatever the names share (`publication_id` -> `publication`,
        # `catalog_publication_id` -> `catalog_publication`, round r36): the values of one
        # key are not values of the other, unless the upgrade renames one table to the other
        return old_target.lower() != new_target.lower() and not _renamed_into(
            facts, old_target, new_target
        )
    old_words, new_words = _words(old), _words(new)
    if old_words & new_words:
        # a word kept (`user_id` -> `owner_user_id`): perhaps a rename, unless the thing the
        # old name points at is gone from the new one (round r40)
        return _head_gone(old, new)
    relations = [_RELATIONS.get(_flat(stem)) for stem in (old, new)]
    if None not in relations:
        return relations[0] != relations[1]  # `next_id` -> `parent_id`: another link
    from difflib import SequenceMatcher  # here: few revisions get this far (import cost)

    if SequenceMatcher(None, _flat(old), _flat(new)).ratio() >= _TYPO_RATIO:
        return False  # a typo fixed
    if new_target:
        return not _names_table(old, new_target)  # the key says what the new name means
    if old_target and _names_table(new, old_target):
        return False  # the new name is the old key's table
    # the old key's table is one lint knows of too
    known = (_known_tables(facts, options) | {(old_target or "").lower()}) - {table.lower(), ""}
    if not known:
        return True  # nothing to look the name up in: the names decide
    return any(_names_table(new, other) for other in known)


def reference_replaced_by_value(
    facts: Facts, options: LintOptions, table: str, dropped: str, added: str
) -> bool:
    """Whether a reference is dropped for a plain value of another meaning (round 41: a
    feed's `stock_id`, a key to the stocks, replaced by a `source` label): the dropped column
    carried a foreign key (the downgrade restores it, or the revisions before gave it one),
    the upgrade gives the added column none nor names it as one (`<a>_id`), and the two names
    share no word (generic ones and the table's name aside). A renamed reference keeps its
    key; one whose successor is no reference and shares nothing with its name is a redesign,
    whose lost values L305 reports."""
    before, after = name_words(table, dropped), name_words(table, added)
    if not before or not after or before & after:
        return False
    if _stem(added) is not None or _key_target(facts.upgrade_ops, table, added) is not None:
        return False  # named or keyed as a reference: perhaps the same one (`user_id`)
    downgrade = facts.module.downgrade
    if downgrade is not None and _key_target(downgrade.operations, table, dropped) is not None:
        return True
    return bool(options.refers_before(table, dropped))
