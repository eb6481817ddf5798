"""The online-DDL table: target parsing, the algorithm of each change per server, the docs' copy
of the table, and the answers for the test server checked against the server itself."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from conftest import REPO

from alembic_sentinel.engine.database import commit
from alembic_sentinel.lint.online_ddl import (
    DDL_KINDS,
    DEFAULT_TARGET,
    DdlChange,
    ServerVersion,
    ddl_algorithm,
    explain_algorithm,
    parse_server_version,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mysql-8.0", ServerVersion("mysql", (8, 0))),
        ("mysql-8.0.12", ServerVersion("mysql", (8, 0, 12))),
        ("mysql-5.7", ServerVersion("mysql", (5, 7))),
        ("mysql-8.4", ServerVersion("mysql", (8, 4))),
        ("mariadb-10.11", ServerVersion("mariadb", (10, 11))),
        ("mariadb-11.4", ServerVersion("mariadb", (11, 4))),
        ("MySQL-8.0", ServerVersion("mysql", (8, 0))),
        ("MariaDB-10.11.6", ServerVersion("mariadb", (10, 11, 6))),
        ("mysql:8.0", ServerVersion("mysql", (8, 0))),
        ("mysql 8.0", ServerVersion("mysql", (8, 0))),
        (" mariadb 10.11 ", ServerVersion("mariadb", (10, 11))),
    ],
)
def test_accepted_targets(text: str, expected: ServerVersion) -> None:
    assert parse_server_version(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "oracle-19",
        "mysql",
        "mysql-",
        "mysql-8",
        "mysql-8.x",
        "mysql-8.0-beta",
        "8.0",
        "",
        "garbage",
    ],
)
def test_rejected_targets_name_the_value_and_the_accepted_form(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_server_version(text)
    message = str(raised.value)
    assert repr(text) in message
    assert "mysql-8.0" in message and "mariadb-10.11" in message
    assert "\n" not in message


@pytest.mark.parametrize("text", ["mysql-5.6", "mariadb-10.1"])
def test_series_older_than_the_table_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="older than"):
        parse_server_version(text)


def test_a_target_prints_as_it_is_written() -> None:
    assert str(parse_server_version("MySQL:8.0.12")) == "mysql-8.0.12"
    assert str(DEFAULT_TARGET) == "mysql-8.0"
    assert DEFAULT_TARGET == ServerVersion("mysql", (8, 0))


@pytest.mark.parametrize(
    ("target", "wanted", "expected"),
    [
        ((8, 0), (8, 0, 29), True),  # no patch release: the newest 8.0
        ((8, 0, 12), (8, 0, 29), False),
        ((8, 0, 29), (8, 0, 29), True),
        ((8, 0, 12), (8, 0), True),
        ((8, 0), (8, 0), True),
        ((8, 0), (8, 4), False),
        ((8, 4), (8, 0, 29), True),
        ((5, 7), (8, 0, 12), False),
        ((10, 11), (10, 4, 3), True),
        ((10, 3, 1), (10, 3, 2), False),
    ],
)
def test_at_least_treats_a_missing_patch_as_the_newest(
    target: tuple[int, ...], wanted: tuple[int, ...], expected: bool
) -> None:
    assert ServerVersion("mysql", target).at_least(*wanted) is expected


TARGETS = ("mysql-5.7", "mysql-8.0", "mysql-8.0.12", "mysql-8.4", "mariadb-10.11")


def varchar(old: int | None, new: int | None) -> DdlChange:
    return DdlChange("widen_varchar", old_length_bytes=old, new_length_bytes=new)


# Each row: the algorithm on mysql-5.7, mysql-8.0, mysql-8.0.12, mysql-8.4, mariadb-10.11, as
# the vendors' online DDL pages give it (quoted next to each rule in online_ddl.py).
EXPECTED: list[tuple[DdlChange, tuple[str, str, str, str, str]]] = [
    (DdlChange("add_column"), ("INPLACE", "INSTANT", "INSTANT", "INSTANT", "INSTANT")),
    (
        DdlChange("add_column", auto_increment=True),
        ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INPLACE"),
    ),
    (
        DdlChange("add_column_positioned"),
        ("INPLACE", "INSTANT", "INPLACE", "INSTANT", "INSTANT"),
    ),
    (DdlChange("add_stored_column"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("drop_column"), ("INPLACE", "INSTANT", "INPLACE", "INSTANT", "INSTANT")),
    (DdlChange("rename_column"), ("INPLACE", "INSTANT", "INPLACE", "INSTANT", "INSTANT")),
    (DdlChange("change_type"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("set_auto_increment"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (varchar(200, 240), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INSTANT")),
    (varchar(400, 800), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INSTANT")),
    (varchar(80, 400), ("COPY", "COPY", "COPY", "COPY", "INSTANT")),
    (varchar(200, 400), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (varchar(255, 256), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (varchar(400, 200), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (varchar(None, 400), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("set_not_null"), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INPLACE")),
    (DdlChange("set_nullable"), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INPLACE")),
    (DdlChange("set_default"), ("INPLACE", "INSTANT", "INSTANT", "INSTANT", "INSTANT")),
    (DdlChange("drop_default"), ("INPLACE", "INSTANT", "INSTANT", "INSTANT", "INSTANT")),
    (DdlChange("create_index"), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INPLACE")),
    (DdlChange("drop_index"), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INPLACE")),
    (DdlChange("add_unique"), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INPLACE")),
    (DdlChange("add_foreign_key"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("drop_foreign_key"), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INSTANT")),
    (DdlChange("add_primary_key"), ("INPLACE", "INPLACE", "INPLACE", "INPLACE", "INPLACE")),
    (DdlChange("drop_primary_key"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("add_check"), ("INPLACE", "COPY", "INPLACE", "COPY", "COPY")),
    (DdlChange("drop_check"), ("INPLACE", "INSTANT", "INPLACE", "INSTANT", "INSTANT")),
    (DdlChange("enum_append"), ("INPLACE", "INSTANT", "INSTANT", "INSTANT", "INSTANT")),
    (DdlChange("enum_change"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("enum_grow"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("change_engine"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("partition"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("convert_charset"), ("COPY", "COPY", "COPY", "COPY", "COPY")),
    (DdlChange("convert_charset_mb4"), ("COPY", "COPY", "COPY", "COPY", "INPLACE")),
    (DdlChange("create_table"), ("N/A", "N/A", "N/A", "N/A", "N/A")),
    (DdlChange("drop_table"), ("N/A", "N/A", "N/A", "N/A", "N/A")),
    (DdlChange("rename_table"), ("INPLACE", "INSTANT", "INSTANT", "INSTANT", "INSTANT")),
    (DdlChange("execute"), ("N/A", "N/A", "N/A", "N/A", "N/A")),
]


@pytest.mark.parametrize(("change", "expected"), EXPECTED, ids=[str(c) for c, _ in EXPECTED])
def test_algorithm_of_each_change_on_each_server(
    change: DdlChange, expected: tuple[str, ...]
) -> None:
    targets = [parse_server_version(text) for text in TARGETS]
    assert tuple(ddl_algorithm(change, target) for target in targets) == expected


def test_every_kind_has_an_expectation() -> None:
    assert {change.kind for change, _ in EXPECTED} == set(DDL_KINDS)


@pytest.mark.parametrize("kind", DDL_KINDS)
@pytest.mark.parametrize("target", [*TARGETS, "mariadb-10.3", "mariadb-10.2.1"])
def test_every_answer_comes_with_a_one_line_reason(kind: str, target: str) -> None:
    why = explain_algorithm(
        DdlChange(kind, old_length_bytes=100, new_length_bytes=200), parse_server_version(target)
    )
    assert why.strip() and "\n" not in why


def test_reasons_name_the_release_that_changes_the_answer() -> None:
    mysql_8012 = parse_server_version("mysql-8.0.12")
    assert "8.0.29" in explain_algorithm(DdlChange("drop_column"), mysql_8012)
    assert "8.0.29" in explain_algorithm(DdlChange("add_column"), DEFAULT_TARGET)
    assert "LOCK=SHARED" in explain_algorithm(
        DdlChange("add_column", auto_increment=True), DEFAULT_TARGET
    )
    assert "foreign_key_checks" in explain_algorithm(DdlChange("add_foreign_key"), DEFAULT_TARGET)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="'alter_everything'"):
        ddl_algorithm(DdlChange("alter_everything"), DEFAULT_TARGET)
    with pytest.raises(ValueError, match="'alter_everything'"):
        explain_algorithm(DdlChange("alter_everything"), DEFAULT_TARGET)


def test_an_unknown_flavor_is_refused() -> None:
    with pytest.raises(ValueError, match="'postgres'"):
        ddl_algorithm(DdlChange("add_column"), ServerVersion("postgres", (16, 0)))


# docs/online-ddl.md: each row of its table, as a DdlChange.
DOC_ROWS = {
    "add a column": DdlChange("add_column"),
    "add an AUTO_INCREMENT column": DdlChange("add_column", auto_increment=True),
    "add a column before existing ones (raw SQL `FIRST` / `AFTER`)": DdlChange(
        "add_column_positioned"
    ),
    "add a STORED generated column": DdlChange("add_stored_column"),
    "drop a column": DdlChange("drop_column"),
    "rename a column": DdlChange("rename_column"),
    "change a column's type": DdlChange("change_type"),
    "make an existing column AUTO_INCREMENT": DdlChange("set_auto_increment"),
    "widen VARCHAR within 255 bytes": varchar(200, 240),
    "widen VARCHAR beyond 255 bytes": varchar(400, 800),
    "widen VARCHAR from up to 127 bytes past 255": varchar(80, 400),
    "widen VARCHAR from 128-255 bytes past 255": varchar(200, 400),
    "shorten a VARCHAR": varchar(400, 200),
    "make a column NOT NULL": DdlChange("set_not_null"),
    "make a column nullable": DdlChange("set_nullable"),
    "set a column default": DdlChange("set_default"),
    "drop a column default": DdlChange("drop_default"),
    "create an index": DdlChange("create_index"),
    "drop an index": DdlChange("drop_index"),
    "add a unique constraint": DdlChange("add_unique"),
    "add a foreign key": DdlChange("add_foreign_key"),
    "drop a foreign key": DdlChange("drop_foreign_key"),
    "add a primary key": DdlChange("add_primary_key"),
    "drop a primary key": DdlChange("drop_primary_key"),
    "add a CHECK constraint": DdlChange("add_check"),
    "drop a CHECK constraint": DdlChange("drop_check"),
    "append ENUM/SET members": DdlChange("enum_append"),
    "reorder, insert or remove ENUM/SET members": DdlChange("enum_change"),
    "append ENUM/SET members past a storage size": DdlChange("enum_grow"),
    "change the storage engine (raw SQL `ENGINE=`)": DdlChange("change_engine"),
    "partition a table or remove partitioning (raw SQL)": DdlChange("partition"),
    "convert the character set (raw SQL `CONVERT TO CHARACTER SET`)": DdlChange("convert_charset"),
    "convert the character set from utf8mb3 to utf8mb4 (raw SQL)": DdlChange("convert_charset_mb4"),
    "rename a table": DdlChange("rename_table"),
    "create a table": DdlChange("create_table"),
    "drop a table": DdlChange("drop_table"),
    "run raw SQL (`op.execute`)": DdlChange("execute"),
}


def doc_table() -> tuple[list[str], list[list[str]]]:
    """The header and rows of the table in docs/online-ddl.md, cells stripped of bold marks."""
    lines = (REPO / "docs" / "online-ddl.md").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Change |"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip().strip("*") for cell in line.strip().strip("|").split(" | ")])
    header, _rule, *rows = table
    return header, rows


def test_the_docs_table_says_what_the_code_says() -> None:
    header, rows = doc_table()
    columns = {
        index: parse_server_version(name)
        for index, name in enumerate(header)
        if re.match(r"(MySQL|MariaDB) ", name)
    }
    assert [str(target) for target in columns.values()] == [
        "mysql-5.7",
        "mysql-8.0",
        "mysql-8.4",
        "mariadb-10.11",
    ]
    assert [row[0] for row in rows] == list(DOC_ROWS)
    mismatches = [
        (row[0], str(target), row[index], ddl_algorithm(DOC_ROWS[row[0]], target))
        for row in rows
        for index, target in columns.items()
        if row[index] != ddl_algorithm(DOC_ROWS[row[0]], target)
    ]
    assert mismatches == []


def test_the_docs_table_covers_every_kind() -> None:
    assert {change.kind for change in DOC_ROWS.values()} == set(DDL_KINDS)


# The changes above as statements on real tables (below), to run against the test server.
SETUP = (
    "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(50), b INT NULL, c INT NULL, s VARCHAR(20),"
    " big VARCHAR(100), n VARCHAR(10) NOT NULL DEFAULT '', e ENUM('x', 'y'), INDEX ix_b (b))"
    " CHARACTER SET utf8mb4",
    "INSERT INTO t VALUES (1, 'a', 1, 1, 's', 'big', 'n', 'x'),"
    " (2, 'b', 2, 2, 't', 'big', 'm', 'y')",
    "CREATE TABLE child (id INT PRIMARY KEY, t_id INT, INDEX ix_t (t_id),"
    " CONSTRAINT fk_child_t FOREIGN KEY (t_id) REFERENCES t (id))",
    "INSERT INTO child VALUES (1, 1)",
    "CREATE TABLE nopk (id INT NOT NULL, v INT)",
    "INSERT INTO nopk VALUES (1, 1)",
    "CREATE TABLE checked (id INT PRIMARY KEY, v INT, CONSTRAINT ck_v CHECK (v >= 0))",
)
TEARDOWN = "DROP TABLE IF EXISTS child, checked, nopk, nopk_renamed, t"
STATEMENTS: list[tuple[DdlChange, str]] = [
    (DdlChange("add_column"), "ALTER TABLE t ADD COLUMN z INT NULL"),
    (
        DdlChange("add_column", auto_increment=True),
        "ALTER TABLE nopk ADD COLUMN z INT NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY uq_z (z)",
    ),
    (DdlChange("add_stored_column"), "ALTER TABLE t ADD COLUMN g INT AS (id * 2) STORED"),
    (DdlChange("drop_column"), "ALTER TABLE t DROP COLUMN s"),
    (DdlChange("rename_column"), "ALTER TABLE t CHANGE c c2 INT NULL"),
    (DdlChange("change_type"), "ALTER TABLE t MODIFY c BIGINT NULL"),
    (
        DdlChange("set_auto_increment"),
        "ALTER TABLE checked MODIFY id INT NOT NULL AUTO_INCREMENT",
    ),
    (varchar(200, 240), "ALTER TABLE t MODIFY a VARCHAR(60)"),
    (varchar(200, 400), "ALTER TABLE t MODIFY a VARCHAR(100)"),
    (varchar(80, 400), "ALTER TABLE t MODIFY s VARCHAR(100)"),
    (varchar(400, 800), "ALTER TABLE t MODIFY big VARCHAR(200)"),
    (varchar(200, 160), "ALTER TABLE t MODIFY a VARCHAR(40)"),
    (DdlChange("set_not_null"), "ALTER TABLE t MODIFY c INT NOT NULL"),
    (DdlChange("set_nullable"), "ALTER TABLE t MODIFY n VARCHAR(10) NULL DEFAULT ''"),
    (DdlChange("set_default"), "ALTER TABLE t ALTER COLUMN c SET DEFAULT 5"),
    (DdlChange("drop_default"), "ALTER TABLE t ALTER COLUMN n DROP DEFAULT"),
    (DdlChange("create_index"), "ALTER TABLE t ADD INDEX ix_c (c)"),
    (DdlChange("drop_index"), "ALTER TABLE t DROP INDEX ix_b"),
    (DdlChange("add_unique"), "ALTER TABLE t ADD CONSTRAINT uq_c UNIQUE (c)"),
    (
        DdlChange("add_foreign_key"),
        "ALTER TABLE nopk ADD CONSTRAINT fk_nopk_t FOREIGN KEY (v) REFERENCES t (id)",
    ),
    (DdlChange("drop_foreign_key"), "ALTER TABLE child DROP FOREIGN KEY fk_child_t"),
    (DdlChange("add_primary_key"), "ALTER TABLE nopk ADD PRIMARY KEY (id)"),
    (DdlChange("drop_primary_key"), "ALTER TABLE child DROP PRIMARY KEY"),
    (DdlChange("add_check"), "ALTER TABLE t ADD CONSTRAINT ck_c CHECK (c >= 0)"),
    (DdlChange("drop_check"), "ALTER TABLE checked DROP CONSTRAINT ck_v"),
    (DdlChange("enum_append"), "ALTER TABLE t MODIFY e ENUM('x', 'y', 'z')"),
    (DdlChange("enum_change"), "ALTER TABLE t MODIFY e ENUM('x', 'w', 'y')"),
    (DdlChange("rename_table"), "ALTER TABLE nopk RENAME TO nopk_renamed"),
]
# ER_ALTER_OPERATION_NOT_SUPPORTED and ER_ALTER_OPERATION_NOT_SUPPORTED_REASON
NOT_SUPPORTED = {1845, 1846}


def server_target(connection: sa.Connection) -> ServerVersion:
    version = str(connection.exec_driver_sql("SELECT VERSION()").scalar())
    numbers = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
    assert numbers is not None, version
    flavor = "mariadb" if "mariadb" in version.lower() else "mysql"
    return ServerVersion(flavor, tuple(int(part) for part in numbers.groups()))


def best_algorithm(connection: sa.Connection, statement: str) -> str:
    """The first of INSTANT, INPLACE, COPY the server accepts for `statement`."""
    for algorithm in ("INSTANT", "INPLACE", "COPY"):
        try:
            connection.exec_driver_sql(f"{statement}, ALGORITHM={algorithm}")
        except sa.exc.DBAPIError as exc:
            if exc.orig is not None and exc.orig.args[0] in NOT_SUPPORTED:
                continue
            raise
        return algorithm
    raise AssertionError(f"the server refused every algorithm for {statement}")


def test_the_test_servers_answers_match_the_server(mysql_url: str) -> None:
    """Needs ALGORITHM=INSTANT and CHECK constraints: MySQL 8.0.19+ or MariaDB 10.3.6+."""
    engine = sa.create_engine(mysql_url)
    try:
        with engine.connect() as connection:
            target = server_target(connection)
            mismatches = []
            for change, statement in STATEMENTS:
                connection.exec_driver_sql(TEARDOWN)
                for setup in SETUP:
                    connection.exec_driver_sql(setup)
                commit(connection)  # SQLAlchemy 1.4's legacy connections have no commit()
                found = best_algorithm(connection, statement)
                if found != ddl_algorithm(change, target):
                    mismatches.append(
                        (str(target), statement, found, ddl_algorithm(change, target))
                    )
            connection.exec_driver_sql(TEARDOWN)
    finally:
        engine.dispose()
    assert mismatches == []
