"""SQL of PostgreSQL and SQLite that MySQL/MariaDB refuse (L331, lint/foreign_sql.py; issue 20).

Each statement below is our own. REFUSED are what lint must report: the server answers each
with ERROR 1064. ACCEPTED are what it must not: double quotes in a value's place are MySQL
strings, a FROM inside parentheses is no join update; the server reads each (it may still
refuse one for its data or a missing column, never for its syntax). Both lists are run on the
MariaDB of the test suite, so the rule's claims are checked where they are made.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.schema import CreateTable

from alembic_sentinel.lint.foreign_sql import (
    JOIN_DELETE,
    JOIN_UPDATE,
    POSTGRESQL,
    QUOTED,
    SINGLE_QUOTED,
    SQLITE,
    refusals,
)

SYNTAX_ERROR = 1064

REFUSED = [
    # a double-quoted name where a table is needed
    'ALTER TABLE "member" ADD COLUMN nick VARCHAR(20)',
    'UPDATE "member" SET score = 1',
    'INSERT INTO "member" (id) VALUES (2)',
    'SELECT * FROM "member"',
    'DELETE FROM "member" WHERE id = 5',
    'SELECT * FROM member JOIN "plan" ON member.id = plan.id',
    'SELECT id FROM member WHERE id IN (SELECT id FROM "plan")',
    'INSERT INTO member (id, name) SELECT id + 100, name FROM "plan"',
    'CREATE INDEX ix_member_name ON "member" (name)',
    'DROP INDEX ix_member_name ON "member"',
    'DROP TABLE "plan"',
    'DROP TABLE IF EXISTS "plan"',
    'CREATE TABLE "extra" (id INT)',
    'TRUNCATE TABLE "member"',
    'RENAME TABLE "member" TO people',
    'ALTER TABLE member ADD CONSTRAINT fk_plan FOREIGN KEY (plan_id) REFERENCES "plan" (id)',
    # ... where a column, an index or a constraint is named
    'ALTER TABLE member ADD COLUMN "nick" VARCHAR(20)',
    'ALTER TABLE member ADD "nick" VARCHAR(20)',
    'ALTER TABLE member DROP COLUMN "score"',
    'ALTER TABLE member MODIFY "score" BIGINT',
    'ALTER TABLE member CHANGE "score" points INT',
    'ALTER TABLE member CHANGE COLUMN score "points" INT',
    'ALTER TABLE member ALTER COLUMN "score" SET DEFAULT 1',
    'ALTER TABLE member RENAME COLUMN "score" TO points',
    'ALTER TABLE member RENAME COLUMN score TO "points"',
    'ALTER TABLE member RENAME TO "people"',
    'ALTER TABLE member ADD CONSTRAINT "fk_plan" FOREIGN KEY (plan_id) REFERENCES plan (id)',
    'ALTER TABLE member DROP FOREIGN KEY "fk_plan"',
    'ALTER TABLE member DROP CONSTRAINT "fk_plan"',
    'ALTER TABLE member DROP INDEX "ix_member_name"',
    'ALTER TABLE member ADD INDEX "ix_member_name" (name)',
    'ALTER TABLE member RENAME INDEX "ix_a" TO ix_b',
    'CREATE INDEX "ix_member_name" ON member (name)',
    'DROP INDEX "ix_member_name" ON member',
    # ... in a list of columns
    'INSERT INTO member ("id") VALUES (3)',
    "INSERT INTO member (id, \"name\") VALUES (3, 'x')",
    'CREATE INDEX ix_member_name ON member ("name")',
    'CREATE INDEX ix_member_name ON member (name, "score")',
    'ALTER TABLE member ADD UNIQUE ("name")',
    'ALTER TABLE member ADD INDEX ix_member_name ("name")',
    'CREATE TABLE extra ("id" INT)',
    'CREATE TABLE extra (id INT, "note" TEXT)',
    'CREATE TABLE extra (id INT, PRIMARY KEY ("id"))',
    'CREATE TABLE extra (id INT, UNIQUE KEY uq_extra ("id"))',
    'CREATE TABLE extra (id INT, pid INT, FOREIGN KEY ("pid") REFERENCES plan (id))',
    'CREATE TABLE extra (id INT, pid INT, FOREIGN KEY (pid) REFERENCES plan ("id"))',
    # ... as a target of SET, or a part of a qualified name
    'UPDATE member SET "score" = 1',
    'UPDATE member SET score = 1, "name" = name WHERE id = 1',
    'INSERT INTO member SET "id" = 8',
    "INSERT INTO member (id, name) VALUES (7, 'x') ON DUPLICATE KEY UPDATE \"name\" = 'y'",
    'SELECT "member"."id" FROM member',
    'SELECT member."id" FROM member',
    'SELECT "member".id FROM member',
    # PostgreSQL's join update
    "UPDATE member SET score = 2 FROM plan WHERE member.plan_id = plan.id",
    "UPDATE member SET member.score = 4 FROM member JOIN plan ON member.plan_id = plan.id",
    # SQLite's statements
    "PRAGMA foreign_keys = OFF",
    "PRAGMA foreign_keys=ON",
    "PRAGMA table_info(member)",
    "INSERT OR IGNORE INTO member (id) VALUES (9)",
    "INSERT OR REPLACE INTO member (id) VALUES (9)",
    "INSERT OR ABORT INTO member (id) VALUES (9)",
]

ACCEPTED = [
    'UPDATE member SET name = "x" WHERE name = "a"',
    'SELECT "abc", name FROM member WHERE name = "x"',
    'SELECT id AS "alias" FROM member',
    "UPDATE member SET score = (SELECT id FROM plan WHERE plan.id = member.plan_id)",
    "UPDATE member JOIN plan ON member.plan_id = plan.id SET member.score = 3",
    "UPDATE member, plan SET member.score = 5 WHERE member.plan_id = plan.id",
    "UPDATE member SET score = EXTRACT(YEAR FROM joined)",
    'UPDATE member SET name = TRIM(" " FROM name), note = SUBSTRING("abc" FROM 2)',
    'INSERT INTO member (id, name) VALUES (7, "x") ON DUPLICATE KEY UPDATE name = "y"',
    'INSERT INTO member (id, name) VALUES (11, "a"), (12, "b")',
    'INSERT INTO member SET id = 6, name = "y"',
    'CREATE TABLE extra (id INT PRIMARY KEY, v VARCHAR(5) DEFAULT "x" COMMENT "c", '
    'CHECK ("v" <> "z"))',
    'CREATE TABLE extra (id INT, status ENUM("a", "b") DEFAULT "a")',
    'ALTER TABLE member ADD COLUMN tier VARCHAR(5) NOT NULL DEFAULT "n" COMMENT "a comment"',
    'ALTER TABLE member MODIFY tier ENUM("n", "m") NOT NULL DEFAULT "n"',
    'ALTER TABLE member COMMENT = "people"',
    'ALTER TABLE member CONVERT TO CHARACTER SET "utf8mb4"',
    'UPDATE member SET score = "1" WHERE "name" = \'a\'',
    'SELECT * FROM member WHERE name IN ("a", "b") AND name LIKE "%x%" ORDER BY "name"',
    'UPDATE member SET name = CONCAT(name, "x") WHERE JSON_EXTRACT("{}", "$.a") IS NULL',
    'UPDATE member SET name = REPLACE(name, "x", "y"), note = "3"',
    'UPDATE member SET note = IF(score > 1, "a", "b")',
    'DELETE FROM member WHERE name = "x"',
    "UPDATE member SET note = 'said \"hi\"' WHERE id = 1",
    'SET NAMES "utf8mb4"',
    "SELECT * FROM member WHERE id = 1 FOR UPDATE",
    "INSERT IGNORE INTO member (id) VALUES (9)",
    "REPLACE INTO member (id) VALUES (9)",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_what_mysql_refuses_is_read(sql: str) -> None:
    assert refusals(sql), sql


@pytest.mark.parametrize("sql", ACCEPTED)
def test_what_mysql_reads_is_not(sql: str) -> None:
    assert refusals(sql) == [], sql


def test_each_form_is_named_once_by_where_it_comes_from() -> None:
    found = refusals(
        'UPDATE "member" SET "score" = 1; PRAGMA foreign_keys=ON; PRAGMA foreign_keys=OFF; '
        "UPDATE member SET score = plan.id FROM plan WHERE plan.id = member.plan_id"
    )
    assert [origin for origin, _ in found] == [SQLITE, POSTGRESQL, QUOTED]
    assert found[1].what == JOIN_UPDATE
    assert found[2].what == '"member", "score" quoted as names, which MySQL reads as strings'


def _syntax_errors(url: str, statements: list[str]) -> list[str]:
    """The statements the server refuses with ERROR 1064, each run on the same two tables."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    refused = []
    try:
        with engine.connect() as connection:
            for sql in statements:
                connection.exec_driver_sql("DROP TABLE IF EXISTS extra, member, plan")
                connection.exec_driver_sql("CREATE TABLE plan (id INT PRIMARY KEY, name TEXT)")
                connection.exec_driver_sql(
                    "CREATE TABLE member (id INT PRIMARY KEY, name VARCHAR(20), score INT, "
                    "plan_id INT, joined DATE, note TEXT, tier VARCHAR(5))"
                )
                try:
                    connection.exec_driver_sql(sql.replace("%", "%%"))
                except sa.exc.DBAPIError as error:
                    if error.orig is not None and error.orig.args[0] == SYNTAX_ERROR:
                        refused.append(sql)
    finally:
        engine.dispose()
    return refused


