"""An UPDATE or DELETE whose subquery reads the table it changes (L331, round 34).

MySQL refuses each with ERROR 1093 (its manual: "You cannot update a table and select directly
from the same table in a subquery"); MariaDB 10.11 runs the single-table ones and refuses the
multi-table DELETE, which the test suite's MariaDB checks here. A derived table runs on both.
Our own statements."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.lint.same_table_subqueries import same_table_reads

SINGLE_TABLE = [  # MySQL refuses, MariaDB runs
    "DELETE FROM member WHERE id IN (SELECT id FROM member WHERE score > 1)",
    "DELETE FROM member WHERE id NOT IN (SELECT MIN(id) FROM member GROUP BY name)",
    "DELETE FROM member WHERE EXISTS (SELECT 1 FROM plan JOIN member AS o ON o.id = plan.id)",
    "UPDATE member SET score = 0 WHERE id IN (SELECT id FROM member WHERE score > 1)",
    "UPDATE member SET score = (SELECT MAX(score) FROM member)",
    "UPDATE member JOIN plan ON plan.id = member.id SET score = 1 "
    "WHERE member.id IN (SELECT id FROM member)",
]
MULTI_TABLE_DELETE = [  # both refuse
    "DELETE m FROM member m WHERE m.id IN (SELECT id FROM member WHERE score > 1)",
    "DELETE member FROM member WHERE id IN (SELECT id FROM member WHERE score > 1)",
    "DELETE FROM member USING member WHERE id IN (SELECT id FROM member WHERE score > 1)",
]
RUNS_EVERYWHERE = [
    "DELETE FROM member WHERE id IN (SELECT id FROM (SELECT id FROM member WHERE score > 1) AS x)",
    "UPDATE member SET score = 0 WHERE id IN (SELECT id FROM (SELECT id FROM member) AS picked)",
    "DELETE m FROM member m WHERE m.id IN (SELECT id FROM (SELECT id FROM member) AS x)",
    "UPDATE member SET score = 0 WHERE plan_id IN (SELECT id FROM plan WHERE name = 'member')",
    "DELETE FROM member WHERE plan_id IN (SELECT plan.id FROM plan WHERE plan.name = 'x')",
    "SELECT * FROM member WHERE id IN (SELECT id FROM member)",
]
CANT_SPECIFY_TARGET_TABLE = 1093


@pytest.mark.parametrize("sql", SINGLE_TABLE + MULTI_TABLE_DELETE)
def test_a_subquery_reading_the_changed_table_is_read(sql: str) -> None:
    assert [read.table for read in same_table_reads(sql)] == ["member"], sql


@pytest.mark.parametrize("sql", RUNS_EVERYWHERE)
def test_a_derived_table_or_another_table_is_not(sql: str) -> None:
    assert same_table_reads(sql) == [], sql


def test_mariadb_refuses_the_multi_table_delete_and_runs_the_rest(mysql_url: str) -> None:
    engine = sa.create_engine(mysql_url, isolation_level="AUTOCOMMIT")
    errors = []
    try:
        with engine.connect() as connection:
            for sql in MULTI_TABLE_DELETE + SINGLE_TABLE + RUNS_EVERYWHERE:
                connection.exec_driver_sql("DROP TABLE IF EXISTS member, plan")
                connection.exec_driver_sql("CREATE TABLE plan (id INT PRIMARY KEY, name TEXT)")
                connection.exec_driver_sql(
                    "CREATE TABLE member (id INT PRIMARY KEY, name TEXT, score INT, plan_id INT)"
                )
                try:
                    connection.exec_driver_sql(sql)
                    errors.append(0)
                except sa.exc.DBAPIError as error:
                    errors.append(error.orig.args[0] if error.orig is not None else -1)
    finally:
        engine.dispose()
    refused = [CANT_SPECIFY_TARGET_TABLE] * len(MULTI_TABLE_DELETE)
    assert errors == refused + [0] * (len(SINGLE_TABLE) + len(RUNS_EVERYWHERE))


def l331(sql: str, server: str) -> list[str]:
    source = revision(f"op.execute({sql!r})")
    findings = lint(source, target=parse_server_version(server))
    return [f.message for f in findings if f.code == "L331"]


def test_mysql_gets_every_one_mariadb_the_multi_table_delete() -> None:
    assert all(len(l331(sql, "mysql-8.0")) == 1 for sql in SINGLE_TABLE + MULTI_TABLE_DELETE)
    assert all(l331(sql, "mariadb-10.11") == [] for sql in SINGLE_TABLE)
    assert all(len(l331(sql, "mariadb-10.11")) == 1 for sql in MULTI_TABLE_DELETE)
    assert all(l331(sql, "mysql-8.0") == [] for sql in RUNS_EVERYWHERE)
    (message,) = l331(SINGLE_TABLE[0], "mysql-8.0")
    assert "DELETE of member with a subquery reading member" in message
    assert "ERROR 1093" in message
