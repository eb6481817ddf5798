"""Where the application's code lies for L316 (issue 20, round 29): a namespace package at the
root (no `__init__.py`), a directory env.py puts on sys.path, and a migration-only package
(every subpackage a migration environment) whose modules are the migration tool's own unless
they import the application themselves. Projects of our own writing in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_histories import codes
from test_lint_rules import revision

from alembic_sentinel.lint.application_code import env_loaded_modules
from alembic_sentinel.lint.commands import local_packages, migration_package
from alembic_sentinel.lint.structure_rules import _application_module
from alembic_sentinel.settings import Overrides, resolve_settings


def _settings(root: Path, files: dict[str, str], migrations: str):  # type: ignore[no-untyped-def]
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (root / migrations / "versions").mkdir(parents=True, exist_ok=True)
    return resolve_settings(Overrides(migrations=migrations), environ={}, root=root, database=False)


def test_a_namespace_package_is_the_applications(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        {
            "kiosk/core/__init__.py": "",
            "kiosk/core/models.py": "",
            "kiosk/core/migrations/env.py": "",
            "scratch/notes.txt": "",  # no module: no package
            "alembic/env.py": "",  # a second environment: never the app
            "tools/env.py": "",  # a module named env.py, no environment
            "tools/versions.py": "",
        },
        "kiosk/core/migrations",
    )
    names = local_packages(settings)
    assert "kiosk" in names and "tools" in names
    assert "scratch" not in names and "alembic" not in names
    assert migration_package(settings) == "kiosk.core.migrations"


@pytest.mark.parametrize(
    "added",
    [
        "sys.path.insert(0, os.path.realpath(os.path.join(os.path.dirname(__file__), '..')))",
        "sys.path.append(str(Path(__file__).resolve().parent.parent))",
        "sys.path.append(str(Path(__file__).parents[1]))",
        "sys.path.append(os.path.join('..'))",  # relative: from where alembic runs (env.py's)
    ],
)
def test_env_py_sys_path_directory_holds_the_applications_modules(
    tmp_path: Path, added: str
) -> None:
    env = f"import os\nimport sys\nfrom pathlib import Path\n{added}\nfrom ledger import db\n"
    settings = _settings(
        tmp_path,
        {
            "app/ledger.py": "",
            "app/shop/__init__.py": "",
            "app/json.py": "",  # the standard library's json is what `import json` finds
            "app/migrations/env.py": env,
        },
        "app/migrations",
    )
    names = local_packages(settings)
    assert {"ledger", "shop"} <= names and "json" not in names


def test_a_sys_path_outside_the_project_adds_nothing(tmp_path: Path) -> None:
    env = "import sys\nsys.path.append('/usr/lib')\n"
    settings = _settings(tmp_path / "p", {"migrations/env.py": env}, "migrations")
    assert local_packages(settings) == frozenset()


def test_a_migration_only_package_is_the_tools_own(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        {
            "dbtool/__init__.py": "",
            "dbtool/connection.py": "import os\n",
            "dbtool/loader.py": "from dbtool import connection\n",
            "dbtool/billing/__init__.py": "",
            "dbtool/billing/env.py": "from dbtool import connection\n",
            "dbtool/billing/script.py.mako": "",
            "dbtool/billing/operations.py": "from alembic.operations import Operations\n",
            "dbtool/audit/__init__.py": "",
            "dbtool/audit/env.py": "",
            "dbtool/audit/versions/.keep": "",
            "dbtool/audit/seed.py": "from storefront.config import PRICES\n",
            "storefront/__init__.py": "",
        },
        "dbtool/billing",
    )
    names = local_packages(settings)
    assert "dbtool" not in names and "storefront" in names
    assert "dbtool.audit.seed" in names  # it imports the application: it carries it
    for module, application in [
        ("dbtool.connection", False),
        ("dbtool.billing.operations", False),
        ("dbtool.audit.seed", True),
        ("storefront.config", True),
    ]:
        assert _application_module(module, names) is application


def test_an_application_module_named_env_is_no_environment(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        {
            "jobs/__init__.py": "",
            "jobs/common/__init__.py": "",
            "jobs/common/env.py": "DEBUG = False\n",  # the app's environment settings
            "jobs/alembic/env.py": "",
            "jobs/alembic/script.py.mako": "",
        },
        "jobs/alembic",
    )
    assert "jobs" in local_packages(settings)


def test_a_package_with_a_subpackage_of_its_own_is_the_application(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/models/__init__.py": "",
            "shop/migrations/__init__.py": "",
            "shop/migrations/env.py": "",
        },
        "shop/migrations",
    )
    assert "shop" in local_packages(settings)


# round 34: an import that adds nothing env.py does not load (a template's unused `import app`)

KIOSK = frozenset({"kiosk"})
# what `from kiosk import schemas` in env.py loads
ENV_LOADS = frozenset({"kiosk", "kiosk.schemas"})


def test_env_py_loads_each_import_and_the_packages_above_it(tmp_path: Path) -> None:
    env = tmp_path / "env.py"
    env.write_text("import os\nfrom kiosk.db import schemas\n\ndef run():\n    import kiosk.late\n")
    assert env_loaded_modules(env) == {"os", "kiosk", "kiosk.db", "kiosk.db.schemas"}
    assert env_loaded_modules(tmp_path / "missing.py") == frozenset()


@pytest.mark.parametrize(
    "header",
    [
        "import kiosk",  # written by script.py.mako into every revision, never used
        "import kiosk  # noqa: F401",
        "import kiosk.schemas as unused_schemas",
        "from kiosk import __version__",  # the package's metadata string
    ],
)
def test_an_unused_import_of_what_env_py_loads_is_not_reported(header: str) -> None:
    source = revision("print(__version__ if False else 1)", header=header)
    assert "L316" not in codes(source, local_packages=KIOSK, env_modules=ENV_LOADS)


@pytest.mark.parametrize(
    ("header", "upgrade"),
    [
        ("import kiosk", "op.add_column('t', sa.Column('c', kiosk.schemas.UTCDateTime()))"),
        ("import kiosk.models", "pass"),  # env.py never loads kiosk.models
        ("from kiosk.schemas import UTCDateTime", "pass"),  # may be a module of its own
        ("from kiosk import __version__, config", "pass"),
        ("import kiosk", "kiosk = 1"),  # a name the revision binds again counts as used
    ],
)
def test_an_import_the_revision_uses_or_env_py_lacks_is_reported(header: str, upgrade: str) -> None:
    source = revision(upgrade, header=header)
    assert "L316" in codes(source, local_packages=KIOSK, env_modules=ENV_LOADS)
    # and without env.py's imports every one is
    assert "L316" in codes(revision("pass", header=header), local_packages=KIOSK)
