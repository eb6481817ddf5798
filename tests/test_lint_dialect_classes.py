"""A dialect test by the dialect's class (issue 20, round 14): `isinstance(bind.dialect,
SQLiteDialect)` is as exclusive as `bind.dialect.name == "sqlite"`, so only the target's branch
runs. Revisions of our own writing, linted for MySQL 8.0 and for PostgreSQL."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version


def _revision(imports: str, test: str) -> str:
    # the guarded branch runs PostgreSQL-only SQL (L331 on MySQL) and gives a TEXT column a
    # literal default (L313 on MySQL 8.0); the else branch is plain and portable
    return textwrap.dedent(
        '''
        """widen the note column"""
        import sqlalchemy as sa
        from alembic import op
        {imports}

        revision = "5c1e2d3f4a5b"
        down_revision = "0b9a8c7d6e5f"


        def upgrade():
            bind = op.get_bind()
            if {test}:
                bind.execute(sa.text("CREATE TYPE mood AS ENUM ('ok', 'sad')"))
                op.add_column("note", sa.Column("extra", sa.Text(), server_default=""))
            else:
                op.add_column("note", sa.Column("extra", sa.Text(), nullable=True))


        def downgrade():
            op.drop_column("note", "extra")
        '''
    ).format(imports=imports, test=test)


def _codes(tmp_path: Path, source: str, target: str = "mysql-8.0") -> set[str]:
    path = tmp_path / "5c1e2d3f4a5b_note.py"
    path.write_text(source)
    options = LintOptions(target=parse_server_version(target))
    return {f.code for f in lint_files([(path.name, path)], options).findings}


PG_ONLY = [
    ("from sqlalchemy.dialects import postgresql", "isinstance(bind.dialect, postgresql.dialect)"),
    (
        "from sqlalchemy.dialects.postgresql.base import PGDialect",
        "isinstance(bind.dialect, PGDialect)",
    ),
    (
        "from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2 as Pg",
        "isinstance(op.get_bind().dialect, Pg)",
    ),
    (
        "from sqlalchemy.dialects.sqlite.base import SQLiteDialect",
        "isinstance(bind.dialect, SQLiteDialect)",
    ),
    (
        "from sqlalchemy.dialects.sqlite.base import SQLiteDialect\n"
        "from sqlalchemy.dialects.postgresql.base import PGDialect",
        "isinstance(bind.dialect, (SQLiteDialect, PGDialect))",
    ),
    (
        "from sqlalchemy.dialects.mysql.base import MySQLDialect",
        "not isinstance(bind.dialect, MySQLDialect)",
    ),
    ("", "isinstance(bind.dialect, sa.dialects.postgresql.dialect)"),
]


@pytest.mark.parametrize(("imports", "test"), PG_ONLY)
def test_a_branch_for_another_dialect_class_is_not_read_on_mysql(
    tmp_path: Path, imports: str, test: str
) -> None:
    codes = _codes(tmp_path, _revision(imports, test))
    assert "L331" not in codes and "L313" not in codes


@pytest.mark.parametrize(
    ("imports", "test"),
    [
        (
            "from sqlalchemy.dialects.mysql.base import MySQLDialect",
            "isinstance(bind.dialect, MySQLDialect)",
        ),
        (
            "from sqlalchemy.dialects.mysql.pymysql import MySQLDialect_pymysql",
            "isinstance(bind.dialect, MySQLDialect_pymysql)",
        ),
        (
            "from sqlalchemy.dialects.postgresql.base import PGDialect",
            "not isinstance(bind.dialect, PGDialect)",
        ),
        (
            "from sqlalchemy.dialects.sqlite.base import SQLiteDialect\n"
            "from sqlalchemy.dialects.mysql.base import MySQLDialect",
            "isinstance(bind.dialect, (SQLiteDialect, MySQLDialect))",
        ),
    ],
)
def test_the_mysql_branch_is_read_and_reported(tmp_path: Path, imports: str, test: str) -> None:
    codes = _codes(tmp_path, _revision(imports, test))
    assert {"L331", "L313"} <= codes


@pytest.mark.parametrize(
    ("imports", "test"),
    [
        # a class of the project, not SQLAlchemy's: undecided, both branches read
        ("from app.db import PGDialect", "isinstance(bind.dialect, PGDialect)"),
        # a class held in a variable, and MariaDB's own class (depends on the URL, not the server)
        ("", "isinstance(bind.dialect, dialect_class)"),
        (
            "from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect",
            "not isinstance(bind.dialect, MariaDBDialect)",
        ),
        # not the dialect: the bind itself
        (
            "from sqlalchemy.dialects.postgresql.base import PGDialect",
            "isinstance(bind, PGDialect)",
        ),
    ],
)
def test_a_class_test_lint_cannot_decide_reads_both_branches(
    tmp_path: Path, imports: str, test: str
) -> None:
    codes = _codes(tmp_path, _revision(imports, test))
    assert {"L331", "L313"} <= codes


def test_mysql_classes_stand_for_mariadb_too(tmp_path: Path) -> None:
    # a MariaDB server reached through mysql:// has MySQL's dialect class
    source = _revision(
        "from sqlalchemy.dialects.mysql.base import MySQLDialect",
        "isinstance(bind.dialect, MySQLDialect)",
    )
    assert "L331" in _codes(tmp_path, source, target="mariadb-10.11")
    other = _revision(
        "from sqlalchemy.dialects.postgresql.base import PGDialect",
        "isinstance(bind.dialect, PGDialect)",
    )
    assert "L331" not in _codes(tmp_path, other, target="mariadb-10.11")
