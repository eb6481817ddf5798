"""`alembic-sentinel lint` and the `alembic-lint` hook as users run them: processes, real git."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, git, run_cli, run_python

GUIDE = REPO / "tests" / "data" / "guide_islisted_revision.py"
SARIF_SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
REFERENCE_FILES = 6
pytestmark = pytest.mark.usefixtures("git_isolated")

NEW_REVISION = '''\
"""add partyCode to party

Revision ID: 0badc0de0001
Revises: e5a9c3f7d812
Create Date: 2024-05-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0badc0de0001"
down_revision = "e5a9c3f7d812"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("party", sa.Column("partyCode", sa.String(length=20), nullable=False))


def downgrade():
    op.drop_column("party", "partyCode")
'''


def add_guide_revision(project: Path) -> Path:
    target = project / "migrations" / "versions" / "0badc0de0001_add_partycode_to_party.py"
    target.write_text(NEW_REVISION)
    return target


def test_all_reviews_every_reference_revision_and_finds_nothing(project: Path) -> None:
    result = run_cli(project, "lint", "--all")

    assert result.code == 0, result.output
    # e5a9c3f7d812's foreign key (L314) carries a suppression with its reason: counted, not shown
    assert result.out == (
        f"linted {REFERENCE_FILES} revision files: 0 errors, 0 warnings, 1 suppressed\n"
    )


def test_the_guide_revision_fails_with_both_of_its_problems(project: Path) -> None:
    result = run_cli(project, "lint", str(GUIDE))

    assert result.code == 1
    codes = [
        line.split(": ")[2].split()[0] for line in result.out.splitlines() if ": error: " in line
    ]
    assert codes == ["L301", "L303"]
    assert "linted 1 revision file: 2 errors, 0 warnings" in result.out


def test_sarif_output_validates_and_names_the_rules(project: Path) -> None:
    result = run_cli(project, "lint", str(GUIDE), "--format", "sarif")

    assert result.code == 1
    log = json.loads(result.out)
    validator = jsonschema.validators.validator_for(SARIF_SCHEMA)(SARIF_SCHEMA)
    assert list(validator.iter_errors(log)) == []
    rules = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert rules == ["L301", "L303"]
    assert [r["level"] for r in log["runs"][0]["results"]] == ["error", "error"]


def test_json_output_lists_the_online_ddl_class_of_each_operation(project: Path) -> None:
    result = run_cli(project, "lint", "--all", "--format", "json")

    document = json.loads(result.out)
    assert document["command"] == "lint"
    assert document["files"] == REFERENCE_FILES
    algorithms = {(s["operation"], s["algorithm"]) for s in document["statements"]}
    assert ("add_column area.areaType", "INSTANT") in algorithms
    assert ("create_table election", "N/A") in algorithms


def test_suppressed_findings_are_counted_in_text_json_and_sarif(project: Path) -> None:
    # the reference history's one suppression: e5a9c3f7d812's foreign key, a table copy (L314)
    text = run_cli(project, "lint", "--all")
    assert text.out.endswith("0 errors, 0 warnings, 1 suppressed\n")
    document = json.loads(run_cli(project, "lint", "--all", "--format", "json").out)
    [suppressed] = document["suppressed"]
    assert suppressed["code"] == "L314" and "e5a9c3f7d812" in suppressed["path"]
    assert suppressed["reason"]
    log = json.loads(run_cli(project, "lint", "--all", "--format", "sarif").out)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "L314"
    assert result["suppressions"] == [{"kind": "inSource", "justification": suppressed["reason"]}]


def test_show_ddl_and_target_server(project: Path) -> None:
    on_57 = run_cli(project, "lint", "--all", "--show-ddl", "--target-server", "mysql-5.7")

    assert "INPLACE add_column area.areaType" in on_57.out
    on_80 = run_cli(project, "lint", "--all", "--show-ddl")
    assert "INSTANT add_column area.areaType" in on_80.out


def test_github_format_writes_annotations(project: Path) -> None:
    result = run_cli(project, "lint", str(GUIDE), "--format", "github")

    lines = result.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        f"::error file={GUIDE},line=37,title=L301 not-null-without-default::"
    )


def test_explain_prints_the_rule(project: Path) -> None:
    result = run_cli(project, "lint", "--explain", "l303")

    assert result.code == 0
    assert result.out.startswith("L303 fill-wrong-kind (error)\n")
    assert "Fix: " in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--explain", "L999"),
            "alembic-sentinel: error: --explain L999: unknown rule (known: L301",
        ),
        (
            ("--all", "--target-server", "oracle-19"),
            "alembic-sentinel: error: --target-server: ",
        ),
        (("missing.py",), "alembic-sentinel: error: missing.py: no such file"),
    ],
)
def test_bad_input_is_one_line_with_exit_2(
    project: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli(project, "lint", *args)

    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(message), result.err
    assert len(result.err.splitlines()) == 1


def test_unknown_rule_in_lint_severity_is_named(project: Path) -> None:
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('\n[tool.alembic-sentinel.lint-severity]\nL999 = "off"\n')

    result = run_cli(project, "lint", "--all")

    assert result.code == 2
    assert result.err == (
        "alembic-sentinel: error: pyproject.toml [tool.alembic-sentinel.lint-severity]: unknown "
        "rule L999 (see `alembic-sentinel lint --explain CODE`)\n"
    )


def test_lint_severity_turns_a_rule_off_and_another_into_an_error(project: Path) -> None:
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('\n[tool.alembic-sentinel.lint-severity]\nL301 = "off"\nL303 = "warning"\n')

    result = run_cli(project, "lint", str(GUIDE))

    assert result.code == 0, result.output
    assert "L301" not in result.out
    assert ": warning: L303 " in result.out


def test_by_default_only_the_revisions_this_branch_changed_are_reviewed(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "reference app")
    git(project, "checkout", "-qb", "feature")
    added = add_guide_revision(project)  # untracked: counted as changed

    result = run_cli(project, "lint")

    assert result.code == 1
    assert "linted 1 revision file: 1 error, 0 warnings" in result.out
    rel = added.relative_to(project)
    assert f"{rel}:18: error: L301 add_column party.partyCode" in result.out
    # the same with the base named, and nothing changed on main itself
    assert run_cli(project, "lint", "--base", "main").out == result.out
    git(project, "checkout", "-q", "main")
    added.unlink()
    assert run_cli(project, "lint", "--base", "main").out == (
        "linted 0 revision files: 0 errors, 0 warnings, 0 suppressed\n"
    )


def test_no_base_to_compare_with_is_a_usage_error(project: Path) -> None:
    git(project, "init", "-q", "-b", "trunk")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "reference app")

    result = run_cli(project, "lint")

    assert result.code == 2
    assert result.err == (
        "alembic-sentinel: error: no base to compare with: pass --base REF or --all\n"
    )


def test_lint_never_imports_sqlalchemy_or_alembic(project: Path) -> None:
    code = (
        "import sys\n"
        "from alembic_sentinel.cli import main\n"
        "code = main(['lint', '--all', '--format', 'sarif'])\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'alembic', 'git') if m in sys.modules)\n"
        "print(code, heavy, file=sys.stderr)\n"
    )
    result = run_python(project, "-c", code)

    assert result.err.strip() == "0 []"


def test_the_hook_lints_the_files_it_is_given_and_nothing_without_files(project: Path) -> None:
    added = add_guide_revision(project)
    command = ["-m", "alembic_sentinel.hooks.alembic_lint"]

    refused = run_python(project, *command, str(added.relative_to(project)))
    nothing = run_python(project, *command)
    everything = run_python(project, *command, "--all")

    assert refused.code == 1
    assert "error: L301 add_column party.partyCode" in refused.out
    assert "# sentinel: ignore[CODE] -- why it is safe" in refused.out
    assert (nothing.code, nothing.out) == (0, "")
    assert everything.code == 1
    assert f"linted {REFERENCE_FILES + 1} revision files: 1 error" in everything.out
