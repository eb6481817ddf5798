"""Read Alembic revision files statically, with `ast`: no revision file is imported or executed.

pre-commit runs hooks in a virtualenv without the project's dependencies, and real revision files
import the project's packages; reading them as syntax works wherever Python parses them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from alembic_sentinel.graph.revision_file import IDENTIFIERS, WATCHED_WORDS, Parsed, RevisionFile
from alembic_sentinel.graph.revision_header import (
    Header,
    declared_encoding,
    has_conflict_marker,
    plain_header,
)
from alembic_sentinel.graph.version_locations import REVISION_FILE as REVISION_FILE
from alembic_sentinel.graph.version_locations import (
    UnreadableFile,
    list_revision_files,
    read_source,
    shown_path,
    stream_file,
)
from alembic_sentinel.report.model import ERROR, NOTICE, Finding

# what Alembic reads with a default (None) when the module does not bind it
OPTIONAL = ("branch_labels", "depends_on")

if TYPE_CHECKING:
    import ast

    from alembic_sentinel.graph.revision_cache import ParseCache
    from alembic_sentinel.graph.streamed_code import Read

# a file without `revision = ...` takes its id from such a name (alembic.script.base._legacy_rev)
_LEGACY_REVISION_FILE = re.compile(r"([a-f0-9]+)\.py$")
_DOC_REVISION_ID = re.compile(r"^\s*Revision ID:\s*(\S*)\s*$", re.MULTILINE)
_DOC_REVISES = re.compile(r"^\s*Revises:[ \t]*(.*?)\s*$", re.MULTILINE)


class ReadResult:
    def __init__(
        self, revisions: list[RevisionFile] | None = None, findings: list[Finding] | None = None
    ) -> None:
        self.revisions: list[RevisionFile] = revisions if revisions is not None else []
        self.findings: list[Finding] = findings if findings is not None else []
        # files read against the project root's modules (a star import): no file status shows
        # a change of what they read
        self.star_imports: list[str] = []

    def add(self, parsed: Parsed) -> None:
        self.findings.extend(parsed[1])
        self.revisions.extend([parsed[0]] if parsed[0] is not None else [])


def finding(
    code: str,
    name: str,
    severity: str,
    message: str,
    path: str,
    line: int | None = None,
    fix: str | None = None,
) -> Finding:
    return Finding(code, name, severity, message, path, line, fix)


def read_revision_source(
    source: str | bytes,
    path: str,
    project_modules: frozenset[str] | None = None,
    *,
    header_reader: bool = True,
) -> tuple[RevisionFile | None, list[Finding]]:
    """Parse one revision file's text. `path` is how findings name it. `project_modules`: the
    top-level module names the project itself holds (its root's packages and modules); a star
    import from any other absolute module is an installed library's (None: not known).

    The header-only reader (revision_header) answers for files in the templates' plain form;
    `header_reader=False` always parses with `ast` (the property tests compare the two).
    """
    data = source.encode() if isinstance(source, str) else source
    header = plain_declarations(data) if header_reader else None
    if header is not None:
        values: dict[str, object] = dict(header.values)
        lines: dict[str, int] = dict(header.lines)
        problems: list[Finding] = []
        notices: list[Finding] = []
        docstring = header.docstring.strip()
    else:
        try:
            tree = parse_declarations(data, path)
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            msg = getattr(exc, "msg", str(exc))
            return None, [
                finding("F201", "unparseable-file", ERROR, f"not valid Python: {msg}", path, line)
            ]
        except RecursionError:  # Python's own compiler gives up too: Alembic cannot import it
            msg = "nested too deeply for Python to compile (RecursionError)"
            return None, [
                finding("F201", "unparseable-file", ERROR, f"not valid Python: {msg}", path, None)
            ]
        values, lines, problems, notices = _declared_values(tree, data, path, project_modules)
        import ast  # only here: the cached and the plain files never need it

        # clean=False: cleaning imports `inspect`, and only the first line and tagged lines
        # matter
        docstring = (ast.get_docstring(tree, clean=False) or "").strip()

    if "revision" in lines:
        revision = values.get("revision")
    else:
        legacy = _LEGACY_REVISION_FILE.match(path.rsplit("/", 1)[-1])
        if legacy is None:
            return None, [_not_a_revision(path)]
        revision = legacy.group(1)  # Alembic's fallback for files named by their id alone
    if "down_revision" not in lines:
        problems.append(_missing_down_revision(path))
    if "revision" in lines and "revision" not in values:
        return None, problems
    if not isinstance(revision, str) or not revision:
        return None, [
            *problems,
            finding(
                "F203",
                "unresolvable-value",
                ERROR,
                "revision must be a non-empty string",
                path,
                lines["revision"],
            ),
        ]

    fields: dict[str, tuple[str, ...]] = {}
    for name in ("down_revision", "branch_labels", "depends_on"):
        if name in lines and name not in values:
            continue  # already reported
        as_tuple = _as_revision_tuple(values.get(name))
        if as_tuple is None:
            problems.append(
                finding(
                    "F203",
                    "unresolvable-value",
                    ERROR,
                    f"{name} must be None, a string, or a tuple/list of strings",
                    path,
                    lines.get(name),
                )
            )
            as_tuple = ()
        fields[name] = as_tuple
    if problems:
        # where this revision sits in the graph is unknown: leave it out rather than guess
        # (an unreadable down_revision read as None would make it a base)
        return None, problems
    problems = notices

    doc_id = _DOC_REVISION_ID.search(docstring)
    doc_revises = _DOC_REVISES.search(docstring)
    return (
        RevisionFile(
            path=path,
            revision=revision,
            down_revisions=fields["down_revision"],
            branch_labels=fields["branch_labels"],
            depends_on=fields["depends_on"],
            message=docstring.split("\n", 1)[0].strip() if docstring else "",
            doc_revision_id=doc_id.group(1) if doc_id else None,
            doc_revises=_split_revises(doc_revises.group(1)) if doc_revises else None,
            lines=lines,
        ),
        problems,
    )


def _declared_values(
    tree: ast.Module, data: bytes, path: str, project_modules: frozenset[str] | None
) -> tuple[dict[str, object], dict[str, int], list[Finding], list[Finding]]:
    """Each identifier's literal value and line from the syntax tree, what cannot be read, and
    the notices of a library's star import taken as binding none of the OPTIONAL names."""
    import ast

    from alembic_sentinel.graph.module_bindings import final_bindings

    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    problems: list[Finding] = []
    unknowable: dict[tuple[int, str], list[str]] = {}
    libraries: list[tuple[str, int]] = []

    def is_library(node: ast.ImportFrom) -> bool:
        module = node.module or ""
        if project_modules is None or node.level or module.split(".")[0] in project_modules:
            return False
        libraries.append((module, node.lineno))
        return True

    bindings = final_bindings(
        tree, IDENTIFIERS, identifier_text(data), optional=OPTIONAL, is_library=is_library
    )
    for name in IDENTIFIERS:
        binding = bindings.get(name)
        if binding is None:
            continue
        lines[name] = binding.line
        if binding.value is None:
            unknowable.setdefault((binding.line, binding.how), []).append(name)
            continue
        try:
            values[name] = _literal(binding.value)
        except ValueError:
            problems.append(
                finding(
                    "F203",
                    "unresolvable-value",
                    ERROR,
                    f"{name} is not a literal ({ast.unparse(binding.value)}): it cannot be read "
                    "without running the file",
                    path,
                    binding.line,
                    f"write {name} as a string, a tuple of strings, or None",
                )
            )
    problems.extend(_unknowable_findings(unknowable, path))
    problems.sort(key=lambda problem: problem.line or 0)
    notices = [
        _library_star_import(module, [name for name in OPTIONAL if name not in lines], path, line)
        for module, line in dict.fromkeys(libraries)
        if any(name not in lines for name in OPTIONAL)
    ]
    return values, lines, problems, notices


def _library_star_import(module: str, names: list[str], path: str, line: int) -> Finding:
    return finding(
        "F211",
        "library-star-import",
        NOTICE,
        f"`from {module} import *` is an installed library's, taken as not binding "
        f"{' or '.join(names)} (None, as Alembic reads a name the module lacks)",
        path,
        line,
        f"assign {' and '.join(names)} = None explicitly, or import the names you use",
    )


def plain_declarations(data: bytes) -> Header | None:
    """The declarations read by the header-only reader, or None when `ast` must read the file:
    no def/class to end them, something below that could rebind an identifier, or a
    merge-conflict marker."""
    body = _BODY_START.search(data)
    if body is None or has_conflict_marker(data) or _may_bind_late(data, body.start()):
        return None
    return plain_header(data[: body.start()])


def _unknowable_findings(unknowable: dict[tuple[int, str], list[str]], path: str) -> list[Finding]:
    """One F203 per binding the reader cannot evaluate, naming every identifier it may change."""
    findings = []
    for (line, how), names in unknowable.items():
        shown = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        findings.append(
            finding(
                "F203",
                "unresolvable-value",
                ERROR,
                f"{shown} {how}: the static reader cannot know the value Alembic would see "
                "without running the file",
                path,
                line,
                f"assign {' and '.join(names) if len(names) < 3 else 'each identifier'} once, "
                'at the top level, as a literal (e.g. revision = "abc123"), and nothing else',
            )
        )
    return findings


def _not_a_revision(path: str) -> Finding:
    return finding(
        "F202",
        "not-a-revision",
        ERROR,
        "no `revision = ...` assignment: Alembic cannot tell this file's revision id and refuses "
        "to load the whole versions directory",
        path,
        1,
        "move it out of the versions directory, or declare its revision identifiers",
    )


def _missing_down_revision(path: str) -> Finding:
    return finding(
        "F210",
        "missing-down-revision",
        ERROR,
        "no `down_revision = ...` assignment: Alembic cannot load this file (the module has no "
        "attribute down_revision)",
        path,
        1,
        "add `down_revision = None` for a first revision, or the id of the revision it follows",
    )


# where the module's declarations end: the first top-level def, class or decorator
_BODY_START = re.compile(rb"^(?:def|async[ \t]+def|class|@)\b", re.MULTILINE)
# what, written after the first def, could still change an identifier: the identifiers
# themselves (assigned, declared global, deleted...), a star import, or code that reaches the
# module namespace (exec, globals(), a module __getattr__, ...)


@cache
def _late_binding() -> re.Pattern[bytes]:
    from alembic_sentinel.graph.module_bindings import whole_words

    return whole_words({*IDENTIFIERS, *WATCHED_WORDS}, rb"import\b[\s\\]*\*")


def parse_declarations(source: bytes, path: str) -> ast.Module:
    """The module's AST, or the AST of its declarations part when that says everything.

    Building Python AST objects for a whole file costs about twice what byte-compiling it does,
    and revision files declare their identifiers before `upgrade()`. So when nothing after the
    first def/class could bind an identifier (`_late_binding()` finds none of the words that
    could), the whole file is only compiled (to report syntax errors exactly as a full parse
    would) and just the part before it is parsed. Any doubt (e.g. the cut falls inside a string)
    falls back to parsing everything.
    """
    import ast
    import warnings

    body = _BODY_START.search(source)
    if body is not None and not _may_bind_late(source, body.start()):
        with warnings.catch_warnings():  # e.g. invalid escapes: Alembic's concern, not ours
            warnings.simplefilter("ignore")
            compile(source, path, "exec", dont_inherit=True)
        try:
            return ast.parse(source[: body.start()], filename=path)
        except SyntaxError:
            pass
    return ast.parse(source, filename=path)


# the same words as plain substrings: most bodies contain none of them, told at C speed
_LATE_WORDS = tuple(word.encode() for word in (*IDENTIFIERS, *WATCHED_WORDS, "import"))


def _may_bind_late(source: bytes, cut: int) -> bool:
    rest = identifier_text(source, cut)
    if rest is None:
        return True
    if rest.isascii() and not any(word in rest for word in _LATE_WORDS):
        return False
    return _late_binding().search(rest) is not None


def identifier_text(source: bytes, start: int = 0) -> bytes | None:
    """`source[start:]` for word searches, with identifiers as Python reads them, or None when
    that cannot be told cheaply.

    Python NFKC-normalizes identifiers (a fullwidth `r`, U+FF52, then "evision" is `revision`)
    after decoding the file as its coding cookie says: UTF-8 text is normalized here, a file in
    another encoding gives None (and is then searched the slow way, in its syntax tree).
    """
    rest = source[start:]
    if rest.isascii():
        return rest
    if declared_encoding(source) not in (None, b"utf-8", b"utf8"):
        return None
    import unicodedata

    try:
        return unicodedata.normalize("NFKC", rest.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return None


def _literal(node: ast.expr) -> object:
    import ast

    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(ast.dump(node)) from None


def _as_revision_tuple(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, (tuple, list)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _split_revises(text: str) -> tuple[str, ...]:
    """The revisions a `Revises:` line names: Alembic's template writes `None` for a base and
    a merge's tuple as Python shows it (`('a', 'b')`); both mean what the code says."""
    parts = (part.strip().strip("'\"") for part in text.strip().strip("()[]").split(","))
    return tuple(part for part in parts if part and part != "None")


def revision_paths(locations: Iterable[Path], recursive: bool) -> list[str]:
    """The source files Alembic would load from these version locations, in a stable order.

    Entries that are not regular files are left out (`list_revision_files` reports them).
    """
    return list_revision_files(locations, recursive, Path(os.sep)).paths


def project_modules(root: Path) -> frozenset[str]:
    """The top-level modules the project root holds (packages, `name.py`): what a revision's
    `from NAME import *` reaches in the project rather than in an installed library."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return frozenset()
    names = set()
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.name.endswith(".py"):
            names.add(entry.name[:-3])
        elif entry.is_dir():
            names.add(entry.name)
    return frozenset(names)


def read_revision_files(
    paths: Iterable[str | Path], root: Path, cache: ParseCache | None = None
) -> ReadResult:
    """Read every file; findings name paths relative to `root`.

    With a `cache`, a file whose path and bytes are unchanged since an earlier run is not parsed.
    """
    result = ReadResult()
    prefix = f"{root}{os.sep}"
    modules: frozenset[str] | None = None  # listed once, and only for a star import
    for path in paths:
        shown = shown_path(str(path), prefix)
        status = cache.status(path) if cache is not None else None
        # unchanged since the last run (by its status): not even read
        parsed = cache.by_status(shown, status) if cache is not None else None
        if parsed is None:
            try:
                source = read_source(path)
            except UnreadableFile as problem:
                parsed = read_oversized_file(path, shown, root, problem, result.star_imports)
                if cache is not None and shown not in result.star_imports:
                    cache.store(shown, status, "", parsed)  # by its status alone: not hashed
                result.add(parsed)
                continue
            keyed = shown
            if b"import *" in source:
                # a star import is read against the project's modules: part of its key, and
                # its status alone never vouches for it
                modules = project_modules(root) if modules is None else modules
                keyed = f"{shown}\0{','.join(sorted(modules))}"
                result.star_imports.append(shown)
                status = None
            key = cache.key(keyed, source) if cache is not None else ""
            parsed = cache.by_key(shown, key) if cache is not None else None
            if parsed is None:
                star = modules if b"import *" in source else None
                parsed = read_revision_source(source, shown, star)
            if cache is not None:
                cache.store(shown, status, key, parsed)
        result.add(parsed)
    return result


def read_oversized_file(
    path: str | Path, shown: str, root: Path | None, problem: UnreadableFile, stars: list[str]
) -> Parsed:
    """A file `read_source` refused as too large (F208), placed in the graph from its header
    (bounded_header) when it can be; else the `problem`. `stars` notes it when its header is
    read against the project root's modules (a star import: no file status vouches for it)."""
    if problem.code != "F208":
        return None, [problem.finding(shown)]
    from alembic_sentinel.graph.bounded_header import placed_from_header

    def modules(where: Path) -> frozenset[str]:
        stars.append(shown)
        return project_modules(where)

    def place(read: Read, _: object) -> Parsed:
        return placed_from_header(read, shown, root, read_revision_source, modules)

    try:
        return stream_file(path, place)
    except UnreadableFile as unread:
        return None, [unread.finding(shown)]
