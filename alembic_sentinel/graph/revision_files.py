"""Read Alembic revision files statically, with `ast`: no revision file is imported or executed.

pre-commit runs hooks in a virtualenv without the project's dependencies, and real revision files
import the project's packages; reading them as syntax works wherever Python parses them.
"""

from __future__ import annotations

import ast
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.report.model import ERROR, WARNING, Finding

if TYPE_CHECKING:
    from alembic_sentinel.graph.revision_cache import ParseCache

# the files Alembic itself considers (alembic.script.base._only_source_rev_file)
REVISION_FILE = re.compile(r"(?!\.\#|__init__)(.*\.py)$")
IDENTIFIERS = ("revision", "down_revision", "branch_labels", "depends_on")
_DOC_REVISION_ID = re.compile(r"^\s*Revision ID:\s*(\S*)\s*$", re.MULTILINE)
_DOC_REVISES = re.compile(r"^\s*Revises:[ \t]*(.*?)\s*$", re.MULTILINE)


class ReadResult:
    def __init__(
        self, revisions: list[RevisionFile] | None = None, findings: list[Finding] | None = None
    ) -> None:
        self.revisions: list[RevisionFile] = revisions if revisions is not None else []
        self.findings: list[Finding] = findings if findings is not None else []


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
    source: str | bytes, path: str
) -> tuple[RevisionFile | None, list[Finding]]:
    """Parse one revision file's text. `path` is how findings name it."""
    try:
        tree = parse_declarations(source.encode() if isinstance(source, str) else source, path)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", str(exc))
        return None, [
            finding("F201", "unparseable-file", ERROR, f"not valid Python: {msg}", path, line)
        ]

    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    problems: list[Finding] = []
    for target, value, lineno in _module_assignments(tree):
        if target not in IDENTIFIERS:
            continue
        lines[target] = lineno
        try:
            values[target] = _literal(value)
        except ValueError:
            values.pop(target, None)
            problems.append(
                finding(
                    "F203",
                    "unresolvable-value",
                    ERROR,
                    f"{target} is not a literal ({ast.unparse(value)}): it cannot be read without "
                    "running the file",
                    path,
                    lineno,
                    f"write {target} as a string, a tuple of strings, or None",
                )
            )

    if "revision" not in lines:
        return None, [
            finding(
                "F202",
                "not-a-revision",
                WARNING,
                "no `revision = ...` assignment: Alembic cannot load this file from versions/",
                path,
                1,
                "move it out of the versions directory, or declare its revision identifiers",
            )
        ]
    if "revision" not in values:
        return None, problems
    revision = values["revision"]
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
        raw = values.get(name)
        as_tuple = _as_revision_tuple(raw)
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

    # clean=False: cleaning imports `inspect`, and only the first line and tagged lines matter
    docstring = (ast.get_docstring(tree, clean=False) or "").strip()
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


# where the module's declarations end: the first top-level def, class or decorator
_BODY_START = re.compile(rb"^(?:def|async[ \t]+def|class|@)\b", re.MULTILINE)
_LATE_DECLARATION = re.compile(
    rb"^(?:revision|down_revision|branch_labels|depends_on)[ \t]*[:=]", re.MULTILINE
)


def parse_declarations(source: bytes, path: str) -> ast.Module:
    """The module's AST, or the AST of its declarations part when that says everything.

    Building Python AST objects for a whole file costs about twice what byte-compiling it does,
    and revision files declare their identifiers before `upgrade()`. So when nothing of interest
    is assigned at top level after the first def/class, the whole file is only compiled (to
    report syntax errors exactly as a full parse would) and just the part before it is parsed.
    Any doubt (e.g. the cut falls inside a string) falls back to parsing everything.
    """
    body = _BODY_START.search(source)
    if body is not None and not _LATE_DECLARATION.search(source, body.start()):
        with warnings.catch_warnings():  # e.g. invalid escapes: Alembic's concern, not ours
            warnings.simplefilter("ignore")
            compile(source, path, "exec", dont_inherit=True)
        try:
            return ast.parse(source[: body.start()], filename=path)
        except SyntaxError:
            pass
    return ast.parse(source, filename=path)


def _module_assignments(tree: ast.Module) -> Iterator[tuple[str, ast.expr, int]]:
    """(name, value, line) for each module-level `name = value` and `name: T = value`."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id, node.value, node.lineno
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            if isinstance(node.target, ast.Name):
                yield node.target.id, node.value, node.lineno


def _literal(node: ast.expr) -> object:
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
    return tuple(part.strip() for part in text.split(",") if part.strip())


def revision_paths(locations: Iterable[Path], recursive: bool) -> list[str]:
    """The files Alembic would load from these version locations, in a stable order.

    Plain strings: with the parse cache warm, pathlib objects would cost more than the reading.
    """
    found: list[str] = []
    for location in locations:
        if not location.is_dir():
            continue
        if recursive:
            for directory, subdirs, files in os.walk(location):
                subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
                found.extend(
                    os.path.join(directory, f) for f in sorted(files) if REVISION_FILE.match(f)
                )
        else:
            with os.scandir(location) as entries:
                found.extend(
                    sorted(
                        entry.path
                        for entry in entries
                        if REVISION_FILE.match(entry.name) and entry.is_file()
                    )
                )
    return found


def read_revision_files(
    paths: Iterable[str | Path], root: Path, cache: ParseCache | None = None
) -> ReadResult:
    """Read every file; findings name paths relative to `root`.

    With a `cache`, a file whose path and bytes are unchanged since an earlier run is not parsed.
    """
    result = ReadResult()
    prefix = f"{root}{os.sep}"
    for path in paths:
        text = str(path)
        shown = text[len(prefix) :].replace(os.sep, "/") if text.startswith(prefix) else text
        try:
            with open(path, "rb") as stream:
                source = stream.read()
        except OSError as exc:
            result.findings.append(
                finding("F201", "unparseable-file", ERROR, f"cannot read: {exc.strerror}", shown)
            )
            continue
        key = cache.key(shown, source) if cache is not None else ""
        parsed = cache.get(key) if cache is not None else None
        if parsed is None:
            parsed = read_revision_source(source, shown)
            if cache is not None:
                cache.put(key, parsed)
        revision, problems = parsed
        result.findings.extend(problems)
        if revision is not None:
            result.revisions.append(revision)
    return result
