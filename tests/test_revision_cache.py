"""The parse cache gives the answer a fresh parse gives, whatever state it is in."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import HEAD, run_cli

from alembic_sentinel import __version__
from alembic_sentinel.graph import revision_cache, revision_files
from alembic_sentinel.graph.revision_cache import ParseCache, cache_directory
from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.graph.revision_files import read_revision_files, revision_paths


def read(project: Path, cache: ParseCache | None) -> list[tuple[str, tuple[str, ...]]]:
    paths = revision_paths([project / "migrations" / "versions"], recursive=False)
    result = read_revision_files(paths, project, cache)
    return [(r.revision, r.down_revisions) for r in result.revisions]


def test_a_warm_cache_answers_without_parsing_and_agrees_with_a_parse(project: Path) -> None:
    fresh = read(project, None)
    first = ParseCache(project)
    assert read(project, first) == fresh
    first.save()
    assert first.path.parent == cache_directory()

    warm = ParseCache(project)
    assert len(warm.files) == len(fresh)
    assert read(project, warm) == fresh
    assert not warm.changed  # every file came from the cache


def test_an_edited_file_is_parsed_again(project: Path) -> None:
    cache = ParseCache(project)
    read(project, cache)
    cache.save()
    edited = project / "migrations" / "versions" / "e5a9c3f7d812_add_electionid_to_candidate.py"
    edited.write_text(edited.read_text().replace('revision = "e5a9c3f7d812"', 'revision = "e5a9"'))

    again = ParseCache(project)
    revisions = dict(read(project, again))
    assert "e5a9" in revisions and HEAD not in revisions
    assert again.changed


def test_a_corrupted_or_foreign_cache_is_ignored(project: Path) -> None:
    cache = ParseCache(project)
    expected = read(project, cache)
    cache.save()
    for garbage in (b"{not json", b'{"stamp": "other-version", "entries": {}}', b"[]"):
        cache.path.write_bytes(garbage)
        assert read(project, ParseCache(project)) == expected
    # an entry of the right stamp but the wrong shape is re-parsed, not trusted
    broken = ParseCache(project)
    read(project, broken)
    broken.files = {shown: [entry[0], entry[1], ["bad"]] for shown, entry in broken.used.items()}
    assert read(project, broken) == expected


def test_heads_gives_the_same_answer_cold_and_warm(project: Path) -> None:
    cold = run_cli(project, "heads", "--format", "json")
    warm = run_cli(project, "heads", "--format", "json")
    assert cold.code == warm.code == 0
    assert cold.out == warm.out
    assert list((cache_directory()).glob("revisions-*.json"))


def test_a_cache_written_by_an_earlier_reader_is_not_trusted(project: Path) -> None:
    hidden = project / "migrations" / "versions" / "cccc00000003_hidden.py"
    hidden.write_text(f'revision = "cccc00000003"\nif True:\n    down_revision = "{HEAD}"\n')
    shown = "migrations/versions/cccc00000003_hidden.py"
    # what the first reader format made of it, before a conditional assignment was an error
    earlier = ParseCache(project)
    key = ParseCache.key(shown, hidden.read_bytes())
    earlier.store(shown, None, key, (RevisionFile(shown, "cccc00000003", (HEAD,)), []))
    earlier.save()
    document = json.loads(earlier.path.read_bytes())
    document["stamp"] = f"1:{__version__}:{sys.version_info[0]}.{sys.version_info[1]}"
    earlier.path.write_text(json.dumps(document))

    paths = revision_paths([project / "migrations" / "versions"], recursive=False)
    result = read_revision_files(paths, project, ParseCache(project))

    assert "cccc00000003" not in {r.revision for r in result.revisions}
    assert [(f.code, f.path, f.line) for f in result.findings] == [("F203", shown, 3)]


def test_a_file_whose_status_is_unchanged_is_not_read_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(revision_cache, "RACY_SECONDS", 0)  # the files were written just now
    expected = read(project, None)
    first = ParseCache(project)
    assert read(project, first) == expected
    first.save()
    assert all(entry[1] is not None for entry in first.used.values())
    assert len(first.used) == len(expected)

    opened: list[str] = []
    real_read_source = revision_files.read_source

    def counting_read_source(path: str | Path) -> bytes:
        opened.append(str(path))
        return real_read_source(path)

    monkeypatch.setattr(revision_files, "read_source", counting_read_source)
    assert read(project, ParseCache(project)) == expected
    assert opened == []


def test_a_rewrite_that_keeps_size_and_mtime_is_still_seen(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(revision_cache, "RACY_SECONDS", 0)
    cache = ParseCache(project)
    read(project, cache)
    cache.save()
    edited = project / "migrations" / "versions" / "e5a9c3f7d812_add_electionid_to_candidate.py"
    before = edited.stat()
    # the same number of bytes, the mtime put back: only the ctime (and the bytes) differ
    edited.write_text(
        edited.read_text().replace('revision = "e5a9c3f7d812"', 'revision = "e5a9c3f7d8ff"')
    )
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size

    revisions = dict(read(project, ParseCache(project)))
    assert "e5a9c3f7d8ff" in revisions and HEAD not in revisions


def test_a_file_changed_just_now_is_read_until_its_status_can_be_trusted(project: Path) -> None:
    cache = ParseCache(project)
    read(project, cache)  # the project was copied a moment ago
    assert cache.used and all(entry[1] is None for entry in cache.used.values())


def test_a_cache_of_another_project_root_is_not_read(project: Path, tmp_path: Path) -> None:
    """Cache files are named by a short checksum of the root (settings.project_key): should two
    roots share a name, neither reads the other's entries."""
    cache = ParseCache(project)
    expected = read(project, cache)
    cache.save()
    document = json.loads(cache.path.read_bytes())
    document["root"] = str(tmp_path / "elsewhere")
    cache.path.write_text(json.dumps(document))
    foreign = ParseCache(project)
    assert foreign.files == {}
    assert read(project, foreign) == expected and foreign.changed
