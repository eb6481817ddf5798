"""L311 with a naming convention set on env.py's MetaData by a module the package imports
before the one env.py names (lint/package_side_effects.py; issue 20, round 17): importing
`shop.core` runs `shop/__init__.py` first, and a models module it imports may set the
convention on the `db` it took from `shop.core`. Our own project trees."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from test_lint_env_convention import project

from alembic_sentinel.lint.env_convention import env_py_naming_convention

CORE = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
"""
SETS_ON_DB = """\
from shop.core import db

db.metadata.naming_convention = {"fk": "fk_%(table_name)s_%(column_0_name)s"}
"""


@pytest.mark.parametrize(
    ("env_py", "init", "models"),
    [
        # absolute imports everywhere
        (
            "from shop.core import db\n\ntarget_metadata = db.metadata\n",
            "from shop.models import Order\n",
            SETS_ON_DB,
        ),
        # the package imports its models relatively; the models take db relatively, by alias
        (
            "from shop.core import db\ntarget_metadata = db.metadata\n",
            "from .models import Order\n",
            "from .core import db as database\n\n"
            "database.metadata.naming_convention.update({'fk': 'fk_%(table_name)s'})\n",
        ),
        # a plain `import` of the models package in __init__; the models a package
        (
            "from shop.core import db\ntarget_metadata = db.metadata\n",
            "import shop.models\n",
            SETS_ON_DB,
        ),
    ],
)
def test_a_convention_set_by_a_module_the_package_imports_first(
    tmp_path: Path, env_py: str, init: str, models: str
) -> None:
    name = "shop/models/__init__.py" if init.startswith("import") else "shop/models.py"
    path = project(tmp_path, env_py, {"shop/__init__.py": init, "shop/core.py": CORE, name: models})
    assert env_py_naming_convention(path) is True
    assert "L311" not in run_cli(tmp_path, "lint", "--all").output


@pytest.mark.parametrize(
    ("init", "models"),
    [
        # the package does not import the models: the convention is not set when env.py runs
        ("", SETS_ON_DB),
        # the models set it on another object of that name
        (
            "from shop.models import Order\n",
            "from shop.other import db\n\n"
            "db.metadata.naming_convention = {'fk': 'fk_%(table_name)s'}\n",
        ),
        # the models import db but set the convention on some other MetaData
        (
            "from shop.models import Order\n",
            "from shop.core import db\nfrom sqlalchemy import MetaData\n\n"
            "meta = MetaData()\nmeta.naming_convention = {'fk': 'fk_%(table_name)s'}\n",
        ),
    ],
)
def test_a_convention_not_set_on_that_object_is_unknown(
    tmp_path: Path, init: str, models: str
) -> None:
    path = project(
        tmp_path,
        "from shop.core import db\n\ntarget_metadata = db.metadata\n",
        {
            "shop/__init__.py": init,
            "shop/core.py": CORE,
            "shop/other.py": CORE,
            "shop/models.py": models,
        },
    )
    assert env_py_naming_convention(path) is None
    assert "L311" in run_cli(tmp_path, "lint", "--all").output
