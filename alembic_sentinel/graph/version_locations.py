"""The version locations as Alembic walks them, and the bytes of a revision file, read safely.

Alembic loads every file of a version location whose name looks like a revision
(`ScriptDirectory._list_py_dir` and `_from_path`); a static reader must list the same files, and
say so when it cannot read one, rather than leave it out of the graph. It must also never hang
or be flooded: nothing but a regular file is opened (a FIFO named x.py would block forever) and
nothing larger than MAX_REVISION_FILE_BYTES is read whole (a larger one is only streamed, for
its header: bounded_header).

Paths are plain strings: with the parse cache warm, pathlib objects would cost more than the
reading.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, TypeVar

from alembic_sentinel.errors import ConfigError
from alembic_sentinel.report.model import ERROR, Finding

if TYPE_CHECKING:
    from alembic_sentinel.settings import Settings

# the files Alembic itself considers (alembic.script.base: _only_source_rev_file, and
# _sourceless_rev_file with alembic.ini's `sourceless = true`)
REVISION_FILE = re.compile(r"(?!\.\#|__init__)(.*\.py)$")
SOURCELESS_REVISION_FILE = re.compile(r"(?!\.\#|__init__)(.*\.py)(c|o)?$")
# The reader holds a file's bytes and its AST at once, and Python's AST takes up to ~120 bytes
# per byte of dense source (a 20 MB data literal: 2.4 GB). Revision files Alembic writes, even the
# first one of a large schema, are a few hundred KB; past 2 MiB a file is data, not a revision,
# and reading it would cost a hook hundreds of MB.
MAX_REVISION_FILE_BYTES = 2 * 1024 * 1024
# what is read at a time once a file proved larger than its status said
READ_CHUNK_BYTES = 64 * 1024
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
T = TypeVar("T")


class Listing(NamedTuple):
    """What Alembic would load from the version locations."""

    paths: list[str]  # source files to read, in Alembic's order
    findings: list[Finding]  # entries Alembic would load that the static reader cannot


def list_revision_files(
    locations: Iterable[Path], recursive: bool, root: Path, sourceless: bool = False
) -> Listing:
    """The files Alembic would load, walked as `ScriptDirectory._list_py_dir` walks them.

    Nothing but regular files and directories is ever followed or opened: a FIFO, a device, a
    socket, a broken or looping symbolic link, a directory that cannot be listed or (with
    alembic.ini's `sourceless = true`) a bytecode file Alembic would load is a finding naming
    its path (F207, F209). A file reached twice (overlapping locations, symbolic links) is
    listed once, as Alembic loads it once.
    """
    listing = Listing([], [])
    prefix = f"{root}{os.sep}"
    seen: set[str] = set()  # real paths, as Alembic's _load_revisions skips a file seen before
    for location in locations:
        if not _exists(str(location)):  # Alembic skips locations that do not exist
            continue
        for directory, files in _walk(str(location), recursive, listing, prefix):
            candidates = [(entry, directory) for entry in files]
            if sourceless:
                cache = os.path.join(directory, "__pycache__")
                candidates += [(entry, cache) for entry in _cached_beside(cache, files)]
            real_parents: dict[str, str] = {}
            for entry, parent in candidates:
                real = _real_path(entry, parent, real_parents)
                if real not in seen:
                    seen.add(real)
                    _add_candidate(listing, entry, sourceless, prefix)
    return listing


def _real_path(entry: os.DirEntry[str], parent: str, real_parents: dict[str, str]) -> str:
    """The entry's path with every symbolic link resolved (Alembic's `Path.resolve()`), resolving
    each directory once rather than every file in it."""
    if _is_symlink(entry):
        return os.path.realpath(entry.path)
    real_parent = real_parents.get(parent)
    if real_parent is None:
        real_parent = real_parents[parent] = os.path.join(os.path.realpath(parent), "")
    return real_parent + entry.name  # the parent ends with a separator


def _walk(
    top: str, recursive: bool, listing: Listing, prefix: str
) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
    """(directory, its non-directory entries by name) in os.walk's top-down order, skipping the
    files of __pycache__ directories as Alembic does; a directory that cannot be listed is a
    finding (os.walk, and so Alembic, would silently skip it)."""
    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except NotADirectoryError:
            continue  # a location that is a file: os.walk lists nothing either
        except OSError as exc:
            listing.findings.append(_unlistable(shown_path(directory, prefix), exc))
            continue
        if not os.path.basename(directory).endswith("__pycache__"):
            yield directory, [entry for entry in entries if not _is_directory(entry)]
        if recursive:
            # as os.walk: a symbolic link to a directory is listed but not walked into
            subdirs = [e.path for e in entries if _is_directory(e) and not _is_symlink(e)]
            pending.extend(reversed(subdirs))


def _exists(path: str) -> bool:
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # e.g. a symbolic link loop: os.walk counts it among the files
        return False


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:  # lstat failed: not walked into, and known by its own path
        return False


def _cached_beside(cache: str, files: list[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
    """What Alembic adds with `sourceless`: the entries of the `cache` (__pycache__) directory
    whose name, up to the first dot, is the name of none of its directory's `files`."""
    if not _exists(cache):
        return []
    names = {entry.name.split(".")[0] for entry in files}
    try:
        with os.scandir(cache) as scan:
            return sorted(
                (entry for entry in scan if entry.name.split(".")[0] not in names),
                key=lambda entry: entry.name,
            )
    except OSError:
        return []  # reported when the walk reaches it, or not a directory at all


