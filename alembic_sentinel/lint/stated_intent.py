"""What a revision says in words about what a function leaves undone: a decision, not an
oversight.

L317 and L318 stay quiet when the revision's message, the function's docstring or its comments
state that the emptiness is meant (a release marker, "cannot be undone", "no need to remove the
index"); Alembic's generated markers, "Downgrade the schema." and TODO notes state no decision.

L319 reads the same words in a downgrade that does some work (its docstring, its comments, the
messages it prints or logs), but a decision there covers only the changes it speaks of: those
it names (their table with their kind or alone, their column, their key's name), or "the
other(s)" / "the rest" (of a kind it names, or of any): what the downgrade leaves after the
work it does. A downgrade that does no schema work at all (it only prints that there is no
downgrade) leaves everything, and its decision covers everything.

These are set phrases; a decision read by its shape (a refusal and the change it names),
whatever its words, is lint/refusals.py's. Which changes a remark names is
lint/named_changes.py's.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.named_changes import CHANGE_WORDS, KIND_OF, KIND_WORDS, mentions
from alembic_sentinel.lint.refusals import UNFINISHED
from alembic_sentinel.lint.revision_model import FunctionBody, Operation

# a revision message saying the revision is empty on purpose ("empty expand for symmetry")
EMPTY_ON_PURPOSE = LazyPattern(
    r"^\W*(?:empty|placeholder|no-?op|dummy|stub)\b|\bfor symmetry\b"
    # or a message that is only a release and its version ("Release [0.98.0].", "Release
    # v2.1"): a marker some projects add at every release, the newest at the head
    r"|^\W*release\s*[\[(]?v?\d+(?:\.\d+)+[\])]?\.?[ \t]*(?:\n|$)",
    re.IGNORECASE,
)


# a revision named: an id of six or more hex digits with a digit among them (quoted or not, a
# filename's slug may follow: "fab4f4f31f8a_fill_info"), or the word ("the next migration")
_A_REVISION = (
    r"(?:(?:the|a|an)[ \t]+(?:\w+[ \t]+)?)?(?:(?:revision|migration)s?\b"
    r"|[\"'`]?(?=[0-9a-f]*\d)[0-9a-f]{6,}(?![0-9a-z]))"
)
# an empty upgrade's message or docstring saying its work moved to another revision ("Absorbed
# by fab4f4f31f8a", "merged into the next migration", "superseded by 1c2d3e4f5a6b"): emptied
# on purpose once that revision took the change over (round 23)
_WORK_MOVED = LazyPattern(
    r"\b(?:absorbed|merged|moved|folded|squashed|rolled|combined|incorporated|consolidated"
    r"|superseded|replaced|obsoleted|done|handled|covered|taken over)"
    rf"[ \t]+(?:in|into|to|by|with)[ \t]+{_A_REVISION}",
    re.IGNORECASE,
)


def says_work_moved(text: str | None) -> bool:
    """Whether a revision's message or its upgrade's docstring says the upgrade's work now
    lives in another revision it names (by its id or as "the next migration"); a TODO note
    ("TODO: move into 1a2b3c4d5e6f") is work still to do, no decision."""
    said = text or ""
    return not UNFINISHED.search(said) and _WORK_MOVED.search(said) is not None


# an empty upgrade()'s own docstring saying it is empty on purpose ("A no-op migration for
# marking the Kilo release"); "Nothing yet." says no such thing
MARKER = LazyPattern(
    r"\bno-?op\b|\bempty\b|\bplaceholder\b|\bmark(?:s|ing|er)?\b|\bon purpose\b"
    r"|\bintentionally\b|\bnothing (?:changes|to do)\b",
    re.IGNORECASE,
)


# an empty downgrade()'s docstring or comment saying it leaves the change in place on purpose
# ("We aren't going to recreate the table", "cannot be undone", "irreversible", "intentionally
# left empty"): a stated decision, not a forgotten inverse; "Downgrade the schema." says no such
# thing, and neither do Alembic's "### commands auto generated ###" markers
_NOT_UNDONE_ON_PURPOSE = LazyPattern(
    r"\birreversible\b|\bnon-?reversible\b|\bone-?way\b|\bforward[- ]only\b"
    r"|\bintentional(?:ly)?\b|\bdeliberate(?:ly)?\b|\bon purpose\b|\bby design\b"
    r"|\b(?:can ?not|can't|could not|couldn't|not|never) (?:be )?(?:re-?created|restored"
    r"|re-?added|undone|reversed|reverted|recovered|downgraded|un-?done|brought back|put back)\b"
    # up to three words between: "don't do anything to reverse them" (round 22)
    r"|\b(?:aren't|are not|isn't|is not|won't|will not|don't|do not|doesn't|does not"
    r"|no need to|not going to|cannot|can ?not|can't|never) (?:\w+ ){0,3}(?:re-?create|restore|undo"
    r"|re-?add|revert|reverse|downgrade|recover|bring back|put back|add (?:it |them )?back"
    # "Don't touch the new installation columns": leave them as the upgrade made them
    r"|touch"
    # "Don't go back to DateTime, it will fail", "We do not want to go back in fact"
    r"|go back|back out)\b"
    r"|\bno (?:way (?:to|back)|going back|downgrade|reverse)\b"
    # "We're not interested in recreating these tables", "not planning on restoring them":
    # a wish stated with the verb's -ing or plain form (round r28a)
    r"|\bnot (?:interested in|planning (?:on|to)|intending to|wanting to|keen on) "
    r"(?:re-?creat|restor|re-?add|revert|revers|undo|recover"
    r"|bring(?:ing)? back|put(?:ting)? back)\w*"
    # "There isn't really anything to back out": "nothing to" in two words
    r"|\b(?:isn't|is not|aren't|are not)(?: \w+)? anything to (?:undo|back out|revert|restore"
    r"|reverse|roll back|downgrade)\b"
    # why nothing is undone, in other words: it is not needed ("there should be no need to
    # disable/remove the index", "not necessary", "nothing to undo"), or the change may stay
    # ("leave the column in place", "the index can stay", "harmless")
    r"|\bno need (?:to|for)\b|\bneedn't\b|\bnot (?:needed|necessary|required)\b|\bunnecessary\b"
    # the same in a contraction: "shortening the column ... isn't needed for the old code"
    r"|\b(?:isn't|aren't|wasn't|weren't) (?:really )?(?:needed|necessary|required)\b"
    r"|\bnothing (?:to|needs to)\b|\bno (?:reason|point) (?:to|in)\b"
    r"|\b(?:leave|leaves|leaving|left|keep|keeps|keeping|kept) (?:\S+ ){0,3}"
    r"(?:in place|as is|as-is|alone|untouched|intact|there)\b"
    r"|\b(?:can|may|should|will) (?:safely )?(?:stay|remain|be (?:left|kept))\b"
    # "do nothing here because it might cause an outage", "nothing to do on downgrade since
    # ...", "leave it, as dropping it locks the table": doing nothing with its reason (round 34);
    # "# do nothing" alone gives none
    r"|\b(?:(?:do|does|doing|did) nothing|nothing (?:to do|is done)|(?:leave|leaving) (?:it|them"
    r"|this|these|that|those))\b(?:\W+\w+){0,6}?\W+(?:because|as|since|due to|given that"
    r"|for fear)\W+\w+"
    r"|\bharmless\b|\b(?:does ?n[o']t|won't|will not) hurt\b|\bsafe to (?:keep|leave|ignore)\b"
    # the inverse lives in another revision: "Downgrade is handled by 75c38da2da8a", "undone
    # in the next migration" (a revision id of six or more hex digits, or the word; round 22)
    r"|\b(?:handled|done|covered|taken care of|undone|reverted) (?:by|in) (?:the \w+ )?"
    r"(?:(?:revision|migration)s?\b|[0-9a-f]{6,}\b)",
    re.IGNORECASE,
)
# a revision's message saying the revision itself cannot be undone ("This is the irreversible
# part."): narrower than the words read in a downgrade, as a message names the change it makes
# ("Remove the unnecessary index" says nothing of a downgrade)
_IRREVERSIBLE_REVISION = LazyPattern(
    r"\birreversible\b|\bnon-?reversible\b"
    r"|\b(?:can ?not|can't|could not|couldn't) be (?:undone|reversed|reverted|downgraded)\b",
    re.IGNORECASE,
)


def says_not_undone(downgrade: FunctionBody) -> bool:
    """Whether an empty downgrade() states in words that it leaves the upgrade's change, and
    why (on purpose, impossible, not needed, harmless to keep); a TODO note is no decision."""
    # its comments, and its remarks: a comment after its last statement (its docstring) or
    # right above it, a paragraph of the revision's message about the downgrade
    said = "\n".join([downgrade.docstring or "", downgrade.comments, *downgrade.remarks])
    if UNFINISHED.search(said):
        return False
    return _NOT_UNDONE_ON_PURPOSE.search(said) is not None


def message_says_irreversible(message: str | None) -> bool:
    """Whether the revision's message (its module docstring) says the revision cannot be
    undone: an empty downgrade there is that decision (L318); a TODO note decides nothing."""
    said = message or ""
    return not UNFINISHED.search(said) and _IRREVERSIBLE_REVISION.search(said) is not None


def stated_decisions(downgrade: FunctionBody) -> list[str]:
    """The docstring and each remark (a comment block, a printed or logged message) of a
    downgrade that state it leaves something undone on purpose; a TODO note is no decision."""
    said = [downgrade.docstring or "", *downgrade.remarks]
    return [
        text
        for text in said
        if text and not UNFINISHED.search(text) and _NOT_UNDONE_ON_PURPOSE.search(text)
    ]


# an upgrade's remark about the downgrade ("This is also why downgrade() does not recreate this
# column."): the upgrade explains, beside the change, why its inverse is left out (round 28)
_SPEAKS_OF_DOWNGRADE = LazyPattern(r"\bdowngrad(?:e|es|ed|ing)\b", re.IGNORECASE)


def upgrade_decisions(upgrade: FunctionBody | None) -> list[str]:
    """The remarks of an upgrade that speak of the downgrade and state it leaves something
    undone on purpose: a decision about the downgrade, written where the change is made."""
    if upgrade is None:
        return []
    return [
        text
        for text in upgrade.remarks
        if _SPEAKS_OF_DOWNGRADE.search(text)
        and not UNFINISHED.search(text)
        and _NOT_UNDONE_ON_PURPOSE.search(text)
    ]


# the comment block right above an empty `def upgrade()` saying the upgrade does nothing on
# purpose ("Therefore, this migration does nothing to upgrade"): the same decision a comment
# inside it states (round 28); any other comment there ("# revision identifiers") says nothing
_EMPTY_SAID_ABOVE = LazyPattern(
    r"\b(?:does|do|did) nothing\b|\bno-?op\b|\bintentionally empty\b|\bempty on purpose\b"
    r"|\bnothing (?:to (?:do|upgrade)|changes)\b",
    re.IGNORECASE,
)


def says_empty_above(comment: str) -> bool:
    """Whether the comment block right above an empty upgrade() says it is empty on purpose;
    a TODO note is no decision."""
    return not UNFINISHED.search(comment) and _EMPTY_SAID_ABOVE.search(comment) is not None


# "the other columns", "the rest", "everything else": what the downgrade does not undo
_THE_OTHERS = LazyPattern(
    r"\b(?:others?|rest|remaining|(?:everything|anything|all) else)\b", re.IGNORECASE
)


def speaks_of(decision: str, op: Operation) -> bool:
    """Whether a stated decision is about the upgrade operation `op`: it names the column or
    the key op makes, or op's table (with op's kind of change, or no kind at all), or "the
    other(s)" (of op's kind, or of no kind named), or the change an alter_column makes (its
    autoincrement, nullability, type, default, comment or name; round 22)."""
    names = [c.name for c in op.columns if c.name]
    names += [op.string(p) or "" for p in ("column_name", "index_name", "constraint_name")]
    if any(mentions(decision, name) for name in names if name):
        return True
    if op.name == "alter_column" and any(
        op.param(parameter) is not None and words.search(decision)
        for parameter, words in CHANGE_WORDS.items()
    ):
        return True
    kind = KIND_OF.get(op.name)
    kinds = [k for k, words in KIND_WORDS.items() if words.search(decision)]
    of_its_kind = not kinds or kind in kinds
    if op.table and mentions(decision, op.table) and of_its_kind:
        return True
    return _THE_OTHERS.search(decision) is not None and of_its_kind


# a remark that a column never held values of its own (round 32, L305): nothing ever wrote it
# ("the column was never overlaid or writable by non-owners", "nothing writes to it", "it has
# always been NULL"), so dropping it loses nothing. A column said to be unused or unread ("it
# was not used, so we do not need to migrate the data") still held values: a loss a reviewer
# confirms with a suppression, reported (the labels of rounds 22 to 30 judge it so)
_WRITING = r"(?:writ(?:e|es|ten|ing|able)|wrote|set|filled|populated|assigned|stored|saved)"
_NEVER_WRITTEN = LazyPattern(
    rf"\bnever\W+(?:\w+\W+){{0,3}}?{_WRITING}\b"
    rf"|\b(?:is|was|are|were|been|being)(?:n't|\s+not)\s+(?:ever\s+)?{_WRITING}\b"
    r"|\b(?:nothing|no one|nobody|no code)\s+(?:ever\s+)?"
    r"(?:writes|wrote|sets|set|fills|filled|populates|populated)\b"
    r"|\b(?:always|only ever)\s+(?:been\s+)?(?:empty|null|blank)\b|\bunpopulated\b"
    r"|\bnever\s+(?:had|held|contained|stored)\s+(?:any\s+)?(?:data|values?)\b"
    r"|\b(?:holds?|held|has|had|contains?|contained)\s+no\s+(?:data|values?)\b",
    re.IGNORECASE,
)
# sentences: split after a full stop, question or exclamation mark, and at a blank line (a
# docstring's wrapped lines stay one sentence)
_SENTENCES = LazyPattern(r"(?<=[.!?])\s+|\n\s*\n")


def says_never_written(remarks: list[str], column: str, others: list[str]) -> bool:
    """Whether a remark says the column never held values of its own: a sentence saying so
    that names the column, or that follows one naming it and names none of `others` (the
    upgrade's other dropped columns); a TODO note says nothing."""
    for remark in remarks:
        if not remark or UNFINISHED.search(remark) or not _NEVER_WRITTEN.search(remark):
            continue
        sentences = [s for s in _SENTENCES.split(remark) if s.strip()]
        for index, sentence in enumerate(sentences):
            if not _NEVER_WRITTEN.search(sentence):
                continue
            if mentions(sentence, column):
                return True
            before = sentences[index - 1] if index else ""
            if mentions(before, column) and not any(mentions(sentence, o) for o in others):
                return True
    return False


# a revision's message that tells the drop and the add apart (round 32, L306): "Add line_text to
# the lcd table and delete line_type" states a removal and a new column, two acts; a rename
# written as a drop and an add is said as one ("Rename hashtype to hash_type", "Change
# signature_id to eventid", "fix name of created_at", "replaced with"), and then nothing is
# read from the message
_ONE_CHANGE = LazyPattern(
    r"\b(?:renam\w*|replac\w*|mov(?:e|es|ed|ing)|convert\w*|migrat\w*|chang(?:e|es|ed|ing)"
    r"|fix\w*|typo|correct\w*|switch\w*|swap\w*|transform\w*|instead|supersed\w*"
    r"|becom(?:e|es|ing)|became|in favou?r of|now called|merg\w*|split\w*)\b|->|\u2192",
    re.IGNORECASE,
)
_HEADER = LazyPattern(r"^\s*(?:Revision ID|Revises|Create Date)\s*:", re.MULTILINE)
_REMOVING = r"(?:delet(?:e|es|ed|ing|ion)|remov(?:e|es|ed|ing|al)|drop(?:s|ped|ping)?)"
_ADDING = r"(?:add(?:s|ed|ing)?|introduc(?:e|es|ed|ing)|creat(?:e|es|ed|ing)|new)"


def _said_names(name: str) -> list[str]:
    """A column's name as a message may write it: itself, and the name of its numbered family
    without the number (`line_1_type` -> `line_type`, one name for `line_1..8_type`)."""
    family = re.sub(r"_\d+(?=_|$)|(?<=[A-Za-z])\d+$", "", name)
    return [name] if family in ("", name) else [name, family]


def stated_separately(message: str | None, column: str, removed: bool) -> bool:
    """Whether the revision's message states the column's removal (`removed`) or its addition
    as an act of its own: a word of removing (or adding) then, within three words, the column's
    name (or its numbered family's), in a message that says nothing of renaming, replacing,
    changing or moving (those speak of one change, perhaps a rename)."""
    # the message itself, not Alembic's header after it ("Create Date: ..." adds nothing)
    said = _HEADER.split(message or "", maxsplit=1)[0]
    if not said or UNFINISHED.search(said) or _ONE_CHANGE.search(said):
        return False
    verb = _REMOVING if removed else _ADDING
    return any(
        re.search(rf"\b{verb}\W+(?:\w+\W+){{0,3}}?{re.escape(name)}(?![\w])", said, re.IGNORECASE)
        for name in _said_names(column)
    )
