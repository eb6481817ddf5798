"""Changes to a table the same upgrade created (issue 20, round 16): a temporary column of a new
table, filled by the upgrade and dropped at its end, holds no value from before the revision
(no L305), and the downgrade that drops the table undoes it (no L319). Revisions of our own
writing, linted for MySQL 8.0."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

CREATE = """
op.create_table(
    "venue",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("label", sa.String(80), nullable=False),
    sa.Column("old_hall_id", sa.Integer(), nullable=True),
)
op.execute("INSERT INTO venue (label, old_hall_id) SELECT name, id FROM hall")
"""

DROP_VENUE = """
def downgrade():
    op.drop_table("venue")
"""


def _revision(upgrade: str, downgrade: str = DROP_VENUE, helpers: str = "") -> str:
    return (
        textwrap.dedent(
            '''
            """venues from halls"""
            import sqlalchemy as sa
            from alembic import op

            revision = "7e3f4a5b6c7d"
            down_revision = "2d1c0b9a8e7f"
            '''
        )
        + textwrap.dedent(helpers)
        + "\n\ndef upgrade():\n"
        + textwrap.indent(textwrap.dedent(upgrade), "    ")
        + "\n"
        + textwrap.dedent(downgrade)
    )


def _codes(tmp_path: Path, source: str) -> list[str]:
    path = tmp_path / "7e3f4a5b6c7d_venue.py"
    path.write_text(source)
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    return [f.code for f in lint_files([(path.name, path)], options).findings]


TEMPORARY_DROPS = [
    # op.drop_column after the copy
    CREATE + 'op.drop_column("venue", "old_hall_id")\n',
    # in a batch block, the table's name in another case
    CREATE
    + 'with op.batch_alter_table("Venue") as batch_op:\n'
    + '    batch_op.drop_column("old_hall_id")\n',
    # deferred: cleanups collected as lambdas and run at the end
    "cleanups = []\n"
    + CREATE
    + 'cleanups.append(lambda: op.drop_column("venue", "old_hall_id"))\n'
    + "for action in cleanups:\n    action()\n",
    # raw SQL
    CREATE + 'op.execute("ALTER TABLE venue DROP COLUMN old_hall_id")\n',
]


@pytest.mark.parametrize("upgrade", TEMPORARY_DROPS)
def test_a_temporary_column_of_a_new_table_is_no_loss_and_needs_no_inverse(
    tmp_path: Path, upgrade: str
) -> None:
    codes = _codes(tmp_path, _revision(upgrade))
    assert "L305" not in codes and "L319" not in codes


def test_an_index_added_to_the_new_table_goes_with_it(tmp_path: Path) -> None:
    upgrade = CREATE + 'op.create_index("ix_venue_label", "venue", ["label"])\n'
    assert "L319" not in _codes(tmp_path, _revision(upgrade))


@pytest.mark.parametrize(
    "upgrade",
    [
        # an existing table's column: its values are lost
        CREATE + 'op.drop_column("hall", "floor")\n',
        # dropped before the table of that name is created (another table, then made anew)
        'op.drop_column("venue", "old_hall_id")\nop.drop_table("venue")\n' + CREATE,
        # raw SQL on an existing table
        CREATE + 'op.execute("ALTER TABLE hall DROP COLUMN floor")\n',
    ],
)
def test_a_column_of_a_table_from_before_the_revision_is_still_reported(
    tmp_path: Path, upgrade: str
) -> None:
    assert "L305" in _codes(tmp_path, _revision(upgrade))


def test_without_the_tables_drop_the_downgrade_is_still_incomplete(tmp_path: Path) -> None:
    upgrade = CREATE + 'op.drop_column("venue", "old_hall_id")\n'
    downgrade = '\ndef downgrade():\n    op.execute("DELETE FROM venue")\n'
    assert "L319" in _codes(tmp_path, _revision(upgrade, downgrade))


def test_a_new_table_renamed_later_is_not_undone_by_dropping_its_first_name(
    tmp_path: Path,
) -> None:
    upgrade = (
        CREATE
        + 'op.create_index("ix_venue_label", "venue", ["label"])\n'
        + 'op.rename_table("venue", "place")\n'
    )
    assert "L319" in _codes(tmp_path, _revision(upgrade))
