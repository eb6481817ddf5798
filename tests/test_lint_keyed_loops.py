"""Loops over a module list of literal dicts (issue 20, round 36: codechecker's
`for table_info in ASSOCIATION_TABLES: batch_alter_table(table_info["name"])`): each pass binds
the name to one dict, and `info["name"]` is the literal it holds, so messages name the table
and object instead of the expression. Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding

TABLES = (
    'TABLES = [{"name": "run_link", "pk": "pk_run_link", "columns": ("run_id", "link_id")}, '
    '{"name": "job_link", "pk": "pk_job_link", "columns": ("job_id", "link_id")}]'
)
MADE = (
    'op.create_table("run_link", sa.Column("run_id", sa.Integer()), '
    'sa.Column("link_id", sa.Integer()))\n'
    'op.create_table("job_link", sa.Column("job_id", sa.Integer()), '
    'sa.Column("link_id", sa.Integer()))'
)


def _l325(tmp_path: Path, upgrade: str, constant: str = TABLES) -> list[Finding]:
    """L325 of a second revision whose module holds `constant` (as projects write it)."""
    (tmp_path / "r0.py").write_text(chained(revision(MADE), "eeee0000", "base0000"))
    second = chained(revision(upgrade), "eeee0001", "eeee0000")
    second = second.replace("def upgrade():", f"{constant}\n\n\ndef upgrade():", 1)
    (tmp_path / "r1.py").write_text(second)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(target=parse_server_version("sqlite"))
    return [f for f in lint_files(files, options).findings if f.code == "L325"]


def test_a_loop_over_literal_dicts_names_each_table(tmp_path: Path) -> None:
    keyed = (
        "for info in TABLES:\n"
        '    with op.batch_alter_table(info["name"]) as batch_op:\n'
        '        batch_op.create_primary_key(info["pk"], list(info["columns"]))\n'
        "for info in TABLES:\n"
        '    op.create_primary_key(info["pk"], info["name"], list(info["columns"]))'
    )
    messages = " ".join(f.message for f in _l325(tmp_path, keyed))
    assert "run_link" in messages and "job_link" in messages
    assert "info[" not in messages and "`" not in messages


def test_a_key_the_dicts_lack_stays_unread(tmp_path: Path) -> None:
    # `info["table"]` is no key of the dicts: lint names the expression, guessing nothing
    keyed = 'for info in TABLES:\n    op.create_primary_key(info["pk"], info["table"], ["link_id"])'
    findings = _l325(tmp_path, keyed)
    assert findings and all("info['table']" in f.message for f in findings)


def test_a_list_of_dicts_inside_the_function_is_not_a_constant(tmp_path: Path) -> None:
    # a local list of dicts is mostly bulk_insert rows: not unrolled (the message names `info`)
    keyed = (
        f"{TABLES}\n"
        "for info in TABLES:\n"
        '    op.create_primary_key(info["pk"], info["name"], ["link_id"])'
    )
    findings = _l325(tmp_path, keyed, constant="")
    assert findings and all("info['name']" in f.message for f in findings)
