"""L311 under a naming convention set where env.py's `target_metadata` comes from, read without
running the project's code (lint/env_convention.py): must-quiet and must-flag project trees."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import run_cli

from alembic_sentinel.lint.commands import lint_options
from alembic_sentinel.lint.env_convention import env_py_naming_convention
from alembic_sentinel.settings import Overrides, resolve_settings

UNNAMED_KEY = '''\
"""add a key

Revision ID: 1a2b3c4d5e6f
Revises:
"""
from alembic import op

revision = "1a2b3c4d5e6f"
down_revision = None


def upgrade():
    op.create_foreign_key(None, "order_line", "shop_order", ["order_id"], ["id"])


def downgrade():
    op.drop_constraint("fk_order_line_order_id_shop_order", "order_line", type_="foreignkey")
'''


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def project(root: Path, env_py: str, modules: dict[str, str]) -> Path:
    """A project whose migrations live inside its package, as OpenStack projects keep them."""
    write(
        root,
        {
            "alembic.ini": "[alembic]\nscript_location = shop/db/migrations\n",
            "shop/__init__.py": "",
            "shop/db/__init__.py": "",
            "shop/db/migrations/env.py": env_py,
            "shop/db/migrations/versions/1a2b3c4d5e6f_add_a_key.py": UNNAMED_KEY,
            **modules,
        },
    )
    return root / "shop/db/migrations/env.py"


MODELS_ENV = """\
from shop.db import models

target_metadata = models.Base.metadata
"""
HELPER_SETS_IT = """\
from sqlalchemy.orm import declarative_base

CONVENTION = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def make_base():
    base = declarative_base()
    base.metadata.naming_convention = CONVENTION
    return base
"""


def test_a_base_made_by_a_project_helper_that_sets_the_convention(tmp_path: Path) -> None:
    env_py = project(
        tmp_path,
        MODELS_ENV,
        {
            "shop/common.py": HELPER_SETS_IT,
            "shop/db/models.py": "from shop import common as base_helpers\n\n"
            "Base = base_helpers.make_base()\n",
        },
    )
    assert env_py_naming_convention(env_py) is True
    settings = resolve_settings(Overrides(), environ={}, root=tmp_path, database=False)
    assert lint_options(settings).naming_convention is True
    result = run_cli(tmp_path, "lint", "--all")
    assert "L311" not in result.output, result.output


def test_a_metadata_literal_given_to_the_declarative_base(tmp_path: Path) -> None:
    env_py = project(
        tmp_path,
        "from shop.db.models import Base\n\ntarget_metadata = Base.metadata\n",
        {
            "shop/db/models.py": """\
            import sqlalchemy as sa
            from sqlalchemy.orm import declarative_base

            metadata = sa.MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
            Base = declarative_base(metadata=metadata)
            """,
        },
    )
    assert env_py_naming_convention(env_py) is True


def test_a_flask_db_object_imported_relatively(tmp_path: Path) -> None:
    env_py = project(
        tmp_path,
        "from .. import extensions\n\ntarget_metadata = extensions.db.metadata\n",
        {
            "shop/db/extensions.py": """\
            from flask_sqlalchemy import SQLAlchemy
            from sqlalchemy import MetaData

            db = SQLAlchemy(metadata=MetaData(naming_convention={"pk": "pk_%(table_name)s"}))
            """,
        },
    )
    assert env_py_naming_convention(env_py) is True


def test_a_convention_on_another_base_of_the_project_does_not_count(tmp_path: Path) -> None:
    env_py = project(
        tmp_path,
        MODELS_ENV,
        {
            "shop/common.py": HELPER_SETS_IT,
            # the models' own base is plain; the helper that names constraints is not used
            "shop/db/models.py": "from sqlalchemy.orm import declarative_base\n"
            "from shop import common  # noqa\n\nBase = declarative_base()\n",
        },
    )
    assert env_py_naming_convention(env_py) is None
    result = run_cli(tmp_path, "lint", "--all")
    assert "L311" in result.output, result.output
    assert "unless the MetaData has a naming_convention" in result.output


def test_a_comment_or_a_string_naming_the_convention_is_not_a_convention(tmp_path: Path) -> None:
    env_py = project(
        tmp_path,
        MODELS_ENV,
        {
            "shop/db/models.py": """\
            from sqlalchemy.orm import declarative_base

            # TODO: set a naming_convention here
            NOTE = "naming_convention"
            Base = declarative_base()
            """,
        },
    )
    assert env_py_naming_convention(env_py) is None


def test_a_base_from_a_library_or_no_target_metadata_is_unknown(tmp_path: Path) -> None:
    env_py = project(
        tmp_path,
        "from oslo_db.sqlalchemy import models\n\ntarget_metadata = models.Base.metadata\n",
        {},
    )
    assert env_py_naming_convention(env_py) is None
    (env_py).write_text("target_metadata = None\n")
    assert env_py_naming_convention(env_py) is None
    env_py.write_text("def broken(:\n")
    assert env_py_naming_convention(env_py) is None


# --- a submodule reached as the package's attribute, a base defined under `if` (round 14) ----

REGISTRY_BASE = """\
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData
from sqlalchemy.orm import registry

