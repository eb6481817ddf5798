"""L319 and a one-column primary key that MySQL drops with its column (issue 20, round 32): the
downgrade's drop_column of the key's only column takes the key, as on PostgreSQL (checked on
MariaDB 10.11). Our own snippets; a key of two columns (MariaDB refuses to drop one of them),
a column a foreign key holds or is referred to by (the server refuses the drop) stay reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import lint, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

MYSQL = parse_server_version("mysql-8.0")
MARIADB = parse_server_version("mariadb-10.11")

KEYED = """
op.add_column("enrolment", sa.Column("ref", sa.String(36), nullable=False, server_default="x"))
op.create_primary_key("pk_enrolment", "enrolment", ["ref"])
"""
DROPPED = 'op.drop_column("enrolment", "ref")\n'

PAIR = """
op.add_column("slot", sa.Column("day", sa.Integer(), nullable=False, server_default="1"))
op.add_column("slot", sa.Column("hour", sa.Integer(), nullable=False, server_default="1"))
op.create_primary_key("pk_slot", "slot", ["day", "hour"])
"""
PAIR_DROPPED = 'op.drop_column("slot", "hour")\nop.drop_column("slot", "day")\n'

# the key's column also holds a foreign key of its own
HELD = """
op.add_column("badge", sa.Column("owner_id", sa.Integer(), nullable=False))
op.create_foreign_key("fk_badge_owner", "badge", "person", ["owner_id"], ["id"])
op.create_primary_key("pk_badge", "badge", ["owner_id"])
"""
HELD_DROPPED = 'op.drop_column("badge", "owner_id")\n'
# another table's foreign key refers to the key's column
REFERRED = KEYED + (
    'op.create_foreign_key("fk_grade_enrolment", "grade", "enrolment", ["enrolment_ref"], '
    '["ref"])\n'
)


def pk_l319(upgrade: str, downgrade: str, **options: object) -> list[str]:
    found = lint(revision(upgrade, downgrade), **options)
    return [f.message for f in found if f.code == "L319" and "create_primary_key" in f.message]


@pytest.mark.parametrize("target", [MYSQL, MARIADB], ids=str)
@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (KEYED, DROPPED),
        # the foreign keys holding the column dropped first, by name
        (
            HELD,
            'op.drop_constraint("fk_badge_owner", "badge", type_="foreignkey")\n' + HELD_DROPPED,
        ),
        (
            REFERRED,
            'op.drop_constraint("fk_grade_enrolment", "grade", type_="foreignkey")\n' + DROPPED,
        ),
        # in a batch
        (
            KEYED,
            'with op.batch_alter_table("enrolment") as batch_op:\n    batch_op.drop_column("ref")',
        ),
    ],
)
def test_a_one_column_key_goes_with_its_column(
    upgrade: str, downgrade: str, target: object
) -> None:
    assert pk_l319(upgrade, downgrade, target=target) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (PAIR, PAIR_DROPPED),  # MariaDB refuses the first drop; MySQL narrows the key
        (HELD, HELD_DROPPED),  # ERROR 1828: the foreign key holds the column
        (REFERRED, DROPPED),  # ERROR 1829: another table's key refers to it
        # the foreign key dropped only after the column
        (
            HELD,
            HELD_DROPPED + 'op.drop_constraint("fk_badge_owner", "badge", type_="foreignkey")\n',
        ),
        (KEYED, 'op.drop_column("enrolment", "other")\n'),  # another column dropped
    ],
)
def test_a_key_its_column_cannot_take_stays_reported(upgrade: str, downgrade: str) -> None:
    assert len(pk_l319(upgrade, downgrade, target=MYSQL)) == 1


def test_a_foreign_key_of_an_earlier_revision_holds_the_column(tmp_path: Path) -> None:
    upgrade = 'op.create_primary_key("pk_badge", "badge", ["owner_id"])'
    downgrade = 'op.drop_column("badge", "owner_id")'

    def found(first: str) -> list[str]:
        (tmp_path / "a_first.py").write_text(
            chained(revision(first, 'op.drop_table("badge")'), "aaaa0001", "base0000")
        )
        (tmp_path / "b_then.py").write_text(
            chained(revision(upgrade, downgrade), "aaaa0002", "aaaa0001")
        )
        files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
        report = lint_files(files, LintOptions(target=MYSQL, naming_convention=True), 1)
        return [f.path for f in report.findings if f.code == "L319" and "pk_badge" in f.message]

    plain = 'op.create_table("badge", sa.Column("owner_id", sa.Integer(), nullable=False))'
    assert found(plain) == []
    held = plain.replace("nullable=False", 'sa.ForeignKey("person.id"), nullable=False')
    assert found(held) == ["b_then.py"]
