"""L343: a column dropped while a primary or unique key of several columns still holds it
(issue 20, round 39's misses). Checked on MariaDB 10.11: `ALTER TABLE t DROP COLUMN b` under
PRIMARY KEY (a, b) or UNIQUE KEY (a, b) is ERROR 1072 (Key column 'b' doesn't exist in table),
on an empty table too; under a plain KEY (a, b) the index narrows to (a), and a key of b alone
goes with it. MySQL narrows the key (the manual). Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_name_clashes import found, history

PAIRS = (
    'op.create_table("pair", sa.Column("session_id", sa.Integer(), primary_key=True), '
    'sa.Column("validator", sa.String(64), primary_key=True), sa.Column("note", sa.Text()))'
)
PAIRS_CONSTRAINT = (
    'op.create_table("pair", sa.Column("session_id", sa.Integer(), nullable=False), '
    'sa.Column("validator", sa.String(64), nullable=False), sa.Column("note", sa.Text()), '
    'sa.PrimaryKeyConstraint("session_id", "validator"))'
)
PLAIN = (
    'op.create_table("pair", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("session_id", sa.Integer()), sa.Column("validator", sa.String(64)), '
    'sa.Column("note", sa.Text()))'
)
DROP = 'op.drop_column("pair", "validator")'
DROP_PK = 'op.drop_constraint("PRIMARY", "pair", type_="primary")'


@pytest.mark.parametrize(
    ("target", "error"),
    [("mariadb-10.11", "ERROR 1072"), ("mysql-8.0", "ERROR 1062"), ("mariadb-10.2.7", "1062")],
)
def test_a_column_of_the_primary_key_dropped(tmp_path: Path, target: str, error: str) -> None:
    [(path, message)] = found(history(tmp_path, PAIRS, DROP, target=target), "L343")
    assert path == "r1.py" and error in message and "(session_id, validator)" in message


MADE = {
    "PrimaryKeyConstraint": [PAIRS_CONSTRAINT, DROP],
    "create_primary_key": [
        PLAIN.replace('sa.Column("id", sa.Integer(), primary_key=True), ', ""),
        'op.create_primary_key("pk_pair", "pair", ["session_id", "validator"])',
        DROP,
    ],
    "named UniqueConstraint": [
        PLAIN[:-1] + ', sa.UniqueConstraint("session_id", "validator", name="uq_sv"))',
        DROP,
    ],
    "unnamed UniqueConstraint": [
        PLAIN[:-1] + ', sa.UniqueConstraint("session_id", "validator"))',
        DROP,
    ],
    "create_unique_constraint": [
        PLAIN,
        'op.create_unique_constraint("uq_sv", "pair", ["session_id", "validator"])',
        DROP,
    ],
    "create_index unique=True, same upgrade": [
        PLAIN,
        'op.create_index("ix_sv", "pair", ["session_id", "validator"], unique=True)\n' + DROP,
    ],
    "another column dropped first": [PAIRS, 'op.drop_column("pair", "note")\n' + DROP],
    "batch_op.drop_column": [
        PAIRS,
        'with op.batch_alter_table("pair") as batch_op:\n    batch_op.drop_column("validator")',
    ],
}


@pytest.mark.parametrize("upgrades", MADE.values(), ids=list(MADE))
def test_other_ways_of_making_the_key(tmp_path: Path, upgrades: list[str]) -> None:
    found_ = found(history(tmp_path, *upgrades, target="mariadb-10.11"), "L343")
    assert len(found_) == 1


NOT_HELD = {
    "the primary key dropped first": [PAIRS, f"{DROP_PK}\n{DROP}"],
    "the primary key dropped by another name": [
        PAIRS,
        'op.drop_constraint("pair_pkey", "pair", type_="primary")',
        DROP,
    ],
    "the unique key dropped first": [
        PLAIN,
        'op.create_unique_constraint("uq_sv", "pair", ["session_id", "validator"])',
        f'op.drop_constraint("uq_sv", "pair", type_="unique")\n{DROP}',
    ],
    "an unnamed unique key dropped by MySQL's name": [
        PLAIN[:-1] + ', sa.UniqueConstraint("session_id", "validator"))',
        f'op.drop_constraint("session_id", "pair", type_="unique")\n{DROP}',
    ],
    "a plain index of both columns (it narrows)": [
        PLAIN,
        'op.create_index("ix_sv", "pair", ["session_id", "validator"])',
        DROP,
    ],
    "a key of the column alone (it goes with it)": [
        PLAIN,
        'op.create_unique_constraint("uq_v", "pair", ["validator"])',
        DROP,
    ],
    "a key of other columns": [PAIRS, 'op.drop_column("pair", "note")'],
    "raw DDL on the table between": [
        PAIRS,
        'op.execute("ALTER TABLE pair DROP PRIMARY KEY")',
        DROP,
    ],
    "the table dropped and made again": [PAIRS, f'op.drop_table("pair")\n{PLAIN}', DROP],
    "the column renamed (its old name's keys)": [
        PAIRS,
        'op.alter_column("pair", "validator", new_column_name="validator_id")\n'
        'op.add_column("pair", sa.Column("validator", sa.String(64)))',
        DROP,
    ],
    "a drop under an if": [PAIRS, f"if has_column():\n    {DROP}"],
    "a step lint cannot read between": [PAIRS, "rebuild_keys(op)", DROP],
    "a batch that rebuilds the table": [
        PAIRS,
        'with op.batch_alter_table("pair", recreate="always") as batch_op:\n'
        '    batch_op.drop_column("validator")',
    ],
}


@pytest.mark.parametrize("upgrades", NOT_HELD.values(), ids=list(NOT_HELD))
def test_no_known_key_holds_the_column(tmp_path: Path, upgrades: list[str]) -> None:
    assert not found(history(tmp_path, *upgrades, target="mariadb-10.11"), "L343")


def test_postgresql_drops_the_key_with_its_column(tmp_path: Path) -> None:
    assert not found(history(tmp_path, PAIRS, DROP, target="postgresql"), "L343")


@pytest.mark.parametrize(
    ("target", "severity"), [("mariadb-10.11", "error"), ("mysql-8.0", "warning")]
)
def test_an_error_where_the_server_refuses(tmp_path: Path, target: str, severity: str) -> None:
    findings = history(tmp_path, PAIRS, DROP, target=target)
    assert [f.severity for f in findings if f.code == "L343"] == [severity]


@pytest.mark.parametrize(("target", "reported"), [("mysql-8.0", False), ("mariadb-10.11", True)])
def test_a_drop_mysql_refuses_for_its_foreign_key_first(
    tmp_path: Path, target: str, reported: bool
) -> None:
    # L341's ERROR 1828 comes first on MySQL: the key never narrows; MariaDB refuses it for
    # the key all the same
    room = 'op.create_table("room", sa.Column("id", sa.Integer(), primary_key=True))'
    keyed = PAIRS.replace(
        "sa.String(64), primary_key=True",
        'sa.Integer(), sa.ForeignKey("room.id"), primary_key=True',
    )
    findings = history(tmp_path, room, keyed, DROP, target=target)
    assert bool(found(findings, "L343")) is reported and found(findings, "L341")
