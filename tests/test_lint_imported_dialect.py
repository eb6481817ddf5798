"""A dialect test through a function the revision imports from the project's own modules
(issue 20, round 11): `from app.models.db import dialect_name`, read from the project's files
as a same-file helper is, so only the target's branch runs. Projects of our own in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

DB_MODULE = '''
from typing import cast

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def dialect_name() -> str:
    return cast(str, db.engine.dialect.name)


def is_sqlite():
    """Whether the tests' database runs."""
    engine = db.engine
    return engine.dialect.name == "sqlite"


def busy_dialect():
    for engine in db.engines.values():
        return engine.dialect.name
'''


def _revision(imports: str, test: str, helpers: str = "") -> str:
    return textwrap.dedent(
        '''
        """drop the foreign key by its name on each server"""
        import sqlalchemy as sa
        from alembic import op
        {imports}

        revision = "1234abcd5678"
        down_revision = "a8a2fc4e4c77"

        {helpers}

        def upgrade():
            if {test}:
                op.drop_constraint("fk_task_owner", "task", type_="foreignkey")
            else:
                op.drop_constraint("task_ibfk_1", "task", type_="foreignkey")


        def downgrade():
            op.create_foreign_key("task_ibfk_1", "task", "owner", ["owner_id"], ["id"])
        '''
    ).format(imports=imports, test=test, helpers=textwrap.dedent(helpers))


def _l319(tmp_path: Path, source: str, *, layout: str = "src", target: str = "mysql-8.0") -> int:
    root = tmp_path / "backend"
    package = root / "src" / "app" if layout == "src" else root / "app"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models" / "__init__.py").write_text("")
    (package / "models" / "db.py").write_text(DB_MODULE)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    path = versions / "1234abcd5678_fk.py"
    path.write_text(source)
    options = LintOptions(target=parse_server_version(target))
    findings = lint_files([(path.name, path)], options).findings
    return sum(1 for f in findings if f.code == "L319")


HELPER_IN_REVISION = """
def is_postgres() -> bool:
    return dialect_name() == "postgresql"
"""


@pytest.mark.parametrize(
    ("imports", "test", "helpers"),
    [
        # a same-file helper around the imported one (spiff-arena's shape)
        ("from app.models.db import db, dialect_name", "is_postgres()", HELPER_IN_REVISION),
        ("from app.models.db import dialect_name", 'dialect_name() == "postgresql"', ""),
        ("from app.models.db import dialect_name as dn", 'dn() in ("postgresql",)', ""),
        ("from app.models.db import dialect_name", 'dialect_name() != "mysql"', ""),
        # an imported test with an assignment before its return
        ("from app.models.db import is_sqlite", "is_sqlite()", ""),
    ],
)
def test_an_imported_dialect_helper_decides_the_branch(
    tmp_path: Path, imports: str, test: str, helpers: str
) -> None:
    assert _l319(tmp_path, _revision(imports, test, helpers)) == 0


def test_the_package_beside_the_migrations_is_found_too(tmp_path: Path) -> None:
    source = _revision("from app.models.db import dialect_name", 'dialect_name() == "postgresql"')
    assert _l319(tmp_path, source, layout="flat") == 0


def test_on_postgresql_the_other_branch_runs_and_is_not_undone(tmp_path: Path) -> None:
    source = _revision("from app.models.db import dialect_name", 'dialect_name() == "postgresql"')
    assert _l319(tmp_path, source, target="postgresql") == 1


@pytest.mark.parametrize(
    ("imports", "test"),
    [
        # a library's function, not the project's: its body is not read, both branches count
        ("from some_library.db import dialect_name", 'dialect_name() == "postgresql"'),
        # the project's function whose body does more than assign and return
        ("from app.models.db import busy_dialect", 'busy_dialect() == "postgresql"'),
        # reached through a module attribute, not imported by name
        ("from app.models import db", 'db.dialect_name() == "postgresql"'),
        # a name the module does not define
        ("from app.models.db import server_kind", 'server_kind() == "postgresql"'),
    ],
)
def test_a_test_lint_cannot_follow_reads_both_branches(
    tmp_path: Path, imports: str, test: str
) -> None:
    assert _l319(tmp_path, _revision(imports, test)) == 1
