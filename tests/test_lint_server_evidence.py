"""When no setting or URL names the server, revisions written in MariaDB's own syntax show it:
a history with IF [NOT] EXISTS on columns or indexes in two revisions or more ran on MariaDB and
is judged for MariaDB, said once; one such revision (a new one, perhaps never run) stays an
error on the default target, and target-server always wins (a `mysql://` URL does not tell
MySQL from MariaDB). A `mariadb://` URL
names MariaDB. Projects are our own, built per test; the CLI runs as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

FIRST = '''"""create"""
revision = "a1"
down_revision = None

from alembic import op
import sqlalchemy as sa


def upgrade():
    op.create_table("party", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("party")
'''

ADD_IF_MISSING = '''"""{name}"""
revision = "{revision}"
down_revision = "{parent}"

from alembic import op
import sqlalchemy as sa


def upgrade():
    op.add_column("party", sa.Column("{name}", sa.String(20)), if_not_exists=True)
    op.create_index("ix_party_{name}", "party", ["{name}"], if_not_exists=True)


def downgrade():
    op.drop_index("ix_party_{name}", table_name="party", if_exists=True)
    op.drop_column("party", "{name}", if_exists=True)
'''


def project(root: Path, revisions: int, url: str | None = None) -> Path:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    ini = "[alembic]\nscript_location = migrations\n"
    (root / "alembic.ini").write_text(ini + (f"sqlalchemy.url = {url}\n" if url else ""))
    (root / "migrations" / "env.py").write_text("")
    (versions / "a1_create.py").write_text(FIRST)
    parent = "a1"
    for index in range(revisions):
        name = f"motto{index}"
        revision = f"b{index}"
        (versions / f"{revision}_{name}.py").write_text(
            ADD_IF_MISSING.format(name=name, revision=revision, parent=parent)
        )
        parent = revision
    return root


def lint_json(root: Path, *argv: str) -> dict[str, object]:
    result = run_cli(root, "lint", "--all", "--format", "json", *argv)
    assert result.code in (0, 1), result.output
    report = json.loads(result.out)
    assert isinstance(report, dict)
    return report


def codes(report: dict[str, object]) -> list[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [finding["code"] for finding in findings]


@pytest.mark.parametrize("revisions", [2, 3])
def test_a_history_in_mariadb_syntax_is_judged_for_mariadb_and_says_so(
    tmp_path: Path, revisions: int
) -> None:
    root = project(tmp_path, revisions)
    report = lint_json(root)
    assert report["target_server"] == "mariadb-10.11"
    assert "L333" not in codes(report)
    text = run_cli(root, "lint", "--all")
    [said] = [line for line in text.out.splitlines() if line.startswith("target ")]
    assert said.startswith(f"target mariadb-10.11 ({revisions} revisions use IF [NOT] EXISTS")
    assert "set target-server" in said


def test_one_revision_in_mariadb_syntax_stays_an_error_on_the_default_target(
    tmp_path: Path,
) -> None:
    report = lint_json(project(tmp_path, 1))
    assert report["target_server"] == "mysql-8.0"
    assert codes(report).count("L333") == 4


def test_target_server_keeps_every_l333(tmp_path: Path) -> None:
    report = lint_json(project(tmp_path, 3), "--target-server", "mysql-8.0")
    assert report["target_server"] == "mysql-8.0"
    assert codes(report).count("L333") == 12


def test_a_mysql_url_does_not_tell_mysql_from_mariadb(tmp_path: Path) -> None:
    # MariaDB servers are reached through mysql+pymysql:// as often as through mariadb://
    report = lint_json(project(tmp_path, 2, "mysql+pymysql://app@db.example/app"))
    assert report["target_server"] == "mariadb-10.11"
    assert "L333" not in codes(report)


def test_postgresql_only_sql_beside_the_clauses_shows_postgresql_not_mariadb(
    tmp_path: Path,
) -> None:
    # PostgreSQL parses ADD COLUMN IF NOT EXISTS too; its casts say which server this is
    root = project(tmp_path, 2)
    (root / "migrations" / "versions" / "c1_cast.py").write_text(
        '"""cast"""\nrevision = "c1"\ndown_revision = "b1"\n\nfrom alembic import op\n\n\n'
        'def upgrade():\n    op.execute("UPDATE party SET motto0 = id::text")\n\n\n'
        "def downgrade():\n    pass\n"
    )
    report = lint_json(root)
    assert report["target_server"] == "mysql-8.0"
    assert codes(report).count("L333") == 8 and "L331" in codes(report)


def test_a_mariadb_url_names_mariadb(tmp_path: Path) -> None:
    report = lint_json(project(tmp_path, 1, "mariadb+pymysql://app@db.example/app"))
    assert report["target_server"] == "mariadb-10.11"
    assert "L333" not in codes(report)
