"""A dialect test that binds the dialect's name inside the test (issue 20, round 16):
`if (dialect := op.get_bind().dialect.name) == "postgresql": ... elif dialect == "mysql": ...`
is as exclusive as the same test after `dialect = ...`, and the `elif` tests the bound name.
Revisions of our own writing, linted for MySQL 8.0 and for PostgreSQL."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

# the PostgreSQL branch changes a column's type (L314 on MySQL) and runs PostgreSQL-only SQL
# (L331 on MySQL); the MySQL branch gives a TEXT column a literal default (L313 on MySQL 8.0)
PG_BRANCH = """
        op.alter_column("note", "body", existing_type=sa.String(40), type_=sa.String(20))
        op.execute("CREATE TYPE mood AS ENUM ('ok', 'sad')")
"""
MYSQL_BRANCH = """
        op.add_column("note", sa.Column("extra", sa.Text(), server_default=""))
"""


def _revision(first: str, first_body: str, second: str, second_body: str) -> str:
    return textwrap.dedent(
        '''
        """move the note body"""
        import sqlalchemy as sa
        from alembic import op

        revision = "6d2e3f4a5b6c"
        down_revision = "1c0b9a8d7e6f"


        def upgrade():
            if {first}:
        {first_body}
            elif {second}:
        {second_body}


        def downgrade():
            pass
        '''
    ).format(
        first=first,
        first_body=textwrap.indent(textwrap.dedent(first_body), "        "),
        second=second,
        second_body=textwrap.indent(textwrap.dedent(second_body), "        "),
    )


def _codes(tmp_path: Path, source: str, target: str = "mysql-8.0") -> set[str]:
    path = tmp_path / "6d2e3f4a5b6c_note.py"
    path.write_text(source)
    options = LintOptions(target=parse_server_version(target))
    return {f.code for f in lint_files([(path.name, path)], options).findings}


# (first test, second test): the first branch is PostgreSQL's, the second MySQL's
SPELLINGS = [
    ('(dialect := op.get_bind().dialect.name) == "postgresql"', 'dialect == "mysql"'),
    (
        '(name := op.get_bind().engine.name) == "postgresql"',
        'name == "mysql" or name == "mariadb"',
    ),
    ('(dialect := op.get_context().dialect.name) != "mysql"', 'dialect == "mysql"'),
    ('(d := str(op.get_bind().dialect.name)) in ("postgresql", "sqlite")', 'd in ("mysql",)'),
    ('(is_pg := op.get_bind().dialect.name == "postgresql")', "not is_pg"),
]


@pytest.mark.parametrize(("first", "second"), SPELLINGS)
def test_on_mysql_only_the_branch_for_mysql_is_read(
    tmp_path: Path, first: str, second: str
) -> None:
    codes = _codes(tmp_path, _revision(first, PG_BRANCH, second, MYSQL_BRANCH))
    # must not: the PostgreSQL branch's copy and SQL; must flag: the MySQL branch's default
    assert "L314" not in codes and "L331" not in codes
    assert "L313" in codes


@pytest.mark.parametrize(("first", "second"), SPELLINGS)
def test_on_postgresql_only_the_other_branch_is_read(
    tmp_path: Path, first: str, second: str
) -> None:
    codes = _codes(tmp_path, _revision(first, PG_BRANCH, second, MYSQL_BRANCH), target="postgresql")
    assert "L313" not in codes


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # not the dialect: a count bound in the test, both branches read
        ("(n := len(sa.MetaData().tables)) > 0", "n == 0"),
        # the name bound to something else than the dialect's name
        ('(dialect := op.get_bind().url.database) == "postgresql"', 'dialect == "mysql"'),
    ],
)
def test_a_bound_name_that_is_not_the_dialect_reads_both_branches(
    tmp_path: Path, first: str, second: str
) -> None:
    codes = _codes(tmp_path, _revision(first, PG_BRANCH, second, MYSQL_BRANCH))
    assert {"L314", "L331", "L313"} <= codes
