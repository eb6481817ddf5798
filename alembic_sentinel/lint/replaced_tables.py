"""A dropped table the revision says another, older table replaced (L304, round 34).

A revision that drops a leftover states the replacement in words: "'t_old' is an old table that
was replaced by 't_new' and is no longer used anywhere", "the rows of t_old were moved to t_new".
When the replacement is a table a revision before this one created (and this upgrade keeps), the
application has written its data there since that revision: the rows the drop removes are what
the replacement left behind, a decision taken then, not a loss made now. The words must name
the dropped table in the same sentence, or follow one naming it with "It" / "This table" (or
be the only sentence), and a TODO note decides nothing.

Still reported: a replacement created by this same revision (its rows would have to be copied
here, and nothing copies them), one the history does not show as a table (Redis, a service, a
file), and a table only called unused, obsolete or no longer needed: such drops are deliberate
and still lose rows (labelled true in every round that met them).
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.named_changes import mentions
from alembic_sentinel.lint.refusals import UNFINISHED
from alembic_sentinel.lint.schema_changes import is_version_table

# the words that name a replacement and the table they name: "replaced by 't_new'", "superseded
# by the new t_new table", "moved into t_new", "migrated to table t_new", "in favour of t_new"
_REPLACED_BY = LazyPattern(
    r"\b(?:(?:replaced|superseded|succeeded)\s+(?:by|with)"
    r"|(?:moved|migrated|copied|transferred)\s+(?:to|into|over\s+to)"
    r"|in\s+favou?r\s+of)"
    r"\s+(?:the\s+)?(?:new\s+)?(?:table\s+)?[`'\"]?(\w+)",
    re.IGNORECASE,
)
# a cheap test before any sentence is read
_WORDS = LazyPattern(
    r"replaced|superseded|succeeded|moved|migrated|copied|transferred|favou?r", re.IGNORECASE
)
_BACK = LazyPattern(r"(?:it|its|this|that|the\s+(?:old\s+)?table|they|their)\b", re.IGNORECASE)
_SENTENCES = LazyPattern(r"(?<=[.!?])\s+|\n\s*\n")


def no_rows_of_its_own(facts: Facts, options: LintOptions, table: str | None) -> bool:
    """Whether a dropped table holds no rows the application still needs: another migration
    tool's bookkeeping (schema_changes.is_version_table), or rows an older replacement left
    behind, as the revision says (said_replaced)."""
    return is_version_table(table) or said_replaced(facts, options, table)


def said_replaced(facts: Facts, options: LintOptions, table: str | None) -> bool:
    """Whether the revision's message, its upgrade's docstring or its comments say the dropped
    table was replaced by (or its rows moved to) another table an earlier revision created
    and this upgrade does not drop (module docstring)."""
    if not table:
        return False
    upgrade = facts.module.upgrade
    said = [facts.module.docstring or ""]
    if upgrade is not None:
        said += [upgrade.docstring or "", *upgrade.remarks]
    said = [text for text in said if text and _WORDS.search(text) and not UNFINISHED.search(text)]
    if not said:
        return False
    dropped = {(op.table or "").lower() for op in facts.upgrade_ops if op.name == "drop_table"}
    for text in said:
        sentences = [s for s in _SENTENCES.split(text) if s.strip()]
        for index, sentence in enumerate(sentences):
            before = sentences[index - 1] if index else ""
            # the sentence names the table, or follows one that does ("It was replaced by")
            if len(sentences) > 1 and not (
                mentions(sentence, table) or (mentions(before, table) and _pronoun(sentence))
            ):
                continue
            for match in _REPLACED_BY.finditer(sentence):
                other = match.group(1).lower()
                if other != table.lower() and other not in dropped and _made_before(options, other):
                    return True
    return False


def _pronoun(sentence: str) -> bool:
    """Whether a sentence speaks of something named before it: it opens with "It", "Its",
    "This table", "The table", "Its rows"."""
    return _BACK.match(sentence.strip()) is not None


def _made_before(options: LintOptions, table: str) -> bool:
    """Whether a revision before this one shows the table with a column (it created it)."""
    history = options.history
    return any(
        t == table and any(depth < options.position for depth, _ in facts)
        for (t, _), facts in history.states.items()
    )
