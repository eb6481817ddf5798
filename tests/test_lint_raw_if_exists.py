"""L333 on raw SQL (round 33, issue 20): MariaDB's IF [NOT] EXISTS on indexes and columns in an
op.execute / text() SQL stops a MySQL migration (ERROR 1064); MySQL's own IF [NOT] EXISTS
(tables, views) and CREATE OR REPLACE VIEW do not. Our own revisions."""

from __future__ import annotations

import pytest
from test_lint_histories import lint
from test_lint_rules import revision


def _l333(sql: str, target: str = "mysql-8.0", wrap: str = "{}") -> list[str]:
    upgrade = wrap.format(f"op.execute({sql!r})")
    return [f.message for f in lint(revision(upgrade), target=target) if f.code == "L333"]


REFUSED = [
    "CREATE INDEX IF NOT EXISTS ix_a ON t (a)",
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_a ON t (a)",
    "DROP INDEX IF EXISTS ix_a ON t",
    "ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT",
    "ALTER TABLE t ADD IF NOT EXISTS a INT",
    "ALTER TABLE t DROP COLUMN IF EXISTS a",
    "ALTER TABLE t ADD INDEX IF NOT EXISTS ix_a (a)",
    "ALTER TABLE t ADD FULLTEXT INDEX IF NOT EXISTS ft_a (a)",
    "alter table t drop index if exists ix_a",
    "ALTER TABLE t DROP FOREIGN KEY IF EXISTS fk_a",
    "ALTER TABLE t MODIFY COLUMN IF EXISTS a BIGINT",
    "ALTER TABLE t DROP CONSTRAINT IF EXISTS ck_a",
    "CREATE TABLE u (a INT); CREATE INDEX IF NOT EXISTS ix_a ON u (a)",
]
ACCEPTED = [
    "CREATE TABLE IF NOT EXISTS t (a INT)",
    "DROP TABLE IF EXISTS t",
    "DROP VIEW IF EXISTS v",
    "CREATE OR REPLACE VIEW v AS SELECT a FROM t",
    "DROP TRIGGER IF EXISTS trg_a",
    "DROP PROCEDURE IF EXISTS p",
    "UPDATE t SET note = 'DROP INDEX IF EXISTS ix' WHERE a = 1",  # a string, no syntax
    "ALTER TABLE t ADD COLUMN a INT",
    # PostgreSQL's / SQLite's DROP INDEX without its table: MariaDB refuses it as well, so it
    # is no MariaDB-only clause (the name alone is L331's matter)
    "DROP INDEX IF EXISTS ix_a",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_mariadb_only_clauses_in_raw_sql_are_refused_on_mysql(sql: str) -> None:
    found = _l333(sql)
    assert len(found) == 1 and "ERROR 1064" in found[0], found


@pytest.mark.parametrize("sql", ACCEPTED)
def test_mysql_syntax_is_not_reported(sql: str) -> None:
    assert _l333(sql) == []


@pytest.mark.parametrize("sql", REFUSED[:3])
def test_mariadb_parses_them(sql: str) -> None:
    assert _l333(sql, target="mariadb-10.11") == []


def test_a_mariadb_only_branch_is_not_reported() -> None:
    wrap = 'if op.get_bind().dialect.name == "mariadb":\n    {}'
    assert _l333(REFUSED[0], wrap=wrap) == []


def test_a_caught_statement_is_not_reported() -> None:
    wrap = "try:\n    {}\nexcept Exception:\n    pass"
    assert _l333(REFUSED[0], wrap=wrap) == []


def test_the_same_statement_outside_the_branch_is_reported() -> None:
    wrap = 'if op.get_bind().dialect.name == "mariadb":\n    pass\n{}'
    assert len(_l333(REFUSED[0], wrap=wrap)) == 1
