"""A history linted by two processes (lint/shared_work.py) gives the one process's answer, byte
for byte, and a child that fails leaves its files to the parent. Fixtures: our own revision
patterns, plus files lint places from their header or reads once rewritten."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from alembic_sentinel.lint import shared_work
from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.render import render_json, render_text

PATTERNS = Path(__file__).parent / "data" / "revision_patterns"

# a revision whose syntax error comes after its header (placed in the graph, F201)
BROKEN_AFTER_HEADER = '''"""broken after its header"""
revision = "zz01broken"
down_revision = "zz00first"

from alembic import op
import sqlalchemy as sa


def upgrade():
    op.add_column("party", sa.Column("motto", sa.String(40))
'''

# a Python 2 revision (print statement): F201, read for the history once rewritten
PYTHON2 = '''"""python 2"""
revision = "zz02py2"
down_revision = "zz01broken"

from alembic import op
import sqlalchemy as sa


def upgrade():
    print "adding"
    op.add_column("party", sa.Column("slogan", sa.String(40), nullable=False))


def downgrade():
    op.drop_column("party", "slogan")
'''

FIRST = '''"""first"""
revision = "zz00first"
down_revision = None

from alembic import op
import sqlalchemy as sa


def upgrade():
    op.create_table(
        "party",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(20), nullable=False),
    )


def downgrade():
    op.drop_table("party")
'''

AFTER = '''"""after the python 2 one"""
revision = "zz03after"
down_revision = "zz02py2"

from alembic import op
import sqlalchemy as sa


def upgrade():
    op.alter_column("party", "slogan", type_=sa.String(80))
    op.drop_column("party", "name")


def downgrade():
    pass
'''


def _history(tmp_path: Path) -> list[tuple[str, Path]]:
    for path in sorted(PATTERNS.glob("*.py")):
        shutil.copy(path, tmp_path / path.name)
    for name, text in (
        ("zz00_first.py", FIRST),
        ("zz01_broken.py", BROKEN_AFTER_HEADER),
        ("zz02_py2.py", PYTHON2),
        ("zz03_after.py", AFTER),
    ):
        (tmp_path / name).write_text(text)
    return [(path.name, path) for path in sorted(tmp_path.glob("*.py"))]


def _rendered(files: Sequence[tuple[str, Path]], target: str, processes: int) -> tuple[str, str]:
    report = lint_files(files, LintOptions(target=parse_server_version(target)), processes)
    return render_json(report), render_text(report)


@pytest.mark.parametrize("target", ["mysql-8.0", "mariadb-10.11", "postgresql"])
def test_two_processes_answer_as_one(tmp_path: Path, target: str) -> None:
    files = _history(tmp_path)
    one = _rendered(files, target, 1)
    two = _rendered(files, target, 2)
    assert two == one
    # the history matters to these files: the shared history reached the child's share
    assert '"zz03_after.py"' in one[0]
    assert "F201" in one[1]


def test_the_child_that_fails_leaves_its_share_to_the_parent() -> None:
    parent = os.getpid()

    def read(index: int) -> tuple[int, int]:
        if os.getpid() != parent and index == 3:
            raise RuntimeError("the child fails on one file")
        return index, index * 10

    def assemble(shared: Sequence[int]) -> int:
        return sum(shared)

    def judge(index: int, read_value: int, total: int) -> tuple[int, int, int]:
        return index, read_value, total

    results = shared_work.shared_between_two(9, read, assemble, judge, 2)
    assert results == [(i, i, sum(range(0, 90, 10))) for i in range(9)]


def test_the_child_that_fails_while_judging_leaves_its_results_to_the_parent() -> None:
    parent = os.getpid()

    def judge(index: int, read_value: int, total: int) -> tuple[int, int]:
        if os.getpid() != parent:
            os._exit(3)  # dies without a word
        return index, total

    results = shared_work.shared_between_two(
        7, lambda i: (i, 1), lambda shared: len(shared), judge, 2
    )
    assert results == [(i, 7) for i in range(7)]


def test_the_work_is_shared_when_asked() -> None:
    results = shared_work.shared_between_two(
        6, lambda i: (i, i), lambda shared: tuple(shared), lambda i, r, c: (os.getpid(), c), 2
    )
    pids = {pid for pid, _ in results}
    assert len(pids) == 2 and os.getpid() in pids  # the odd files were judged elsewhere
    assert {context for _, context in results} == {(0, 1, 2, 3, 4, 5)}


def test_a_process_running_threads_is_not_forked() -> None:
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        results = shared_work.shared_between_two(
            6, lambda i: (i, i), lambda shared: None, lambda i, r, c: os.getpid(), 2
        )
    finally:
        stop.set()
        worker.join()
    assert set(results) == {os.getpid()}


def test_processes_chosen_by_size_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(shared_work.PROCESSES_VARIABLE, raising=False)
    assert shared_work.processes_for(shared_work.FILES_WORTH_SHARING - 1) == 1
    monkeypatch.setattr(shared_work.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert shared_work.processes_for(shared_work.FILES_WORTH_SHARING) == 2
    monkeypatch.setenv(shared_work.PROCESSES_VARIABLE, "1")
    assert shared_work.processes_for(10_000) == 1
    monkeypatch.delenv(shared_work.PROCESSES_VARIABLE)
    monkeypatch.setattr(shared_work.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert shared_work.processes_for(10_000) == 1