def test_the_server_refuses_every_refused_form_and_reads_every_accepted_one(
    mysql_url: str,
) -> None:
    assert _syntax_errors(mysql_url, REFUSED) == REFUSED
    assert _syntax_errors(mysql_url, ACCEPTED) == []


# PostgreSQL's join delete: MySQL reads DELETE ... USING as its own multi-table delete, whose
# USING list must name the table it deletes from (ERROR 1109 otherwise, not a syntax error)
JOIN_DELETES = [
    "DELETE FROM member USING plan WHERE member.plan_id = plan.id",
    "DELETE FROM member USING plan AS p WHERE member.plan_id = p.id",
]
MYSQL_DELETES = [
    "DELETE FROM member USING member JOIN plan ON member.plan_id = plan.id",
    "DELETE FROM member USING member, plan WHERE member.plan_id = plan.id",
    "DELETE member FROM member JOIN plan USING (id) WHERE plan.name = 'x'",
    "DELETE FROM member WHERE id IN (SELECT id FROM plan JOIN extra USING (id))",
]
UNKNOWN_TABLE_IN_MULTI_DELETE = 1109


@pytest.mark.parametrize("sql", JOIN_DELETES)
def test_a_join_delete_is_read(sql: str) -> None:
    assert [what for _, what in refusals(sql)] == [JOIN_DELETE], sql


