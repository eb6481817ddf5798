"""Python source streamed in chunks, searched for names in its code, never in its literal text.

A revision file too large to parse is placed in the graph from its header (bounded_header) only
when nothing after the header could bind an identifier: the question the normal reader's
`_late_binding()` asks of the text, asked here of the code alone. Data migrations carry megabytes
of string literals whose text often holds a word such as `revision`; searching the raw text would
doubt every one of them. So this scanner follows the source as Python's tokenizer does, just far
enough to tell code from literal text: strings of every prefix (one-line and triple-quoted, their
escapes), the replacement fields of f-strings, comments, line continuations.

Bounded: it holds at most a chunk and a few hundred bytes besides (a 3 MB one-line literal is
passed over, never held), and one regular expression passes over runs of punctuation, numbers,
names and complete one-line strings at C speed.

Conservative: what it does not follow exactly is a doubt, never a pass: non-ASCII code (Python
normalizes identifiers), a character Python refuses, a string that does not end where Python's
would, an f-string replacement field holding a quote, a backslash or a comment (read from there
on as raw text, where any watched word, string or not, is a doubt).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from typing import Callable, NamedTuple

# read(n): up to n more bytes of the source, b"" at its end (os.read, a stream's read)
Read = Callable[[int], bytes]

CHUNK_BYTES = 64 * 1024
# a token is judged only with this much text after its start, or the end of the source
_LOOKAHEAD = 256
_PREFIXES = frozenset({b"", b"r", b"u", b"b", b"br", b"rb"})
_FORMATTED = frozenset({b"f", b"fr", b"rf", b"t", b"tr", b"rt"})  # f-strings, t-strings (3.14)
_NAME = re.compile(rb"[A-Za-z_]\w*")
_SPACE = re.compile(rb"(?:[ \t\f]|\\\r?\n)*")  # between tokens of one line
_LINE_END = re.compile(rb"[\r\n]")
# a one-line string literal, whole (its closing quote included), without a prefix; written
# "unrolled" (plain characters, then escapes each followed by plain characters): one repeat of a
# character class passes over most of the text, several times faster than an alternation
_ONE_LINE = {
    quote: rb"%s(?!%s%s)[^%s\\\r\n]*(?:\\(?:\r\n|[\s\S])[^%s\\\r\n]*)*%s" % ((quote,) * 6)
    for quote in (b'"', b"'")
}
# the text of a string after its opening quote, up to (not including) a quote or a line end
_BODY = {
    b'"': re.compile(rb'[^"\\\r\n]*(?:\\(?:\r\n|[\s\S])[^"\\\r\n]*)*'),
    b"'": re.compile(rb"[^'\\\r\n]*(?:\\(?:\r\n|[\s\S])[^'\\\r\n]*)*"),
    b'"""': re.compile(rb'[^"\\]*(?:\\[\s\S][^"\\]*)*'),
    b"'''": re.compile(rb"[^'\\]*(?:\\[\s\S][^'\\]*)*"),
}
# an f-string's literal text: also stops at a brace (`{{` and `}}` are literal braces)
_FORMATTED_BODY = {
    quote: re.compile(rb"[^%s{}]*(?:(?:\\%s|\{\{|\}\})[^%s{}]*)*" % (stops, escape, stops))
    for quote, stops, escape in (
        (b'"', rb'"\\\r\n', rb"(?:\r\n|[\s\S])"),
        (b"'", rb"'\\\r\n", rb"(?:\r\n|[\s\S])"),
        (b'"""', rb'"\\', rb"[\s\S]"),
        (b"'''", rb"'\\", rb"[\s\S]"),
    )
}
# what a replacement field may hold and still be followed exactly: no quote, backslash, comment
_FIELD_TEXT = re.compile(rb"[^'\"\\#{}()\[\]]*")


class Doubt(NamedTuple):
    """Where the code may bind a watched name, and what there does."""

    line: int
    what: str


@cache
def _harmless(names: frozenset[str]) -> re.Pattern[bytes]:
    """A run of tokens that cannot bind any of `names`: spaces, punctuation, numbers, line
    continuations, whole comments and one-line strings, names other than those and `import`
    (a name or string cut by the end of what was read stops the run, to be read whole)."""
    watched = b"|".join(sorted({name.encode() for name in names} | {b"import"}))
    return re.compile(
        rb"(?:[ \t\f\r\n,:;.()\[\]{}+\-*/%=<>!&|^~@0-9]+"
        rb"|\\\r?\n"
        rb"|\#[^\r\n]*(?=[\r\n])"
        rb"|(?:[rRbBuU]|[rR][bB]|[bB][rR])?(?:" + b"|".join(_ONE_LINE.values()) + rb")"
        rb"|(?!(?:" + watched + rb")\b)[A-Za-z_]\w*(?![\w'\"]|\Z)"
        rb")*"
    )


