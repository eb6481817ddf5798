"""The header of a revision file too large to parse: where it sits in the graph, read in bounded
memory and time.

Alembic imports a revision file of any size; the static reader parses none over
MAX_REVISION_FILE_BYTES (the AST of a dense file costs up to ~120 times its size). Such a file
is nearly always a data migration: the template's header (docstring, imports, `revision`,
`down_revision`, `branch_labels`, `depends_on`), then megabytes of literal rows. Left out of the
graph, it breaks the graph: its children name an unknown parent.

So the first HEADER_WINDOW_BYTES are read, and the complete top-level statements they hold (up
to the last statement that starts in the window, as Python's tokenizer tells them apart) are the
header, which the caller reads as it reads any revision file. The header stands for the whole
file only if nothing after it can bind an identifier: the rest is streamed through
`streamed_code`, which looks for the words the normal reader watches (the identifiers, `exec`,
`globals`, a star import, ...) in the code only, never in the literal text. Any doubt, and the
file stays out of the graph as before, with the reason.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path
from typing import Callable, NamedTuple

from alembic_sentinel.graph.revision_file import IDENTIFIERS, WATCHED_WORDS, Parsed
from alembic_sentinel.graph.revision_header import declared_encoding
from alembic_sentinel.graph.streamed_code import Read, first_binding_doubt
from alembic_sentinel.graph.version_locations import (
    MAX_REVISION_FILE_BYTES,
    TOO_LARGE_FIX,
    too_large,
)
from alembic_sentinel.report.model import WARNING, Finding

HEADER_WINDOW_BYTES = 64 * 1024
WINDOW_SHOWN = f"{HEADER_WINDOW_BYTES // 1024} KiB"
# top-level statements that continue the one before them: the header cannot end just before
_CONTINUATIONS = frozenset({"else", "elif", "except", "finally"})
# encodings in which every byte below 0x80 is the ASCII character: a quote or a backslash is
# never part of another character, so the scanner reads the bytes as they are
_ASCII_SAFE = re.compile(
    rb"utf-?8(?:-sig)?|latin-?1|iso-?8859-\d+|(?:us-)?ascii|(?:cp|windows-)125\d"
)


class BoundedHeader(NamedTuple):
    """The header's text when it says all the file says of its identifiers, else why not."""

    text: bytes | None
    reason: str = ""


def read_header(read: Read) -> BoundedHeader:
    """The header of the source `read` gives (read to its end unless a doubt stops it)."""
    window = _read_window(read)
    encoding = declared_encoding(window)
    if encoding is not None and not _ASCII_SAFE.fullmatch(encoding):
        # a multi-byte encoding may hide a quote or a backslash in a character's bytes
        return BoundedHeader(None, f"it declares the {encoding.decode()} encoding")
    cut = last_statement_start(window)
    if not cut:
        return BoundedHeader(None, f"its first {WINDOW_SHOWN} hold no complete top-level statement")
    first_line = window.count(b"\n", 0, cut) + 1
    names = (*IDENTIFIERS, *WATCHED_WORDS)
    doubt = first_binding_doubt(window[cut:], read, names, first_line)
    if doubt is not None:
        return BoundedHeader(
            None,
            f"{doubt.what} at line {doubt.line}, past the header its first {WINDOW_SHOWN} "
            "hold, may bind an identifier the header does not show",
        )
    return BoundedHeader(window[:cut])


def header_before_error(source: bytes, error_line: int) -> BoundedHeader:
    """The header of a file Python cannot parse (F201), its first syntax error on `error_line`:
    the complete top-level statements before the one holding the error, read as the header of
    a file too large to parse is, and standing for the file on the same doubt rules (nothing
    after it, the unparseable rest included, may name an identifier in its code). Python 2
    code (`print x` in upgrade()) under a plain template header is the case."""
    encoding = declared_encoding(source[:HEADER_WINDOW_BYTES])
    if encoding is not None and not _ASCII_SAFE.fullmatch(encoding):
        return BoundedHeader(None, f"it declares the {encoding.decode()} encoding")
    offset = 0
    for _ in range(error_line - 1):
        offset = source.find(b"\n", offset) + 1
        if offset == 0:
            return BoundedHeader(None, "its syntax error is past its last line")
    cut = last_statement_start(source[:offset])
    if not cut:
        return BoundedHeader(None, "no complete top-level statement precedes its syntax error")
    first_line = source.count(b"\n", 0, cut) + 1
    names = (*IDENTIFIERS, *WATCHED_WORDS)
    doubt = first_binding_doubt(source[cut:], lambda _: b"", names, first_line)
    if doubt is not None:
        return BoundedHeader(
            None,
            f"{doubt.what} at line {doubt.line}, past its syntax error, may bind an identifier",
        )
    return BoundedHeader(source[:cut])


