"""The MySQL/MariaDB false positives of Alembic's autogenerate, reproduced on the real server.

Each test creates tables with raw DDL the way a migrated MariaDB has them, declares models that
mean the same, and checks what plain `compare_metadata` reports (so a no-op filter would fail)
and what `without_false_positives` keeps. Cases Alembic 1.20 already gets right are pinned as
"reports nothing" so a regression in Alembic shows up here. Real differences must survive.
"""

from __future__ import annotations

from typing import Any

import alembic
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import make_url

from alembic_sentinel.drift.filters import without_false_positives

PK = "id INT(11) NOT NULL AUTO_INCREMENT PRIMARY KEY"
# Alembic < 1.11 compares fewer server defaults on MySQL (it skips several it cannot render the
# server's way): it reports a subset of what newer releases report, and the filter's answer on
# that subset is the same. The tests below say which half depends on the release.
ALEMBIC_COMPARES_EVERY_DEFAULT = tuple(
    int(part) for part in alembic.__version__.split(".")[:2]
) >= (1, 11)


def assert_reported(diffs: list[Any], expected: list[tuple[str, str]]) -> None:
    """What plain Alembic reports: all of `expected`, or a part of it before Alembic 1.11."""
    if ALEMBIC_COMPARES_EVERY_DEFAULT:
        assert summary(diffs) == sorted(expected)
    else:
        assert set(summary(diffs)) < set(expected)


