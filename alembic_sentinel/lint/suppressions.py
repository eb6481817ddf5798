"""Suppression comments: `# sentinel: ignore[CODE, ...] -- reason` and what they cover (L320, L321).

A comment covers the hits whose lines it is on or directly above; the same text on a line of
the module docstring covers the whole file. A suppression without a reason suppresses nothing
(L320), a code that is no rule is reported (L321).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from alembic_sentinel.lint.catalogue import RULES
from alembic_sentinel.lint.facts import Hit
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.revision_model import RevisionModule

_SUPPRESSION = LazyPattern(r"sentinel:[ \t]*ignore\[([^\]]*)\](?:[ \t]*--(.*))?")
_DOCSTRING_SUPPRESSION = LazyPattern(
    r"^[ \t]*sentinel:[ \t]*ignore\[([^\]]*)\](?:[ \t]*--(.*))?$", re.MULTILINE
)


class Suppression(NamedTuple):
    """One `sentinel: ignore[...]`: its codes, its reason ("" if none), where it is."""

    codes: tuple[str, ...]
    reason: str
    line: int
    file_wide: bool


def _comment_suppressions(source: str | bytes) -> Iterator[tuple[int, str]]:
    """(line, text) of each real comment mentioning `sentinel:`; tokenize only when needed."""
    if isinstance(source, bytes):
        if b"sentinel:" not in source:
            return
    elif "sentinel:" not in source:
        return
    import io
    import tokenize

    if isinstance(source, bytes):
        tokens = tokenize.tokenize(io.BytesIO(source).readline)
    else:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    try:
        for token in tokens:
            if token.type == tokenize.COMMENT and "sentinel:" in token.string:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        return


def _parse_suppression(codes: str, reason: str | None, line: int, file_wide: bool) -> Suppression:
    parsed = tuple(code.strip().upper() for code in codes.split(",") if code.strip())
    return Suppression(parsed, (reason or "").strip(), line, file_wide)


def read_suppressions(source: str | bytes, module: RevisionModule) -> list[Suppression]:
    """The suppressions of one file: its comments, then the lines of its docstring."""
    found = []
    for line, comment in _comment_suppressions(source):
        match = _SUPPRESSION.search(comment)
        if match is not None:
            found.append(_parse_suppression(match.group(1), match.group(2), line, False))
    docstring = module.docstring
    if docstring and "sentinel:" in docstring and module.docstring_line is not None:
        for match in _DOCSTRING_SUPPRESSION.finditer(docstring):
            line = module.docstring_line + docstring.count("\n", 0, match.start())
            found.append(_parse_suppression(match.group(1), match.group(2), line, True))
    return found


def suppression_hits(suppressions: Iterable[Suppression]) -> Iterator[Hit]:
    """L320 for a suppression without a reason, L321 for each code that is not a rule."""
    for suppression in suppressions:
        codes = ", ".join(suppression.codes)
        if not suppression.reason:
            yield Hit(
                "L320",
                f"sentinel: ignore[{codes}] gives no reason, so it suppresses nothing",
                suppression.line,
                suppression.line,
            )
        for code in suppression.codes:
            if code not in RULES:
                yield Hit(
                    "L321",
                    f"sentinel: ignore[{code}]: {code} is not a lint rule",
                    suppression.line,
                    suppression.line,
                )


def suppression_for(hit: Hit, suppressions: Sequence[Suppression]) -> Suppression | None:
    """The suppression with a reason that names the hit's code and covers its lines, if any."""
    for suppression in suppressions:
        if not suppression.reason or hit.code not in suppression.codes:
            continue
        if suppression.file_wide or hit.line - 1 <= suppression.line <= hit.end_line:
            return suppression
    return None


def is_suppressed(hit: Hit, suppressions: Sequence[Suppression]) -> bool:
    """Whether a suppression with a reason names the hit's code and covers its lines."""
    return suppression_for(hit, suppressions) is not None
