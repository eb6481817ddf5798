"""L307: a DECIMAL without digits is DECIMAL(10,0) on MySQL/MariaDB (issue 20, round 41's
misses). SQLAlchemy's MySQL dialect renders `sa.Numeric()`, `sa.Numeric(asdecimal=False)`,
`sa.Numeric(scale=2)` as `NUMERIC`, `sa.DECIMAL()` as `DECIMAL`: the server's DECIMAL(10,0).
Checked on MariaDB 10.11 in strict mode: `ALTER TABLE t MODIFY c DECIMAL` from FLOAT, DOUBLE,
REAL or DECIMAL(12,2) rounds 1.5 to 2, 2.75 to 3 and 12.34 to 12 without a warning, from INT
keeps 2147483647, and from BIGINT fails on 12345678901 (ERROR 1264 Out of range). PostgreSQL's
NUMERIC without digits is unbounded, SQLite keeps any number. Our own revisions."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version


def narrowings(old: str, new: str, target: str = "mysql-8.0") -> list[str]:
    """L307's messages for `existing_type=old, type_=new` on one column."""
    source = revision(
        f'op.alter_column("ledger", "amount", existing_type={old}, type_={new})',
        header="from sqlalchemy.dialects import mysql",
    )
    options = LintOptions(target=parse_server_version(target))
    findings = lint_source(source, "versions/1234abcd5678_test.py", options).findings
    return [f.message for f in findings if f.code == "L307"]


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("mysql.FLOAT()", "sa.DECIMAL()", "FLOAT to DECIMAL rounds away the fraction"),
        ("mysql.DOUBLE()", "sa.Numeric()", "DOUBLE to Numeric rounds away the fraction"),
        ("sa.REAL()", "mysql.DECIMAL()", "rounds away the fraction"),
        ("sa.Float()", "sa.Numeric(asdecimal=False)", "rounds away the fraction"),
        ("sa.Float()", "sa.Numeric(precision=12)", "rounds away the fraction"),
        ("sa.Numeric(12, 2)", "sa.DECIMAL()", "rounds away decimals"),
        ("sa.Numeric(12, 2)", "sa.Numeric(scale=2)", "rounds away decimals"),
        ("sa.Numeric(20, 0)", "sa.Numeric()", "lowers the digits before the point"),
    ],
)
def test_a_change_to_mysql_s_decimal_10_0_loses_values(old: str, new: str, says: str) -> None:
    [message] = narrowings(old, new)
    assert says in message
    if "(" not in new.replace("()", ""):
        assert "is DECIMAL(10,0) on MySQL" in message


@pytest.mark.parametrize("target", ["mariadb-10.11", "mysql-5.7"])
def test_mariadb_and_older_mysql_too(target: str) -> None:
    assert narrowings("mysql.FLOAT()", "sa.DECIMAL()", target)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("sa.Numeric()", "sa.Numeric()"),  # the same type
        ("sa.Numeric()", "sa.DECIMAL(10, 0)"),  # spelt out
        ("sa.Numeric(10)", "sa.Numeric()"),
        ("sa.Integer()", "sa.DECIMAL()"),  # 2147483647 has 10 digits
        ("mysql.INTEGER(unsigned=True)", "sa.Numeric()"),  # 4294967295 too
        ("sa.SmallInteger()", "sa.Numeric(5, 0)"),
        ("sa.BigInteger()", "sa.Numeric()"),  # integers are not judged by their range
        ("sa.Integer()", "sa.Numeric(10, 2)"),
        ("sa.Numeric(10, 2)", "sa.Numeric(12, 2)"),  # wider
        ("sa.Numeric()", "sa.Numeric(12, 2)"),
        ("sa.Float()", "sa.Numeric(13, 2)"),  # decimals kept: L307 says nothing (round 41)
        ("sa.Float()", "sa.Float(asdecimal=True)"),  # still a FLOAT
    ],
)
def test_changes_that_keep_every_value(old: str, new: str) -> None:
    assert not narrowings(old, new)


@pytest.mark.parametrize("target", ["postgresql", "sqlite"])
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("sa.Float()", "sa.DECIMAL()"),
        ("sa.Numeric(12, 2)", "sa.Numeric()"),
        ("sa.BigInteger()", "sa.Numeric()"),
    ],
)
def test_numeric_without_digits_is_unbounded_elsewhere(old: str, new: str, target: str) -> None:
    assert not narrowings(old, new, target)


def test_fewer_digits_given_stay_on_postgresql() -> None:
    assert narrowings("sa.Numeric(12, 2)", "sa.Numeric(12, 0)", "postgresql")
    assert narrowings("sa.Float()", "sa.Numeric(12)", "postgresql")
