"""L330 for an alter_column that changes neither type nor name and drops a DEFAULT (issue 20):
on MySQL Alembic writes `alter_column(t, c, existing_type=..., nullable=False)` (and a comment=
or autoincrement= alone) as `MODIFY c <type> NOT NULL`, with a DEFAULT only from server_default=
or existing_server_default= (checked offline, Alembic 1.20; MariaDB 10.11 leaves the column
without the `DEFAULT 'loading'` it had). Reported when the history certainly shows a default,
naming it and where it was set. Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

ADDS_STATUS = revision(
    'op.add_column("gadget", sa.Column("status", sa.String(10), nullable=True, '
    'server_default="new"))',
    'op.drop_column("gadget", "status")',
)
ADDS_PLAIN_STATUS = revision(
    'op.add_column("gadget", sa.Column("status", sa.String(10), nullable=True))',
    'op.drop_column("gadget", "status")',
)


def l330(tmp_path: Path, *revisions: str, target: str = "mysql-8.0") -> list[tuple[str, str]]:
    """(file, message) of each L330 over a chain of revisions."""
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"dddd{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(naming_convention=True, target=parse_server_version(target))
    report = lint_files(files, options)
    return [(f.path or "", f.message) for f in report.findings if f.code == "L330"]


# --- must flag ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alter",
    [
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)',
        'with op.batch_alter_table("gadget") as batch_op:\n'
        '    batch_op.alter_column("status", existing_type=sa.String(10), nullable=False)',
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=True)',
        'op.alter_column("gadget", "status", existing_type=sa.String(10), '
        'existing_nullable=True, comment="the state")',
    ],
)
def test_a_nullability_or_comment_alone_drops_a_default_an_earlier_revision_set(
    tmp_path: Path, alter: str
) -> None:
    found = l330(tmp_path, ADDS_STATUS, revision(alter))
    assert [path for path, _ in found] == ["r1.py"]
    assert "gadget.status" in found[0][1]
    assert "a DEFAULT set by an earlier revision" in found[0][1]


def test_the_default_and_its_line_are_named_when_the_same_upgrade_set_it(tmp_path: Path) -> None:
    # bunkerweb's shape: a type change stating the default, then a batch making it NOT NULL
    upgrade = revision(
        """
        op.alter_column("gadget", "status", existing_type=sa.String(10), type_=sa.String(20),
                        existing_nullable=True, existing_server_default="loading")
        with op.batch_alter_table("gadget") as batch_op:
            batch_op.alter_column("status", existing_type=sa.String(20), nullable=False)
        """
    )
    found = l330(tmp_path, ADDS_PLAIN_STATUS, upgrade)
    assert len(found) == 1
    assert "silently drops DEFAULT 'loading' set at line" in found[0][1]
    assert "existing_server_default=" in found[0][1]


def test_a_table_created_in_the_same_upgrade_still_loses_its_default(tmp_path: Path) -> None:
    # every row inserted after the MODIFY misses the default all the same
    creates = revision(
        """
        op.create_table("gadget", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("state", sa.String(10), server_default=sa.text("'new'")))
        op.alter_column("gadget", "state", existing_type=sa.String(10), nullable=False)
        """
    )
    found = l330(tmp_path, creates)
    assert len(found) == 1
    assert "DEFAULT sa.text(\"'new'\") set at line" in found[0][1]


def test_mariadb_targets_are_judged_too(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)'
    assert len(l330(tmp_path, ADDS_STATUS, revision(alter), target="mariadb-10.11")) == 1


# --- must not flag --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alter",
    [
        # the MODIFY writes the default again, or a new one
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False, '
        'existing_server_default="new")',
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False, '
        'server_default="old")',
        # removed on purpose
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False, '
        "server_default=None)",
        # a default alone is ALTER COLUMN ... SET DEFAULT, no MODIFY
        'op.alter_column("gadget", "status", existing_type=sa.String(10), server_default="x")',
        # a batch that rebuilds the table copies the column from the reflected one
        'with op.batch_alter_table("gadget", recreate="always") as batch_op:\n'
        '    batch_op.alter_column("status", existing_type=sa.String(10), nullable=False)',
    ],
)
def test_an_alter_saying_the_default_or_writing_no_modify_drops_none(
    tmp_path: Path, alter: str
) -> None:
    assert l330(tmp_path, ADDS_STATUS, revision(alter)) == []


def test_no_default_in_the_history_no_finding(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)'
    assert l330(tmp_path, ADDS_PLAIN_STATUS, revision(alter)) == []


def test_a_column_the_history_does_not_show_no_finding(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)'
    assert l330(tmp_path, revision(alter)) == []


def test_a_default_an_earlier_modify_dropped_is_not_dropped_again(tmp_path: Path) -> None:
    first = 'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)'
    second = (
        'op.alter_column("gadget", "status", existing_type=sa.String(10), comment="c", '
        "existing_nullable=False)"
    )
    found = l330(tmp_path, ADDS_STATUS, revision(first), revision(second))
    assert [path for path, _ in found] == ["r1.py"]


def test_a_default_set_under_an_undecided_if_is_not_certain(tmp_path: Path) -> None:
    upgrade = revision(
        """
        if context.get_x_argument(as_dictionary=True).get("state"):
            op.alter_column("gadget", "status", existing_type=sa.String(10),
                            server_default="new")
        op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)
        """,
        header="from alembic import context",
    )
    assert l330(tmp_path, ADDS_PLAIN_STATUS, upgrade) == []


def test_postgresql_keeps_the_default(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)'
    assert l330(tmp_path, ADDS_STATUS, revision(alter), target="postgresql") == []


def test_a_downgrade_dropping_the_default_its_upgrade_set_loses_nothing(tmp_path: Path) -> None:
    # autogenerate's pair: the upgrade sets the default with the NOT NULL, the downgrade's
    # MODIFY takes both away again, as the column was before the revision
    pair = revision(
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False, '
        'server_default="new")',
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=True)',
    )
    assert l330(tmp_path, ADDS_PLAIN_STATUS, pair) == []


def test_a_downgrade_not_giving_back_an_older_default_is_reported_too(tmp_path: Path) -> None:
    # both MODIFYs write no DEFAULT: the column had one before the revision, and has none after
    # its downgrade
    pair = revision(
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)',
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=True)',
    )
    found = l330(tmp_path, ADDS_STATUS, pair)
    assert [path for path, _ in found] == ["r1.py", "r1.py"]
