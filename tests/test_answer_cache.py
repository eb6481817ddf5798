"""A recorded heads/graph answer is read back only while it is the answer a fresh run gives."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import HEAD, run_cli

from alembic_sentinel.graph import revision_cache
from alembic_sentinel.graph.answer_cache import AnswerCache, graph_answer
from alembic_sentinel.graph.revision_check import heads_report
from alembic_sentinel.report.model import report_document
from alembic_sentinel.settings import Overrides, Settings, resolve_settings

VERSIONS = Path("migrations") / "versions"
EDITED = VERSIONS / "e5a9c3f7d812_add_electionid_to_candidate.py"


def settings_of(project: Path) -> Settings:
    return resolve_settings(Overrides(), environ={}, root=project, database=False)


def answered(project: Path, command: str = "heads") -> dict[str, object]:
    """What heads/graph answer, from the record when it holds (and recording it)."""
    return report_document(graph_answer(settings_of(project), command))


def fresh(project: Path, command: str = "heads") -> dict[str, object]:
    """What a run with no cache at all answers; then records it (as `heads` would)."""
    for path in (project.parent / "cache").rglob("*.json"):
        path.unlink()
    computed = report_document(heads_report(settings_of(project), command))
    assert answered(project, command) == computed
    return computed


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's files were written a moment ago: let their statuses vouch for them."""
    monkeypatch.setattr(revision_cache, "RACY_SECONDS", 0)


def recorded(project: Path, command: str = "heads") -> Path:
    return AnswerCache(settings_of(project), command).path


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("command", ["heads", "graph"])
def test_the_recorded_answer_is_the_fresh_one(project: Path, command: str) -> None:
    expected = fresh(project, command)
    assert recorded(project, command).exists()
    assert answered(project, command) == expected  # read back


@pytest.mark.usefixtures("settled")
def test_an_edit_that_keeps_size_and_mtime_is_seen(project: Path) -> None:
    fresh(project)
    edited = project / EDITED
    before = edited.stat()
    edited.write_text(
        edited.read_text().replace(f'revision = "{HEAD}"', 'revision = "e5a9c3f7d8ff"')
    )
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    answer = answered(project)
    assert answer == fresh(project)
    assert answer["facts"]["heads"] == ["e5a9c3f7d8ff"]  # type: ignore[index]


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("change", ["add", "remove", "rename"])
def test_a_file_added_removed_or_renamed_is_seen(project: Path, change: str) -> None:
    fresh(project)
    versions = project / VERSIONS
    if change == "add":
        (versions / "ffff00000001_next.py").write_text(
            f'revision = "ffff00000001"\ndown_revision = "{HEAD}"\n'
        )
    elif change == "remove":
        (project / EDITED).unlink()
    else:
        (project / EDITED).rename(versions / "renamed.py")
    answer = answered(project)
    assert answer == fresh(project)
    assert change != "add" or answer["facts"]["heads"] == ["ffff00000001"]  # type: ignore[index]


def test_files_changed_within_the_racy_window_record_no_answer(project: Path) -> None:
    answered(project)  # the copy was made just now: its statuses cannot vouch yet
    assert not recorded(project).exists()


@pytest.mark.usefixtures("settled")
def test_a_history_with_a_star_import_records_no_answer(project: Path) -> None:
    """A star import is read against the project root's modules, which no file status shows."""
    (project / VERSIONS / "ffff00000001_star.py").write_text(
        f'from shared_ids import *\nrevision = "ffff00000001"\ndown_revision = "{HEAD}"\n'
    )
    before = fresh(project)
    assert not recorded(project).exists()
    (project / "shared_ids.py").write_text("")  # now a project module the import may bind from
    after = answered(project)
    assert after == fresh(project)
    assert [f["code"] for f in before["findings"]] != [f["code"] for f in after["findings"]]  # type: ignore[index, union-attr]


@pytest.mark.usefixtures("settled")
def test_a_damaged_or_foreign_answer_is_not_read(project: Path, tmp_path: Path) -> None:
    expected = fresh(project)
    path = recorded(project)
    document = json.loads(path.read_text())
    for damaged in (
        "{not json",
        json.dumps({**document, "report": {"command": "heads"}}),
        json.dumps({**document, "context": [*document["context"][:-1], True]}),  # sourceless
        json.dumps({**document, "context": [*document["context"][:2], str(tmp_path)]}),
    ):
        path.write_text(damaged)
        assert answered(project) == expected


@pytest.mark.usefixtures("settled")
def test_the_cli_prints_the_same_from_a_recorded_answer(project: Path) -> None:
    """In every format, a run that reads the answer back prints what the run that computed
    it printed (the subprocesses trust the statuses the in-process run recorded)."""
    for fmt in ("text", "json", "github"):
        fresh(project)
        recorded(project).unlink()
        computed = run_cli(project, "heads", "--format", fmt)  # files too recent to record
        assert not recorded(project).exists()
        answered(project)  # recorded here, where the statuses are trusted at once
        again = run_cli(project, "heads", "--format", fmt)
        assert (computed.code, computed.out) == (again.code, again.out)


def test_cache_clear_drops_the_recorded_answers(project: Path, settled: None) -> None:
    fresh(project)
    assert recorded(project).exists()
    cleared = run_cli(project, "cache", "clear", "--shadow-url", "sqlite://")
    assert cleared.code == 0, cleared.output
    assert not recorded(project).exists()


@pytest.mark.usefixtures("settled")
def test_a_run_that_computes_the_answer_takes_each_status_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = len(list((project / VERSIONS).glob("*.py")))
    taken: list[str] = []
    real_status = revision_cache.file_status

    def counted(path: str | os.PathLike[str]) -> list[int] | None:
        taken.append(os.fspath(path))
        return real_status(path)

    monkeypatch.setattr(revision_cache, "file_status", counted)
    answered(project)  # nothing recorded yet: computed, with the parse cache
    assert len(taken) == len(set(taken)) == files
