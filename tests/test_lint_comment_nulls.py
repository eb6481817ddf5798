"""L330 for a comment= or autoincrement= alone that drops a NOT NULL (issue 20): without
nullable= or existing_nullable=, Alembic writes `alter_column(t, c, existing_type=...,
comment="x")` on MySQL as `MODIFY c <type> NULL COMMENT 'x'` (checked offline, Alembic 1.20;
`autoincrement=False` is `MODIFY c INTEGER NULL`): a column the history shows NOT NULL
silently becomes nullable. Not for `autoincrement=True`: an AUTO_INCREMENT column stays NOT
NULL (MariaDB 10.11, checked). Judged as for a type change without existing_nullable=.
Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_dropped_defaults import l330
from test_lint_rules import revision

ADDS_NOT_NULL = revision(
    'op.add_column("gadget", sa.Column("label", sa.String(10), nullable=False))',
    'op.drop_column("gadget", "label")',
)
ADDS_NULLABLE = revision(
    'op.add_column("gadget", sa.Column("label", sa.String(10), nullable=True))',
    'op.drop_column("gadget", "label")',
)
CREATES_KEYED = revision(
    'op.create_table("gadget", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("label", sa.String(10), nullable=False))',
    'op.drop_table("gadget")',
)


# --- must flag ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alter",
    [
        'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="the name")',
        'with op.batch_alter_table("gadget") as batch_op:\n'
        '    batch_op.alter_column("label", existing_type=sa.String(10), comment="the name")',
        'op.alter_column("gadget", "label", existing_type=sa.String(10), autoincrement=False)',
        'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c", '
        'existing_comment="old")',
    ],
)
def test_a_comment_or_autoincrement_alone_drops_the_not_null(tmp_path: Path, alter: str) -> None:
    found = l330(tmp_path, ADDS_NOT_NULL, revision(alter))
    assert [path for path, _ in found] == ["r1.py"]
    assert "gadget.label" in found[0][1]
    assert "without existing_nullable=" in found[0][1]
    assert "silently drops NOT NULL" in found[0][1]


def test_the_not_null_and_the_default_are_one_finding(tmp_path: Path) -> None:
    adds = revision(
        'op.add_column("gadget", sa.Column("label", sa.String(10), nullable=False, '
        'server_default="x"))'
    )
    alter = 'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c")'
    found = l330(tmp_path, adds, revision(alter))
    assert len(found) == 1
    assert "NOT NULL (Alembic writes the column NULL) and a DEFAULT" in found[0][1]


def test_a_not_null_set_earlier_in_the_same_upgrade_is_dropped(tmp_path: Path) -> None:
    upgrade = revision(
        """
        op.alter_column("gadget", "label", existing_type=sa.String(10), nullable=False)
        op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c")
        """
    )
    found = l330(tmp_path, ADDS_NULLABLE, upgrade)
    assert len(found) == 1
    assert "silently drops NOT NULL" in found[0][1]


def test_mariadb_loses_it_too(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c")'
    assert len(l330(tmp_path, ADDS_NOT_NULL, revision(alter), target="mariadb-10.11")) == 1


# --- must not flag --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alter",
    [
        # the nullability is stated: Alembic writes it
        'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c", '
        "existing_nullable=False)",
        'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c", '
        "nullable=True)",
        'op.alter_column("gadget", "label", existing_type=sa.String(10), autoincrement=True, '
        "nullable=False)",
        # AUTO_INCREMENT keeps the column NOT NULL (MariaDB 10.11, checked)
        'op.alter_column("gadget", "label", existing_type=sa.Integer(), autoincrement=True)',
        # no MODIFY at all
        'op.alter_column("gadget", "label", existing_type=sa.String(10), server_default="x")',
        'with op.batch_alter_table("gadget", recreate="always") as batch_op:\n'
        '    batch_op.alter_column("label", existing_type=sa.String(10), comment="c")',
    ],
)
def test_a_stated_nullability_or_no_modify_drops_nothing(tmp_path: Path, alter: str) -> None:
    assert l330(tmp_path, ADDS_NOT_NULL, revision(alter)) == []


def test_a_nullable_or_unknown_column_loses_nothing(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c")'
    assert l330(tmp_path, ADDS_NULLABLE, revision(alter)) == []
    (tmp_path / "later").mkdir()
    made_nullable = revision(
        'op.alter_column("gadget", "label", existing_type=sa.String(10), nullable=True)'
    )
    assert l330(tmp_path / "later", ADDS_NOT_NULL, made_nullable, revision(alter)) == []


def test_a_column_no_revision_shows_loses_nothing(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c")'
    assert l330(tmp_path, revision(alter)) == []


def test_a_primary_key_column_stays_not_null(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "id", existing_type=sa.Integer(), autoincrement=True)'
    assert l330(tmp_path, CREATES_KEYED, revision(alter)) == []


def test_a_type_change_is_reported_once(tmp_path: Path) -> None:
    alter = (
        'op.alter_column("gadget", "label", existing_type=sa.String(10), type_=sa.String(20), '
        'comment="c")'
    )
    found = l330(tmp_path, ADDS_NOT_NULL, revision(alter))
    assert len(found) == 1
    assert "(type_=)" in found[0][1]


def test_postgresql_keeps_the_not_null(tmp_path: Path) -> None:
    alter = 'op.alter_column("gadget", "label", existing_type=sa.String(10), comment="c")'
    assert l330(tmp_path, ADDS_NOT_NULL, revision(alter), target="postgresql") == []
