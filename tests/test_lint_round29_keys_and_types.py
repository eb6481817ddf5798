"""Round 29's classes (issue 20): a key dropped and created again as the history made it (L319,
L309), a restatement of a primary-key column (L330), a lightweight table()'s type against the
type the history and the revision state (L303). Our own revisions, each linted after a first
one that makes the tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

# the tables the second revision works on: a key made by op.*, one made in raw SQL, a primary
# key over two columns, a VARCHAR column
FIRST = """
op.create_table(
    "membership",
    sa.Column("team_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("note", sa.String(200), nullable=False, server_default=""),
    sa.PrimaryKeyConstraint("team_id", "person_id"),
)
op.create_unique_constraint("uq_member_pair", "membership", ["team_id", "person_id"])
op.create_index("ix_member_note", "membership", ["note"])
op.execute(
    "CREATE TABLE badge (id INT NOT NULL PRIMARY KEY, code VARCHAR(20) NOT NULL, "
    "owner INT NOT NULL, CONSTRAINT uq_badge_code UNIQUE (code, owner), KEY ix_owner (owner))"
)
op.create_table(
    "shop",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("contact", sa.String(255), nullable=True),
    sa.Column("active", sa.Boolean(), nullable=True),
)
"""


def _findings(tmp_path: Path, upgrade: str, downgrade: str = "pass") -> list[tuple[str, int]]:
    sources = [
        chained(revision(FIRST), "c0ffee290001", "a8a2fc4e4c77"),
        chained(revision(upgrade, downgrade), "c0ffee290002", "c0ffee290001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    return [(f.code, f.line) for f in result.findings if f.path == "r1.py"]


def _codes(tmp_path: Path, upgrade: str, downgrade: str = "pass") -> set[str]:
    return {code for code, _ in _findings(tmp_path, upgrade, downgrade)}


# L319 / L309: a key recreated as it was


@pytest.mark.parametrize(
    "recreate",
    [
        'op.drop_constraint("uq_member_pair", "membership")\n'
        'op.create_unique_constraint("uq_member_pair", "membership", ["person_id", "team_id"])',
        'op.drop_constraint("uq_member_pair", "membership", type_="unique")\n'
        'op.create_index("uq_member_pair", "membership", ["team_id", "person_id"], unique=True)',
        'op.drop_index("ix_member_note", table_name="membership")\n'
        'op.create_index("ix_member_note", "membership", ["note"])',
        # a key the history made in raw SQL
        'op.drop_constraint("uq_badge_code", "badge")\n'
        'op.create_unique_constraint("uq_badge_code", "badge", ["code", "owner"])',
        'op.drop_index("ix_owner", table_name="badge")\n'
        'op.create_index("ix_owner", "badge", ["owner"])',
    ],
)
def test_a_key_recreated_as_before_needs_no_inverse(tmp_path: Path, recreate: str) -> None:
    codes = _codes(tmp_path, recreate, 'op.execute("SELECT 1")')
    assert "L319" not in codes and "L309" not in codes


@pytest.mark.parametrize(
    "recreate",
    [
        # other columns
        'op.drop_constraint("uq_member_pair", "membership")\n'
        'op.create_unique_constraint("uq_member_pair", "membership", ["team_id"])',
        # a unique key where a plain index was
        'op.drop_index("ix_member_note", table_name="membership")\n'
        'op.create_index("ix_member_note", "membership", ["note"], unique=True)',
        'op.drop_index("ix_owner", table_name="badge")\n'
        'op.create_unique_constraint("ix_owner", "badge", ["owner"])',
        # another name
        'op.drop_constraint("uq_badge_code", "badge")\n'
        'op.create_unique_constraint("uq_badge_code_2", "badge", ["code", "owner"])',
        # an option lint cannot compare with the old key
        'op.drop_index("ix_member_note", table_name="membership")\n'
        'op.create_index("ix_member_note", "membership", ["note"], mysql_length={"note": 20})',
        # a name no earlier revision made: what it was is not known
        'op.drop_constraint("uq_unknown", "membership")\n'
        'op.create_unique_constraint("uq_unknown", "membership", ["team_id", "person_id"])',
    ],
)
def test_a_key_recreated_otherwise_is_still_a_change(tmp_path: Path, recreate: str) -> None:
    assert "L319" in _codes(tmp_path, recreate, 'op.execute("SELECT 1")')


def test_the_downgrade_is_still_checked_for_the_other_changes(tmp_path: Path) -> None:
    upgrade = (
        'op.drop_constraint("uq_member_pair", "membership")\n'
        'op.create_unique_constraint("uq_member_pair", "membership", ["team_id", "person_id"])\n'
        'op.create_index("ix_shop_contact", "shop", ["contact"])'
    )
    found = _findings(tmp_path, upgrade, 'op.execute("SELECT 1")')
    assert [line for code, line in found if code == "L319"] == [
        next(line for code, line in found if code == "L319")
    ]
    assert len([code for code, _ in found if code == "L319"]) == 1


def test_a_unique_key_over_other_columns_still_may_meet_duplicates(tmp_path: Path) -> None:
    upgrade = (
        'op.drop_constraint("uq_badge_code", "badge")\n'
        'op.create_unique_constraint("uq_badge_code", "badge", ["code"])'
    )
    assert "L309" in _codes(tmp_path, upgrade)


# L330: a primary-key column written NULL


@pytest.mark.parametrize("column", ["team_id", "person_id"])
def test_a_renamed_primary_key_column_does_not_lose_not_null_silently(
    tmp_path: Path, column: str
) -> None:
    upgrade = (
        f'op.alter_column("membership", "{column}", new_column_name="x_{column}", '
        "existing_type=sa.Integer())"
    )
    # no NOT NULL silently lost: MySQL refuses the CHANGE outright (round 33: an L330 error)
    found = _findings_with_severity(tmp_path, upgrade)
    assert [severity for code, severity in found if code == "L330"] == ["error"], found


def _findings_with_severity(tmp_path: Path, upgrade: str) -> list[tuple[str, str]]:
    sources = [
        chained(revision(FIRST), "c0ffee290001", "a8a2fc4e4c77"),
        chained(revision(upgrade), "c0ffee290002", "c0ffee290001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    return [(f.code, f.severity) for f in result.findings if f.path == "r1.py"]


def test_a_column_outside_the_primary_key_still_loses_not_null(tmp_path: Path) -> None:
    upgrade = (
        'op.alter_column("membership", "note", new_column_name="remark", '
        "existing_type=sa.String(200), existing_server_default='')"
    )
    assert "L330" in _codes(tmp_path, upgrade)


def test_a_primary_key_dropped_first_leaves_the_column_unprotected(tmp_path: Path) -> None:
    upgrade = (
        'op.drop_constraint("pk", "membership", type_="primary")\n'
        'op.alter_column("membership", "team_id", new_column_name="group_id", '
        "existing_type=sa.Integer())"
    )
    assert "L330" in _codes(tmp_path, upgrade)


# L303: a lightweight table()'s type against the stated one


def test_a_stub_type_contradicted_by_the_history_is_not_used(tmp_path: Path) -> None:
    upgrade = """
    shop = sa.sql.table("shop", sa.sql.column("contact", sa.Integer()))
    op.execute(shop.update().where(shop.c.contact == None).values(contact="desk@example.org"))
    """
    assert "L303" not in _codes(tmp_path, upgrade)


def test_a_stub_type_contradicted_by_the_revisions_alter_is_not_used(tmp_path: Path) -> None:
    upgrade = """
    t = sa.sql.table("ledger", sa.sql.column("memo", sa.Integer()))
    op.execute(t.update().values(memo="none"))
    op.alter_column("ledger", "memo", existing_type=sa.String(80), nullable=False)
    """
    assert "L303" not in _codes(tmp_path, upgrade)


@pytest.mark.parametrize(
    "upgrade",
    [
        # the history's type makes the value wrong too
        'shop = sa.sql.table("shop", sa.sql.column("active", sa.String(5)))\n'
        'op.execute(shop.update().values(active="yes"))',
        # the stub agrees with the history
        'shop = sa.sql.table("shop", sa.sql.column("active", sa.Boolean()))\n'
        'op.execute(shop.update().values(active="yes"))',
        # nothing else known of the column: the stub's type is all there is
        't = sa.sql.table("ledger", sa.sql.column("amount", sa.Integer()))\n'
        'op.execute(t.update().values(amount="none"))',
    ],
)
def test_a_wrong_kind_still_flagged(tmp_path: Path, upgrade: str) -> None:
    assert "L303" in _codes(tmp_path, upgrade)
