"""A table dropped and then created again under its name in one upgrade (issue 20, round 42):
the drop meets the old table, rows and all, so it loses them (L304) and a key or NOT NULL
column added to it before the create meets its rows; a drop AFTER the upgrade created the
table removes only what the upgrade made. Revisions of our own writing, linted for MySQL 8.0."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

SHAPE = """
    sa.Column("id", sa.BigInteger(), primary_key=True),
    sa.Column("title", sa.String(120), nullable=True),
"""


def _revision(upgrade: str) -> str:
    return (
        textwrap.dedent(
            '''
            """rebuild the ledger table"""
            import sqlalchemy as sa
            from alembic import op

            revision = "5b6c7d8e9f0a"
            down_revision = "4a5b6c7d8e9f"
            '''
        )
        + "\n\ndef upgrade():\n"
        + textwrap.indent(textwrap.dedent(upgrade), "    ")
        + "\n\ndef downgrade():\n    pass\n"
    )


def _codes(tmp_path: Path, upgrade: str) -> list[str]:
    path = tmp_path / "5b6c7d8e9f0a_ledger.py"
    path.write_text(_revision(upgrade))
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    return [f.code for f in lint_files([(path.name, path)], options).findings]


DROPPED_THEN_CREATED = [
    # the autogenerate shape: drop, then create the new shape
    f'op.drop_table("ledger")\nop.create_table("ledger",{SHAPE})\n',
    # the name in another case
    f'op.drop_table("Ledger")\nop.create_table("ledger",{SHAPE})\n',
    # raw SQL in two statements
    'op.execute("DROP TABLE ledger")\n'
    'op.execute("CREATE TABLE ledger (id BIGINT PRIMARY KEY, title VARCHAR(120))")\n',
    # raw SQL in one string
    'op.execute("DROP TABLE ledger; CREATE TABLE ledger (id BIGINT PRIMARY KEY)")\n',
    # a raw drop, then the op
    f'op.execute("DROP TABLE ledger")\nop.create_table("ledger",{SHAPE})\n',
]


@pytest.mark.parametrize("upgrade", DROPPED_THEN_CREATED)
def test_a_drop_before_a_create_of_its_name_loses_the_old_rows(
    tmp_path: Path, upgrade: str
) -> None:
    assert "L304" in _codes(tmp_path, upgrade)


CREATED_THEN_DROPPED = [
    # a scratch table made and dropped by the upgrade
    f'op.create_table("ledger",{SHAPE})\n'
    'op.execute("INSERT INTO entry (title) SELECT title FROM ledger")\n'
    'op.drop_table("ledger")\n',
    # in raw SQL, one string
    'op.execute("CREATE TABLE ledger (id BIGINT PRIMARY KEY); DROP TABLE ledger")\n',
    # a session's temporary table dropped before it is made again: no schema rows
    'op.execute("DROP TEMPORARY TABLE IF EXISTS ledger")\n'
    'op.execute("CREATE TEMPORARY TABLE ledger AS SELECT id FROM entry")\n',
    # the old rows copied out first, then dropped and created again
    'op.execute("INSERT INTO ledger_archive (id, title) SELECT id, title FROM ledger")\n'
    f'op.drop_table("ledger")\nop.create_table("ledger",{SHAPE})\n',
]


@pytest.mark.parametrize("upgrade", CREATED_THEN_DROPPED)
def test_a_drop_after_the_upgrade_made_the_table_or_read_its_rows_is_no_loss(
    tmp_path: Path, upgrade: str
) -> None:
    assert "L304" not in _codes(tmp_path, upgrade)


def test_a_unique_key_before_the_create_meets_the_old_rows(tmp_path: Path) -> None:
    upgrade = (
        'op.create_unique_constraint("uq_ledger_title", "ledger", ["title"])\n'
        'op.rename_table("ledger", "ledger_2019")\n'
        f'op.create_table("ledger",{SHAPE})\n'
    )
    assert "L309" in _codes(tmp_path, upgrade)
    after = f'op.create_table("ledger",{SHAPE})\n' + (
        'op.create_unique_constraint("uq_ledger_title", "ledger", ["title"])\n'
    )
    assert "L309" not in _codes(tmp_path, after)


def test_a_not_null_column_added_before_the_create_meets_the_old_rows(tmp_path: Path) -> None:
    upgrade = (
        'op.add_column("ledger", sa.Column("kind", sa.String(20), nullable=False))\n'
        'op.rename_table("ledger", "ledger_2019")\n'
        f'op.create_table("ledger",{SHAPE})\n'
    )
    assert "L301" in _codes(tmp_path, upgrade)


GUARDED = (
    "bind = op.get_bind()\n"
    'if "ledger" in sa.inspect(bind).get_table_names():\n'
    '    op.drop_table("ledger")\n'
    f'op.create_table("ledger",{SHAPE})\n'
)


def test_a_guarded_drop_of_a_table_no_revision_made_clears_a_leftover(tmp_path: Path) -> None:
    assert "L304" not in _codes(tmp_path, GUARDED)


def test_a_guarded_drop_of_a_table_the_history_made_loses_its_rows(tmp_path: Path) -> None:
    first = tmp_path / "4a5b6c7d8e9f_ledger.py"
    first.write_text(
        textwrap.dedent(
            '''
            """ledger"""
            import sqlalchemy as sa
            from alembic import op

            revision = "4a5b6c7d8e9f"
            down_revision = None


            def upgrade():
                op.create_table("ledger", sa.Column("id", sa.Integer(), primary_key=True))


            def downgrade():
                op.drop_table("ledger")
            '''
        )
    )
    second = tmp_path / "5b6c7d8e9f0a_ledger.py"
    second.write_text(_revision(GUARDED))
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    files = [(first.name, first), (second.name, second)]
    findings = lint_files(files, options).findings
    assert any(f.code == "L304" and f.path.endswith(second.name) for f in findings)
