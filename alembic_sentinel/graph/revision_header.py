"""The header-only reader: a revision file's declarations read from its text, without `ast`.

Almost every revision file starts the way Alembic's and Flask-Migrate's templates write it: a
docstring, imports, then `revision = "..."`, `down_revision = ...`, `branch_labels = None`,
`depends_on = None` (annotated or not), before `def upgrade()`. For that plain form the values
are plain literals on one line each, and reading them from the text gives exactly what `ast`
gives, at a fraction of the cost: on a fresh clone of a long history, parsing and compiling
every file is most of what `heads` does.

`plain_header` accepts only that form, line by line, and answers None for anything else (a
backslash, a bracket over several lines, a string prefix, a statement of another kind, an
identifier assigned twice or bound by an import, non-ASCII outside the docstring, ...); the
caller then parses the file with `ast`. tests/test_revision_header.py feeds both readers the
same generated files. What the text reader does not do is compile the rest of the file: a
syntax error below the declarations is reported by `lint` and by every verb that runs the
revisions, not by `heads` (a merge-conflict marker, the usual one, still sends the file to
`ast`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from alembic_sentinel.graph.revision_file import IDENTIFIERS, WATCHED_WORDS

_STRING = r"""'[^'\n]*'|"[^"\n]*\""""
_ITEMS = rf"\s*(?:(?:{_STRING})\s*(?:,\s*(?:{_STRING})\s*)*,?\s*)?"
_SEQUENCE = rf"\({_ITEMS}\)|\[{_ITEMS}\]"
_NAME = r"[A-Za-z_]\w*"
_DOTTED = rf"{_NAME}(?:\.{_NAME})*"
_COMMENT = r"[ \t]*(?:#[^\n]*)?"
# one statement line of the plain form: `name[: annotation] = literal`, an import, a comment
_ASSIGNMENT = (
    rf"(?P<name>{_NAME})[ \t]*(?::[ \t]*[\w\[\]., |]+?[ \t]*)?=[ \t]*"
    rf"(?P<value>None|{_STRING}|{_SEQUENCE}){_COMMENT}"
)
_IMPORT = (
    rf"import[ \t]+{_DOTTED}(?:[ \t]+as[ \t]+{_NAME})?"
    rf"(?:[ \t]*,[ \t]*{_DOTTED}(?:[ \t]+as[ \t]+{_NAME})?)*{_COMMENT}"
    rf"|from[ \t]+\.*(?:{_DOTTED})?[ \t]+import[ \t]+{_NAME}(?:[ \t]+as[ \t]+{_NAME})?"
    rf"(?:[ \t]*,[ \t]*{_NAME}(?:[ \t]+as[ \t]+{_NAME})?)*{_COMMENT}"
)


class _Patterns(NamedTuple):
    plain_lines: re.Pattern[str]  # the part after the docstring, all lines of the plain form
    assignments: re.Pattern[str]
    import_lines: re.Pattern[str]
    word: re.Pattern[str]
    item: re.Pattern[str]
    conflict_marker: re.Pattern[bytes]  # `<<<<<<< ours`, `=======`, `>>>>>>> theirs`


@cache
def _patterns() -> _Patterns:
    """Compiled on first use: a run whose files all come from the parse cache never needs them
    (compiling them costs more than reading a thousand cached files)."""
    unnamed_assignment = _ASSIGNMENT.replace("?P<name>", "").replace("?P<value>", "")
    return _Patterns(
        re.compile(rf"(?:(?:{_IMPORT}|{unnamed_assignment}|{_COMMENT})(?:\n|\Z))*"),
        re.compile(rf"^{_ASSIGNMENT}$", re.MULTILINE),
        re.compile(r"^(?:import|from)\b[^\n]*", re.MULTILINE),
        re.compile(r"[A-Za-z_]\w*"),
        re.compile(_STRING),
        re.compile(rb"^(?:<{7}|={7}|>{7})(?:[ \t]|$)", re.MULTILINE),
    )


