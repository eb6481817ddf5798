"""A foreign key between columns of unlike types (L335, issue 20, round 34): InnoDB links only
integers of one size and sign, or strings with strings; MySQL 8.0 refuses the rest with ERROR
3780, MariaDB with ERROR 1005 errno 150 (checked on MariaDB 10.11). Reported only when both
types are known, from the statement or the history; the refused statement is no L314 copy and
no L311 unnamed constraint. Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding


def history(tmp_path: Path, *upgrades: str, target: str = "mysql-8.0") -> list[Finding]:
    """The findings of a chain of revisions with these upgrades."""
    down = "base0000"
    for number, upgrade in enumerate(upgrades):
        revision_id = f"ffff{number:04d}"
        source = revision(upgrade)
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(naming_convention=False, target=parse_server_version(target))
    return lint_files(files, options).findings


def l335(found: list[Finding]) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in found if f.code == "L335"]


ACCOUNT = (
    'op.create_table("account", sa.Column("id", sa.BigInteger(), primary_key=True), '
    'sa.Column("code", sa.String(20), unique=True), '
    'sa.Column("serial", mysql.INTEGER(unsigned=True), unique=True))'
)
IMPORT_MYSQL = "from sqlalchemy.dialects import mysql\n"

REFUSED = {
    "INT to BIGINT in create_table": (
        'op.create_table("invoice", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id", name="fk_inv_acc")))'
    ),
    "a ForeignKeyConstraint": (
        'op.create_table("invoice", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("account_id", sa.Integer()), '
        'sa.ForeignKeyConstraint(["account_id"], ["account.id"], name="fk_inv_acc"))'
    ),
    "signed to UNSIGNED": (
        'op.create_table("invoice", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("serial", sa.Integer(), sa.ForeignKey("account.serial", name="fk_s")))'
    ),
    "an integer to a string": (
        'op.add_column("ledger", sa.Column("code", sa.Integer(), '
        'sa.ForeignKey("account.code", name="fk_code")))'
    ),
    "create_foreign_key over columns the history typed": (
        'op.create_foreign_key("fk_ledger_acc", "ledger", "account", ["account_id"], ["id"])'
    ),
}


@pytest.mark.parametrize("upgrade", REFUSED.values(), ids=list(REFUSED))
@pytest.mark.parametrize("target", ["mysql-8.0", "mariadb-10.11"])
def test_a_link_of_unlike_types_is_refused(tmp_path: Path, upgrade: str, target: str) -> None:
    ledger = (
        'op.create_table("ledger", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("account_id", sa.Integer()))'
    )
    found = history(tmp_path, IMPORT_MYSQL + ACCOUNT, ledger, IMPORT_MYSQL + upgrade, target=target)
    [(path, message)] = l335(found)
    assert path == "r2.py"
    assert ("ERROR 3780" if target == "mysql-8.0" else "errno 150") in message
    assert "account." in message


def test_the_refused_statement_is_no_copy_and_no_unnamed_constraint(tmp_path: Path) -> None:
    found = history(
        tmp_path,
        ACCOUNT,
        'op.create_table("ledger", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("account_id", sa.Integer()))',
        'op.create_foreign_key(None, "ledger", "account", ["account_id"], ["id"])',
    )
    assert len(l335(found)) == 1
    assert not [f for f in found if f.path == "r2.py" and f.code in ("L311", "L314")]


def test_the_same_link_of_like_types_still_copies_and_is_unnamed(tmp_path: Path) -> None:
    found = history(
        tmp_path,
        ACCOUNT,
        'op.create_table("ledger", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("account_id", sa.BigInteger()))',
        'op.create_foreign_key(None, "ledger", "account", ["account_id"], ["id"])',
    )
    assert not l335(found)
    assert {f.code for f in found if f.path == "r2.py"} >= {"L311"}


ACCEPTED = {
    "the same type": 'sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("account.id"))',
    "a display width": (
        'sa.Column("account_id", mysql.BIGINT(display_width=20), sa.ForeignKey("account.id"))'
    ),
    "strings of other lengths": (
        'sa.Column("account_code", sa.String(50), sa.ForeignKey("account.code"))'
    ),
    "CHAR to VARCHAR": 'sa.Column("account_code", sa.CHAR(20), sa.ForeignKey("account.code"))',
    "UNSIGNED to UNSIGNED": (
        'sa.Column("serial", mysql.INTEGER(unsigned=True), sa.ForeignKey("account.serial"))'
    ),
    "a type lint cannot read": ('sa.Column("account_id", MoneyId(), sa.ForeignKey("account.id"))'),
    "no type (SQLAlchemy takes the referred one's)": (
        'sa.Column("account_id", sa.ForeignKey("account.id"))'
    ),
}


@pytest.mark.parametrize("column", ACCEPTED.values(), ids=list(ACCEPTED))
def test_a_link_of_like_or_unknown_types_is_not_reported(tmp_path: Path, column: str) -> None:
    upgrade = (
        IMPORT_MYSQL
        + f'op.create_table("invoice", sa.Column("id", sa.Integer(), primary_key=True), {column})'
    )
    assert not l335(history(tmp_path, IMPORT_MYSQL + ACCOUNT, upgrade))


def test_a_referred_column_no_revision_typed_is_not_guessed(tmp_path: Path) -> None:
    upgrade = 'op.create_foreign_key("fk_x", "ledger", "account", ["account_id"], ["id"])'
    assert not l335(history(tmp_path, upgrade))


def test_a_referred_column_widened_since_is_read_as_it_is_now(tmp_path: Path) -> None:
    found = history(
        tmp_path,
        'op.create_table("account", sa.Column("id", sa.Integer(), primary_key=True))',
        'op.alter_column("account", "id", type_=sa.BigInteger(), existing_type=sa.Integer())',
        'op.create_table("invoice", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id", name="fk_a")))',
    )
    [(path, message)] = l335(found)
    assert path == "r2.py" and "(INT)" in message and "(BIGINT)" in message


def test_a_table_recreated_in_raw_sql_is_not_judged_by_its_old_types(tmp_path: Path) -> None:
    found = history(
        tmp_path,
        ACCOUNT,
        'op.execute("DROP TABLE account")\n'
        'op.execute("CREATE TABLE account (id INT PRIMARY KEY)")\n'
        'op.create_table("invoice", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id", name="fk_a")))',
    )
    assert not l335(found)


def test_a_self_reference_of_unlike_types_in_one_create_table(tmp_path: Path) -> None:
    found = history(
        tmp_path,
        'op.create_table("node", sa.Column("id", sa.BigInteger(), primary_key=True), '
        'sa.Column("parent_id", sa.Integer(), sa.ForeignKey("node.id", name="fk_parent")))',
    )
    assert len(l335(found)) == 1


@pytest.mark.parametrize("target", ["postgresql-16", "sqlite"])
def test_other_servers_link_them(tmp_path: Path, target: str) -> None:
    upgrade = REFUSED["INT to BIGINT in create_table"]
    assert not l335(
        history(
            tmp_path,
            ACCOUNT.replace("mysql.INTEGER(unsigned=True)", "sa.Integer()"),
            upgrade,
            target=target,
        )
    )
