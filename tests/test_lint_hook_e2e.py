"""The `alembic-lint` hook end to end: real git, the real pre-commit framework, SQLite.

Each test turns a copy of the reference app into a git repository whose `.pre-commit-config.yaml`
uses the `alembic-lint` hook exactly as this repository's `.pre-commit-hooks.yaml` defines it
(from the session's throwaway git copy of this working tree), runs `pre-commit install`, and then
works as the guide says: `python db upgrade`, edit a model, `python db migrate`, `git commit`.
The hook is `language: python`: it runs from pre-commit's own virtualenv and reads the revision
files as syntax.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Result, revision_files
from e2e_workspace import HookSource, Workspace, hooked_reference_app

LINT_HOOK = re.escape("alembic revision review (MySQL/MariaDB hazards)")
LINT_PASSED = re.compile(LINT_HOOK + r"\.+Passed")
LINT_FAILED = re.compile(LINT_HOOK + r"\.+Failed")

PARTY_CODE = "partyCode = Column(String(20), nullable=False)"
SUPPRESSION = "# sentinel: ignore[L301]"
REASON = "-- the party table is empty until the first import"


def lint_repo(project: Path, hooks: HookSource) -> Workspace:
    """The reference app with the lint hook installed, on the embedded SQLite default."""
    return hooked_reference_app(project, hooks, {"alembic-lint": ()}, "./env/dev.cfg")


def add_party_code(project: Path) -> None:
    """A NOT NULL column without a default on the existing `party` table's model."""
    party = project / "orm" / "party.py"
    source = party.read_text()
    anchor = re.search(r"\n(\s+)partySymbol = [^\n]*\n", source)
    assert anchor is not None, "reference model changed: update add_party_code"
    addition = f"{anchor.group(1)}{PARTY_CODE}\n"
    party.write_text(source[: anchor.end()] + addition + source[anchor.end() :])


def migrate_party_code(repo: Workspace, project: Path) -> tuple[Result, str]:
    """The guide's steps: upgrade, add the column to the model, `migrate`; the revision written."""
    repo.run("python", "db", "upgrade")
    add_party_code(project)
    before = revision_files(project)
    migrated = repo.run("python", "db", "migrate", "-m", "add partyCode")
    (name,) = revision_files(project) - before
    return migrated, f"migrations/versions/{name}"


def add_column_line(path: Path) -> int:
    """The line of the `add_column` call for partyCode (plain or batch form)."""
    lines = path.read_text().splitlines()
    (number,) = [
        n for n, line in enumerate(lines, 1) if "add_column(" in line and "partyCode" in line
    ]
    return number


def edit_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines))


def assert_refused(repo: Workspace, refused: Result, written: str) -> None:
    assert refused.code == 1, refused.output
    assert LINT_FAILED.search(refused.output), refused.output
    assert repo.last_commit() == "the reference app"
    # the refused change is still staged, nothing was committed
    staged = repo.git("diff", "--cached", "--name-only").out.split()
    assert sorted(staged) == sorted(["orm/party.py", written])


def test_a_not_null_column_without_a_default_is_refused_until_it_has_a_server_default(
    project: Path, hook_source: HookSource
) -> None:
    repo = lint_repo(project, hook_source)
    migrated, written = migrate_party_code(repo, project)
    line = add_column_line(project / written)
    # migrate reviews the revision it wrote
    assert f"wrote {written}" in migrated.out
    assert f"{written}:{line}: error: L301" in migrated.out

    refused = repo.commit("add partyCode", "orm/party.py", written, check=False)

    assert_refused(repo, refused, written)
    assert f"{written}:{line}: error: L301" in refused.output
    assert "# sentinel: ignore[CODE] -- why it is safe" in refused.output

    edit_line(project / written, line, "nullable=False)", 'nullable=False, server_default="")')
    committed = repo.commit("add partyCode", "orm/party.py", written)

    assert LINT_PASSED.search(committed.output), committed.output
    assert "L301" not in committed.output
    assert repo.last_commit() == "add partyCode"
    shown = repo.git("show", "--name-only", "--format=", "HEAD").out.split()
    assert sorted(shown) == sorted(["orm/party.py", written])
    assert repo.git("status", "--porcelain").out == ""


def test_a_suppression_needs_a_reason(project: Path, hook_source: HookSource) -> None:
    repo = lint_repo(project, hook_source)
    _, written = migrate_party_code(repo, project)
    line = add_column_line(project / written)
    revision = project / written

    edit_line(revision, line, "nullable=False))", f"nullable=False))  {SUPPRESSION}")
    refused = repo.commit("add partyCode", "orm/party.py", written, check=False)

    assert_refused(repo, refused, written)
    assert f"{written}:{line}: error: L320" in refused.output
    # a suppression without a reason suppresses nothing
    assert f"{written}:{line}: error: L301" in refused.output

    edit_line(revision, line, SUPPRESSION, f"{SUPPRESSION} {REASON}")
    committed = repo.commit("add partyCode", "orm/party.py", written)

    assert LINT_PASSED.search(committed.output), committed.output
    assert repo.last_commit() == "add partyCode"
    assert repo.git("status", "--porcelain").out == ""


def test_the_reference_app_revisions_pass_the_review(
    project: Path, hook_source: HookSource
) -> None:
    repo = lint_repo(project, hook_source)

    ran = repo.pre_commit("run", "alembic-lint", "--all-files", "--verbose")

    assert LINT_PASSED.search(ran.output), ran.output
    assert "linted" in ran.output  # the hook ran on the revision files
    assert ": error:" not in ran.output