def has_conflict_marker(data: bytes) -> bool:
    if b"<<<<<<<" not in data and b">>>>>>>" not in data and b"=======" not in data:
        return False  # the usual case, told without the regular expression
    return _patterns().conflict_marker.search(data) is not None


_CODING_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)


def declared_encoding(source: bytes) -> bytes | None:
    """The encoding a coding cookie in the first two lines declares (lowercase, `_` as `-`),
    or None: what Python decodes the file with."""
    first = source.find(b"\n")
    second = source.find(b"\n", first + 1) if first >= 0 else -1
    cookie = _CODING_COOKIE.search(source, 0, len(source) if second < 0 else second)
    return cookie.group(1).lower().replace(b"_", b"-") if cookie else None


class Header(NamedTuple):
    """What the declarations say: each identifier's value and line, and the docstring."""

    values: dict[str, object]
    lines: dict[str, int]
    docstring: str


def plain_header(head: bytes) -> Header | None:
    """Read the declarations part of a revision file (everything before its first top-level
    def or class) when it has the plain form; None when `ast` must decide."""
    if b"\\" in head or b"\r" in head or b"\0" in head or head.startswith(b"\xef\xbb\xbf"):
        return None
    if b"coding" in b"\n".join(head.split(b"\n", 2)[:2]):
        return None  # a coding cookie: decoding is for Python to do
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    docstring = ""
    index = _skip_comments(lines, 0)
    if index < len(lines) and lines[index][:3] in ('"""', "'''"):
        read = _docstring(lines, index)
        if read is None:
            return None
        docstring, index = read
    rest = "\n".join(lines[index:])
    if "__future__" in rest:
        return None  # where it may stand, and which features exist, is the compiler's to say
    patterns = _patterns()
    if not rest.isascii() or patterns.plain_lines.fullmatch(rest) is None:
        return None  # another kind of statement, or identifiers Python would normalize
    values: dict[str, object] = {}
    where: dict[str, int] = {}
    seen: set[str] = set()
    offset = index + 1  # line numbers are 1-based
    for assignment in patterns.assignments.finditer(rest):
        name = assignment["name"]
        if name in seen or name in WATCHED_WORDS:
            return None  # assigned twice (let ast say which wins), or a namespace hook
        seen.add(name)
        if name in IDENTIFIERS:
            values[name] = _value(assignment["value"])
            where[name] = offset + rest.count("\n", 0, assignment.start())
    for statement in patterns.import_lines.finditer(rest):
        if set(patterns.word.findall(statement.group())) & {*IDENTIFIERS, *WATCHED_WORDS}:
            return None  # an import that binds (or may bind) an identifier
    return Header(values, where, docstring)


def _skip_comments(lines: list[str], index: int) -> int:
    while index < len(lines) and (not lines[index].strip() or lines[index].startswith("#")):
        index += 1
    return index


def _docstring(lines: list[str], index: int) -> tuple[str, int] | None:
    """The module docstring starting at `lines[index]` and the index after it, when it is a
    plain triple-quoted string alone on its lines; else None."""
    quote = lines[index][:3]
    first = lines[index][3:]
    if quote in first:
        body, after = first.split(quote, 1)
        end = index
    else:
        parts = [first]
        end = index + 1
        while end < len(lines) and quote not in lines[end]:
            parts.append(lines[end])
            end += 1
        if end == len(lines):
            return None  # not closed before the first def: a def inside the docstring
        closing, after = lines[end].split(quote, 1)
        body = "\n".join([*parts, closing])
    if after.strip() and not after.strip().startswith("#"):
        return None  # e.g. `"""a""" + x` or two strings: not a plain docstring statement
    if quote[0] in body[-1:]:
        return None  # `""""quoted""""`: where the string ends is for the tokenizer to say
    return body, end + 1


def _value(literal: str) -> object:
    if literal == "None":
        return None
    if literal[0] in "'\"":
        return literal[1:-1]
    items = [item[1:-1] for item in _patterns().item.findall(literal)]
    if literal[0] == "[":
        return items
    # `("a")` is a string; a tuple needs its comma
    return tuple(items) if "," in _patterns().item.sub("", literal) or not items else items[0]