metadata = MetaData(naming_convention={"uq": "%(table_name)s_%(column_0_name)s_uq"})
mapper_registry = registry(metadata=metadata)

if TYPE_CHECKING:
    Base = Any
else:
    Base = mapper_registry.generate_base()
"""


def test_a_submodule_reached_through_its_package(tmp_path: Path) -> None:
    # env.py imports the package and reaches `models.core.Base`; __init__ binds `core` nowhere
    env_py = project(
        tmp_path,
        "from shop.db import models\n\ntarget_metadata = models.core.Base.metadata\n",
        {
            "shop/db/models/__init__.py": "from shop.db.models.core import Base  # noqa\n",
            "shop/db/models/core.py": REGISTRY_BASE,
        },
    )
    assert env_py_naming_convention(env_py) is True
    result = run_cli(tmp_path, "lint", "--all")
    assert "L311" not in result.output, result.output


def test_a_base_defined_in_try_and_if_blocks(tmp_path: Path) -> None:
    # the submodule as a package of its own, the base in a try block, `import pkg.mod` spelling
    env_py = project(
        tmp_path,
        "import shop.db.models\n\ntarget_metadata = shop.db.models.orm.Base.metadata\n",
        {
            "shop/db/models/__init__.py": "",
            "shop/db/models/orm/__init__.py": """\
            from sqlalchemy import MetaData
            from sqlalchemy.orm import declarative_base

            CONVENTION = {"fk": "fk_%(table_name)s"}
            try:
                Base = declarative_base(metadata=MetaData(naming_convention=CONVENTION))
            except ImportError:
                Base = None
            """,
        },
    )
    assert env_py_naming_convention(env_py) is True


def test_a_submodule_without_a_convention_or_a_missing_one_stays_unknown(tmp_path: Path) -> None:
    plain = REGISTRY_BASE.replace(
        'MetaData(naming_convention={"uq": "%(table_name)s_%(column_0_name)s_uq"})', "MetaData()"
    )
    env_py = project(
        tmp_path,
        "from shop.db import models\n\ntarget_metadata = models.core.Base.metadata\n",
        {"shop/db/models/__init__.py": "", "shop/db/models/core.py": plain},
    )
    assert env_py_naming_convention(env_py) is None
    result = run_cli(tmp_path, "lint", "--all")
    assert "L311" in result.output, result.output
    # a name the package has no submodule for
    env_py.write_text(
        "from shop.db import models\n\ntarget_metadata = models.other.Base.metadata\n"
    )
    assert env_py_naming_convention(env_py) is None
    # a convention under `if` on a base other than the one env.py uses
    (tmp_path / "shop/db/models/core.py").write_text(
        plain + "\nif True:\n    Other = registry(metadata=MetaData(naming_convention={}))\n"
    )
    env_py.write_text("from shop.db import models\n\ntarget_metadata = models.core.Base.metadata\n")
    assert env_py_naming_convention(env_py) is None
