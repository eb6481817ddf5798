"""L325 and a table's first primary key over a column the upgrade adds NOT NULL and numbered per
row (issue 20, round 32): a uuid or sequence server default gives each existing row a value of
its own, and the table, created without a key, has none for the new one to meet. Our own
snippets; a table whose key the history does not show absent, a nullable or constant column, a
key of two columns, a write between the add and the key stay reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import ServerVersion, parse_server_version

MYSQL = parse_server_version("mysql-8.0")
POSTGRESQL = parse_server_version("postgresql")

KEYLESS = """
op.create_table(
    "membership",
    sa.Column("club_id", sa.Integer(), sa.ForeignKey("club.id"), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
)
"""
KEYED = KEYLESS.replace(
    'sa.Column("person_id", sa.Integer(), nullable=False)',
    ('sa.Column("person_id", sa.Integer(), primary_key=True)'),
)

UUID_PG = 'sa.Column("uid", sa.Uuid(), nullable=False, server_default=sa.text("gen_random_uuid()"))'
UUID_MY = 'sa.Column("uid", sa.String(36), nullable=False, server_default=sa.text("(UUID())"))'
SEQUENCE = (
    'sa.Column("uid", sa.BigInteger(), nullable=False, '
    "server_default=sa.text(\"nextval('membership_uid_seq')\"))"
)
KEY = 'op.create_primary_key("membership_pkey", "membership", ["uid"])\n'


def numbered(column: str) -> str:
    return f'op.add_column("membership", {column})\n' + KEY


def l325(
    tmp_path: Path, upgrade: str, target: ServerVersion, first: str | None = KEYLESS
) -> list[str]:
    """The L325 findings of the revision adding the key, after `first` (None: linted alone)."""
    if first is not None:
        (tmp_path / "a_first.py").write_text(
            chained(revision(first, 'op.drop_table("membership")'), "aaaa0001", "base0000")
        )
    (tmp_path / "b_then.py").write_text(chained(revision(upgrade), "aaaa0002", "aaaa0001"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(target=target), 1)
    return [f.message for f in report.findings if f.code == "L325"]


@pytest.mark.parametrize(
    ("upgrade", "target"),
    [
        (numbered(UUID_PG), POSTGRESQL),
        (numbered(UUID_MY), MYSQL),
        (numbered(SEQUENCE), POSTGRESQL),
        (
            numbered(
                UUID_PG.replace("sa.Uuid()", "sa.String(36)").replace(
                    "gen_random_", "uuid_generate_v4"
                )
            ),
            POSTGRESQL,
        ),
        # SERIAL: an Integer added as primary_key=True on PostgreSQL
        (numbered('sa.Column("uid", sa.Integer(), primary_key=True)'), POSTGRESQL),
        # another column's change between the add and the key
        (
            f'op.add_column("membership", {UUID_PG})\n'
            'op.alter_column("membership", "person_id", existing_type=sa.Integer(), '
            "nullable=True)\n" + KEY,
            POSTGRESQL,
        ),
    ],
    ids=["gen_random_uuid", "mysql-uuid", "nextval", "uuid_generate_v4", "serial", "between"],
)
def test_a_first_key_over_a_numbered_column_is_not_reported(
    tmp_path: Path, upgrade: str, target: ServerVersion
) -> None:
    assert l325(tmp_path, upgrade, target) == []


@pytest.mark.parametrize(
    ("upgrade", "target", "first"),
    [
        (numbered(UUID_PG), POSTGRESQL, None),  # the table's key not known: linted alone
        (numbered(UUID_PG), POSTGRESQL, KEYED),  # it has one: the second is refused
        (numbered(UUID_MY), MYSQL, KEYED),
        (numbered(UUID_PG.replace("nullable=False", "nullable=True")), POSTGRESQL, KEYLESS),
        # a default the same in every row
        (
            numbered(UUID_PG.replace('sa.text("gen_random_uuid()")', 'sa.text("now()")')),
            POSTGRESQL,
            KEYLESS,
        ),
        (numbered(UUID_MY.replace('sa.text("(UUID())")', '"none"')), MYSQL, KEYLESS),
        # two columns: the other may repeat, the uuid alone is not the key
        (
            f'op.add_column("membership", {UUID_PG})\n'
            'op.create_primary_key("membership_pkey", "membership", ["uid", "club_id"])\n',
            POSTGRESQL,
            KEYLESS,
        ),
        # a write between the add and the key
        (
            f'op.add_column("membership", {UUID_PG})\n'
            "op.execute(\"UPDATE membership SET uid = '00000000-0000-0000-0000-000000000000'\")\n"
            + KEY,
            POSTGRESQL,
            KEYLESS,
        ),
        # MySQL: no SERIAL (an AUTO_INCREMENT added without a key is refused, L332)
        (numbered('sa.Column("uid", sa.Integer(), primary_key=True)'), MYSQL, KEYLESS),
    ],
)
def test_a_key_that_may_meet_nulls_duplicates_or_a_key_stays_reported(
    tmp_path: Path, upgrade: str, target: ServerVersion, first: str | None
) -> None:
    assert len(l325(tmp_path, upgrade, target, first)) == 1
