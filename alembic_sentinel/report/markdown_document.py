"""Markdown that user text cannot break: escaping, fenced code, and a document cut to a size.

Escaping keeps text written by whoever opened a pull request (revision messages, paths, SQL)
from turning into markup, HTML or a mention. A document is a list of `Block`s whose bodies can
be cut from the end, with a note, until it fits GitHub's limits (`fit`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from alembic_sentinel.report.render import terminal_safe

# where the note on a cut section sends the reader (the renderer's caller knows better)
TRUNCATED_WHERE = "full report: `ci --format json`"

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~$])")
_NEWLINES = re.compile(r"\r\n|\r|\n")
# "@name" in a comment notifies that user or team; a word joiner keeps it as plain text
_MENTION = re.compile(r"@(?=\w)")
_BACKTICK_RUNS = re.compile(r"`+")


# --- escaping ---------------------------------------------------------------------------------


def escape_text(value: object) -> str:
    """User text for a Markdown paragraph, list item or table cell: one line, no markup."""
    text = terminal_safe(_NEWLINES.sub(" ", str(value)))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return _MENTION.sub("@\u2060", text)


def escape_html(value: object) -> str:
    """User text inside an HTML block (`<summary>`), where Markdown escapes would show."""
    text = html.escape(terminal_safe(_NEWLINES.sub(" ", str(value))), quote=True)
    return _MENTION.sub("@\u2060", text)


def code_block(content: str, language: str = "") -> list[str]:
    """A fenced code block whose fence is longer than any run of backticks in `content`."""
    longest = max((len(run) for run in _BACKTICK_RUNS.findall(content)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = _NEWLINES.split(content.rstrip("\r\n"))
    return [fence + language, *(terminal_safe(line) for line in lines), fence]


def inline_code(value: object) -> str:
    # <code> rather than backticks: a backtick or a pipe in the value cannot end it or the cell
    return f"<code>{escape_text(value)}</code>"


# --- the document -----------------------------------------------------------------------------


@dataclass
class Block:
    """Lines of the document; `body` lines past `keep` may be cut, leaving a note.

    A code block puts its fences in `open` and `close`: they are kept around what is left of
    the body, and dropped with it when nothing is left.
    """

    head: list[str]
    body: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)
    close: list[str] = field(default_factory=list)
    kind: str = "fixed"
    keep: int = 0
    unit: str = "lines"
    cut: int = 0

    def lines(self, where: str = TRUNCATED_WHERE) -> list[str]:
        kept = self.body[: len(self.body) - self.cut]
        code = [*self.open, *kept, *self.close] if kept or not self.body else []
        note = []
        if self.cut:
            unit = self.unit[:-1] if self.cut == 1 else self.unit
            note = ["", f"*… truncated: {self.cut} more {unit}; {where}*"]
        return [*self.head, *code, *note, *self.tail]

    def cuttable(self) -> int:
        """Characters that cutting the remaining body lines past `keep` would save."""
        remaining = self.body[self.keep : len(self.body) - self.cut]
        return sum(len(line) + 1 for line in remaining)


def fit(
    blocks: Sequence[Block], limit: int, cut_order: Sequence[str], where: str = TRUNCATED_WHERE
) -> str:
    """The blocks joined, at most `limit` characters: kinds cut in `cut_order`, then lines;
    each cut says `where` the full report is."""
    text = join_blocks(blocks, where)
    if len(text) <= limit:
        return text
    for kind in cut_order:
        while len(text) > limit and _cut_longest(blocks, kind, len(text) - limit):
            text = join_blocks(blocks, where)
    if len(text) > limit:
        text = _hard_cut(text, limit, where)
    return text


def join_blocks(blocks: Sequence[Block], where: str = TRUNCATED_WHERE) -> str:
    lines = (line for block in blocks for line in block.lines(where))
    return "\n".join(lines).rstrip("\n") + "\n"


def _cut_longest(blocks: Sequence[Block], kind: str, excess: int) -> bool:
    """Cut lines from the end of the longest block of `kind`; False when nothing is left."""
    candidates = [block for block in blocks if block.kind == kind and block.cuttable() > 0]
    if not candidates:
        return False
    block = max(candidates, key=Block.cuttable)
    # the note costs a line of its own the first time; count it so one pass usually suffices
    needed = excess + (0 if block.cut else 120)
    saved = 0
    while saved < needed and len(block.body) - block.cut > block.keep:
        saved += len(block.body[len(block.body) - block.cut - 1]) + 1
        block.cut += 1
    return True


def _hard_cut(text: str, limit: int, where: str) -> str:
    """Keep whole lines up to the limit, closing an open code fence and <details>."""
    note = f"*… truncated: {{}} more lines; {where}*"
    lines = text.split("\n")
    kept: list[str] = []
    fence: str | None = None
    details = 0
    size = 0
    for line in lines:
        closing = ([fence] if fence else []) + ["</details>"] * details
        reserve = sum(len(c) + 1 for c in closing) + len(note) + 12
        if size + len(line) + 1 + reserve > limit:
            break
        kept.append(line)
        size += len(line) + 1
        stripped = line.strip()
        if fence is None and stripped.startswith("```"):
            fence = stripped.rstrip("abcdefghijklmnopqrstuvwxyz")
        elif fence is not None and stripped == fence:
            fence = None
        elif fence is None:
            details += line.count("<details>") - line.count("</details>")
            details = max(details, 0)
    closing = ([fence] if fence else []) + ["</details>"] * details
    result = "\n".join([*kept, *closing, "", note.format(len(lines) - len(kept))]) + "\n"
    return result if len(result) <= limit else result[:limit]
