"""Whether a commit can change what the drift check sees: the `alembic-drift` hook's fast path.

Each check that imported the models records the project files that import loaded (the models
and whatever they import from the project), with a hash of each. A commit that stages none of
them and no revision file cannot change the answer, so the hook returns at once, without
importing SQLAlchemy. Anything unknown means running the check: no record yet, a recorded file
changed since (its imports may have changed too), a revision file staged.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from alembic_sentinel.graph.revision_cache import cache_directory
from alembic_sentinel.settings import Settings

RECORD_VERSION = 2


def record_path(settings: Settings) -> Path:
    # keyed by the root alone: the fast path resolves no database settings and so cannot know
    # a migrations directory only the Flask app names; the record says where revisions live
    root = hashlib.sha256(str(settings.root).encode()).hexdigest()[:16]
    return cache_directory() / "models" / f"{root}.json"


def record_model_modules(settings: Settings) -> None:
    """After the models were imported: which project files that took, and their hashes."""
    modules = {path: _digest(path) for path in _project_files(settings.root)}
    locations = [str(location.resolve()) for location in settings.version_locations]
    document = {"version": RECORD_VERSION, "modules": modules, "version_locations": locations}
    path = record_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")
        partial.replace(path)  # whole or not at all: a half record would skip checks
    except OSError:
        pass  # without a record the hook runs the check: slower, never wrong


def may_change_the_check(settings: Settings, staged: Iterable[str]) -> bool:
    """False only when the staged files provably cannot change the drift check's answer."""
    try:
        document = json.loads(record_path(settings).read_text(encoding="utf-8"))
        modules: dict[str, str] = document["modules"]
        recorded = [Path(location) for location in document["version_locations"]]
        if document.get("version") != RECORD_VERSION or not isinstance(modules, dict):
            return True
    except (OSError, ValueError, KeyError, TypeError):
        return True
    if any(_digest(path) != digest for path, digest in modules.items()):
        return True  # a model module changed without the check seeing it: its imports may too
    # where the check found revisions (a directory only the Flask app names included)
    locations = [*recorded, *(location.resolve() for location in settings.version_locations)]
    for name in staged:
        path = (settings.root / name).resolve()
        if str(path) in modules or any(location in path.parents for location in locations):
            return True
    return False


def _project_files(root: Path) -> list[str]:
    """The imported modules' files inside the project, not the virtualenv's or the stdlib's."""
    outside = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    files = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if not name or not name.endswith(".py"):
            continue
        path = Path(name).resolve()
        if root not in path.parents or "site-packages" in path.parts:
            continue
        if any(prefix == path or prefix in path.parents for prefix in outside):
            continue
        files.add(str(path))
    return sorted(files)


def _digest(path: str) -> str:
    try:
        with open(path, "rb") as stream:
            return hashlib.sha256(stream.read()).hexdigest()
    except OSError:
        return ""
