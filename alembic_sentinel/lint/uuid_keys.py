"""Whether a VARCHAR shortened to a UUID's width holds UUIDs: a key, not free text (L307).

A string key cut to 36 characters (a UUID's text form, `str(uuid4())`) or 32 (its hex form,
`uuid4().hex`) says what its values are: the application generates them as UUIDs, and each
fits. Nothing in the revisions proves it (the model's `default=generate_uuid` lives in the
application), so L307 keeps the change as a notice to check, not as an error (round 37: string
primary keys VARCHAR(512) -> VARCHAR(36), and the foreign keys that refer to them). A column
that is no key, or one that refers to a unique code rather than a primary key, stays an error:
`tenant_id` VARCHAR(255) -> VARCHAR(36) (an external system's identifier, round 19) and a
`sample_internal_id` cut to 32 (round 28) hold whatever their sources wrote.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.facts import LintOptions
from alembic_sentinel.lint.revision_model import STRING, TypeSpec

# the lengths of a UUID's text forms: with hyphens (8-4-4-4-12) and as 32 hex digits
UUID_WIDTHS = frozenset({32, 36})
# the words that name a column for UUIDs: `uuid`, `user_uuid`, `guid`, `externalGuid`
_UUID_WORDS = frozenset({"uuid", "guid"})


def uuid_key(
    options: LintOptions, table: str | None, column: str | None, old: TypeSpec, new: TypeSpec
) -> bool:
    """Whether a string column shortened to a UUID's width (`new`) is a UUID key: named for
    UUIDs, its table's one-column primary key, or a foreign key to such a primary key, as the
    revisions before this one leave them."""
    if old.family != STRING or new.family != STRING or new.length not in UUID_WIDTHS:
        return False
    if table is None or column is None:
        return False
    if not _UUID_WORDS.isdisjoint(_words(column)):
        return True
    if _sole_key(options, table, column):
        return True
    return any(
        _sole_key(options, referred, referred_column)
        for referred, _, referred_column in (
            target.partition(".") for target in options.refers_before(table, column)
        )
    )


def _words(name: str) -> set[str]:
    """A column name's words: `externalGuid`, `external_guid` -> {"external", "guid"}."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return {word for word in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if word}


def _sole_key(options: LintOptions, table: str, column: str) -> bool:
    key = options.primary_key(table)
    return key is not None and {c.lower() for c in key} == {column.lower()}
