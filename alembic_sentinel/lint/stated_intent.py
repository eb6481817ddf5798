"""What a revision says in words about a function it leaves empty: a decision, not an oversight.

L317 and L318 stay quiet when the revision's message, the function's docstring or its comments
state that the emptiness is meant (a release marker, "cannot be undone", "no need to remove the
index"); Alembic's generated markers, "Downgrade the schema." and TODO notes state no decision.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.revision_model import FunctionBody

# a revision message saying the revision is empty on purpose ("empty expand for symmetry")
EMPTY_ON_PURPOSE = re.compile(
    r"^\W*(?:empty|placeholder|no-?op|dummy|stub)\b|\bfor symmetry\b"
    # or a message that is only a release and its version ("Release [0.98.0].", "Release
    # v2.1"): a marker some projects add at every release, the newest at the head
    r"|^\W*release\s*[\[(]?v?\d+(?:\.\d+)+[\])]?\.?[ \t]*(?:\n|$)",
    re.IGNORECASE,
)


# an empty upgrade()'s own docstring saying it is empty on purpose ("A no-op migration for
# marking the Kilo release"); "Nothing yet." says no such thing
MARKER = re.compile(
    r"\bno-?op\b|\bempty\b|\bplaceholder\b|\bmark(?:s|ing|er)?\b|\bon purpose\b"
    r"|\bintentionally\b|\bnothing (?:changes|to do)\b",
    re.IGNORECASE,
)


# an empty downgrade()'s docstring or comment saying it leaves the change in place on purpose
# ("We aren't going to recreate the table", "cannot be undone", "irreversible", "intentionally
# left empty"): a stated decision, not a forgotten inverse; "Downgrade the schema." says no such
# thing, and neither do Alembic's "### commands auto generated ###" markers
_NOT_UNDONE_ON_PURPOSE = re.compile(
    r"\birreversible\b|\bnon-?reversible\b|\bone-?way\b|\bforward[- ]only\b"
    r"|\bintentional(?:ly)?\b|\bdeliberate(?:ly)?\b|\bon purpose\b|\bby design\b"
    r"|\b(?:can ?not|can't|could not|couldn't|not|never) (?:be )?(?:re-?created|restored"
    r"|re-?added|undone|reversed|reverted|recovered|downgraded|un-?done|brought back|put back)\b"
    r"|\b(?:aren't|are not|isn't|is not|won't|will not|don't|do not|doesn't|does not"
    r"|no need to|not going to|cannot|can ?not|can't|never) (?:\w+ ){0,2}(?:re-?create|restore|undo"
    r"|re-?add|revert|reverse|downgrade|recover|bring back|put back|add (?:it |them )?back"
    # "Don't go back to DateTime, it will fail", "We do not want to go back in fact"
    r"|go back|back out)\b"
    r"|\bno (?:way to|going back|downgrade|reverse)\b"
    # "There isn't really anything to back out": "nothing to" in two words
    r"|\b(?:isn't|is not|aren't|are not)(?: \w+)? anything to (?:undo|back out|revert|restore"
    r"|reverse|roll back|downgrade)\b"
    # why nothing is undone, in other words: it is not needed ("there should be no need to
    # disable/remove the index", "not necessary", "nothing to undo"), or the change may stay
    # ("leave the column in place", "the index can stay", "harmless")
    r"|\bno need (?:to|for)\b|\bneedn't\b|\bnot (?:needed|necessary|required)\b|\bunnecessary\b"
    r"|\bnothing (?:to|needs to)\b|\bno (?:reason|point) (?:to|in)\b"
    r"|\b(?:leave|leaves|leaving|left|keep|keeps|keeping|kept) (?:\S+ ){0,3}"
    r"(?:in place|as is|as-is|alone|untouched|intact|there)\b"
    r"|\b(?:can|may|should|will) (?:safely )?(?:stay|remain|be (?:left|kept))\b"
    r"|\bharmless\b|\b(?:does ?n[o']t|won't|will not) hurt\b|\bsafe to (?:keep|leave|ignore)\b",
    re.IGNORECASE,
)
# a note of work still to do is no decision, whatever else it says ("TODO: no need to drop?")
_UNFINISHED = re.compile(r"\b(?:TODO|FIXME|XXX)\b")


def says_not_undone(downgrade: FunctionBody) -> bool:
    """Whether an empty downgrade() states in words that it leaves the upgrade's change, and
    why (on purpose, impossible, not needed, harmless to keep); a TODO note is no decision."""
    said = f"{downgrade.docstring or ''}\n{downgrade.comments}"
    if _UNFINISHED.search(said):
        return False
    return _NOT_UNDONE_ON_PURPOSE.search(said) is not None
