"""L312 counts every key part's bytes, not only the strings' (issue 20, round 37's misses).

InnoDB's 3072-byte limit is on the sum of the key parts: three VARCHAR(256) under utf8mb4 fill
it exactly, and a DATETIME (5 bytes) or INT (4) after them is ERROR 1071 (checked on MariaDB
10.11). MariaDB 10.4+ keeps a longer UNIQUE key as a hash, so there only a primary key or a
plain index is refused. Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import lint, revision

from alembic_sentinel.lint.revision_model import DATETIME, INTEGER, NUMERIC, TypeSpec
from alembic_sentinel.lint.type_rules import fixed_key_bytes

MYSQL = "from sqlalchemy.dialects import mysql"


def _table(last: str, key: str = 'sa.PrimaryKeyConstraint("site", "path", "lang", "at")') -> str:
    return revision(
        f"""
        op.create_table(
            "visit_log",
            sa.Column("site", sa.String(length=256), nullable=False),
            sa.Column("path", sa.String(length=256), nullable=False),
            sa.Column("lang", sa.String(length=256), nullable=False),
            sa.Column("at", {last}, nullable=False),
            sa.Column("note", sa.Text(), nullable=True),
            {key},
        )
        """,
        header=MYSQL,
    )


@pytest.mark.parametrize(
    "last",
    [
        "sa.DateTime()",
        "sa.Integer()",
        "sa.Boolean()",
        "sa.SmallInteger()",
        "sa.BigInteger()",
        "sa.Date()",
        "sa.TIMESTAMP()",
        "mysql.DATETIME(fsp=6)",
        "sa.Numeric(10, 2)",
        "mysql.TINYINT(display_width=1)",
    ],
)
def test_a_fixed_size_column_after_a_full_string_key_is_over_the_limit(last: str) -> None:
    findings = [f for f in lint(_table(last)) if f.code == "L312"]
    assert len(findings) == 1
    assert "at " in findings[0].message and "3072 (" not in findings[0].message


def test_the_message_adds_up_every_part() -> None:
    (finding,) = [f for f in lint(_table("sa.DateTime()")) if f.code == "L312"]
    assert "3077 bytes" in finding.message
    assert "at 5" in finding.message and "site 1024" in finding.message


@pytest.mark.parametrize(
    ("key", "target"),
    [
        # a plain index is refused on MariaDB too
        ('sa.Index("ix_visit", "site", "path", "lang", "at")', "mariadb-10.11"),
        ('sa.UniqueConstraint("site", "path", "lang", "at")', "mysql-8.0"),
        ('sa.UniqueConstraint("site", "path", "lang", "at")', "mariadb-10.3"),
    ],
)
def test_indexes_and_unique_keys_count_the_same_bytes(key: str, target: str) -> None:
    source = revision(
        f"""
        op.create_table(
            "visit_log",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("site", sa.String(length=256), nullable=False),
            sa.Column("path", sa.String(length=256), nullable=False),
            sa.Column("lang", sa.String(length=256), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            {key},
        )
        """
    )
    assert "L312" in codes(source, target=target)


@pytest.mark.parametrize(
    "source",
    [
        # the strings leave room for the rest: 3 x 255 x 4 + 5 + 4 = 3069
        revision(
            """
            op.create_table(
                "visit_log",
                sa.Column("site", sa.String(255), nullable=False),
                sa.Column("path", sa.String(255), nullable=False),
                sa.Column("lang", sa.String(255), nullable=False),
                sa.Column("at", sa.DateTime(), nullable=False),
                sa.Column("n", sa.Integer(), nullable=False),
                sa.PrimaryKeyConstraint("site", "path", "lang", "at", "n"),
            )
            """
        ),
        # a prefix length keeps the string part short
        revision(
            """
            op.add_column("visit_log", sa.Column("url", sa.String(768), nullable=True))
            op.add_column("visit_log", sa.Column("day", sa.Date(), nullable=True))
            op.create_index("ix_visit_url", "visit_log", ["url", "day"], mysql_length={"url": 700})
            """
        ),
        # a latin1 table: 3 x 256 + 5 bytes
        revision(
            """
            op.create_table(
                "visit_log",
                sa.Column("site", sa.String(256), nullable=False),
                sa.Column("path", sa.String(256), nullable=False),
                sa.Column("lang", sa.String(256), nullable=False),
                sa.Column("at", sa.DateTime(), nullable=False),
                sa.PrimaryKeyConstraint("site", "path", "lang", "at"),
                mysql_charset="latin1",
            )
            """
        ),
        # a column of a type lint does not read is not guessed
        revision(
            """
            op.create_table(
                "visit_log",
                sa.Column("site", sa.String(256), nullable=False),
                sa.Column("path", sa.String(256), nullable=False),
                sa.Column("lang", sa.String(256), nullable=False),
                sa.Column("at", MyStamp(), nullable=False),
                sa.PrimaryKeyConstraint("site", "path", "lang", "at"),
            )
            """
        ),
    ],
)
def test_a_key_within_the_limit_is_not_reported(source: str) -> None:
    assert "L312" not in codes(source)


def test_mariadb_keeps_a_longer_unique_key_as_a_hash() -> None:
    unique = _table("sa.DateTime()", 'sa.UniqueConstraint("site", "path", "lang", "at")')
    assert "L312" not in codes(unique, target="mariadb-10.11")
    # its primary key is still refused
    assert "L312" in codes(_table("sa.DateTime()"), target="mariadb-10.11")


@pytest.mark.parametrize(
    "key",
    [
        'sa.UniqueConstraint("site", "path", "lang", "note_key")',
        'sa.UniqueConstraint("note_key", "site", "path")',
    ],
)
def test_mariadb_hashes_a_string_only_unique_key_too(key: str) -> None:
    """A UNIQUE key over strings alone past 3072 bytes is also kept as a hash on MariaDB 10.4+
    (checked on 10.11); the same columns as a plain index or on MariaDB 10.3 / MySQL are ERROR
    1071."""
    source = _table("sa.String(length=600)", key).replace('"at"', '"note_key"')
    assert "L312" not in codes(source, target="mariadb-10.11")
    assert "L312" in codes(source, target="mariadb-10.3")
    assert "L312" in codes(source, target="mysql-8.0")
    index = source.replace("sa.UniqueConstraint(", 'sa.Index("ix_note", ')
    assert "L312" in codes(index, target="mariadb-10.11")


@pytest.mark.parametrize(
    ("column_type", "size"),
    [
        (TypeSpec("DATETIME", DATETIME, precision=3), 7),
        (TypeSpec("TIMESTAMP", DATETIME, precision=6), 7),
        (TypeSpec("DateTime", DATETIME, precision=-1), 5),
        (TypeSpec("Numeric", NUMERIC, precision=18, scale=4), 9),
        (TypeSpec("DECIMAL", NUMERIC, precision=65, scale=30), 30),
        (TypeSpec("Numeric", NUMERIC), None),
        (TypeSpec("Float", NUMERIC, precision=53), None),
        (TypeSpec("MEDIUMINT", INTEGER), 3),
    ],
)
def test_the_sizes_are_mysqls_storage_sizes(column_type: TypeSpec, size: int | None) -> None:
    # each checked against ERROR 1071 on MariaDB 10.11 (a latin1 VARCHAR filling the rest)
    assert fixed_key_bytes(column_type) == size
