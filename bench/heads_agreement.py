"""Check that `alembic-sentinel heads` gives Alembic's answer on real histories, every way it
can answer: with no cache, from the parse cache, and read back from the recorded answer.

Each directory given holds one history's revision files (a `versions/` directory copied out of a
public project). It is copied into a scratch project with a bare `alembic.ini`, then:

- `alembic heads`, with the project's own packages replaced by stubs (a `sitecustomize` on
  PYTHONPATH turns every module Python cannot find into an object whose attributes are stubs):
  revision files import their project (`from nova.db import ...`), which is not installed here.
  A history Alembic cannot load even so (a stub where it needs a string) is reported, not judged.
- `alembic-sentinel heads --format json` three times: cold, warm (parse cache), and once more
  after the files have settled (the recorded answer, graph/answer_cache.py).

Prints one line per history and exits 1 when the three runs differ or when they name other
heads than Alembic (a history whose heads the static reader calls unknown is reported as such).

    .venv/bin/python bench/heads_agreement.py DIR [DIR ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from harness import BIN, bench_env

STUBS = """
import importlib.abc, importlib.machinery, sys, types

class Stub(types.ModuleType):
    __path__ = []
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Stub(f"{self.__name__}.{name}")
    def __call__(self, *args, **kwargs):
        return Stub(self.__name__ + "()")
    def __iter__(self):
        return iter(())
    def __mro_entries__(self, bases):
        return (object,)

class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        return Stub(spec.name)
    def exec_module(self, module):
        pass

sys.meta_path.append(StubFinder())  # last: only what nothing else finds
"""
HEAD_LINE = re.compile(r"^(\S+) \(.*head\)", re.MULTILINE)
SETTLE_SECONDS = 2.1  # the parse cache's RACY_SECONDS, and a little more


def alembic_heads(project: Path, env: dict[str, str]) -> list[str] | str:
    """Alembic's heads, or why it could not load the history."""
    done = subprocess.run(
        [str(BIN / "alembic"), "heads"], cwd=project, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return f"cannot load it ({last[:90]})"
    return sorted(HEAD_LINE.findall(done.stdout))


def sentinel_runs(project: Path, env: dict[str, str]) -> list[tuple[int, str]]:
    runs = []
    for settle in (0.0, 0.0, SETTLE_SECONDS):
        time.sleep(settle)
        done = subprocess.run(
            [str(BIN / "alembic-sentinel"), "heads", "--format", "json"],
            cwd=project, env=env, capture_output=True, text=True,
        )  # fmt: skip
        runs.append((done.returncode, done.stdout))
    return runs


def check(history: Path, scratch: Path) -> bool:
    project = scratch / history.name
    shutil.copytree(history, project / "migrations" / "versions")
    (project / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
    stubs = scratch / f"{history.name}-stubs"
    stubs.mkdir()
    (stubs / "sitecustomize.py").write_text(STUBS)
    env = bench_env(scratch / f"{history.name}-caches")
    expected = alembic_heads(project, {**env, "PYTHONPATH": str(stubs)})
    runs = sentinel_runs(project, env)
    consistent = runs[0] == runs[1] == runs[2]
    document = json.loads(runs[0][1]) if runs[0][1] else {}
    ours = sorted(document.get("heads", [])) if document.get("heads_known", True) else None
    files = sum(1 for _ in history.rglob("*.py"))
    if isinstance(expected, str):
        verdict = f"alembic {expected}; sentinel {ours if ours is not None else 'heads unknown'}"
        agrees = True
    else:
        agrees = ours == expected
        verdict = f"alembic {expected}, sentinel {ours if ours is not None else 'heads unknown'}"
    ok = consistent and agrees
    flags = "" if ok else (" DIFFERENT" if not agrees else " RUNS DIFFER")
    print(f"{history.name:24} {files:5} files  {verdict}{flags}", flush=True)
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("histories", nargs="+", type=Path, metavar="DIR")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="heads-agreement-") as scratch:
        results = [check(history, Path(scratch)) for history in args.histories]
    return 0 if all(results) else 1


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
