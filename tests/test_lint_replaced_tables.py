"""L304 and a table the revision says an older table replaced (issue 20, round 34): the drop
of a leftover whose replacement an earlier revision created ("t_old was replaced by t_new and
is no longer used", "its rows were moved into t_new") removes what the replacement left behind.

A replacement created by the same revision, one the history does not show as a table, words
about another table, a table only called unused, or a TODO note stay reported. Our own
snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

OLD = """
op.create_table(
    "tally_v1",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("amount", sa.Integer(), nullable=False),
)
"""
NEW = """
op.create_table(
    "tally",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("amount", sa.BigInteger(), nullable=False),
)
"""
DROP = 'op.drop_table("tally_v1")\n'
RAW_DROP = 'op.execute("DROP TABLE tally_v1")\n'


def l304_lines(tmp_path: Path, *upgrades: str, message: str = "") -> list[int]:
    """L304's lines in the last of a history of revisions (the last with `message`)."""
    down = "base0000"
    for n, upgrade in enumerate(upgrades, 1):
        name = f"r{n:04d}"
        source = chained(revision(upgrade), name, down)
        if n == len(upgrades) and message:
            source = source.replace("a test revision", message)
        (tmp_path / f"{name}.py").write_text(source)
        down = name
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    last = f"r{len(upgrades):04d}.py"
    return [f.line for f in report.findings if f.code == "L304" and f.path.endswith(last)]


REPLACED = '"""tally_v1 is an old table that was replaced by \'tally\'; nothing uses it."""\n'


@pytest.mark.parametrize(
    ("upgrade", "message"),
    [
        (REPLACED + DROP, ""),
        (REPLACED + RAW_DROP, ""),
        ("# the rows of tally_v1 were moved into the new tally table long ago\n" + DROP, ""),
        (DROP, "Drop tally_v1, superseded by tally"),
        (DROP, "Remove the tally_v1 table.\n\nIt was deprecated in favour of `tally`."),
    ],
)
def test_a_table_an_earlier_revision_replaced_is_not_reported(
    tmp_path: Path, upgrade: str, message: str
) -> None:
    assert l304_lines(tmp_path, OLD, NEW, upgrade, message=message) == []


@pytest.mark.parametrize(
    ("upgrade", "message"),
    [
        (DROP, ""),
        # a table only called unused or obsolete: a deliberate drop, rows lost
        ('"""tally_v1 is obsolete and no longer used anywhere."""\n' + DROP, ""),
        # moved to something the history does not show as a table
        ('"""tally_v1\'s rows were moved to redis."""\n' + DROP, ""),
        (REPLACED.replace("'tally'", "'tally_store'") + DROP, ""),
        # the sentence is about another table
        ('"""Drop tally_v1. The audit table was replaced by tally."""\n' + DROP, ""),
        ('"""TODO: tally_v1 is replaced by tally; copy the rows first."""\n' + DROP, ""),
    ],
)
def test_a_drop_no_older_replacement_explains_stays_reported(
    tmp_path: Path, upgrade: str, message: str
) -> None:
    assert len(l304_lines(tmp_path, OLD, NEW, upgrade, message=message)) == 1


def test_a_replacement_created_by_the_same_revision_stays_reported(tmp_path: Path) -> None:
    # the new table is made here: its rows would have to be copied now, and nothing copies them
    assert len(l304_lines(tmp_path, OLD, REPLACED + NEW + DROP)) == 1


def test_a_replacement_the_same_upgrade_drops_stays_reported(tmp_path: Path) -> None:
    upgrade = REPLACED + DROP + 'op.drop_table("tally")\n'
    assert len(l304_lines(tmp_path, OLD, NEW, upgrade)) == 2