def _read_window(read: Read) -> bytes:
    chunks = []
    wanted = HEADER_WINDOW_BYTES
    while wanted > 0:
        chunk = read(wanted)
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def last_statement_start(window: bytes) -> int | None:
    """The offset of the last line of `window` that starts a top-level statement the header
    may end before: at column 0 outside any bracket, string or block, not a decorated def's
    `def`, not an `else`/`except`/... The window's last, maybe partial, line is never one."""
    whole = window[: window.rfind(b"\n") + 1]
    if b"\r" in whole.replace(b"\r\n", b""):
        return None  # lone carriage returns end lines for Python, not for the line offsets
    offsets = [0]
    for line in io.BytesIO(whole):
        offsets.append(offsets[-1] + len(line))
    last = None
    starts_statement = True
    block = 0
    previous = ""  # the first token of the previous top-level statement
    opens_block = False  # the previous logical line ends with `:` (its block is to follow)
    ending = ""  # the last token of the current logical line
    tokens = tokenize.tokenize(io.BytesIO(whole).readline)
    try:
        for token in tokens:
            kind = token.type
            if kind in (tokenize.ENCODING, tokenize.NL, tokenize.COMMENT):
                continue
            if kind == tokenize.INDENT:
                block += 1
            elif kind == tokenize.DEDENT:
                block -= 1
            elif kind == tokenize.NEWLINE:
                starts_statement, opens_block = True, ending == ":"
            elif kind == tokenize.ENDMARKER:
                # every whole line tokenized: the window's lines end a statement, unless the
                # last one opens a block whose body the window cuts (`def upgrade():` and one
                # line of megabytes)
                if block == 0 and not opens_block and previous != "@":
                    last = len(whole)
            elif starts_statement:
                starts_statement = False
                if block == 0 and token.start[1] == 0:
                    if token.string not in _CONTINUATIONS and previous != "@":
                        last = offsets[token.start[0] - 1]
                    previous = token.string
            ending = token.string
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        pass  # where the window cuts a statement, a string or a character: read up to there
    return last


def placed_from_header(
    read: Read,
    path: str,
    root: Path | None,
    read_source: Callable[[bytes, str, frozenset[str] | None], Parsed],
    project_modules: Callable[[Path], frozenset[str]],
) -> Parsed:
    """What `read_source` (the reader of any revision file) makes of the header, with an F208
    saying the operations were not read; or, when the header cannot stand for the file, no
    revision and an F208 saying why. A star import in the header is read against the
    `project_modules` of `root`, as in any revision file."""
    header = read_header(read)
    if header.text is None:
        return None, [too_large(header.reason).finding(path)]
    modules = project_modules(root) if root is not None and b"import *" in header.text else None
    revision, problems = read_source(header.text, path, modules)
    if revision is not None:
        return revision, [header_read(path), *problems]
    if problems and problems[0].code == "F201":
        # the header was cut where the tokenizer said a statement starts: a syntax error
        # before it is the file's, but said as the header's, as what follows is not known
        why = f"its header is not valid Python ({problems[0].message})"
        return None, [too_large(why).finding(path)]
    why = "its header does not place it (see its other findings)"
    return None, [too_large(why).finding(path), *problems]


def header_read(path: str) -> Finding:
    """F208 for a file placed from its header: a warning, as its operations were not read (not
    linted, not checked for what else they bind) but the graph is whole, so `heads` gives
    Alembic's answer; left out of the graph, the file stays an error (version_locations)."""
    return Finding(
        "F208",
        "file-too-large",
        WARNING,
        f"larger than {MAX_REVISION_FILE_BYTES // (1024 * 1024)} MiB: too large to read "
        f"statically, so its operations were not reviewed; its header (the first {WINDOW_SHOWN}) "
        "was read and places it in the graph",
        path,
        None,
        TOO_LARGE_FIX,
    )
