"""A dialect test through a helper whose body starts with guard clauses (issue 20, round 30):
`def on_postgres(conn): if conn.engine.name != "postgresql": return False` then a check lint
cannot decide (the server's version). Where the guard fires it settles the helper's result, so
the PostgreSQL-only branch is not read on MySQL; where it does not, the rest of the body
decides. Projects of our own in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

# a project module of our own: guard clauses before an undecidable (version) check
DB_MODULE = '''
def server_at_least(conn, wanted=None):
    """Whether the server is at least `wanted`."""
    if wanted is None:
        return True
    found = conn.dialect.server_version_info
    return bool(found and found >= wanted)


def on_postgres(conn, wanted=None):
    if conn.engine.name != "postgresql":
        return False
    return server_at_least(conn, wanted)


def off_mysql_family(conn, wanted=None):
    if conn.engine.name in ("mysql", "mariadb"):
        return False
    return server_at_least(conn, wanted)


def not_sqlite(conn):
    if conn.dialect.name == "sqlite":
        return False
    return True


def after_two_guards(conn, wanted=None):
    if conn is None:
        return False
    if conn.engine.name != "postgresql":
        return False
    return server_at_least(conn, wanted)


def guard_first_then_two(conn, wanted=None):
    kind = conn.engine.name
    if kind == "sqlite":
        return False
    if kind != "postgresql":
        return False
    return server_at_least(conn, wanted)


def guard_for_sqlite_only(conn, wanted=None):
    if conn.engine.name == "sqlite":
        return False
    return server_at_least(conn, wanted)


def guard_returning_a_setting(conn, settings):
    if conn.engine.name == "mysql":
        return settings.use_postgres_sql
    return False


def always_false(conn):
    return False
'''

PG_SQL = "CREATE INDEX CONCURRENTLY ix_task_title ON task (title)"


def _revision(imports: str, body: str, helpers: str = "") -> str:
    return textwrap.dedent(
        '''
        """index the task titles"""
        import sqlalchemy as sa
        from alembic import op
        {imports}

        revision = "1234abcd5678"
        down_revision = "a8a2fc4e4c77"

        {helpers}

        def upgrade():
            bind = op.get_bind()
        {body}


        def downgrade():
            pass
        '''
    ).format(
        imports=imports,
        helpers=textwrap.dedent(helpers),
        body=textwrap.indent(textwrap.dedent(body), "    "),
    )


def _l331(tmp_path: Path, source: str, target: str = "mysql-8.0") -> int:
    root = tmp_path / "backend"
    package = root / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "db_checks.py").write_text(DB_MODULE)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    path = versions / "1234abcd5678_index.py"
    path.write_text(source)
    options = LintOptions(target=parse_server_version(target))
    findings = lint_files([(path.name, path)], options).findings
    return sum(1 for f in findings if f.code == "L331")


IMPORTED = "from app.db_checks import on_postgres, after_two_guards, guard_first_then_two"

SAME_FILE_HELPER = """
def is_pg(conn, wanted=None):
    \"\"\"PostgreSQL at the wanted version.\"\"\"
    if not conn.dialect.name == "postgresql":
        return False
    return conn.dialect.server_version_info >= wanted
"""


@pytest.mark.parametrize(
    ("imports", "body", "helpers"),
    [
        # the guarded helper in a project module, called in the test
        (IMPORTED, f'if on_postgres(bind):\n    op.execute("{PG_SQL}")', ""),
        # its result bound to a variable first
        (IMPORTED, f'pg = on_postgres(bind, (12,))\nif pg:\n    op.execute("{PG_SQL}")', ""),
        # in an elif after a test lint cannot decide
        (
            IMPORTED,
            f'if bind is None:\n    pass\nelif on_postgres(bind):\n    op.execute("{PG_SQL}")',
            "",
        ),
        # dialect guard clauses in sequence, after an assignment
        (IMPORTED, f'if guard_first_then_two(bind):\n    op.execute("{PG_SQL}")', ""),
        # a same-file helper with `if not ... == ...`, and a docstring
        ("", f'if is_pg(bind, (13,)):\n    op.execute("{PG_SQL}")', SAME_FILE_HELPER),
        # a guard testing membership in a tuple
        (
            "from app.db_checks import off_mysql_family",
            f'if off_mysql_family(bind):\n    op.execute("{PG_SQL}")',
            "",
        ),
    ],
    ids=["imported", "bound-to-a-variable", "elif", "guards-in-sequence", "same-file", "not-in"],
)
def test_a_guard_that_fires_on_the_target_settles_the_helper(
    tmp_path: Path, imports: str, body: str, helpers: str
) -> None:
    assert _l331(tmp_path, _revision(imports, body, helpers)) == 0


@pytest.mark.parametrize(
    ("imports", "body"),
    [
        # the guard does not fire on MySQL: the version check decides, lint cannot: both read
        (
            "from app.db_checks import guard_for_sqlite_only",
            f'if guard_for_sqlite_only(bind, (8,)):\n    op.execute("{PG_SQL}")',
        ),
        # the guard fires on MySQL but returns a value lint cannot decide
        (
            "from app.db_checks import guard_returning_a_setting",
            f'if guard_returning_a_setting(bind, object()):\n    op.execute("{PG_SQL}")',
        ),
        # a first guard lint cannot decide (not about the dialect) stops the reading
        (
            "from app.db_checks import after_two_guards",
            f'if after_two_guards(bind):\n    op.execute("{PG_SQL}")',
        ),
        # a guard that fires where it does not settle: not sqlite -> True on MySQL
        (
            "from app.db_checks import not_sqlite",
            f'if not_sqlite(bind):\n    op.execute("{PG_SQL}")',
        ),
        # a constant no dialect test chose is not a dialect test
        (
            "from app.db_checks import always_false",
            f'if always_false(bind):\n    op.execute("{PG_SQL}")',
        ),
    ],
    ids=["guard-not-firing", "undecidable-value", "undecided-guard", "guard-true", "no-guard"],
)
def test_a_helper_the_guard_does_not_settle_keeps_both_branches(
    tmp_path: Path, imports: str, body: str
) -> None:
    assert _l331(tmp_path, _revision(imports, body)) == 1


def test_the_branch_the_settled_helper_chooses_is_read_and_reported(tmp_path: Path) -> None:
    # on MySQL the guard settles the helper to False: the else branch runs there (a true L331)
    body = f'if on_postgres(bind, (12,)):\n    pass\nelse:\n    op.execute("{PG_SQL}")'
    source = _revision("from app.db_checks import on_postgres", body)
    assert _l331(tmp_path, source, target="mysql-8.0") == 1
