"""L316 and the migration environment's own modules (issue 20, round 14).

A project that keeps its migrations inside its package (`shop/migrations/env.py`) often gives the
revisions helper modules there (column types, dialect helpers): they are written for the
revisions and change with them, unlike the application's models. Imports of them are not the
application's code; imports of the rest of the package still are. Fixtures are our own."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import run_cli
from test_lint_histories import codes
from test_lint_rules import revision

from alembic_sentinel.lint.commands import migration_package
from alembic_sentinel.settings import Overrides, resolve_settings

SHOP = frozenset({"shop"})


@pytest.mark.parametrize(
    "header",
    [
        "from shop.migrations.column_types import StringID",
        "from shop.migrations import utils",
        "import shop.migrations.utils",
        "import shop.migrations.utils as mu",
        "from shop.migrations.utils.mssql import constraints",
    ],
)
def test_a_module_of_the_migration_environment_is_not_the_apps_code(header: str) -> None:
    source = revision("pass", header=header)
    assert "L316" not in codes(source, local_packages=SHOP, migration_package="shop.migrations")


@pytest.mark.parametrize(
    "header",
    [
        "from shop.models import Order",
        "from shop.migrations_helpers import StringID",  # a sibling, not inside the environment
        "import shop",
        "from shop.utils.sqlalchemy import UtcDateTime",
    ],
)
def test_the_rest_of_the_package_is_still_the_apps_code(header: str) -> None:
    source = revision("pass", header=header)
    assert "L316" in codes(source, local_packages=SHOP, migration_package="shop.migrations")
    # and without a migration package every import of the package is
    assert "L316" in codes(source, local_packages=SHOP)


def _project(root: Path, migrations: str, package_init: bool = True) -> Path:
    files = {
        "alembic.ini": f"[alembic]\nscript_location = {migrations}\n",
        f"{migrations}/env.py": "target_metadata = None\n",
        f"{migrations}/column_types.py": "import sqlalchemy as sa\n\nStringID = sa.String\n",
    }
    top = migrations.split("/")[1] if migrations.startswith("src/") else migrations.split("/")[0]
    prefix = "src/" if migrations.startswith("src/") else ""
    if package_init and "/" in migrations.removeprefix("src/"):
        files[f"{prefix}{top}/__init__.py"] = ""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@pytest.mark.parametrize(
    ("migrations", "expected"),
    [
        ("shop/migrations", "shop.migrations"),
        ("shop/db/alembic", "shop.db.alembic"),
        ("src/shop/migrations", "shop.migrations"),
        ("migrations", None),  # top level: not in local_packages to begin with
        ("alembic-env/migrations", None),  # no importable name
    ],
)
def test_the_migration_package_is_the_directory_of_env_py(
    tmp_path: Path, migrations: str, expected: str | None
) -> None:
    _project(tmp_path, migrations)
    settings = resolve_settings(Overrides(), environ={}, root=tmp_path, database=False)
    assert migration_package(settings) == expected


def test_a_directory_outside_a_package_gives_no_migration_package(tmp_path: Path) -> None:
    _project(tmp_path, "shop/migrations", package_init=False)
    settings = resolve_settings(Overrides(), environ={}, root=tmp_path, database=False)
    assert migration_package(settings) is None


def test_lint_of_a_project_with_nested_migrations(tmp_path: Path) -> None:
    _project(tmp_path, "shop/migrations")
    (tmp_path / "shop/models.py").write_text("Order = None\n")
    (tmp_path / "shop/migrations/versions").mkdir()
    body = textwrap.dedent(
        '''\
        """r

        Revision ID: 1a2b3c4d5e6f
        Revises:
        """
        from alembic import op

        from shop.migrations.column_types import StringID
        from shop.models import Order

        revision = "1a2b3c4d5e6f"
        down_revision = None


        def upgrade():
            pass


        def downgrade():
            pass
        '''
    )
    (tmp_path / "shop/migrations/versions/1a2b3c4d5e6f_r.py").write_text(body)
    result = run_cli(tmp_path, "lint", "--all")
    assert "imports shop.models" in result.output, result.output
    assert "shop.migrations.column_types" not in result.output, result.output


# A project can keep the revisions' toolkit outside the migration directory
# (`shop/storage/migration/helpers.py` beside `shop/storage/alembic/`): a module named for
# migrations that imports Alembic's `op` at module level only works inside a migration, so it is
# written for the revisions, not the application's code (issue 20, round 22). One that does not
# import `op`, imports it only inside a function, imports `op` from elsewhere, or is an
# application module that happens to import `op` (`shop/storage/utils.py`) is still reported.
@pytest.mark.parametrize(
    ("module", "toolkit", "reported"),
    [
        (
            "migration/helpers",
            "from alembic import op\n\ndef table_exists(n):\n    return 0\n",
            False,
        ),
        ("migration/helpers", "from alembic import context, op as alembic_op\n", False),
        ("migrations", "import alembic.op\n", False),
        ("alembic_tools", "from alembic import op\n", False),
        ("migration/helpers", "import sqlalchemy as sa\n", True),
        (
            "migration/helpers",
            "def table_exists(n):\n    from alembic import op\n    return 0\n",
            True,
        ),
        ("migration/helpers", "from shop.vendor.alembic import op\n", True),
        ("migration/helpers", "from alembic import context\n", True),
        ("utils", "from alembic import op\n\ndef retry(f):\n    return f\n", True),
        ("migrated_models", "from alembic import op\n", True),
    ],
)
def test_a_module_named_for_migrations_that_imports_alembic_op_is_the_revisions_toolkit(
    tmp_path: Path, module: str, toolkit: str, reported: bool
) -> None:
    _project(tmp_path, "shop/storage/alembic")
    (tmp_path / "shop/storage/__init__.py").write_text("")
    path = tmp_path / "shop/storage" / f"{module}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.parent != tmp_path / "shop/storage":
        (path.parent / "__init__.py").write_text("")
    path.write_text(toolkit)
    dotted = "shop.storage." + module.replace("/", ".")
    (tmp_path / "shop/storage/alembic/versions").mkdir()
    body = _revision_importing(f"from {dotted} import table_exists")
    (tmp_path / "shop/storage/alembic/versions/9f8e7d6c5b4a_r.py").write_text(body)
    result = run_cli(tmp_path, "lint", "--all")
    assert (f"imports {dotted}," in result.output) is reported, result.output


# `from shop.lib import alembic_helper` takes the toolkit module itself out of a package (here
# a PEP 420 namespace package without `__init__.py`, or a regular one): the package is only the
# way to it (issue 20, round 41). Taking an application module beside it, a name that is no
# submodule, or everything (`*`) is still reported.
@pytest.mark.parametrize(
    ("package_init", "imported", "reported"),
    [
        (False, "alembic_helper", False),
        (True, "alembic_helper", False),
        (False, "alembic_helper as helper", False),
        (False, "migration_utils, alembic_helper", False),
        (False, "alembic_helper, dbhelpers", True),
        (False, "dbhelpers", True),
        (True, "column_exists", True),
        (False, "*", True),
    ],
)
def test_a_toolkit_submodule_taken_from_its_package_is_the_revisions_toolkit(
    tmp_path: Path, package_init: bool, imported: str, reported: bool
) -> None:
    _project(tmp_path, "migrations")
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop/__init__.py").write_text("")
    lib = tmp_path / "shop/lib"
    lib.mkdir()
    if package_init:
        (lib / "__init__.py").write_text("def column_exists(t, c):\n    return False\n")
    toolkit = "from alembic import op\n\ndef column_exists(t, c):\n    return False\n"
    (lib / "alembic_helper.py").write_text(toolkit)
    (lib / "migration_utils.py").write_text(toolkit)
    (lib / "dbhelpers.py").write_text("from shop.models import Order\n")
    (tmp_path / "migrations/versions").mkdir()
    body = _revision_importing(f"from shop.lib import {imported}")
    (tmp_path / "migrations/versions/9f8e7d6c5b4a_r.py").write_text(body)
    result = run_cli(tmp_path, "lint", "--all")
    assert ("imports shop.lib," in result.output) is reported, result.output


def _revision_importing(import_line: str) -> str:
    """A revision doing nothing but `import_line` (what L316 judges)."""
    return textwrap.dedent(
        '''\
        """r

        Revision ID: 9f8e7d6c5b4a
        Revises:
        """
        from alembic import op

        IMPORT_LINE

        revision = "9f8e7d6c5b4a"
        down_revision = None


        def upgrade():
            pass


        def downgrade():
            pass
        '''
    ).replace("IMPORT_LINE", import_line)
