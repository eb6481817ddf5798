"""A dialect test used as a value inside an operation (issue 20, round 43): `nullable=
is_sqlite()`, `X if not is_psql() else Y`, decided for the target as an `if` on the dialect is,
through the project's own helpers too. Projects of our own in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

# the project's helpers, as a multi-database project keeps them beside its package
MIGRATION_UTILS = """
from alembic import op


def engine_name():
    return op.get_bind().engine.name


def is_sqlite():
    return engine_name() == "sqlite"


def is_mysql():
    return engine_name() == "mysql"


def is_psql():
    return engine_name() == "postgresql"
"""

CREATE_RUN = '''
"""create run"""
import sqlalchemy as sa
from alembic import op

revision = "aaaa00000001"
down_revision = None


def upgrade():
    op.create_table(
        "run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
    )


def downgrade():
    op.drop_table("run")
'''


def _lint(tmp_path: Path, source: str, target: str = "mysql-8.0") -> list[str]:
    """The codes lint reports on the second revision of a history whose first creates `run`."""
    root = tmp_path / f"project{len(list(tmp_path.iterdir()))}"  # one per call
    (root / "proj").mkdir(parents=True)
    (root / "proj" / "__init__.py").write_text("")
    (root / "proj" / "migration_utils.py").write_text(MIGRATION_UTILS)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    first = versions / "aaaa00000001_create_run.py"
    first.write_text(CREATE_RUN)
    second = versions / "bbbb00000002_change.py"
    second.write_text(
        textwrap.dedent(
            '''
            """change run"""
            import sqlalchemy as sa
            from alembic import op
            from sqlalchemy.dialects import postgresql
            {body}

            revision = "bbbb00000002"
            down_revision = "aaaa00000001"
            '''
        ).format(body=textwrap.dedent(source))
    )
    options = LintOptions(target=parse_server_version(target))
    report = lint_files([(p.name, p) for p in (first, second)], options)
    return [f.code for f in report.findings if f.path == second.name]


def _added(nullable: str, imports: str = "from proj.migration_utils import is_sqlite") -> str:
    return f"""
        {imports}


        def upgrade():
            op.add_column("run", sa.Column("name", sa.String(200), nullable={nullable}))


        def downgrade():
            op.drop_column("run", "name")
        """


@pytest.mark.parametrize(
    "nullable",
    [
        "is_sqlite()",  # eubr-bigsea/stand's shape: NOT NULL everywhere but on SQLite
        "True if is_sqlite() else False",
        "False if not is_sqlite() else True",
        "is_sqlite() or op.get_bind().dialect.name == 'postgresql'",
        "op.get_bind().dialect.name == 'sqlite'",  # inline, no helper
    ],
)
def test_a_dialect_test_making_the_column_not_null_on_mysql_is_l301(
    tmp_path: Path, nullable: str
) -> None:
    assert "L301" in _lint(tmp_path, _added(nullable))


def test_a_same_file_helper_and_a_flag_decide_it_too(tmp_path: Path) -> None:
    source = """
        def on_sqlite():
            return op.get_context().dialect.name == "sqlite"


        def upgrade():
            lenient = op.get_bind().dialect.name == "sqlite"
            op.add_column("run", sa.Column("name", sa.String(200), nullable=on_sqlite()))
            op.add_column("run", sa.Column("label", sa.String(200), nullable=lenient))


        def downgrade():
            op.drop_column("run", "label")
            op.drop_column("run", "name")
        """
    assert _lint(tmp_path, source).count("L301") == 2


@pytest.mark.parametrize(
    ("nullable", "target"),
    [
        ("is_sqlite()", "sqlite"),  # nullable there
        ("not is_mysql()", "sqlite"),
        ("is_mysql()", "mysql-8.0"),
        ("None if is_mysql() else False", "mysql-8.0"),  # None: nullable, SQLAlchemy's default
    ],
)
def test_a_dialect_test_leaving_the_column_nullable_on_the_target_is_not_l301(
    tmp_path: Path, nullable: str, target: str
) -> None:
    imports = "from proj.migration_utils import is_sqlite, is_mysql"
    assert "L301" not in _lint(tmp_path, _added(nullable, imports), target)


@pytest.mark.parametrize(
    ("nullable", "imports"),
    [
        # a library's helper: its body is not read, what it returns is unknown
        ("is_sqlite()", "from some_library.dialects import is_sqlite"),
        ("False if is_sqlite() else True", "from some_library.dialects import is_sqlite"),
        # a test only MariaDB passes: a MySQL target may be either server
        ("op.get_bind().dialect.name != 'mariadb'", ""),
    ],
)
def test_an_undecided_test_leaves_nullable_unknown(
    tmp_path: Path, nullable: str, imports: str
) -> None:
    assert "L301" not in _lint(tmp_path, _added(nullable, imports))


def test_a_server_default_chosen_for_mysql_is_read(tmp_path: Path) -> None:
    def added(default: str) -> str:
        return f"""
            from proj.migration_utils import is_mysql


            def upgrade():
                op.add_column(
                    "run",
                    sa.Column("name", sa.String(200), nullable=False, server_default={default}),
                )


            def downgrade():
                op.drop_column("run", "name")
            """

    assert "L301" not in _lint(tmp_path, added("sa.text(\"''\") if is_mysql() else None"))
    assert "L301" in _lint(tmp_path, added("None if is_mysql() else sa.text(\"''\")"))


def _created(column: str, imports: str = "from proj.migration_utils import is_psql") -> str:
    return f"""
        {imports}


        def upgrade():
            op.create_table(
                "step",
                sa.Column("id", sa.Integer(), primary_key=True),
                {column},
            )


        def downgrade():
            op.drop_table("step")
        """


MYSQL_ENUM = 'sa.Column("kind", sa.Enum("A", "B", name="kind"), nullable=True)'
POSTGRESQL_ENUM = (
    'sa.Column("kind", postgresql.ENUM(name="kind", create_type=False), nullable=True)'
)


@pytest.mark.parametrize(
    "column",
    [
        # eubr-bigsea/tahiti's shape: the type made elsewhere only on PostgreSQL
        f"{MYSQL_ENUM} if not is_psql() else {POSTGRESQL_ENUM}",
        f"{POSTGRESQL_ENUM} if is_psql() else {MYSQL_ENUM}",
        f"{POSTGRESQL_ENUM} if op.get_bind().dialect.name == 'postgresql' else {MYSQL_ENUM}",
        'sa.Column("kind", postgresql.ENUM(name="kind", create_type=False)'
        " if is_psql() else sa.String(1))",
    ],
)
def test_the_postgresql_form_chosen_for_postgresql_only_is_not_l331(
    tmp_path: Path, column: str
) -> None:
    assert "L331" not in _lint(tmp_path, _created(column))


@pytest.mark.parametrize(
    "column",
    [
        f"{POSTGRESQL_ENUM} if not is_sqlite() else {MYSQL_ENUM}",  # MySQL takes it too
        f"{MYSQL_ENUM} if is_sqlite() else {POSTGRESQL_ENUM}",
        'sa.Column("kind", sa.Enum(name="kind") if not is_psql() else sa.String(1))',
    ],
)
def test_the_postgresql_form_chosen_on_mysql_is_l331(tmp_path: Path, column: str) -> None:
    imports = "from proj.migration_utils import is_psql, is_sqlite"
    assert "L331" in _lint(tmp_path, _created(column, imports))


def test_a_conditional_on_an_unknown_helper_is_not_l331(tmp_path: Path) -> None:
    # which column MySQL gets depends on what the library's function answers
    column = f"{MYSQL_ENUM} if not is_psql() else {POSTGRESQL_ENUM}"
    imports = "from some_library.dialects import is_psql"
    assert "L331" not in _lint(tmp_path, _created(column, imports))


def test_the_tested_value_stays_where_it_stands(tmp_path: Path) -> None:
    # the column's other properties are read from the branch taken: its NOT NULL, its line
    source = """
        from proj.migration_utils import is_psql


        def upgrade():
            op.add_column(
                "run",
                sa.Column("name", sa.String(200), nullable=False)
                if not is_psql()
                else sa.Column("name", sa.Text(), nullable=True),
            )


        def downgrade():
            op.drop_column("run", "name")
        """
    assert "L301" in _lint(tmp_path, source)
    assert "L301" not in _lint(tmp_path, source, "postgresql")
