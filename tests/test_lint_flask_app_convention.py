"""L311 when Flask-Migrate's env.py takes the MetaData from the running app
(`current_app.extensions['migrate'].db.metadata`) and no FLASK_APP is given: the project's
Flask-SQLAlchemy `db` is found under its top directory and its convention read without running
the app (lint/flask_app_convention.py, round 22). Fixtures are our own."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import run_cli

from alembic_sentinel.lint.env_convention import env_py_naming_convention

FLASK_ENV = """\
from alembic import context
from flask import current_app

config = context.config
target_metadata = current_app.extensions["migrate"].db.metadata
"""
# the newer template: the metadata comes from a function, no `target_metadata` name
FLASK_ENV_FUNCTION = """\
from alembic import context
from flask import current_app

target_db = current_app.extensions['migrate'].db


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata
"""
UNNAMED_KEY = '''\
"""link tickets to rooms

Revision ID: 7c1e2a9b3d40
Revises:
"""
from alembic import op

revision = "7c1e2a9b3d40"
down_revision = None


def upgrade():
    op.create_foreign_key(None, "ticket", "room", ["room_id"], ["id"])


def downgrade():
    op.drop_constraint("fk_ticket_room_id_room", "ticket", type_="foreignkey")
'''
# the convention given by a function the module calls at import, replacing db.Model
PATCHED_MODEL = """\
import flask_sqlalchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import declarative_base

db = flask_sqlalchemy.SQLAlchemy()


def _install_base():
    metadata = MetaData(naming_convention={"fk": "fk_%(table_name)s_%(column_0_name)s"})
    db.Model = declarative_base(metadata=metadata)


_install_base()
"""
# given in the constructor, the MetaData from another module of the package
CONSTRUCTOR = {
    "desk/meta.py": """\
    from sqlalchemy import MetaData

    metadata = MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
    """,
    "desk/extensions.py": """\
    from flask_sqlalchemy import SQLAlchemy

    from desk.meta import metadata

    db = SQLAlchemy(metadata=metadata)
    """,
}
PLAIN_DB = "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n"


def project(root: Path, env_py: str, modules: dict[str, str]) -> Path:
    files = {
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "desk/__init__.py": "",
        "migrations/env.py": env_py,
        "migrations/versions/7c1e2a9b3d40_link_tickets.py": UNNAMED_KEY,
        **modules,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root / "migrations" / "env.py"


def test_a_convention_installed_by_a_function_the_app_module_calls(tmp_path: Path) -> None:
    env_py = project(tmp_path, FLASK_ENV, {"desk/__init__.py": PATCHED_MODEL})
    assert env_py_naming_convention(env_py) is True
    result = run_cli(tmp_path, "lint", "--all")
    assert "L311" not in result.output, result.output


def test_a_convention_given_to_the_constructor_through_an_import(tmp_path: Path) -> None:
    env_py = project(tmp_path, FLASK_ENV_FUNCTION, CONSTRUCTOR)
    assert env_py_naming_convention(env_py) is True


def test_an_app_inside_a_src_layout_beside_its_migrations(tmp_path: Path) -> None:
    # src/desk/migrate/env.py inside the package: the top is src/
    files = {
        "src/desk/__init__.py": PATCHED_MODEL,
        "src/desk/migrate/__init__.py": "",
        "src/desk/migrate/env.py": FLASK_ENV,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    assert env_py_naming_convention(tmp_path / "src/desk/migrate/env.py") is True


def test_a_db_without_a_convention_still_reports(tmp_path: Path) -> None:
    env_py = project(tmp_path, FLASK_ENV, {"desk/extensions.py": PLAIN_DB})
    assert env_py_naming_convention(env_py) is None
    result = run_cli(tmp_path, "lint", "--all")
    assert "L311" in result.output, result.output


def test_a_convention_in_a_function_nobody_calls_or_in_tests_does_not_count(
    tmp_path: Path,
) -> None:
    never_called = PATCHED_MODEL.replace("\n_install_base()\n", "\n")
    env_py = project(
        tmp_path,
        FLASK_ENV,
        {"desk/__init__.py": never_called, "tests/conftest.py": PATCHED_MODEL},
    )
    assert env_py_naming_convention(env_py) is None


def test_a_convention_on_some_other_metadata_of_the_app_does_not_count(tmp_path: Path) -> None:
    other = PLAIN_DB + (
        "\nfrom sqlalchemy import MetaData\n\n"
        "reporting = MetaData(naming_convention={'pk': 'pk_%(table_name)s'})\n"
    )
    env_py = project(tmp_path, FLASK_ENV, {"desk/extensions.py": other})
    assert env_py_naming_convention(env_py) is None


def test_an_env_py_not_of_flask_migrate_is_not_searched(tmp_path: Path) -> None:
    env_py = project(
        tmp_path,
        "from alembic import context\n\ntarget_metadata = None\n",
        {"desk/__init__.py": PATCHED_MODEL},
    )
    assert env_py_naming_convention(env_py) is None


# the project's own subclass of Flask-SQLAlchemy's class, the convention set after (round 35)
SUBCLASSED_DB = """\
from flask_sqlalchemy import SQLAlchemy

TEMPLATES = {{"ck": "ck_%(table_name)s_%(constraint_name)s"}}


class DeskSQLAlchemy(SQLAlchemy):
    pass


db = {maker}()
db.Model.metadata.naming_convention = TEMPLATES
"""


def test_a_convention_on_a_db_of_the_projects_sqlalchemy_subclass(tmp_path: Path) -> None:
    modules = {"desk/core.py": SUBCLASSED_DB.format(maker="DeskSQLAlchemy")}
    env_py = project(tmp_path, FLASK_ENV, modules)
    assert env_py_naming_convention(env_py) is True


def test_a_convention_on_an_object_of_another_class_does_not_count(tmp_path: Path) -> None:
    # (the module binds a Flask-SQLAlchemy db too, which gets no convention)
    other = SUBCLASSED_DB.format(maker="DeskStore").replace(
        "class DeskSQLAlchemy(SQLAlchemy)", "plain = SQLAlchemy()\n\n\nclass DeskStore(dict)"
    )
    env_py = project(tmp_path, FLASK_ENV, {"desk/core.py": other})
    assert env_py_naming_convention(env_py) is None
