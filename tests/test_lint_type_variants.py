"""L307 and L324 read the type MySQL gets from a `with_variant` chain (issue 20, round 15).

A portable model often widens a column for MySQL alone: `sa.String(16777215)` everywhere, a
MEDIUMTEXT on MySQL (`.with_variant(MEDIUMTEXT, "mysql")`). On MySQL the column becomes the
variant, so TEXT to that chain widens it; the base type only counts where no MySQL or MariaDB
variant is named. Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import revision

MYSQL = "from sqlalchemy.dialects import mysql"
MEDIUMTEXT = "from sqlalchemy.dialects.mysql import MEDIUMTEXT, LONGTEXT"


def _retyped(new_type: str, old_type: str = "sa.TEXT()", header: str = "") -> str:
    return revision(
        f"""
        op.alter_column(
            "report",
            "body",
            existing_type={old_type},
            type_={new_type},
            existing_nullable=False,
        )
        """,
        header=header,
    )


@pytest.mark.parametrize(
    ("new_type", "header"),
    [
        ('sa.String(length=16777215).with_variant(MEDIUMTEXT, "mysql")', MEDIUMTEXT),
        ('sa.String(16777215).with_variant(mysql.MEDIUMTEXT(), "mysql")', MYSQL),
        ('sa.String(16777215).with_variant(mysql.LONGTEXT(), dialect_name="mariadb")', MYSQL),
        # a chain: the MySQL variant is not the last one named
        (
            'sa.String(16777215).with_variant(LONGTEXT, "mysql").with_variant(sa.Text(), "sqlite")',
            MEDIUMTEXT,
        ),
        ('sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")', MYSQL),
    ],
)
def test_a_mysql_variant_that_widens_the_column_is_not_narrowing(
    new_type: str, header: str
) -> None:
    assert "L307" not in codes(_retyped(new_type, header=header))


@pytest.mark.parametrize(
    ("new_type", "header"),
    [
        # no MySQL variant: MySQL gets the base type, a VARCHAR shorter than TEXT's values
        ('sa.String(1000).with_variant(sa.Text(), "postgresql")', ""),
        ('sa.String(1000).with_variant(sa.Text(), dialect_name="sqlite")', ""),
        # the MySQL variant itself is the narrow type
        ('sa.Text().with_variant(sa.String(255), "mysql")', ""),
        ('sa.Text().with_variant(mysql.VARCHAR(255), "mariadb")', MYSQL),
    ],
)
def test_the_type_mysql_gets_still_narrows(new_type: str, header: str) -> None:
    assert "L307" in codes(_retyped(new_type, header=header))


def test_a_mysql_variant_of_a_blob_that_lowers_its_maximum_is_reported() -> None:
    source = _retyped(
        'sa.LargeBinary().with_variant(mysql.BLOB(), "mysql")',
        old_type="mysql.MEDIUMBLOB()",
        header=MYSQL,
    )
    assert "L307" in codes(source)


def test_a_varchar_given_a_length_only_for_mysql_is_not_l324() -> None:
    source = revision(
        """
        title = sa.Column("title", sa.String().with_variant(sa.String(200), "mysql"))
        op.add_column("report", title)
        """
    )
    assert "L324" not in codes(source)


def test_a_varchar_without_length_and_no_mysql_variant_is_l324() -> None:
    source = revision(
        """
        title = sa.Column("title", sa.String().with_variant(sa.Text(), "postgresql"))
        op.add_column("report", title)
        """
    )
    assert "L324" in codes(source)
