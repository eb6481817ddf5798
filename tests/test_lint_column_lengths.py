"""L340: a VARCHAR or CHAR longer than MySQL stores (issue 20, round 37's misses).

Checked on MariaDB 10.11: under utf8mb4 `VARCHAR(16384)` is ERROR 1074 (max = 16383), under
utf8mb3 `VARCHAR(21846)`, under latin1 `VARCHAR(65536)`, and `CHAR(256)` in any character set.
Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import line_of, lint, revision

MYSQL = "from sqlalchemy.dialects import mysql"


@pytest.mark.parametrize(
    "upgrade",
    [
        'op.add_column("job", sa.Column("filter", sa.String(16384), nullable=True))',
        'op.add_column("job", sa.Column("filter", sa.String(length=20000), nullable=True))',
        'op.create_table("job", sa.Column("id", sa.Integer(), primary_key=True),'
        ' sa.Column("code", sa.CHAR(300)))',
        'op.alter_column("job", "filter", existing_type=sa.String(1024),'
        " type_=sa.String(16384), existing_nullable=False)",
        # NATIONAL VARCHAR is utf8mb3: 21845 characters at most
        'op.add_column("job", sa.Column("filter", sa.NVARCHAR(30000), nullable=True))',
        # a multi-byte character set of the column's own
        'op.add_column("job", sa.Column("f", mysql.VARCHAR(22000, charset="utf8mb3")))',
        # raw SQL, as written by hand
        'op.execute("ALTER TABLE `job` CHANGE COLUMN `filter` `filter` VARCHAR(16384) NOT NULL '
        "COMMENT 'the filter'\")",
        'op.execute("CREATE TABLE note (id INT PRIMARY KEY, body varchar(50000))")',
        'op.execute("ALTER TABLE job ADD COLUMN code CHAR(256)")',
    ],
)
def test_a_column_longer_than_mysql_stores_is_reported(upgrade: str) -> None:
    source = revision(upgrade, header=MYSQL)
    findings = [f for f in lint(source) if f.code == "L340"]
    assert len(findings) == 1
    assert findings[0].line == line_of(source, upgrade.split("(")[0])
    assert "ERROR 1074" in findings[0].message


@pytest.mark.parametrize(
    "upgrade",
    [
        'op.add_column("job", sa.Column("filter", sa.String(16383), nullable=True))',
        'op.add_column("job", sa.Column("filter", sa.Text(), nullable=True))',
        'op.add_column("job", sa.Column("code", sa.CHAR(255), nullable=True))',
        # a single-byte character set of the column's own
        'op.add_column("job", sa.Column("f", sa.String(60000, collation="latin1_bin")))',
        'op.add_column("job", sa.Column("f", mysql.VARCHAR(60000, charset="ascii")))',
        'op.execute("ALTER TABLE job MODIFY filter VARCHAR(60000) CHARACTER SET latin1")',
        # a table character set in the statement lint does not place on the column
        'op.execute("CREATE TABLE note (body VARCHAR(60000)) DEFAULT CHARSET=latin1")',
        # the length inside a string literal is data
        "op.execute(\"UPDATE job SET note = 'VARCHAR(20000) is too long' WHERE id = 1\")",
        'op.add_column("job", sa.Column("blob", sa.LargeBinary(70000), nullable=True))',
    ],
)
def test_a_column_mysql_stores_is_not_reported(upgrade: str) -> None:
    assert "L340" not in codes(revision(upgrade, header=MYSQL))


def test_the_table_character_set_of_the_same_revision_counts() -> None:
    source = revision(
        """
        op.create_table(
            "job",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("filter", sa.String(30000)),
            mysql_charset="latin1",
        )
        """
    )
    assert "L340" not in codes(source)


def test_without_a_known_character_set_older_servers_are_not_guessed() -> None:
    # MariaDB's and MySQL 5.7's server default is latin1: 20000 characters fit there
    source = revision('op.add_column("job", sa.Column("f", sa.String(20000)))')
    assert "L340" in codes(source, target="mysql-8.0")
    assert "L340" not in codes(source, target="mariadb-10.11")
    assert "L340" not in codes(source, target="mysql-5.7")
    assert "L340" not in codes(source, target="postgresql")
    # over what any character set holds
    longest = revision('op.add_column("job", sa.Column("f", sa.String(70000)))')
    assert "L340" in codes(longest, target="mariadb-10.11")
