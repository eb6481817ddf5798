"""Unique keys added in raw SQL (issue 20, round 42): `CREATE UNIQUE INDEX`, `ALTER TABLE ...
ADD UNIQUE` and `ADD CONSTRAINT ... UNIQUE` on a table with rows may meet duplicates exactly as
op.create_unique_constraint does, and get L309's judgement and exemptions. Revisions of our own
writing, linted for MySQL 8.0."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.lint.sql_reader import read_sql


def _findings(tmp_path: Path, upgrade: str) -> list[tuple[str, str]]:
    source = (
        textwrap.dedent(
            '''
            """unique member emails"""
            import sqlalchemy as sa
            from alembic import op

            revision = "6c7d8e9f0a1b"
            down_revision = "5b6c7d8e9f0a"
            '''
        )
        + "\n\ndef upgrade():\n"
        + textwrap.indent(textwrap.dedent(upgrade), "    ")
        + "\n\ndef downgrade():\n    pass\n"
    )
    path = tmp_path / "6c7d8e9f0a1b_unique.py"
    path.write_text(source)
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    return [(f.code, f.severity) for f in lint_files([(path.name, path)], options).findings]


RAW_UNIQUE_KEYS = [
    'op.execute("CREATE UNIQUE INDEX uq_member_email ON member (email)")\n',
    'op.execute("CREATE UNIQUE INDEX uq_member_email ON member(org_id, email);")\n',
    'op.execute("ALTER TABLE member ADD UNIQUE KEY uq_member_email (email)")\n',
    'op.execute("ALTER TABLE member ADD UNIQUE (email)")\n',
    'op.execute("ALTER TABLE member ADD CONSTRAINT uq_member_email UNIQUE (email)")\n',
    'op.execute(sa.text("ALTER TABLE `member` ADD UNIQUE INDEX `uq_member_email` (`email`)"))\n',
]


@pytest.mark.parametrize("upgrade", RAW_UNIQUE_KEYS)
def test_a_raw_unique_key_on_a_table_with_rows_is_judged_as_l309(
    tmp_path: Path, upgrade: str
) -> None:
    assert any(code == "L309" for code, _ in _findings(tmp_path, upgrade))


def test_a_raw_unique_key_after_a_copy_into_its_column_is_a_warning(tmp_path: Path) -> None:
    upgrade = (
        'op.execute("UPDATE member SET email = LOWER(email)")\n'
        'op.execute("CREATE UNIQUE INDEX uq_member_email ON member (email)")\n'
    )
    assert ("L309", "warning") in _findings(tmp_path, upgrade)


def test_setting_placeholders_to_null_first_leaves_the_key_a_notice(tmp_path: Path) -> None:
    upgrade = (
        "op.execute(\"UPDATE member SET email = NULL WHERE email = ''\")\n"
        'op.execute("CREATE UNIQUE INDEX uq_member_email ON member (email)")\n'
    )
    assert ("L309", "warning") not in _findings(tmp_path, upgrade)
    assert any(code == "L309" for code, _ in _findings(tmp_path, upgrade))


NOT_ON_OLD_ROWS = [
    # a table the upgrade created first, raw or op
    'op.execute("CREATE TABLE member (id INT PRIMARY KEY, email VARCHAR(80))")\n'
    'op.execute("CREATE UNIQUE INDEX uq_member_email ON member (email)")\n',
    'op.create_table("member", sa.Column("id", sa.Integer(), primary_key=True),'
    ' sa.Column("email", sa.String(80)))\n'
    'op.execute("ALTER TABLE member ADD UNIQUE (email)")\n',
    # every row deleted first
    'op.execute("DELETE FROM member")\n'
    'op.execute("CREATE UNIQUE INDEX uq_member_email ON member (email)")\n',
    # not unique
    'op.execute("CREATE INDEX ix_member_email ON member (email)")\n',
    'op.execute("ALTER TABLE member ADD INDEX ix_member_email (email)")\n',
]


@pytest.mark.parametrize("upgrade", NOT_ON_OLD_ROWS)
def test_a_raw_key_on_a_new_or_emptied_table_or_not_unique_is_not_l309(
    tmp_path: Path, upgrade: str
) -> None:
    assert all(code != "L309" for code, _ in _findings(tmp_path, upgrade))


def test_the_reader_gives_an_add_unique_its_columns() -> None:
    (statement,) = read_sql("ALTER TABLE t ADD CONSTRAINT uq UNIQUE KEY USING BTREE (a, b)")
    (action,) = statement.actions
    assert (action.kind, action.name, action.columns, action.unique) == (
        "add_constraint",
        "uq",
        ("a", "b"),
        True,
    )
