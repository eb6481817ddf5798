"""A raw `ALTER TABLE t CONVERT TO CHARACTER SET x` rewrites every string column (L314): MySQL
converts a character set by copying the table (not in place, no concurrent writes); MariaDB 10.11
does too, except from utf8mb3 to utf8mb4, which it converts without a copy (both checked on the
local MariaDB). The table's set before is the one the history declares (`mysql_charset=`, or
raw `CHARSET=`); after the conversion the table is in the new set, so a later VARCHAR widening
counts that set's bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding


def history(tmp_path: Path, target: str, *revisions: str) -> list[Finding]:
    tmp_path.mkdir(exist_ok=True)
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"cccc{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(target=parse_server_version(target))
    return list(lint_files(files, options).findings)


def copies(findings: list[Finding]) -> list[str]:
    return [f"{Path(f.path).name}: {f.message}" for f in findings if f.code == "L314"]


def things(charset: str | None) -> str:
    option = f', mysql_charset="{charset}"' if charset else ""
    return revision(
        'op.create_table("things", sa.Column("id", sa.Integer(), primary_key=True), '
        f'sa.Column("name", sa.String(32)){option})'
    )


def converted(statement: str) -> str:
    return revision(f'op.execute("{statement}")')


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE things CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        "alter table `things` convert to charset latin1",
        "ALTER TABLE things CONVERT TO CHARACTER SET = utf8",
    ],
)
@pytest.mark.parametrize("target", ["mysql-8.0", "mysql-5.7", "mariadb-10.11"])
def test_a_conversion_copies_the_table(tmp_path: Path, statement: str, target: str) -> None:
    found = copies(history(tmp_path, target, things(None), converted(statement)))
    assert len(found) == 1 and found[0].startswith("r1.py: ")
    assert "character set" in found[0]


@pytest.mark.parametrize("charset", ["utf8mb3", "utf8"])
def test_utf8mb3_to_utf8mb4_is_no_copy_on_mariadb_10_11(tmp_path: Path, charset: str) -> None:
    statement = "ALTER TABLE things CONVERT TO CHARACTER SET utf8mb4"
    revisions = (things(charset), converted(statement))
    assert copies(history(tmp_path / "m", "mariadb-10.11", *revisions)) == []
    assert len(copies(history(tmp_path / "y", "mysql-8.0", *revisions))) == 1


def test_utf8mb4_to_utf8mb3_is_a_copy_on_mariadb(tmp_path: Path) -> None:
    statement = "ALTER TABLE things CONVERT TO CHARACTER SET utf8mb3"
    assert len(copies(history(tmp_path, "mariadb-10.11", things(None), converted(statement)))) == 1


def test_the_table_is_in_the_new_set_afterwards(tmp_path: Path) -> None:
    # VARCHAR(32) -> (80) on utf8mb4 is 128 -> 320 bytes (a copy); on utf8mb3, converted from
    # utf8mb4, 96 -> 240 bytes: in place
    widened = revision(
        'op.alter_column("things", "name", existing_type=sa.String(32), type_=sa.String(80))'
    )
    statement = "ALTER TABLE things CONVERT TO CHARACTER SET utf8mb3"
    found = copies(history(tmp_path, "mysql-8.0", things(None), converted(statement), widened))
    assert [line.split(":")[0] for line in found] == ["r1.py"]


def test_a_default_character_set_change_alone_is_not_read_as_a_conversion(tmp_path: Path) -> None:
    statement = "ALTER TABLE things DEFAULT CHARACTER SET utf8mb4"
    assert copies(history(tmp_path, "mysql-8.0", things(None), converted(statement))) == []


def test_a_table_this_upgrade_created_is_converted_empty(tmp_path: Path) -> None:
    created_and_converted = revision(
        'op.create_table("things", sa.Column("id", sa.Integer(), primary_key=True))\n'
        'op.execute("ALTER TABLE things CONVERT TO CHARACTER SET latin1")'
    )
    assert copies(history(tmp_path, "mysql-8.0", created_and_converted)) == []