@pytest.mark.parametrize("sql", MYSQL_DELETES)
def test_mysqls_multi_table_delete_is_not(sql: str) -> None:
    assert refusals(sql) == [], sql


def test_the_server_refuses_the_join_delete_and_runs_its_own(mysql_url: str) -> None:
    engine = sa.create_engine(mysql_url, isolation_level="AUTOCOMMIT")
    errors = []
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS extra, member, plan")
            connection.exec_driver_sql("CREATE TABLE plan (id INT PRIMARY KEY, name TEXT)")
            connection.exec_driver_sql("CREATE TABLE extra (id INT PRIMARY KEY)")
            connection.exec_driver_sql("CREATE TABLE member (id INT PRIMARY KEY, plan_id INT)")
            for sql in JOIN_DELETES + MYSQL_DELETES:
                try:
                    connection.exec_driver_sql(sql)
                    errors.append(0)
                except sa.exc.DBAPIError as error:
                    errors.append(error.orig.args[0] if error.orig is not None else -1)
            connection.exec_driver_sql("DROP TABLE IF EXISTS extra, member, plan")
    finally:
        engine.dispose()
    assert errors == [UNKNOWN_TABLE_IN_MULTI_DELETE] * len(JOIN_DELETES) + [0] * len(MYSQL_DELETES)


