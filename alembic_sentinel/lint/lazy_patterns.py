"""Regular expressions compiled on first use.

The linter's modules hold about a hundred module-level patterns (SQL statements, phrases of
stated decisions, naming conventions); compiling all of them at import took 30-40 ms of every
lint process, while a history uses about half of them and a one-file pre-commit run fewer. A
`LazyPattern` compiles its pattern the first time it is asked to match, and answers the calls
the linter makes (search, match, fullmatch, finditer, findall, sub, subn, split) as the
compiled pattern does.

A pattern searched in every file (or every remark) may also be given the `words` any match of
it holds: then `search` in ASCII text none of whose words it holds (compared in lowercase)
answers None without running the pattern, a substring test being far cheaper than a scan with
IGNORECASE and alternatives. Text that is not ASCII is always searched: with IGNORECASE,
Unicode case folding matches the dotless i (U+0131), the long s (U+017F) and the Kelvin sign
(U+212A) for i, s and k, which lowercasing does not turn into them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, Generic

# the last text lowercased and its lowercase: the patterns searched in every file each ask for
# the same file's text in turn (the entry holds the text, so its id cannot be reused)
_last_lowered: list[Any] = [None, None]


def lowercase(text: AnyStr) -> AnyStr:
    """`text.lower()`, worked out once for the text asked about last."""
    last = _last_lowered
    if last[0] is not text:
        last[0], last[1] = text, text.lower()
    lowered: AnyStr = last[1]
    return lowered


class LazyPattern(Generic[AnyStr]):
    """`re.compile(source, flags)`, done when the pattern is first used."""

    __slots__ = ("_compiled", "flags", "pattern", "words")

    def __init__(self, pattern: AnyStr, flags: int = 0, words: tuple[AnyStr, ...] = ()) -> None:
        """`words`: lowercase; every match of the pattern holds one of them (see above)."""
        self.pattern: AnyStr = pattern
        self.flags = flags
        self.words: tuple[AnyStr, ...] = words
        self._compiled: re.Pattern[AnyStr] | None = None

    @property
    def compiled(self) -> re.Pattern[AnyStr]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return compiled

    def search(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        words = self.words
        if words and string.isascii():
            lowered = lowercase(string)
            if not any(word in lowered for word in words):
                return None  # no match can be there: it would hold one of the words
        return self.compiled.search(string, pos, endpos)

    def match(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[AnyStr]]:
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos)

    def sub(
        self,
        repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr],
        string: AnyStr,
        count: int = 0,
    ) -> AnyStr:
        return self.compiled.sub(repl, string, count)

    def subn(
        self,
        repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr],
        string: AnyStr,
        count: int = 0,
    ) -> tuple[AnyStr, int]:
        return self.compiled.subn(repl, string, count)

    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]:
        return self.compiled.split(string, maxsplit)
