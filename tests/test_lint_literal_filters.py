"""An UPDATE's or DELETE's WHERE comparing a quoted column name with a value (L331, round 34).

`UPDATE member SET score = 0 WHERE 'status' = 'lapsed'` runs on MySQL and MariaDB: both sides
are strings, so the condition is the same for every row and the UPDATE changes no row (or, with
`<>`, every row). `"status"` is a string there too without ANSI_QUOTES, where PostgreSQL and
SQLite read the column. Our own statements; what is flagged is run on the test suite's MariaDB,
which changes no row or every row for each."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_lint_rules import lint, revision

from alembic_sentinel.lint.foreign_sql import literal_filters
from alembic_sentinel.lint.online_ddl import parse_server_version

CONSTANT = [
    "UPDATE member SET score = 0 WHERE 'status' = 'lapsed'",
    "UPDATE member SET score = 0 WHERE 'status' <> 'lapsed'",
    "UPDATE member SET score = 0 WHERE id > 1 AND 'status' = 'lapsed'",
    "UPDATE member SET score = 0 WHERE 'lapsed' = 'status'",
    "UPDATE member SET score = 0 WHERE \"status\" = 'lapsed'",
    "UPDATE member SET score = 0 WHERE 'status' IN ('lapsed', 'gone')",
    "UPDATE member SET score = 0 WHERE 'status' NOT LIKE 'lap%'",
    "DELETE FROM member WHERE 'status' IS NULL",
    "DELETE FROM member WHERE 'status' = 'lapsed'",
]
READ_AS_WRITTEN = [
    "UPDATE member SET score = 0 WHERE status = 'lapsed'",
    "UPDATE member SET score = 0 WHERE `status` = 'lapsed'",
    "UPDATE member SET score = 0 WHERE name = 'status'",
    "UPDATE member SET score = 0 WHERE 'status' = status",
    "UPDATE member SET score = 0 WHERE name IN ('status', 'x')",
    "UPDATE member SET score = 0 WHERE CONCAT('status', name) = 'x'",
    "UPDATE member SET status = 'status' WHERE id = 1",
    "UPDATE member SET score = (SELECT 1 FROM plan WHERE 'x' = 'y' LIMIT 1) WHERE id = 1",
    "DELETE FROM member WHERE id IN (SELECT id FROM plan WHERE 'name' = 'x')",
    "SELECT * FROM member WHERE 'status' = 'lapsed'",
]


@pytest.mark.parametrize("sql", CONSTANT)
def test_a_quoted_name_compared_with_a_value_is_read(sql: str) -> None:
    assert "status" in [found.text for found in literal_filters(sql)], sql


@pytest.mark.parametrize("sql", READ_AS_WRITTEN)
def test_a_column_or_a_value_where_a_value_may_stand_is_not(sql: str) -> None:
    assert "status" not in [found.text for found in literal_filters(sql)], sql
    assert "name" not in [found.text for found in literal_filters(sql)], sql


def test_the_server_changes_no_row_or_every_row_for_each(mysql_url: str) -> None:
    engine = sa.create_engine(mysql_url, isolation_level="AUTOCOMMIT")
    changed = []
    try:
        with engine.connect() as connection:
            for sql in CONSTANT:
                connection.exec_driver_sql("DROP TABLE IF EXISTS member")
                connection.exec_driver_sql(
                    "CREATE TABLE member (id INT PRIMARY KEY, name TEXT, status TEXT, score INT)"
                )
                connection.exec_driver_sql(
                    "INSERT INTO member VALUES (1, 'a', 'lapsed', 5), (2, 'b', 'active', 5), "
                    "(3, 'c', NULL, 5)"
                )
                changed.append(connection.exec_driver_sql(sql.replace("%", "%%")).rowcount)
    finally:
        engine.dispose()
    # a WHERE on the column would change 1 or 2 of the 3 rows
    assert all(count in (0, 3) for count in changed), list(zip(CONSTANT, changed))


def l331(upgrade: str) -> list[str]:
    source = revision(upgrade)
    findings = lint(source, target=parse_server_version("mysql-8.0"))
    return [f.message for f in findings if f.code == "L331"]


def test_a_column_the_revisions_show_is_reported_with_the_table_and_the_effect() -> None:
    messages = l331(
        """
        op.add_column("member", sa.Column("status", sa.String(10)))
        op.execute("UPDATE member SET score = 0 WHERE 'status' = 'lapsed'")
        """
    )
    assert len(messages) == 1
    assert "an UPDATE on member whose WHERE compares 'status'" in messages[0]
    assert "changes no row or every row" in messages[0]


def test_a_double_quoted_column_is_reported_on_mysql_only() -> None:
    upgrade = """
        op.create_table("member", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("status", sa.String(10)))
        op.execute('DELETE FROM member WHERE "status" = \\'lapsed\\'')
    """
    assert len(l331(upgrade)) == 1
    findings = lint(revision(upgrade), target=parse_server_version("sqlite"))
    assert [f for f in findings if f.code == "L331"] == []


def test_a_string_no_revision_shows_as_a_column_is_not() -> None:
    assert l331("op.execute(\"UPDATE member SET score = 0 WHERE 'status' = 'lapsed'\")") == []


def test_sql_in_another_dialects_branch_is_not() -> None:
    assert (
        l331(
            """
            op.add_column("member", sa.Column("status", sa.String(10)))
            if op.get_bind().dialect.name == "postgresql":
                op.execute('UPDATE member SET score = 0 WHERE "status" = \\'lapsed\\'')
            """
        )
        == []
    )