def _ddl_errors(url: str, columns: list[list[sa.SchemaItem]]) -> list[int]:
    """The server's error for each CREATE TABLE SQLAlchemy renders for it (0: created)."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    errors = []
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS extra, plan")
            connection.exec_driver_sql("CREATE TABLE plan (id INT PRIMARY KEY)")
            for items in columns:
                metadata = sa.MetaData()
                sa.Table("plan", metadata, sa.Column("id", sa.Integer, primary_key=True))
                table = sa.Table("extra", metadata, *items)
                sql = str(CreateTable(table).compile(dialect=connection.dialect))
                try:
                    connection.exec_driver_sql(sql)
                    errors.append(0)
                except sa.exc.DBAPIError as error:
                    errors.append(error.orig.args[0] if error.orig is not None else -1)
                connection.exec_driver_sql("DROP TABLE IF EXISTS extra")
            connection.exec_driver_sql("DROP TABLE IF EXISTS plan")
    finally:
        engine.dispose()
    return errors


def test_the_server_refuses_the_postgresql_ddl_sqlalchemy_renders_for_mysql(
    mysql_url: str,
) -> None:
    """L331's round-r32 DDL forms, as SQLAlchemy renders them for MySQL: a deferrable key
    (ERROR 1064), PostgreSQL's functions as server defaults (MariaDB ERROR 1901), a ::cast
    (ERROR 1064); sa.Uuid, NOW() and UUID() run. sa.UUID renders UUID, a type MySQL lacks
    (MariaDB has one since 10.7: not checked here)."""

    def fk(**given: object) -> sa.Column[int]:
        return sa.Column("pid", sa.Integer, sa.ForeignKey("plan.id", **given))  # type: ignore[arg-type]

    refused = [
        [fk(deferrable=True, initially="DEFERRED")],
        [fk(initially="IMMEDIATE")],
        [fk(deferrable=False)],
        [sa.Column("k", sa.String(36), server_default=sa.text("gen_random_uuid()"))],
        [sa.Column("k", sa.String(36), server_default=sa.func.uuid_generate_v4())],
        [sa.Column("t", sa.DateTime, server_default=sa.func.clock_timestamp())],
        [sa.Column("t", sa.DateTime, server_default=sa.text("timezone('utc', now())"))],
        [sa.Column("k", sa.Text, server_default=sa.text("'{}'::text"))],
    ]
    accepted = [
        [fk()],
        [sa.Column("k", sa.Uuid)],
        [sa.Column("t", sa.DateTime, server_default=sa.text("now()"))],
        [sa.Column("k", sa.String(36), server_default=sa.text("(uuid())"))],
    ]
    assert _ddl_errors(mysql_url, refused) == [1064, 1064, 1064, 1901, 1901, 1901, 1901, 1064]
    assert _ddl_errors(mysql_url, accepted) == [0] * len(accepted)
    assert str(sa.UUID().compile(dialect=mysql.dialect())) == "UUID"
    assert str(sa.Uuid().compile(dialect=mysql.dialect())) == "CHAR(32)"


# round 34: single-quoted names. SQLite reads a 'string' where only a name can stand as the name;
# MySQL and MariaDB read a string there, ERROR 1064. The same places as the double-quoted ones.
SINGLE_QUOTED_REFUSED = [
    "UPDATE member SET 'score' = 1",
    "UPDATE member SET score = 1, 'name' = 'x'",
    "INSERT INTO member SET 'id' = 8",
    "UPDATE 'member' SET score = 1",
    "INSERT INTO 'member' (id) VALUES (9)",
    "INSERT INTO member ('id') VALUES (9)",
    "INSERT INTO member (id, 'name') VALUES (9, 'q')",
    "ALTER TABLE 'member' ADD nick INT",
    "ALTER TABLE member ADD 'nick' INT",
    "ALTER TABLE member ADD COLUMN 'nick' VARCHAR(20) DEFAULT 'n'",
    "ALTER TABLE member DROP COLUMN 'score'",
    "ALTER TABLE member MODIFY 'score' BIGINT",
    "ALTER TABLE member CHANGE 'score' points INT",
    "ALTER TABLE member CHANGE score 'points' INT",
    "ALTER TABLE member RENAME COLUMN 'score' TO points",
    "ALTER TABLE member ALTER COLUMN 'score' SET DEFAULT 1",
    "ALTER TABLE member RENAME TO 'people'",
    "ALTER TABLE member ADD INDEX ix_member_name ('name')",
    "ALTER TABLE member ADD UNIQUE ('name')",
    "ALTER TABLE member ADD CONSTRAINT 'fk_plan' FOREIGN KEY (plan_id) REFERENCES plan (id)",
    "ALTER TABLE member DROP INDEX 'ix_member_name'",
    "CREATE INDEX ix_member_name ON member ('name')",
    "CREATE INDEX ix_member_name ON member (name, 'score')",
    "CREATE INDEX 'ix_member_name' ON member (name)",
    "CREATE TABLE extra ('id' INT)",
    "CREATE TABLE extra (id INT, KEY 'ix_extra' (id))",
    "SELECT 'member'.id FROM member",
    "SELECT member.'id' FROM member",
]
SINGLE_QUOTED_ACCEPTED = [
    "UPDATE member SET name = 'x', note = 'y' WHERE tier IN ('a', 'b')",
    "UPDATE member SET note = CASE WHEN score > 1 THEN 'a' ELSE 'b' END, name = 'c'",
    "UPDATE member SET note = IF(score > 1, 'a', 'b'), name = REPLACE(name, 'x', 'y')",
    "UPDATE member SET score = EXTRACT(YEAR FROM '2020-01-01')",
    "UPDATE member SET name = TRIM(' ' FROM name), note = SUBSTRING('abc' FROM 2)",
    "UPDATE member SET note = JSON_OBJECT('key', 'value') WHERE JSON_EXTRACT('{}', '$.a') IS NULL",
    "INSERT INTO member (id, name) VALUES (7, 'x') ON DUPLICATE KEY UPDATE name = 'y'",
    "INSERT INTO member VALUES (8, 'n', 1, NULL, '2020-01-01', 'note', 't')",
    "INSERT INTO member (id, name) VALUES (11, 'a'), (12, 'b')",
    "INSERT INTO member SET id = 6, name = 'y'",
    "INSERT INTO member (id, name) SELECT 20, 'x' FROM plan WHERE name = 'p'",
    "SELECT 'abc', name FROM member WHERE name LIKE 'x%' AND joined > '2020-01-01'",
    "DELETE FROM member WHERE name = 'x' LIMIT 1",
    "CREATE TABLE extra (id INT PRIMARY KEY, v VARCHAR(5) DEFAULT 'x' COMMENT 'c', "
    "status ENUM('a', 'b') DEFAULT 'a', CHECK (v <> 'z')) COMMENT 'extra'",
    "ALTER TABLE member ADD COLUMN nick VARCHAR(5) NOT NULL DEFAULT 'n' COMMENT 'c' AFTER name",
    "ALTER TABLE member MODIFY tier ENUM('n', 'm') NOT NULL DEFAULT 'n'",
    "ALTER TABLE member ALTER COLUMN tier SET DEFAULT 'x'",
    "ALTER TABLE member CHANGE tier level VARCHAR(5) DEFAULT 'x'",
    "ALTER TABLE member COMMENT 'people'",
    "ALTER TABLE member CONVERT TO CHARACTER SET 'utf8mb4'",
    "CREATE INDEX ix_member_name ON member (name) COMMENT 'by name'",
    "SET NAMES 'utf8mb4'",
    "SET @since = '2020-01-01'",
    "PREPARE fetched FROM 'SELECT 1'",
]
# not run on the server (accounts, another database's statement), read as strings all the same
SINGLE_QUOTED_NOT_NAMES = [
    "RENAME USER 'ada'@'localhost' TO 'bob'@'localhost'",
    "COPY member FROM '/tmp/member.csv'",
    "ALTER TYPE status RENAME VALUE 'old' TO 'new'",
]


@pytest.mark.parametrize("sql", SINGLE_QUOTED_REFUSED)
def test_a_single_quoted_name_is_read(sql: str) -> None:
    assert [origin for origin, _ in refusals(sql)] == [SINGLE_QUOTED], sql


@pytest.mark.parametrize("sql", SINGLE_QUOTED_ACCEPTED + SINGLE_QUOTED_NOT_NAMES)
def test_a_single_quoted_string_in_a_values_place_is_not(sql: str) -> None:
    assert [r for r in refusals(sql) if r.origin == SINGLE_QUOTED] == [], sql


def test_the_server_refuses_every_single_quoted_name_and_reads_every_string(
    mysql_url: str,
) -> None:
    assert _syntax_errors(mysql_url, SINGLE_QUOTED_REFUSED) == SINGLE_QUOTED_REFUSED
    assert _syntax_errors(mysql_url, SINGLE_QUOTED_ACCEPTED) == []


def test_single_quoted_names_are_named_as_written() -> None:
    found = refusals("UPDATE member SET 'score' = 1, 'name' = 'x'")
    assert found == [
        (SINGLE_QUOTED, "'score', 'name' quoted as names, which MySQL reads as strings")
    ]