def compare(url: str, ddl: list[str], metadata: sa.MetaData) -> tuple[list[Any], str]:
    """Run `ddl` on the scratch schema, then compare it with `metadata` as the drift check does."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in ddl:
                connection.exec_driver_sql(statement)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            return compare_metadata(context, metadata), connection.dialect.name
    finally:
        engine.dispose()


def summary(diffs: list[Any]) -> list[tuple[str, str]]:
    """(kind, column or index name) of every change, sorted."""
    found = []
    for diff in diffs:
        for change in diff if isinstance(diff, list) else [diff]:
            kind = change[0]
            if kind.startswith("modify_"):
                found.append((kind, change[3]))
            elif kind in ("add_column", "remove_column"):
                found.append((kind, change[3].name))
            else:
                found.append((kind, change[1].name))
    return sorted(found)


def split(
    diffs: list[Any], dialect: str = "mysql", metadata: sa.MetaData | None = None
) -> tuple[list[Any], list[Any]]:
    kept, dropped = without_false_positives(diffs, dialect, (10, 11), metadata=metadata)
    assert sorted(summary(kept) + summary(dropped)) == summary(diffs), "a change got lost"
    assert all(diff for diff in kept + dropped), "an empty list was left behind"
    return kept, dropped


def table(metadata: sa.MetaData, name: str, *columns: Any) -> sa.Table:
    return sa.Table(name, metadata, sa.Column("id", sa.Integer, primary_key=True), *columns)


def col(name: str, type_: Any, *args: Any, **kwargs: Any) -> sa.Column[Any]:
    return sa.Column(name, type_, *args, **kwargs)


# ----------------------------------------------------------------- 1. Boolean vs TINYINT(1)


def test_boolean_stored_as_tinyint_is_not_reported(mysql_url: str) -> None:
    """Does not reproduce: Alembic treats BOOL and TINYINT as synonyms and ignores the width."""
    md = sa.MetaData()
    table(
        md,
        "t",
        col("a", sa.Boolean, nullable=False),
        col("b", sa.Boolean),
        col("c", sa.Boolean, nullable=False),
        col("d", sa.Boolean, nullable=False, server_default="0"),
    )
    ddl = (
        f"CREATE TABLE t ({PK}, a TINYINT(1) NOT NULL, b BOOLEAN, c BOOL NOT NULL,"
        " d TINYINT(1) NOT NULL DEFAULT '0')"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert diffs == []
    assert split(diffs, dialect) == ([], [])


def test_boolean_default_spelled_true_false_is_dropped(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "t",
        col("a", sa.Boolean, nullable=False, server_default=sa.false()),
        col("b", sa.Boolean, nullable=False, server_default=sa.true()),
        col("c", sa.Boolean, nullable=False, server_default=sa.text("false")),
        col("d", sa.Boolean, nullable=False, server_default=sa.text("TRUE")),
    )
    ddl = (
        f"CREATE TABLE t ({PK}, a TINYINT(1) NOT NULL DEFAULT 0, b TINYINT(1) NOT NULL DEFAULT 1,"
        " c BOOLEAN NOT NULL DEFAULT FALSE, d BOOL NOT NULL DEFAULT TRUE)"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert summary(diffs) == [("modify_default", c) for c in "abcd"]
    kept, dropped = split(diffs, dialect)
    assert kept == []
    assert summary(dropped) == summary(diffs)


def test_boolean_real_changes_survive(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "t",
        col("a", sa.Boolean, nullable=False, server_default=sa.true()),
        col("b", sa.String(5)),
        col("c", sa.Integer),
    )
    ddl = f"CREATE TABLE t ({PK}, a TINYINT(1) NOT NULL DEFAULT 0, b TINYINT(1), c BIT(1))"
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert summary(diffs) == [
        ("modify_default", "a"),
        ("modify_type", "b"),
        ("modify_type", "c"),
    ]
    assert split(diffs, dialect) == (diffs, [])


# ------------------------------------------------------------- 2. indexes for foreign keys

PARENT = f"CREATE TABLE p ({PK}, a INT(11), b INT(11), CONSTRAINT uq_ab UNIQUE (a, b))"


def parent(md: sa.MetaData) -> None:
    table(md, "p", col("a", sa.Integer), col("b", sa.Integer), sa.UniqueConstraint("a", "b"))


def index_names(url: str, table_name: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {ix["name"] for ix in sa.inspect(connection).get_indexes(table_name)}
    finally:
        engine.dispose()


def test_implicit_foreign_key_indexes_are_not_reported(mysql_url: str) -> None:
    """Does not reproduce: Alembic skips indexes named like the FK constraint or the column."""
    md = sa.MetaData()
    parent(md)
    table(
        md,
        "c",
        col("p_id", sa.Integer, sa.ForeignKey("p.id")),  # named in the DB, not in the model
        col("q_id", sa.Integer, sa.ForeignKey("p.id")),
        col("r_id", sa.Integer, sa.ForeignKey("p.id", name="fk_c_r")),
        col("x", sa.Integer),
        col("y", sa.Integer),
        col("v", sa.Integer),
        col("w", sa.Integer),
        sa.ForeignKeyConstraint(["x", "y"], ["p.a", "p.b"], name="fk_c_xy"),
        sa.ForeignKeyConstraint(["v", "w"], ["p.a", "p.b"]),
    )
    ddl = (
        f"CREATE TABLE c ({PK}, p_id INT(11), q_id INT(11), r_id INT(11), x INT(11), y INT(11),"
        " v INT(11), w INT(11),"
        " CONSTRAINT fk_c_p FOREIGN KEY (p_id) REFERENCES p (id),"
        " FOREIGN KEY (q_id) REFERENCES p (id),"
        " CONSTRAINT fk_c_r FOREIGN KEY (r_id) REFERENCES p (id),"
        " CONSTRAINT fk_c_xy FOREIGN KEY (x, y) REFERENCES p (a, b),"
        " FOREIGN KEY (v, w) REFERENCES p (a, b))"
    )
    diffs, dialect = compare(mysql_url, [PARENT, ddl], md)
    assert index_names(mysql_url, "c") == {"fk_c_p", "q_id", "fk_c_r", "fk_c_xy", "v"}
    assert diffs == []
    assert split(diffs, dialect, md) == ([], [])


def test_index_a_declared_foreign_key_needs_is_dropped(mysql_url: str) -> None:
    """An index that existed before the FK serves it, and the server will not drop it."""
    md = sa.MetaData()
    parent(md)
    table(
        md,
        "c",
        col("p_id", sa.Integer, sa.ForeignKey("p.id", name="fk_c_p")),
        col("q_id", sa.Integer, sa.ForeignKey("p.id")),
        col("z", sa.Integer),
    )
    ddl = [
        PARENT,
        f"CREATE TABLE c ({PK}, p_id INT(11), q_id INT(11), z INT(11),"
        " KEY ix_c_p_id (p_id), KEY ix_c_q_z (q_id, z))",
        "ALTER TABLE c ADD CONSTRAINT fk_c_p FOREIGN KEY (p_id) REFERENCES p (id)",
        "ALTER TABLE c ADD FOREIGN KEY (q_id) REFERENCES p (id)",
    ]
    diffs, dialect = compare(mysql_url, ddl, md)
    assert summary(diffs) == [("remove_index", "ix_c_p_id"), ("remove_index", "ix_c_q_z")]
    engine = sa.create_engine(mysql_url)
    try:
        with pytest.raises(sa.exc.OperationalError, match="needed in a foreign key constraint"):
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP INDEX ix_c_p_id ON c")
    finally:
        engine.dispose()
    kept, dropped = split(diffs, dialect, md)
    assert kept == []
    assert summary(dropped) == summary(diffs)
    # Without the models the filter cannot know the FK is declared: it keeps the removals.
    assert split(diffs, dialect) == (diffs, [])


def test_foreign_key_index_real_differences_survive(mysql_url: str) -> None:
    md = sa.MetaData()
    parent(md)
    # FK dropped (by a migration) and no longer in the model: the leftover index is real drift.
    table(md, "gone", col("p_id", sa.Integer))
    # Two undeclared indexes serve one FK: one of them can go.
    table(
        md,
        "twice",
        col("p_id", sa.Integer, sa.ForeignKey("p.id", name="fk_twice_p")),
        col("z", sa.Integer),
    )
    # The model renames the FK's index: drop the old one after creating the new one.
    table(
        md,
        "renamed",
        col("p_id", sa.Integer, sa.ForeignKey("p.id", name="fk_renamed_p")),
        sa.Index("ix_new", "p_id"),
    )
    # The model drops the FK too: its index then goes as well.
    table(md, "unlinked", col("p_id", sa.Integer))
    # A model index really missing from the database.
    table(md, "missing", col("z", sa.Integer, index=True))
    ddl = [
        PARENT,
        f"CREATE TABLE gone ({PK}, p_id INT(11),"
        " CONSTRAINT fk_gone_p FOREIGN KEY (p_id) REFERENCES p (id))",
        "ALTER TABLE gone DROP FOREIGN KEY fk_gone_p",
        f"CREATE TABLE twice ({PK}, p_id INT(11), z INT(11), KEY ix_a (p_id), KEY ix_b (p_id, z),"
        " CONSTRAINT fk_twice_p FOREIGN KEY (p_id) REFERENCES p (id))",
        f"CREATE TABLE renamed ({PK}, p_id INT(11), KEY ix_old (p_id),"
        " CONSTRAINT fk_renamed_p FOREIGN KEY (p_id) REFERENCES p (id))",
        f"CREATE TABLE unlinked ({PK}, p_id INT(11), KEY ix_unlinked (p_id),"
        " CONSTRAINT fk_unlinked_p FOREIGN KEY (p_id) REFERENCES p (id))",
        f"CREATE TABLE missing ({PK}, z INT(11))",
    ]
    diffs, dialect = compare(mysql_url, ddl, md)
    assert summary(diffs) == [
        ("add_index", "ix_missing_z"),
        ("add_index", "ix_new"),
        ("remove_fk", "fk_unlinked_p"),
        ("remove_index", "fk_gone_p"),
        ("remove_index", "ix_a"),
        ("remove_index", "ix_b"),
        ("remove_index", "ix_old"),
        ("remove_index", "ix_unlinked"),
    ]
    assert split(diffs, dialect, md) == (diffs, [])


# ---------------------------------------------------------------------- 3. server defaults


def test_server_default_spellings_are_dropped(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "d",
        # Alembic already gets these right:
        col("i1", sa.Integer, server_default="0"),
        col("i2", sa.Integer, server_default=sa.text("0")),
        col("s1", sa.String(10), server_default="abc"),
        col("s2", sa.String(10), server_default=sa.text("'abc'")),
        col("t2", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
        col("t3", sa.DateTime, server_default=sa.func.current_timestamp()),
        col("t4", sa.DateTime, server_default=sa.text("current_timestamp()")),
        col(
            "u1",
            sa.TIMESTAMP,
            nullable=False,
            server_default=sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"),
        ),
        col("n3", sa.Numeric(10, 2), server_default=sa.text("0.00")),
        # Alembic reports these:
        col("day", sa.Date, server_default="2000-01-01"),
        col("s3", sa.String(10), server_default=""),
        col("s4", sa.String(10), server_default="it's"),
        col("s5", sa.String(10), server_default="a\\b"),
        col("t1", sa.DateTime, server_default=sa.func.now()),
        col("t5", sa.DateTime, server_default=sa.func.localtimestamp()),
        col("t6", mysql.DATETIME(fsp=6), server_default=sa.text("now(6)")),
        col("u2", sa.TIMESTAMP, nullable=False, server_default=sa.text("now() ON UPDATE now()")),
        col(
            "u3",
            mysql.TIMESTAMP(fsp=3),
            nullable=False,
            server_default=sa.text("now(3) ON UPDATE localtimestamp(3)"),
        ),
        col("n1", sa.Numeric(10, 2), server_default="0"),
        col("n2", sa.Numeric(10, 2), server_default="0.5"),
        col("at", sa.DateTime, server_default="2000-01-01"),
    )
    ddl = (
        f"CREATE TABLE d ({PK}, i1 INT(11) DEFAULT 0, i2 INT(11) DEFAULT '0',"
        " s1 VARCHAR(10) DEFAULT 'abc', s2 VARCHAR(10) DEFAULT 'abc',"
        " t2 DATETIME DEFAULT now(), t3 DATETIME DEFAULT current_timestamp(),"
        " t4 DATETIME DEFAULT CURRENT_TIMESTAMP,"
        " u1 TIMESTAMP NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),"
        " n3 DECIMAL(10,2) DEFAULT 0, day DATE DEFAULT '2000-01-01',"
        " s3 VARCHAR(10) DEFAULT '', s4 VARCHAR(10) DEFAULT 'it''s',"
        " s5 VARCHAR(10) DEFAULT 'a\\\\b',"
        " t1 DATETIME DEFAULT CURRENT_TIMESTAMP, t5 DATETIME DEFAULT CURRENT_TIMESTAMP,"
        " t6 DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),"
        " u2 TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
        " u3 TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),"
        " n1 DECIMAL(10,2) DEFAULT 0, n2 DECIMAL(10,2) DEFAULT 0.5,"
        " at DATETIME DEFAULT '2000-01-01')"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    reported = ["s3", "s4", "s5", "t1", "t5", "t6", "u2", "u3", "n1", "n2", "at", "day"]
    assert_reported(diffs, [("modify_default", c) for c in reported])
    kept, dropped = split(diffs, dialect)
    assert kept == []
    assert summary(dropped) == summary(diffs)


def test_server_default_real_changes_survive(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "d",
        col("i", sa.Integer, server_default="1"),
        col("s", sa.String(10), server_default="abd"),
        col("case", sa.String(10), server_default="abc"),
        col("zero", sa.String(10), server_default="0.0"),
        col("n", sa.Numeric(10, 2), server_default="0.5"),
        col("gone", sa.DateTime),
        col("added", sa.String(10), server_default="x"),
        col("fsp", mysql.DATETIME(fsp=6), server_default=sa.func.now()),
        col("noupd", sa.TIMESTAMP, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")),
        col("upd", sa.TIMESTAMP, nullable=False, server_default=sa.text("now() ON UPDATE now()")),
        col("at", sa.DateTime, server_default="2000-01-02"),
        col("flag", sa.Boolean, nullable=False, server_default=sa.text("1")),
    )
    ddl = (
        f"CREATE TABLE d ({PK}, i INT(11) DEFAULT 0, s VARCHAR(10) DEFAULT 'abc',"
        " `case` VARCHAR(10) DEFAULT 'ABC', zero VARCHAR(10) DEFAULT '0',"
        " n DECIMAL(10,2) DEFAULT 0, gone DATETIME DEFAULT CURRENT_TIMESTAMP,"
        " added VARCHAR(10), fsp DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),"
        " noupd TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
        " upd TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
        " at DATETIME DEFAULT '2000-01-01', flag BOOL NOT NULL DEFAULT FALSE)"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    columns = ["i", "s", "case", "zero", "n", "gone", "added", "fsp", "noupd", "upd", "at", "flag"]
    # before Alembic 1.11 some of these real changes go unreported: no filter can see them
    assert_reported(diffs, [("modify_default", c) for c in columns])
    assert split(diffs, dialect) == (diffs, [])


# ----------------------------------------------------------------------- 4. display widths


def test_display_widths(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "w",
        # Alembic already gets these right:
        col("a", sa.Integer),
        col("b", sa.BigInteger),
        col("c", mysql.TINYINT()),
        col("d", sa.SmallInteger),
        col("e", mysql.MEDIUMINT()),
        col("f", mysql.INTEGER(unsigned=True)),
        # Alembic reports a width the model spells out:
        col("g", mysql.INTEGER(display_width=10)),
        col("h", mysql.BIGINT(display_width=20)),
        col("i", mysql.TINYINT(display_width=4)),
        col("j", mysql.INTEGER(display_width=11, unsigned=True)),
    )
    ddl = (
        f"CREATE TABLE w ({PK}, a INT(11), b BIGINT(20), c TINYINT(4), d SMALLINT(6),"
        " e MEDIUMINT(9), f INT(10) UNSIGNED, g INT(11), h BIGINT(19), i TINYINT(3),"
        " j INT(10) UNSIGNED)"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert summary(diffs) == [("modify_type", c) for c in "ghij"]
    kept, dropped = split(diffs, dialect)
    assert kept == []
    assert summary(dropped) == summary(diffs)


def test_integer_real_type_changes_survive(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "w",
        col("a", sa.BigInteger),
        col("b", sa.Integer),
        col("c", mysql.INTEGER(display_width=11)),
        col("d", mysql.INTEGER(display_width=6, unsigned=True, zerofill=True)),
    )
    ddl = (
        f"CREATE TABLE w ({PK}, a INT(11), b SMALLINT(6), c INT(10) UNSIGNED,"
        " d INT(5) UNSIGNED ZEROFILL)"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert summary(diffs) == [("modify_type", c) for c in "abcd"]
    assert split(diffs, dialect) == (diffs, [])


def test_float_53_stored_as_double_is_not_reported(mysql_url: str) -> None:
    """MySQL/MariaDB store FLOAT(p) with 25 <= p <= 53 as DOUBLE (and DOUBLE PRECISION, REAL
    as DOUBLE); FLOAT(p <= 24) as FLOAT. Where the stored type differs, the change is real."""
    md = sa.MetaData()
    table(
        md,
        "f",
        col("a", sa.Float(53)),
        col("b", sa.Float(precision=30)),
        col("c", mysql.DOUBLE()),
        col("d", sa.Float(10)),
        col("e", sa.Float(53)),
        col("g", sa.Float(10)),
    )
    ddl = (
        f"CREATE TABLE f ({PK}, a DOUBLE, b DOUBLE, c DOUBLE PRECISION, d FLOAT, e FLOAT, g DOUBLE)"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    # Alembic reports DOUBLE against FLOAT(53); FLOAT against FLOAT(53) it lets pass itself
    assert {("modify_type", "a"), ("modify_type", "b")} <= set(summary(diffs))
    kept, dropped = split(diffs, dialect)
    assert summary(kept) == [("modify_type", "g")]
    assert {("modify_type", "a"), ("modify_type", "b")} <= set(summary(dropped))


# -------------------------------------------------------------------------- 5. JSON on MariaDB


def test_json_stored_as_longtext_is_not_reported(mysql_url: str) -> None:
    """Does not reproduce: Alembic treats JSON and LONGTEXT as synonyms; CHECKs are not compared."""
    md = sa.MetaData()
    table(
        md,
        "j",
        col("a", sa.JSON),
        col("b", sa.JSON, nullable=False),
        col("c", mysql.JSON),
    )
    ddl = (
        f"CREATE TABLE j ({PK}, a JSON,"
        " b LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(b)),"
        " c JSON)"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    engine = sa.create_engine(mysql_url)
    try:
        with engine.connect() as connection:
            stored = {c["name"]: c["type"] for c in sa.inspect(connection).get_columns("j")}
    finally:
        engine.dispose()
    assert all(isinstance(stored[c], mysql.LONGTEXT) for c in "abc")
    assert diffs == []
    assert split(diffs, dialect) == ([], [])


def test_json_real_type_changes_survive(mysql_url: str) -> None:
    md = sa.MetaData()
    table(md, "j", col("a", sa.JSON), col("b", sa.Text))
    ddl = f"CREATE TABLE j ({PK}, a TEXT, b JSON)"
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert summary(diffs) == [("modify_type", "a"), ("modify_type", "b")]
    assert split(diffs, dialect) == (diffs, [])


# ------------------------------------------------------------------ 6. charset and collation

TABLE_DEFAULTS = "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"


def test_default_charset_and_collation_are_not_reported(mysql_url: str) -> None:
    """Does not reproduce: Alembic ignores a charset or collation only one side names."""
    md = sa.MetaData()
    table(
        md,
        "s",
        col("a", sa.String(100)),
        col("b", sa.Text),
        col("c", sa.String(100)),
        col("d", sa.String(100, collation="utf8mb4_unicode_ci")),
        col("e", sa.Text),
        col("f", mysql.VARCHAR(100, charset="utf8mb4")),
    )
    ddl = (
        f"CREATE TABLE s ({PK}, a VARCHAR(100) COLLATE utf8mb4_general_ci,"
        " b TEXT CHARACTER SET utf8mb4, c VARCHAR(100),"
        " d VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,"
        f" e TEXT CHARACTER SET latin1, f VARCHAR(100)) {TABLE_DEFAULTS}"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert diffs == []
    assert split(diffs, dialect) == ([], [])


def test_utf8_reported_as_utf8mb3_is_dropped(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "s",
        col("a", mysql.VARCHAR(100, charset="utf8")),
        col("b", sa.String(100, collation="utf8_bin")),
        col("c", mysql.TEXT(charset="utf8", collation="utf8_general_ci")),
    )
    ddl = (
        f"CREATE TABLE s ({PK}, a VARCHAR(100) CHARACTER SET utf8,"
        " b VARCHAR(100) CHARACTER SET utf8 COLLATE utf8_bin, c TEXT CHARACTER SET utf8)"
        f" {TABLE_DEFAULTS}"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert summary(diffs) == [("modify_type", c) for c in "abc"]
    kept, dropped = split(diffs, dialect)
    assert kept == []
    assert summary(dropped) == summary(diffs)


def test_charset_and_collation_real_changes_survive(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "s",
        col("a", sa.String(100, collation="utf8mb4_bin")),
        col("b", sa.String(200)),
        col("c", mysql.VARCHAR(100, charset="latin1")),
        col("d", sa.String(100, collation="utf8_bin")),
        col("e", mysql.VARCHAR(200, charset="utf8")),
        col("f", sa.Text(collation="utf8mb4_bin")),
    )
    ddl = (
        f"CREATE TABLE s ({PK}, a VARCHAR(100) COLLATE utf8mb4_general_ci, b VARCHAR(100),"
        " c VARCHAR(100) CHARACTER SET utf8, d VARCHAR(100) CHARACTER SET utf8,"
        " e VARCHAR(100) CHARACTER SET utf8, f TEXT CHARACTER SET latin1)"
        f" {TABLE_DEFAULTS}"
    )
    diffs, dialect = compare(mysql_url, [ddl], md)
    assert summary(diffs) == [("modify_type", c) for c in "abcdef"]
    assert split(diffs, dialect) == (diffs, [])


# --------------------------------------------------------------------------------- the function


def test_a_column_list_is_filtered_item_by_item(mysql_url: str) -> None:
    md = sa.MetaData()
    table(md, "t", col("a", sa.String(200), server_default=""), col("b", sa.Integer))
    ddl = f"CREATE TABLE t ({PK}, a VARCHAR(100) DEFAULT '', b BIGINT(20))"
    diffs, dialect = compare(mysql_url, [ddl], md)
    [a_changes, b_changes] = sorted(diffs, key=lambda diff: str(diff[0][3]))
    kept, dropped = split(diffs, dialect)
    if not ALEMBIC_COMPARES_EVERY_DEFAULT:  # the '' default goes unreported: nothing to drop
        assert [change[0] for change in a_changes] == ["modify_type"]
        assert (kept, dropped) == (diffs, [])
        return
    assert [change[0] for change in a_changes] == ["modify_type", "modify_default"]
    assert sorted(kept, key=lambda diff: str(diff[0][3])) == [[a_changes[0]], b_changes]
    assert dropped == [[a_changes[1]]]


def test_the_mariadb_dialect_is_filtered_too(mysql_url: str) -> None:
    url = make_url(mysql_url).set(drivername="mariadb+pymysql").render_as_string(False)
    md = sa.MetaData()
    table(md, "t", col("a", sa.DateTime, server_default=sa.func.now()))
    diffs, dialect = compare(url, [f"CREATE TABLE t ({PK}, a DATETIME DEFAULT now())"], md)
    assert dialect == "mariadb"
    assert summary(diffs) == [("modify_default", "a")]
    assert split(diffs, dialect) == ([], diffs)


def test_other_dialects_are_not_filtered(mysql_url: str) -> None:
    md = sa.MetaData()
    table(
        md,
        "t",
        col("a", sa.DateTime, server_default=sa.func.now()),
        col("b", mysql.INTEGER(display_width=10)),
        col("p_id", sa.Integer, sa.ForeignKey("t.id")),
    )
    ddl = [
        f"CREATE TABLE t ({PK}, a DATETIME DEFAULT CURRENT_TIMESTAMP, b INT(11), p_id INT(11),"
        " KEY ix_t_p (p_id))",
        "ALTER TABLE t ADD FOREIGN KEY (p_id) REFERENCES t (id)",
    ]
    diffs, dialect = compare(mysql_url, ddl, md)
    assert split(diffs, dialect, md)[0] == []
    for other in ("sqlite", "postgresql"):
        kept, dropped = without_false_positives(diffs, other, None, metadata=md)
        assert (kept, dropped) == (diffs, [])
        assert kept is not diffs
