"""Whether a commit can change what the drift check sees: the `alembic-drift` hook's fast path.

Each check that imported the models records the project files that import loaded (the models
and whatever they import from the project), with a hash of each. A commit that stages none of
them and no revision file cannot change the answer, so the hook returns at once, without
importing SQLAlchemy. Anything unknown means running the check: no record yet, a recorded file
changed since (its imports may have changed too), a revision file staged, or a Python file
the record did not know where the models discover modules: models are often imported by
discovery (`pkgutil.iter_modules` + `importlib` in `models/__init__.py`), so a new module
there adds a table without any recorded file changing. A recorded module that imports
dynamically (DISCOVERY) makes its package a place to watch; one outside any package makes the
whole project one, as the record cannot tell where it looks. Models imported statically only
cannot pick up a new file without a recorded file changing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from alembic_sentinel.settings import Settings, cache_directory, project_key

RECORD_VERSION = 4  # 4: the project root in the record (project_key)
# what a module that finds other modules by name at import time calls
DISCOVERY = ("import_module", "__import__", "pkgutil", "spec_from_file_location", "load_module")
# directories never searched for project modules
_NOT_PROJECT = {".git", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__"}


def record_path(settings: Settings) -> Path:
    # keyed by the root alone: the fast path resolves no database settings and so cannot know
    # a migrations directory only the Flask app names; the record says where revisions live
    return cache_directory() / "models" / f"{project_key(settings.root)}.json"


def record_model_modules(settings: Settings) -> None:
    """After the models were imported: which project files that took, and their hashes."""
    modules = {path: _digest(path) for path in _project_files(settings.root)}
    locations = [str(location.resolve()) for location in settings.version_locations]
    packages = _discovery_directories(settings.root, modules)
    document = {
        "version": RECORD_VERSION,
        "root": str(settings.root),
        "modules": modules,
        "version_locations": locations,
        "packages": {str(package): _python_files(package) for package in packages},
    }
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
        if document.get("root") != str(settings.root):
            return True  # another project's record
    except (OSError, ValueError, KeyError, TypeError):
        return True
    if any(_digest(path) != digest for path, digest in modules.items()):
        return True  # a model module changed without the check seeing it: its imports may too
    # where the check found revisions (a directory only the Flask app names included)
    locations = [*recorded, *(location.resolve() for location in settings.version_locations)]
    packages = document.get("packages")
    if not isinstance(packages, dict):
        return True
    known = {name for files in packages.values() for name in files}
    searched = [Path(package) for package in packages]
    for name in staged:
        path = (settings.root / name).resolve()
        if str(path) in modules or any(location in path.parents for location in locations):
            return True
        new_module = path.suffix == ".py" and str(path) not in known
        if new_module and any(package in path.parents for package in searched):
            return True  # discovery may import it: the record never saw it
    return False


def _discovery_directories(root: Path, modules: Iterable[str]) -> list[Path]:
    """Where the recorded modules may discover new ones: the outermost package of each module
    whose source imports by name (DISCOVERY), or the root for one in no package."""
    found: set[Path] = set()
    for name in modules:
        try:
            source = Path(name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            source = ""
        if not any(marker in source for marker in DISCOVERY):
            continue
        outermost = root
        for directory in Path(name).parents:
            if directory == root or root not in directory.parents:
                break
            if (directory / "__init__.py").is_file():
                outermost = directory
        found.add(outermost)
    return sorted(found)


def _python_files(package: Path) -> list[str]:
    """The Python files under a package when the record was made (the ones it may not know
    of later are new)."""
    files = []
    for directory, names, filenames in os.walk(package):
        names[:] = [name for name in names if name not in _NOT_PROJECT]
        files += [str(Path(directory, f)) for f in filenames if f.endswith(".py")]
    return sorted(files)


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
