"""The data steps' parts: real server errors in words, fixture scripts, profiles, captures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from random import Random

import pytest
import sqlalchemy as sa
from conftest import ScratchDatabases

from alembic_sentinel.data.capture import TableData, losses, step_changes
from alembic_sentinel.data.fixtures import split_statements
from alembic_sentinel.data.profile import profile_column, shown
from alembic_sentinel.data.schema import ColumnShape
from alembic_sentinel.data.server_errors import (
    LOCK,
    NO_DEFAULT,
    NOT_NULL,
    ORPHANS,
    TRUNCATION,
    UNIQUE,
    null_counter,
    translate,
)
from alembic_sentinel.data.values import ValueMaker, comparison_key
from alembic_sentinel.engine.database import driver_error_code, driver_message


@pytest.fixture
def mariadb(scratch_mysql: ScratchDatabases) -> Iterator[sa.engine.Engine]:
    engine = sa.create_engine(scratch_mysql.create(), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE party (id INT PRIMARY KEY, name VARCHAR(100), symbol VARCHAR(100) NULL,"
            " parent INT NULL)"
        )
        connection.exec_driver_sql(
            "INSERT INTO party VALUES (1, 'Green', NULL, 7), (2, 'Green', 'G', 1), "
            "(3, 'Blue with a long name', 'B', 1)"
        )
    yield engine
    engine.dispose()


def server_error(connection: sa.engine.Connection, sql: str) -> sa.exc.DBAPIError:
    with pytest.raises(sa.exc.DBAPIError) as raised:
        connection.exec_driver_sql(sql)
    return raised.value


def words(exc: sa.exc.DBAPIError, connection: sa.engine.Connection) -> tuple[str, str]:
    code = driver_error_code(exc)
    message = str(exc.orig.args[1]) if code is not None else str(exc.orig)
    translation = translate(code, message, null_counter(connection))
    assert translation is not None, driver_message(exc, None)
    return translation.problem, translation.meaning


@pytest.mark.parametrize(
    ("sql", "problem", "meaning"),
    [
        (
            "ALTER TABLE party ADD CONSTRAINT uq_party_name UNIQUE (name)",
            UNIQUE,
            "the rows already hold 'Green' more than once, so uq_party_name cannot be unique",
        ),
        (
            "ALTER TABLE party MODIFY symbol VARCHAR(100) NOT NULL",
            NOT_NULL,
            "symbol holds 1 NULL, so it cannot become NOT NULL",
        ),
        (
            "ALTER TABLE party MODIFY name VARCHAR(5)",
            TRUNCATION,
            "values of name are longer, larger or of another kind than its new type holds",
        ),
        (
            "ALTER TABLE party ADD CONSTRAINT fk_parent FOREIGN KEY (parent) REFERENCES party (id)",
            ORPHANS,
            "rows refer to keys the parent table does not have",
        ),
    ],
)
def test_mariadbs_refusals_over_rows_are_told_as_their_problem(
    mariadb: sa.engine.Engine, sql: str, problem: str, meaning: str
) -> None:
    with mariadb.connect() as connection:
        assert words(server_error(connection, sql), connection) == (problem, meaning)


def test_a_lock_held_by_another_connection_is_a_lock_wait(mariadb: sa.engine.Engine) -> None:
    holding = sa.create_engine(mariadb.url)  # transactions, not AUTOCOMMIT
    try:
        with holding.begin() as holder:
            holder.exec_driver_sql("UPDATE party SET symbol = 'X' WHERE id = 1")  # the row lock
            with mariadb.connect() as waiter:
                waiter.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = 1")
                exc = server_error(waiter, "UPDATE party SET symbol = 'Y' WHERE id = 1")
                problem, meaning = words(exc, waiter)
    finally:
        holding.dispose()
    assert problem == LOCK
    assert "another connection holds" in meaning


def test_sqlites_refusals_over_rows_are_told_as_their_problem() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE party (id INTEGER PRIMARY KEY, name TEXT)")
        connection.exec_driver_sql("INSERT INTO party VALUES (1, 'Green'), (2, 'Green'), (3, NULL)")
        cases = {
            "CREATE UNIQUE INDEX ix_name ON party (name)": UNIQUE,
            "INSERT INTO party (id, name) VALUES (1, 'again')": UNIQUE,
            "ALTER TABLE party ADD COLUMN code VARCHAR(5) NOT NULL": NO_DEFAULT,
        }
        for sql, problem in cases.items():
            exc = server_error(connection, sql)
            translation = translate(None, str(exc.orig))
            assert translation is not None and translation.problem == problem, sql
    engine.dispose()
    not_null = translate(None, "NOT NULL constraint failed: _alembic_tmp_party.symbol")
    assert not_null is not None
    assert not_null.meaning == "party.symbol holds NULLs, so it cannot become NOT NULL"
    assert translate(None, "no such table: party") is None
    assert translate(1146, "Table 'x.party' doesn't exist") is None


# --- fixture scripts ------------------------------------------------------------------------------


def test_a_script_splits_at_semicolons_outside_quotes_and_comments() -> None:
    script = (
        "-- pinned rows; the team's\n"
        "INSERT INTO party VALUES (1, 'a;b');\n"
        "\n"
        "/* several; lines\n   of comment */\n"
        'INSERT INTO `we;ird` VALUES ("c\\";d");  # trailing; comment\n'
        "UPDATE party SET name = 'it''s; fine'"
    )

    statements = list(split_statements(script))

    assert [line for line, _ in statements] == [1, 4, 6]
    assert statements[0][1].endswith("INSERT INTO party VALUES (1, 'a;b')")
    assert statements[1][1].endswith('INSERT INTO `we;ird` VALUES ("c\\";d")')
    assert statements[2][1].startswith("# trailing; comment\nUPDATE party SET name = 'it''s; fine'")
    assert list(split_statements("-- nothing but a comment;\n  ;\n")) == []


# --- profiles -------------------------------------------------------------------------------------


def test_a_profile_counts_and_ranks_the_values() -> None:
    values = ["1"] * 12 + ["0"] * 38

    profile = profile_column("election", "isListed", "filled", "varchar(100) NOT NULL", values)

    assert (profile.rows, profile.nulls, profile.empty, profile.distinct) == (50, 0, 0, 2)
    assert profile.common == [("'0'", 38), ("'1'", 12)]
    assert profile.line() == (
        "election.isListed (filled): '0' x 38, '1' x 12; 50 rows, 0 NULL, 0 empty, 2 distinct"
    )
    [flag] = profile.flags
    assert flag.startswith("a varchar(100) column holding only '0', '1': booleans stored as text")


@pytest.mark.parametrize(
    ("declared", "values", "flagged"),
    [
        ("varchar(10) NOT NULL", [""] * 5, True),
        ("INTEGER NOT NULL", [0] * 5, True),
        ("varchar(10) NOT NULL DEFAULT ''", [""] * 5, False),  # a default someone chose
        ("varchar(10) NULL", [""] * 5, False),
        ("varchar(10) NOT NULL", ["", "x"], False),
        ("INTEGER NOT NULL", [], False),  # an empty table has nothing to show
    ],
)
def test_a_new_not_null_column_all_at_the_implicit_default_is_flagged(
    declared: str, values: list[object], flagged: bool
) -> None:
    profile = profile_column("party", "code", "added", declared, values)
    assert any("implicit default" in flag for flag in profile.flags) is flagged


def test_only_text_holding_booleans_is_the_wrong_kind() -> None:
    assert profile_column("t", "c", "filled", "VARCHAR(5)", ["True", "False"]).flags
    assert not profile_column("t", "c", "filled", "TINYINT(1) NOT NULL", [0, 1]).flags
    assert not profile_column("t", "c", "filled", "VARCHAR(5)", ["0", "1", "2"]).flags


def test_values_are_shown_as_a_reviewer_reads_them() -> None:
    assert [shown(v) for v in (None, "it's", 3, Decimal("1.50"), b"\x00\xff")] == [
        "NULL",
        "'it\\'s'",
        "3",
        "1.50",
        "0x00ff",
    ]
    assert shown("x" * 100) == "'" + "x" * 39 + "…'"


# --- captures -------------------------------------------------------------------------------------


def table(columns: tuple[str, ...], *rows: tuple[object, ...]) -> TableData:
    return TableData(columns, rows)


def test_a_step_that_adds_and_fills_a_column_is_told_apart_from_inserts() -> None:
    before = {
        "party": table(("id", "name"), (1, "a"), (2, "b")),
        "area": table(("id",), (1,)),
    }
    after = {
        "party": table(("id", "name", "colour"), (1, "A", None), (2, "b", None), (3, "c", None)),
        "area": table(("id",), (1,)),
    }

    [change] = step_changes(before, after)

    assert change.table == "party"
    assert change.added_columns == ["colour"]
    assert change.filled_columns == ["name"]  # "a" became "A"; row 3 is an insert
    assert (change.inserted, change.deleted) == (1, 0)


def test_losses_name_missing_values_rows_and_tables_but_not_extra_rows() -> None:
    reference = {
        "party": table(("id", "symbol"), (1, "a"), (2, "b"), (3, None)),
        "area": table(("id",), (1,), (2,)),
        "zone": table(("id",), (1,)),
    }
    now = {
        "party": table(("id", "symbol"), (1, None), (2, None), (3, None), (4, "new")),
        "area": table(("id",), (1,)),
    }

    assert losses(reference, now) == [
        "area: 1 of 2 rows lost",
        "party.symbol: 2 of 3 values not restored",
        "zone: all 1 row lost with the table",
    ]
    assert losses(reference, reference) == []


# --- values ---------------------------------------------------------------------------------------


def test_text_is_cut_to_the_columns_character_set_and_length() -> None:
    maker = ValueMaker(0)
    latin = ColumnShape("name", "string", length=12, charset="latin1")
    for value in maker.pool(latin, Random(1)):
        value.encode("latin-1")
        assert len(value) <= 12
    assert any(len(v) == 12 for v in maker.pool(latin, Random(1)))
    bmp = ColumnShape("name", "string", length=30, charset="utf8mb3")
    assert all(ord(c) <= 0xFFFF for v in maker.pool(bmp, Random(2)) for c in v)


def test_unique_text_stays_distinct_as_mysql_compares_it() -> None:
    column = ColumnShape("name", "string", length=8, nullable=False)
    taken = {comparison_key("1-ADRIAN")}

    values = ValueMaker(0).unique_values(column, 40, Random(0), taken)

    assert len(values) == 40
    keys = [comparison_key(v) for v in values]
    assert len(set(keys)) == 40 and comparison_key("1-ADRIAN") not in keys
    assert all(len(v) <= 8 for v in values)
    assert comparison_key("Zoë ") == comparison_key("zoe")
    # a unique BOOLEAN has two values, and a second run gives the same ones
    flag = ColumnShape("flag", "boolean")
    assert ValueMaker(0).unique_values(flag, 10, Random(0), set()) == [False, True]


def test_two_makers_in_two_threads_make_the_same_values() -> None:
    # the generator keeps no global state: two makers in two threads give the same values
    column = ColumnShape("email", "string", length=60)
    results: list[list[object]] = []

    def make() -> None:
        results.append(ValueMaker(5).column_values(column, 20, Random(9)))

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results[0] == results[1]
    assert any("@" in str(value) for value in results[0])  # an e-mail column holds addresses
