"""L312 with a column that declares its own character set (issue 20, round 14).

A column stored in latin1 or ascii takes one byte a character in its index key, whatever the
table's character set; the MySQL variant of a portable type is the one MySQL stores. Fixtures
are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import revision

MYSQL = "from sqlalchemy.dialects import mysql"


def _indexed(column_type: str, header: str = "") -> str:
    return revision(
        f"""
        op.create_table(
            "asset",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("uri", {column_type}, nullable=False),
        )
        op.create_index("ix_asset_uri", "asset", ["uri"], unique=True)
        """,
        header=header,
    )


@pytest.mark.parametrize(
    ("column_type", "header"),
    [
        # the MySQL variant of a portable type, positional and by keyword
        (
            'sa.String(3000).with_variant(sa.String(3000, collation="latin1_general_cs"), "mysql")',
            "",
        ),
        (
            "sa.String(length=3000).with_variant("
            'sa.String(length=3000, collation="ascii_bin"), dialect_name="mariadb")',
            "",
        ),
        # a chain whose MySQL variant comes first
        (
            'sa.String(3000).with_variant(mysql.VARCHAR(3000, charset="latin1"), "mysql")'
            '.with_variant(sa.Text(), "sqlite")',
            MYSQL,
        ),
        # the column's own type
        ('mysql.VARCHAR(3000, charset="latin1")', MYSQL),
        ('sa.String(3000, collation="latin1_swedish_ci")', ""),
    ],
)
def test_a_single_byte_character_set_keeps_the_key_within_the_limit(
    column_type: str, header: str
) -> None:
    assert "L312" not in codes(_indexed(column_type, header))


@pytest.mark.parametrize(
    ("column_type", "header"),
    [
        # no character set: the table's utf8mb4, 12000 bytes
        ("sa.String(3000)", ""),
        # the variant is another dialect's: MySQL stores the base type in utf8mb4
        ('sa.String(3000).with_variant(sa.String(3000, collation="C"), "postgresql")', ""),
        # a multi-byte character set declared on the column
        ('sa.String(3000, collation="utf8mb4_bin")', ""),
        ('mysql.VARCHAR(1100, charset="utf8mb3")', MYSQL),
        # latin1, but longer than the limit itself
        ('sa.String(4000).with_variant(sa.String(4000, collation="latin1_bin"), "mysql")', ""),
    ],
)
def test_a_key_over_the_limit_in_the_column_character_set_is_reported(
    column_type: str, header: str
) -> None:
    assert "L312" in codes(_indexed(column_type, header))