def _add_candidate(
    listing: Listing, entry: os.DirEntry[str], sourceless: bool, prefix: str
) -> None:
    """Judge one directory entry as `ScriptDirectory._from_path` would, without opening it;
    findings name it relative to the root `prefix` names."""
    match = (SOURCELESS_REVISION_FILE if sourceless else REVISION_FILE).match(entry.name)
    if match is None:
        return
    bytecode = match.group(2) if sourceless else None
    if bytecode:
        directory = os.path.dirname(entry.path)
        source = os.path.join(directory, match.group(1))
        if _exists(source) or (bytecode == "o" and _exists(source + "c")):
            return  # Alembic prefers the source (or the .pyc over the .pyo)
    try:
        regular = entry.is_file()
    except OSError as exc:
        shown = shown_path(entry.path, prefix)
        listing.findings.append(_unreadable(shown, f"cannot stat it ({exc.strerror})"))
        return
    if not regular:
        shown = shown_path(entry.path, prefix)
        listing.findings.append(_unreadable(shown, f"{_kind(entry.path)}, not a regular file"))
    elif bytecode:
        listing.findings.append(_bytecode(shown_path(entry.path, prefix)))
    else:
        listing.paths.append(entry.path)


def _kind(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "a broken symbolic link" if os.path.islink(path) else "not readable"
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return kind
    return "a special file"


def _unreadable(shown: str, what: str) -> Finding:
    return Finding(
        "F207",
        "unreadable-entry",
        ERROR,
        f"{what}: Alembic would try to load it, the static reader does not open it; the graph "
        "is incomplete",
        shown,
        None,
        "remove it from the version location, or make it the revision's .py file",
    )


def _unlistable(shown: str, error: OSError) -> Finding:
    return Finding(
        "F207",
        "unreadable-entry",
        ERROR,
        f"cannot list this directory ({error.strerror}): Alembic silently loads nothing from "
        "it; the graph may be incomplete",
        shown,
        None,
        "make the directory readable, or move it out of the version location",
    )


def _bytecode(shown: str) -> Finding:
    return Finding(
        "F209",
        "bytecode-revision",
        ERROR,
        "Alembic loads this bytecode file (alembic.ini: sourceless = true), which the static "
        "reader cannot read: the graph is incomplete",
        shown,
        None,
        "restore the revision's .py file, or delete the stale bytecode",
    )


class UnreadableFile(Exception):
    """A file the reader did not read, as the finding that says why."""

    def __init__(self, code: str, name: str, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.code, self.name, self.message, self.fix = code, name, message, fix

    def finding(self, shown: str) -> Finding:
        return Finding(self.code, self.name, ERROR, self.message, shown, None, self.fix)


def shown_path(path: str, prefix: str) -> str:
    """`path` relative to the root `prefix` names (with / as separator), else as it is."""
    return path[len(prefix) :].replace(os.sep, "/") if path.startswith(prefix) else path


def read_source(path: str | Path) -> bytes:
    """The bytes of a regular file of at most MAX_REVISION_FILE_BYTES, else UnreadableFile.

    Never opens anything but a regular file: a FIFO would block, a device may act on being
    opened. O_NONBLOCK and the check after opening cover a file swapped between stat and open.
    """
    return stream_file(path, _read_small, small=True)


def _read_small(read: Callable[[int], bytes], opened: os.stat_result) -> bytes:
    chunks = []
    remaining = MAX_REVISION_FILE_BYTES + 1
    # os.read allocates the size it is asked for: ask for the file's size (plus one byte, to
    # see it grew), not the limit, or every small file costs a 2 MiB allocation
    wanted = opened.st_size + 1
    while remaining > 0:
        chunk = read(min(remaining, wanted))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
        wanted = READ_CHUNK_BYTES
    if remaining <= 0:  # grew past the limit since the stat
        raise too_large()
    return b"".join(chunks)


def stream_file(
    path: str | Path,
    consume: Callable[[Callable[[int], bytes], os.stat_result], T],
    small: bool = False,
) -> T:
    """What `consume` makes of a regular file, given a read(n) on it and its status; `small`:
    refuse one over MAX_REVISION_FILE_BYTES (F208) before opening it. UnreadableFile when it
    is not a regular file (F207) or cannot be read (F201)."""
    try:
        _require_regular_file(os.stat(path), path, small)
        descriptor = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC)
        try:
            opened = os.fstat(descriptor)
            _require_regular_file(opened, path, small)
            return consume(lambda size: os.read(descriptor, size), opened)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise UnreadableFile("F201", "unparseable-file", f"cannot read: {exc.strerror}") from None


def _require_regular_file(status: os.stat_result, path: str | Path, small: bool) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableFile(
            "F207",
            "unreadable-entry",
            f"{_kind(str(path))}, not a regular file: the static reader does not open it",
            "remove it from the version location, or make it the revision's .py file",
        )
    if small and status.st_size > MAX_REVISION_FILE_BYTES:
        raise too_large()


TOO_LARGE_FIX = (
    "move bulk data out of the revision file (e.g. into a data file its upgrade() loads)"
)


def too_large(why: str = "") -> UnreadableFile:
    """F208 for a file or git blob over MAX_REVISION_FILE_BYTES left out of the graph; `why`:
    what kept its header from placing it (bounded_header)."""
    return UnreadableFile(
        "F208",
        "file-too-large",
        f"larger than {MAX_REVISION_FILE_BYTES // (1024 * 1024)} MiB: too large to read "
        f"statically{', and ' + why if why else ''}; the revision is not in the graph, so the "
        "graph is incomplete",
        TOO_LARGE_FIX,
    )


def require_versions(settings: Settings) -> None:
    settings.require_migrations()
    if not any(location.is_dir() for location in settings.version_locations):
        shown = ", ".join(settings.show(p) for p in settings.version_locations)
        raise ConfigError(
            f"{shown}: no versions directory (setting 'migrations' from "
            f"{settings.sources.get('migrations', 'default')})"
        )


def sourceless(settings: Settings) -> bool:
    """alembic.ini's `sourceless`, read as Alembic reads it (only the exact string "true")."""
    return settings.alembic_options.get("sourceless") == "true"


def working_tree_listing(settings: Settings) -> Listing:
    require_versions(settings)
    return list_revision_files(
        settings.version_locations,
        settings.recursive_version_locations,
        settings.root,
        sourceless(settings),
    )
