"""heads / graph / merge read revision files statically: formats, merge files, the hook entries."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from conftest import BRANCH_HEADS, HEAD, add_two_branch_heads, revision_files, run_cli

from alembic_sentinel import cli
from alembic_sentinel.graph.revision_check import heads_report
from alembic_sentinel.hooks import alembic_heads, alembic_merge_heads
from alembic_sentinel.report.render import render
from alembic_sentinel.settings import resolve_settings

UNIMPORTABLE_REVISION = '''"""uses the app

Revision ID: cccc00000003
Revises: {parent}
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
import sqlalchemy_utils_not_installed
from app.models_not_installed import Thing

revision = "cccc00000003"
down_revision = "{parent}"
branch_labels = None
depends_on = None

bind = op.get_bind()


def upgrade():
    op.add_column("party", sa.Column("thing", sa.Integer()))


def downgrade():
    op.drop_column("party", "thing")
'''


def test_heads_reads_revisions_that_import_modules_that_are_not_installed(project: Path) -> None:
    versions = project / "migrations" / "versions"
    (versions / "cccc00000003_uses_the_app.py").write_text(
        UNIMPORTABLE_REVISION.format(parent=HEAD)
    )
    result = run_cli(project, "heads")
    assert result.code == 0, result.output
    assert result.out == "cccc00000003 (head) uses the app\n"


def test_heads_json_has_heads_bases_and_findings(project: Path) -> None:
    add_two_branch_heads(project)
    result = run_cli(project, "heads", "--format", "json")
    assert result.code == 1
    document = json.loads(result.out)
    assert document["schema_version"] == 1
    assert document["heads"] == sorted(BRANCH_HEADS)
    assert document["bases"] == ["a8a2fc4e4c77"]
    assert document["merge_points"] == ["d21f6c8e4b13"]
    assert document["branch_points"] == ["65900aaf5afd", HEAD]
    assert document["revisions"] == 8
    codes = {(f["code"], f["path"]) for f in document["findings"]}
    assert codes == {
        ("G101", "migrations/versions/aaaa00000001_branch_one.py"),
        ("G101", "migrations/versions/bbbb00000002_branch_two.py"),
    }
    finding = document["findings"][0]
    assert set(finding) == {"code", "name", "severity", "path", "line", "message", "fix"}
    assert finding["fix"] == "alembic-sentinel merge heads"
    assert f"since {HEAD}" in finding["message"]


def test_heads_github_format_writes_one_annotation_per_head(project: Path) -> None:
    add_two_branch_heads(project)
    result = run_cli(project, "heads", "--format", "github")
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "::error file=migrations/versions/aaaa00000001_branch_one.py,line=6,"
        "title=G101 multiple-heads::head aaaa00000001 (branch one) is one of 2 heads"
    )


def test_text_output_has_no_colour_when_not_a_terminal(project: Path) -> None:
    add_two_branch_heads(project)
    result = run_cli(project, "heads")
    assert "\033[" not in result.out
    assert "aaaa00000001_branch_one.py:6: error: G101 head aaaa00000001" in result.out
    assert "    fix: alembic-sentinel merge heads" in result.out


def test_graph_summarises_the_reference_history(project: Path) -> None:
    result = run_cli(project, "graph")
    assert result.code == 0, result.output
    assert result.out.splitlines() == [
        "6 revisions in migrations",
        f"head:         {HEAD} (add electionId to candidate)",
        "base:         a8a2fc4e4c77 (initial schema)",
        "merge point:  d21f6c8e4b13 (merge heads)",
        "branch point: 65900aaf5afd (add isListed to election)",
    ]


def test_migrations_directory_without_alembic_ini(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "db-migrations"
    shutil.copytree(project / "migrations", elsewhere)
    (elsewhere / "alembic.ini").unlink()
    result = run_cli(tmp_path, "--migrations", str(elsewhere), "heads")
    assert result.code == 0, result.output
    assert result.out.startswith(f"{HEAD} (head)")


def test_version_locations_from_alembic_ini(project: Path) -> None:
    extra = project / "extra_versions"
    extra.mkdir()
    (extra / "cccc00000003_uses_the_app.py").write_text(UNIMPORTABLE_REVISION.format(parent=HEAD))
    ini = project / "migrations" / "alembic.ini"
    ini.write_text(
        ini.read_text().replace(
            "[alembic]",
            "[alembic]\nversion_path_separator = os\n"
            "version_locations = %(here)s/versions:%(here)s/../extra_versions",
            1,
        )
    )
    result = run_cli(project, "heads")
    assert result.code == 0, result.output
    assert result.out.startswith("cccc00000003 (head)")


def merge_file_text(path: Path) -> str:
    return re.sub(r"Create Date: .*", "Create Date: <date>", path.read_text())


def test_merge_heads_renders_exactly_what_alembic_merge_writes(
    project: Path, tmp_path: Path
) -> None:
    add_two_branch_heads(project)
    twin = tmp_path / "twin"
    shutil.copytree(project, twin)

    before = revision_files(project)
    ours = run_cli(project, "merge", "heads", "-m", "merge feature branches")
    assert ours.code == 0, ours.output
    (ours_name,) = revision_files(project) - before
    revision_id = ours_name.split("_", 1)[0]

    config = Config(str(twin / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(twin / "migrations"))
    command.merge(config, "heads", message="merge feature branches", rev_id=revision_id)
    theirs = twin / "migrations" / "versions" / ours_name

    assert theirs.exists(), sorted(revision_files(twin))
    ours_text = merge_file_text(project / "migrations" / "versions" / ours_name)
    theirs_text = merge_file_text(theirs)
    # older Alembic releases (1.7) list the heads in their map's order, newer ones sorted: the
    # same revision, its parents in another order (a static writer cannot know which runs it)
    theirs_text = theirs_text.replace(
        "bbbb00000002, aaaa00000001", "aaaa00000001, bbbb00000002"
    ).replace("('bbbb00000002', 'aaaa00000001')", "('aaaa00000001', 'bbbb00000002')")
    assert ours_text == theirs_text


def test_merge_never_overwrites_and_names_only_heads(project: Path) -> None:
    add_two_branch_heads(project)
    not_a_head = run_cli(project, "merge", "aaaa00000001", HEAD)
    assert not_a_head.code == 2
    assert f"revision {HEAD} is not a head" in not_a_head.err
    unknown = run_cli(project, "merge", "aaaa00000001", "nosuchrev")
    assert unknown.code == 2
    assert "Can't locate revision identified by 'nosuchrev'" in unknown.err


def test_merge_refuses_a_broken_graph(project: Path) -> None:
    versions = project / "migrations" / "versions"
    (versions / "dddd00000004_orphan.py").write_text(
        'revision = "dddd00000004"\ndown_revision = "ffff99999999"\n'
    )
    result = run_cli(project, "merge", "heads")
    assert result.code == 1
    assert "down_revision ffff99999999 of dddd00000004 is not in any version location" in result.err
    assert "dddd00000004_orphan.py:2" in result.err


def test_heads_hook_passes_on_one_head_and_fails_on_two(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert alembic_heads.main([]) == 0
    assert capsys.readouterr().out.startswith(f"{HEAD} (head)")

    add_two_branch_heads(project)
    assert alembic_heads.main(["migrations/versions/aaaa00000001_branch_one.py"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("alembic-heads: the revision graph needs attention\n")
    assert out.count("G101") == 2


def test_heads_hook_with_a_bad_migrations_flag_is_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert alembic_heads.main(["--migrations", "nope"]) == 2
    assert capsys.readouterr().err == (
        "alembic-heads: error: nope: migrations directory not found "
        "(setting 'migrations' from --migrations)\n"
    )


def test_merge_heads_hook_writes_once_and_is_quiet_with_one_head(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert alembic_merge_heads.main([]) == 0
    assert capsys.readouterr().out == ""

    add_two_branch_heads(project)
    before = revision_files(project)
    assert alembic_merge_heads.main(["--warn-only"]) == 1
    assert "run `alembic-sentinel merge heads`" in capsys.readouterr().out
    assert revision_files(project) == before

    assert alembic_merge_heads.main(["0"]) == 0  # post-merge passes git's squash flag
    (written,) = revision_files(project) - before
    assert f"wrote migrations/versions/{written}" in capsys.readouterr().out
    assert alembic_merge_heads.main([]) == 0  # one head again: nothing more to write
    assert len(revision_files(project) - before) == 1


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as sys.stdout does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def test_text_is_coloured_on_a_terminal_unless_no_color(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_two_branch_heads(project)
    monkeypatch.chdir(project)
    report = heads_report(resolve_settings(database=False), "heads")

    coloured = render(report, "text", Terminal())
    assert "\033[31merror\033[0m: \033[1mG101\033[0m" in coloured

    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in render(report, "text", Terminal())
    monkeypatch.delenv("NO_COLOR")
    assert "\033[" not in render(report, "text", io.StringIO())


def test_hints_name_the_command_the_user_runs(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    add_two_branch_heads(project)

    assert cli.main(["heads"], prog="flask sentinel") == 1
    under_flask = capsys.readouterr().out
    assert "fix: flask sentinel merge heads" in under_flask
    assert "alembic-sentinel merge" not in under_flask

    assert cli.main(["heads"]) == 1
    assert "fix: alembic-sentinel merge heads" in capsys.readouterr().out
    # a path is not a command, nor a name that is not followed by one of our verbs
    with cli.hints_name("flask sentinel"):
        print("see ~/.cache/alembic-sentinel/heads, pip install alembic-sentinel now")
        print("run `alembic-sentinel upgrade` first")
    assert capsys.readouterr().out == (
        "see ~/.cache/alembic-sentinel/heads, pip install alembic-sentinel now\n"
        "run `flask sentinel upgrade` first\n"
    )