@cache
def _whole_words(names: frozenset[str]) -> re.Pattern[bytes]:
    words = b"|".join(sorted(name.encode() for name in names))
    return re.compile(rb"\b(?:" + words + rb")\b|\bimport\b[\s\\]*\*")


def _end(pattern: re.Pattern[bytes], buffer: bytes, pos: int, end: int | None = None) -> int:
    """Where a match of `pattern` (one that may be empty, so always matches) at `pos` ends."""
    found = pattern.match(buffer, pos, len(buffer) if end is None else end)
    return pos if found is None else found.end()


class _Source:
    """The unread rest of the source: `buffer[pos:]` and what `read` still gives."""

    def __init__(self, start: bytes, read: Read, first_line: int) -> None:
        self.buffer = start
        self.pos = 0
        self.read = read
        self.ended = False
        self._line = first_line  # the line `buffer` starts on

    def fill(self, wanted: int = _LOOKAHEAD) -> None:
        """At least `wanted` bytes after `pos`, unless the source ends first; what is before
        `pos` is let go."""
        while len(self.buffer) - self.pos < wanted and not self.ended:
            chunk = self.read(CHUNK_BYTES)
            if not chunk:
                self.ended = True
                return
            self._line += self.buffer.count(b"\n", 0, self.pos)
            self.buffer = self.buffer[self.pos :] + chunk
            self.pos = 0

    def short(self) -> bool:
        """Fewer than _LOOKAHEAD bytes left in the buffer, and more may follow."""
        return not self.ended and len(self.buffer) - self.pos < _LOOKAHEAD

    def doubt(self, what: str, at: int | None = None) -> Doubt:
        at = self.pos if at is None else at
        return Doubt(self._line + self.buffer.count(b"\n", 0, at), what)


def first_binding_doubt(
    start: bytes, read: Read, names: Collection[str], first_line: int = 1
) -> Doubt | None:
    """The first place in the code of `start` followed by what `read` gives where one of
    `names` is used (or a star import, or something the scanner cannot follow); None when the
    code names none of them. `start` must begin where a statement begins."""
    source = _Source(start, read, first_line)
    watched = frozenset(names)
    harmless = _harmless(watched)
    while True:
        source.pos = _end(harmless, source.buffer, source.pos)
        if source.short():
            source.fill()
            continue
        if source.pos >= len(source.buffer):
            return None
        doubt = _token(source, watched)
        if doubt is not None:
            return doubt


def _token(source: _Source, names: frozenset[str]) -> Doubt | None:
    """Pass over the token at `pos` that the harmless run stopped at; a Doubt if it may bind."""
    buffer, pos = source.buffer, source.pos
    first = buffer[pos : pos + 1]
    if first in (b'"', b"'"):
        return _string(source, names, b"")
    if first == b"#":
        _comment(source)
        return None
    name = _NAME.match(buffer, pos)
    if name is None:
        what = "non-ASCII code" if first >= b"\x80" else f"{first.decode()!r}"
        return source.doubt(what)
    word = name.group()
    after = name.end()
    if buffer[after : after + 1] in (b'"', b"'"):
        source.pos = after
        return _string(source, names, word.lower(), start=pos)
    if word.decode() in names:
        return source.doubt(f"`{word.decode()}`")
    if word == b"import":
        space = _end(_SPACE, buffer, after)
        if buffer[space : space + 1] == b"*" or (space == len(buffer) and not source.ended):
            return source.doubt("a star import")
    source.pos = after
    return None


def _comment(source: _Source) -> None:
    while True:
        end = _LINE_END.search(source.buffer, source.pos)
        if end is not None:
            source.pos = end.start()
            return
        source.pos = len(source.buffer)
        source.fill()
        if source.pos >= len(source.buffer):
            return


