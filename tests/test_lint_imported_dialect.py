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


def _l319(
    tmp_path: Path,
    source: str,
    *,
    layout: str = "src",
    target: str = "mysql-8.0",
    extra: dict[str, str] | None = None,
) -> int:
    root = tmp_path / "backend"
    for name, text in (extra or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    package = root / "src" / "app" if layout == "src" else root / "app"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models" / "__init__.py").write_text("")
    (package / "models" / "db.py").write_text(DB_MODULE)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
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
        # a name the module does not define
        ("from app.models.db import server_kind", 'server_kind() == "postgresql"'),
    ],
)
def test_a_test_lint_cannot_follow_reads_both_branches(
    tmp_path: Path, imports: str, test: str
) -> None:
    assert _l319(tmp_path, _revision(imports, test)) == 1


# --- round 13: relative imports, module attributes, the other module's constants ------------

DIALECTS_MODULE = """
from alembic import op

POSTGRES = "postgresql"
NOT_MYSQL = ("postgresql", "sqlite")
COMPUTED = op.get_context().dialect.name


def server_name(bind):
    return bind.dialect.name


def is_postgres(bind=None):
    connection = bind or op.get_bind()
    return server_name(connection) == POSTGRES


def is_postgresql(bind):
    return bind.dialect.name in (POSTGRES,)


def busy(bind):
    for name in NOT_MYSQL:
        return bind.dialect.name == name
"""
# the versions folder a package beside the migrations' own helpers, and the app's module
PROJECT_FILES = {
    "migrations/__init__.py": "",
    "migrations/versions/__init__.py": "",
    "migrations/versions/dialects.py": DIALECTS_MODULE,
    "migrations/helpers.py": DIALECTS_MODULE,
    "src/app/migration_utils.py": DIALECTS_MODULE,
}


@pytest.mark.parametrize(
    ("imports", "test"),
    [
        ("from .dialects import is_postgres", "is_postgres(op.get_bind())"),
        ("from ..helpers import is_postgres as on_postgres", "on_postgres()"),
        ("from . import dialects", "dialects.is_postgresql(op.get_bind())"),
        ("from app import migration_utils", "migration_utils.is_postgresql(op.get_bind())"),
        ("import app.migration_utils as mu", "mu.is_postgres(op.get_bind())"),
        ("import app.migration_utils", "app.migration_utils.is_postgresql(op.get_bind())"),
        ("from app import migration_utils as mu", "op.get_bind().dialect.name == mu.POSTGRES"),
        ("from app.migration_utils import POSTGRES", "op.get_bind().dialect.name == POSTGRES"),
        ("from ..helpers import NOT_MYSQL", "op.get_bind().dialect.name in NOT_MYSQL"),
        ("from app.models import db", 'db.dialect_name() == "postgresql"'),
    ],
    ids=[
        "relative-function",
        "parent-relative-aliased",
        "relative-module-attribute",
        "from-package-import-module",
        "import-as-alias",
        "import-dotted",
        "module-constant",
        "imported-constant",
        "imported-tuple-constant",
        "module-of-a-package",
    ],
)
def test_a_dialect_test_through_a_relative_import_or_module_attribute_decides(
    tmp_path: Path, imports: str, test: str
) -> None:
    assert _l319(tmp_path, _revision(imports, test), extra=PROJECT_FILES) == 0


def test_through_a_module_attribute_on_postgresql_the_other_branch_runs(tmp_path: Path) -> None:
    source = _revision("import app.migration_utils as mu", "mu.is_postgres(op.get_bind())")
    assert _l319(tmp_path, source, target="postgresql", extra=PROJECT_FILES) == 1


@pytest.mark.parametrize(
    ("imports", "test"),
    [
        ("from .absent import is_postgres", "is_postgres(op.get_bind())"),
        # the helpers module sits beside versions/, not in it
        ("from .helpers import is_postgres", "is_postgres(op.get_bind())"),
        ("from app import migration_utils as mu", "op.get_bind().dialect.name == mu.MISSING"),
        ("from app import migration_utils as mu", "op.get_bind().dialect.name == mu.COMPUTED"),
        ("import app.migration_utils as mu", "mu.busy(op.get_bind())"),
        ("import sqlalchemy_utils as su", "su.is_postgres(op.get_bind())"),
        ("from app import migration_utils", "migration_utils.undefined(op.get_bind())"),
    ],
    ids=[
        "relative-module-absent",
        "relative-to-the-wrong-folder",
        "constant-not-defined",
        "constant-computed",
        "function-that-loops",
        "library-module",
        "function-not-defined",
    ],
)
def test_a_module_lint_cannot_follow_reads_both_branches(
    tmp_path: Path, imports: str, test: str
) -> None:
    assert _l319(tmp_path, _revision(imports, test), extra=PROJECT_FILES) == 1
