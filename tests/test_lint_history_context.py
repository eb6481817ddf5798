"""A few revision files linted alone are judged against the history they join (issue 20).

The hook (the staged files), `lint` with paths or with the changed files, `migrate`'s review and
`ci` lint a handful of revisions; what the other revisions state (a column's NOT NULL, a table's
character set) decides findings as it does under `--all`. The other revisions are read, never
reported. Projects are our own files in tmp_path; the hook and the CLI run as entry points.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.cli import main as cli_main
from alembic_sentinel.hooks.alembic_lint import main as hook_main

INI = """\
[alembic]
script_location = migrations
sqlalchemy.url = mysql+pymysql://app@127.0.0.1:1/app
"""


def _revision(revision: str, down: str | None, upgrade: str, downgrade: str = "pass") -> str:
    def body(code: str) -> str:
        return textwrap.indent(textwrap.dedent(code).strip(), "    ")

    return (
        f'"""{revision}\n\nRevision ID: {revision}\nRevises: {down or ""}\n"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        f"revision = {revision!r}\ndown_revision = {down!r}\n\n\n"
        f"def upgrade():\n{body(upgrade)}\n\n\ndef downgrade():\n{body(downgrade)}\n"
    )


def _project(root: Path, revisions: dict[str, str]) -> Path:
    (root / "alembic.ini").write_text(INI)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "migrations" / "env.py").write_text("from alembic import context\n")
    for name, text in revisions.items():
        (versions / name).write_text(text)
    return versions


CREATED_NOT_NULL = _revision(
    "a1",
    None,
    """
    op.create_table(
        "parcel",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(40), nullable=False, server_default="none"),
        sa.Column("code", sa.String(32), nullable=False),
        mysql_charset="utf8mb3",
    )
    """,
    'op.drop_table("parcel")',
)
# MODIFY restates the column: without existing_nullable it is written NULL (a miss alone)
RETYPED = _revision(
    "b2",
    "a1",
    'op.alter_column("parcel", "label", type_=sa.String(60))',
    'op.alter_column("parcel", "label", type_=sa.String(40), existing_type=sa.String(60))',
)
# 64 characters of utf8mb3 stay under 256 bytes: INPLACE, no copy (a false alarm alone)
WIDENED = _revision(
    "b2",
    "a1",
    'op.alter_column("parcel", "code", type_=sa.String(64), existing_type=sa.String(32), '
    "existing_nullable=False)",
    'op.alter_column("parcel", "code", type_=sa.String(32), existing_type=sa.String(64), '
    "existing_nullable=False)",
)


def _json_run(entry: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    main = hook_main if entry == "hook" else cli_main
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def _lint_staged(entry: str, staged: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    """The hook (given the staged file) or `lint <file>`, run from the working directory."""
    argv = ["--format", "json", staged] if entry == "hook" else ["lint", "--format", "json", staged]
    return _json_run(entry, argv, capsys)


@pytest.mark.parametrize("entry", ["hook", "cli"])
def test_a_staged_revision_is_judged_with_what_the_history_states_of_its_column(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    entry: str,
) -> None:
    _project(tmp_path, {"a1_create.py": CREATED_NOT_NULL, "b2_retype.py": RETYPED})
    monkeypatch.chdir(tmp_path)
    staged = "migrations/versions/b2_retype.py"
    code, report = _lint_staged(entry, staged, capsys)
    assert report["files"] == 1
    paths = {finding["path"] for finding in report["findings"]}
    assert paths == {staged}  # the history's first revision is read, never reported
    # the upgrade and the downgrade each restate it
    assert [f["code"] for f in report["findings"]].count("L330") == 2
    assert code == 0  # a warning


@pytest.mark.parametrize("entry", ["hook", "cli"])
def test_a_staged_revision_is_not_blamed_for_what_the_history_rules_out(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    entry: str,
) -> None:
    _project(tmp_path, {"a1_create.py": CREATED_NOT_NULL, "b2_widen.py": WIDENED})
    monkeypatch.chdir(tmp_path)
    staged = "migrations/versions/b2_widen.py"
    _, report = _lint_staged(entry, staged, capsys)
    assert "L314" not in [f["code"] for f in report["findings"]]
    # alone (a project whose history is this file only) the widening is taken for a copy
    alone = tmp_path / "alone"
    alone.mkdir()
    _project(alone, {"b2_widen.py": WIDENED})
    monkeypatch.chdir(alone)
    _, report_alone = _lint_staged(entry, staged, capsys)
    assert "L314" in [f["code"] for f in report_alone["findings"]]


def test_a_broken_revision_elsewhere_in_the_history_is_not_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(
        tmp_path,
        {
            "a1_create.py": CREATED_NOT_NULL,
            "b2_retype.py": RETYPED,
            "c3_broken.py": 'revision = "c3"\ndown_revision = "b2"\ndef upgrade(:\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    code, report = _lint_staged("hook", "migrations/versions/b2_retype.py", capsys)
    assert {f["code"] for f in report["findings"]} == {"L330"}
    assert {f["path"] for f in report["findings"]} == {"migrations/versions/b2_retype.py"}
    assert code == 0
    code_all, report_all = _json_run("cli", ["lint", "--all", "--format", "json"], capsys)
    assert "F201" in {f["code"] for f in report_all["findings"]}
    assert code_all == 1