def _string(
    source: _Source, names: frozenset[str], prefix: bytes, start: int | None = None
) -> Doubt | None:
    """Pass over the string whose opening quote is at `pos` (`prefix` before it, from
    `start`)."""
    if prefix not in _PREFIXES and prefix not in _FORMATTED:
        return source.doubt("a name right before a quote", start)
    source.fill(3)
    quote = source.buffer[source.pos : source.pos + 1]
    if source.buffer.startswith(quote * 3, source.pos):
        quote *= 3
    source.pos += len(quote)
    if prefix in _FORMATTED:
        return _formatted(source, names, quote)
    closed = _body(source, quote, _BODY[quote])
    return closed if isinstance(closed, Doubt) else None


_CLOSED = "closed"
_BRACE = "brace"


def _body(source: _Source, quote: bytes, body: re.Pattern[bytes]) -> Doubt | str:
    """Pass over a string's text and its closing `quote` (_CLOSED); an f-string's text stops
    before a replacement field's brace (_BRACE)."""
    while True:
        source.fill()
        buffer = source.buffer
        # never judge a stop in the last bytes read: a `\` and what it escapes, or a closing
        # triple quote, may be split between two reads
        end = len(buffer) if source.ended else len(buffer) - 4
        stop = _end(body, buffer, source.pos, end)
        source.pos = stop
        if stop >= end and not source.ended:
            continue
        if buffer.startswith(quote, stop):
            source.pos = stop + len(quote)
            return _CLOSED
        following = buffer[stop : stop + 1]
        if len(quote) == 3 and following == quote[:1]:
            source.pos = stop + 1  # a quote inside a triple-quoted string
            continue
        if following in (b"{", b"}") and body is not _BODY[quote]:
            return _BRACE
        return source.doubt("a string that does not end where Python's would")


def _formatted(source: _Source, names: frozenset[str], quote: bytes) -> Doubt | None:
    """Pass over an f-string after its opening quote: its literal text, and its replacement
    fields read as the code they are. A field holding a quote, a backslash or a comment may end
    where only Python 3.12's grammar says (PEP 701): the rest of the source is then read raw."""
    while True:
        status = _body(source, quote, _FORMATTED_BODY[quote])
        if isinstance(status, Doubt):
            return status
        if status == _CLOSED:
            return None
        if source.buffer[source.pos : source.pos + 1] == b"}":
            return source.doubt("a single `}` in an f-string")
        followed = _field(source, names)
        if followed is None:
            return _raw(source, names)
        if isinstance(followed, Doubt):
            return followed


def _field(source: _Source, names: frozenset[str]) -> Doubt | bool | None:
    """Pass over the replacement field whose `{` is at `pos`: True when passed, a Doubt when
    its code uses a watched name, None when it holds what only a tokenizer follows (or runs
    past what was read)."""
    source.fill()
    buffer, depth, at = source.buffer, 0, source.pos
    words = _whole_words(names)
    while True:
        end = _end(_FIELD_TEXT, buffer, at)
        code = buffer[at:end]
        found = words.search(code)
        if found is not None or not code.isascii():
            what = f"`{found.group().decode()}`" if found else "non-ASCII code"
            return source.doubt(f"{what} in an f-string", at + (found.start() if found else 0))
        if end >= len(buffer):
            return None
        bracket = buffer[end : end + 1]
        if bracket in (b"{", b"(", b"["):
            depth += 1
        elif bracket in (b"}", b")", b"]"):
            depth -= 1
            if depth == 0:
                source.pos = end + 1
                return True
        else:
            return None  # a quote, a backslash or a comment
        at = end + 1


def _raw(source: _Source, names: frozenset[str]) -> Doubt | None:
    """Search the rest of the source as raw text: any watched name or `import`, in a string or
    not, or any non-ASCII byte, is a doubt."""
    found_any = _raw_words(names)
    while True:
        source.fill()
        buffer = source.buffer
        end = len(buffer) if source.ended else len(buffer) - 64  # a word split between reads
        found = found_any.search(buffer, source.pos)
        if found is not None and found.start() < end:
            what = found.group()
            shown = f"`{what.decode()}`" if what.isascii() else "non-ASCII text"
            return source.doubt(f"{shown} after an f-string it cannot follow", found.start())
        if source.ended:
            source.pos = len(buffer)  # all of it read
            return None
        source.pos = max(source.pos, end)


@cache
def _raw_words(names: frozenset[str]) -> re.Pattern[bytes]:
    words = b"|".join(sorted({name.encode() for name in names} | {b"import"}))
    return re.compile(rb"\b(?:" + words + rb")\b|[\x80-\xff]")
