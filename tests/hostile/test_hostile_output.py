"""Revision text and project code against what each verb prints.

A docstring, a revision id or a message can hold terminal escape sequences (a window title, a
colour, a hyperlink): every verb shows them as escapes (`\\x1b`), never sends them to the
terminal, the log or the comment. Project code that prints while it loads cannot corrupt a
JSON report, and project code that exits is a one-line error naming where (exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import HEAD, run_cli

ESCAPES = "\x1b]0;pwned\x07\x1b[31m"
DEV = {"ENV_CONFIG": "env/dev.cfg"}
TITLED = "b0b0b0b0b0b0"


def add_titled_revision(project: Path) -> None:
    path = project / "migrations" / "versions" / f"{TITLED}_titled.py"
    path.write_text(
        f'"""add a note {ESCAPES}red\n\nRevision ID: {TITLED}\n"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "{TITLED}"\ndown_revision = "{HEAD}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        '    op.create_table("note", sa.Column("id", sa.Integer, primary_key=True))\n'
        '\n\ndef downgrade():\n    op.drop_table("note")\n'
    )


def test_escape_sequences_in_a_docstring_never_reach_the_terminal(project: Path) -> None:
    add_titled_revision(project)
    outputs = []
    for verb in (["upgrade"], ["current"], ["history"], ["downgrade", "-1"]):
        result = run_cli(project, *verb, env=DEV)
        assert result.code == 0, result.output
        outputs.append(result.output)
    everything = "".join(outputs)
    assert "\x1b" not in everything and "\x07" not in everything
    assert "\\x1b]0;pwned\\x07" in everything  # shown, as escapes


def test_escape_sequences_never_reach_the_ci_report(project: Path) -> None:
    add_titled_revision(project)
    for fmt in ("markdown", "text"):
        result = run_cli(project, "ci", "--format", fmt, "--no-data", env=DEV)
        assert "\x1b" not in result.out and "\x07" not in result.out, fmt
        assert "\x1b" not in result.err


def test_project_output_while_loading_stays_out_of_a_json_report(project: Path) -> None:
    config = project / "env" / "dev.cfg"
    config.write_text(config.read_text() + '\nprint("hello from the config")\n')
    run_cli(project, "upgrade", env=DEV)

    result = run_cli(project, "check", "--format", "json", env=DEV)

    assert json.loads(result.out)["command"] == "check"
    assert "hello from the config" in result.err


def test_project_code_that_exits_is_a_one_line_error_naming_where(project: Path) -> None:
    config = project / "env" / "dev.cfg"
    config.write_text(config.read_text() + "\nimport sys\nsys.exit(0)\n")
    for code in ("0", "3", "'a message'"):
        config.write_text(config.read_text().rsplit("sys.exit(", 1)[0] + f"sys.exit({code})\n")

        result = run_cli(project, "check", env=DEV)

        assert result.code == 2, (code, result.output)
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and "env/dev.cfg:" in lines[0] and "exited" in lines[0], lines
