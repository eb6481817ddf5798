"""Check that the header-only reader and the `ast` reader agree on real revision histories.

Reads every `*.py` file under a `versions/` directory of each git repository (at HEAD, from git
objects: no checkout needed, so bare mirrors work) or plain directory given, runs both readers
on it and reports, per history, how many files the text reader answered and every file where
the two answers differ (exit 1 when there is one). Nothing is copied or kept.

    .venv/bin/python bench/reader_agreement.py PATH [PATH ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from alembic_sentinel.graph.revision_files import plain_declarations, read_revision_source


def revision_sources(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every .py file under a versions/ directory: from git when `path` is a
    repository (work tree or bare), else from the file system."""
    git = ["git", f"--git-dir={path}"] if (path / "HEAD").is_file() else ["git", "-C", str(path)]
    listing = subprocess.run(
        [*git, "ls-tree", "-r", "-z", "HEAD"], capture_output=True, check=False
    )
    if listing.returncode != 0:
        for file in sorted(path.rglob("versions/**/*.py")):
            yield str(file.relative_to(path)), file.read_bytes()
        return
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, name = entry.split(b"\t", 1)
        shown = name.decode("utf-8", "replace")
        if "/versions/" in f"/{shown}" and shown.endswith(".py") and meta.split()[1] == b"blob":
            blob = subprocess.run(
                [*git, "cat-file", "blob", meta.split()[2].decode()],
                capture_output=True,
                check=True,
            )
            yield shown, blob.stdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="git repositories or directories")
    args = parser.parse_args(argv)
    disagreements = 0
    for path in args.paths:
        files = list(revision_sources(path))
        by_text_count = 0
        text_time = ast_time = 0.0
        for name, source in files:
            started = time.perf_counter()
            by_text = read_revision_source(source, name)
            text_time += time.perf_counter() - started
            started = time.perf_counter()
            by_ast = read_revision_source(source, name, header_reader=False)
            ast_time += time.perf_counter() - started
            by_text_count += plain_declarations(source) is not None
            if by_text != by_ast:
                disagreements += 1
                print(f"{path}: {name}: the readers differ:\n  {by_text}\n  {by_ast}")
        print(
            f"{path}: {len(files)} revision files, {by_text_count} read from the text, "
            f"the rest with ast; same answers: {'yes' if not disagreements else 'NO'}; "
            f"reading {text_time * 1000:.0f} ms vs ast only {ast_time * 1000:.0f} ms"
        )
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
