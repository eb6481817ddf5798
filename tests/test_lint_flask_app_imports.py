"""L316 and what a Flask-Migrate app loads before its revisions run (issue 20, round 43).

Flask-Migrate's env.py takes its MetaData from `current_app`: the app that `flask db upgrade`
or a manage.py calling `Migrate(app, db)` builds has imported its entry module's imports and
the module of its `db` before any revision runs. A project's script.py.mako may write `import
shop.models` and `from shop.models import *` into every revision: unused, they add nothing the
app has not loaded. Used, or under a plain Alembic env.py, or of a module the app does not load,
they are reported, once per module and revision. Projects of our own writing in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import run_cli
from test_lint_rules import lint, revision

from alembic_sentinel.lint.commands import loaded_before_revisions

SHOP = frozenset({"shop"})

FLASK_MIGRATE_ENV = """\
    from alembic import context
    from flask import current_app

    config = context.config
    # the app's MetaData, from the app `flask db` runs in
    target_metadata = current_app.extensions['migrate'].db.metadata
"""
PLAIN_ENV = """\
    from alembic import context

    target_metadata = None
"""
MODELS = """\
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class ConfigEntry(db.Model):
        id = db.Column(db.Integer, primary_key=True)
"""
MANAGE = """\
    from flask_migrate import Migrate

    from shop import app
    from shop.models import db

    migrate = Migrate(app, db)
"""


def _project(root: Path, files: dict[str, str], env: str = FLASK_MIGRATE_ENV) -> Path:
    """A Flask project at `root` (shop/ its package) with migrations/env.py; returns env.py."""
    files = {"shop/__init__.py": "from flask import Flask\n\napp = Flask('shop')\n", **files}
    files["migrations/env.py"] = env
    files["migrations/script.py.mako"] = ""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (root / "migrations/versions").mkdir(exist_ok=True)
    return root / "migrations/env.py"


# --- what the app has loaded -----------------------------------------------------------------


def test_manage_py_giving_the_app_to_migrate_loads_its_imports(tmp_path: Path) -> None:
    env = _project(tmp_path, {"manage.py": MANAGE, "shop/models.py": MODELS})
    loaded = loaded_before_revisions(env, tmp_path)
    assert {"manage", "shop", "shop.app", "shop.models", "shop.models.db"} <= loaded
    assert "alembic" in loaded and "flask" in loaded  # env.py's own imports still count


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        # the db defined beside the Migrate, the factory's module importing both
        (
            """\
            from flask import Flask
            from .extensions import db, migrate

            def create_app():
                app = Flask(__name__)
                db.init_app(app)
                migrate.init_app(app, db)
                return app
            """,
            {"shop", "shop.extensions"},
        ),
        # the db's module imported only in the factory: loaded when the app is made
        (
            """\
            from flask import Flask
            from flask_migrate import Migrate

            def create_app():
                from shop.models import db
                app = Flask(__name__)
                Migrate(app, db=db)
                return app
            """,
            {"shop", "shop.models"},
        ),
        # `models.db`, `models` taken from the package
        (
            """\
            from flask import Flask
            from flask_migrate import Migrate

            def create_app():
                from shop import models
                app = Flask(__name__)
                Migrate(app, models.db)
                return app
            """,
            {"shop", "shop.models"},
        ),
        # Flask-Alembic takes the app's db itself: the factory's imports count
        (
            """\
            from flask import Flask
            from flask_alembic import Alembic
            import shop.models

            alembic = Alembic()

            def create_app():
                app = Flask(__name__)
                alembic.init_app(app)
                return app
            """,
            {"shop", "shop.models"},
        ),
    ],
)
def test_an_app_factory_giving_the_app_to_migrate_loads_its_imports(
    tmp_path: Path, factory: str, expected: set[str]
) -> None:
    env = _project(
        tmp_path,
        {
            "shop/__init__.py": factory,
            "shop/extensions.py": "from flask_migrate import Migrate\n\nmigrate = Migrate()\n",
            "shop/models.py": MODELS,
        },
    )
    assert expected <= loaded_before_revisions(env, tmp_path)


@pytest.mark.parametrize(
    "env",
    [
        PLAIN_ENV,  # plain Alembic: a revision may run without the app
        "# target_metadata = current_app.extensions['migrate'].db.metadata\n"
        "target_metadata = None\n",
        # the app only tried: without it env.py runs anyway
        """\
        try:
            from flask import current_app
            target_metadata = current_app.extensions['migrate'].db.metadata
        except (ImportError, RuntimeError):
            target_metadata = None
        """,
    ],
)
def test_without_a_running_app_nothing_more_is_loaded(tmp_path: Path, env: str) -> None:
    env_py = _project(tmp_path, {"manage.py": MANAGE, "shop/models.py": MODELS}, env=env)
    assert "shop.models" not in loaded_before_revisions(env_py, tmp_path)


@pytest.mark.parametrize(
    "entry",
    [
        # the Migrate made without the app, and other extensions' init_app
        "from flask_migrate import Migrate\nfrom shop.models import db\n\nmigrate = Migrate()\n",
        "from shop import app, login\nfrom shop.models import db\n\nlogin.init_app(app)\n"
        "db.init_app(app)\n",
    ],
)
def test_a_module_that_gives_no_app_to_migrate_loads_nothing(tmp_path: Path, entry: str) -> None:
    env = _project(tmp_path, {"manage.py": entry, "shop/models.py": MODELS})
    assert "shop.models" not in loaded_before_revisions(env, tmp_path)


def test_of_two_entry_points_only_what_both_load_counts(tmp_path: Path) -> None:
    wsgi = """\
        from flask import Flask
        from flask_migrate import Migrate
        from shop.extensions import db

        app = Flask(__name__)
        Migrate(app, db)
    """
    env = _project(
        tmp_path,
        {
            "manage.py": MANAGE.replace("shop.models", "shop.extensions")
            + "from shop.models import ConfigEntry\n",
            "wsgi.py": wsgi,
            "shop/extensions.py": "db = None\n",
            "shop/models.py": MODELS,
        },
    )
    loaded = loaded_before_revisions(env, tmp_path)
    assert "shop.extensions" in loaded
    assert "shop.models" not in loaded  # manage.py's only: `flask` may run wsgi.py


# --- the rule: unused imports of a loaded module, star imports, one finding per module -------

APP_LOADS = frozenset({"shop", "shop.models"})
TEMPLATE = "import shop.models\nfrom shop.models import *"


def _l316(source: str, loaded: frozenset[str] = APP_LOADS) -> list[tuple[int, str]]:
    return [
        (f.line, f.message)
        for f in lint(source, local_packages=SHOP, env_modules=loaded)
        if f.code == "L316"
    ]


@pytest.mark.parametrize(
    "upgrade",
    [
        "op.add_column('t', sa.Column('c', sa.String(20)))",
        "for n in range(3):\n    print(len(str(n)))",  # builtins only
        # the revision's own definitions of the names the app's models also hold
        "config_entry = sa.table('config_entry', sa.column('id'))\n"
        "op.execute(config_entry.delete())",
    ],
)
def test_a_template_import_the_revision_never_uses_is_not_reported(upgrade: str) -> None:
    assert _l316(revision(upgrade, header=TEMPLATE)) == []


@pytest.mark.parametrize(
    "header",
    [
        TEMPLATE,
        "from shop.models import *",
        "from shop.models import ConfigEntry",
        "import shop.models\nfrom shop.models import ConfigEntry",
    ],
)
def test_a_name_the_revision_reads_from_the_app_is_reported(header: str) -> None:
    source = revision("bind = op.get_bind()\nprint(ConfigEntry.query.count())", header=header)
    assert len(_l316(source)) == 1


def test_a_name_bound_only_in_another_function_still_comes_from_the_star_import() -> None:
    source = revision(
        "print(ConfigEntry)", downgrade="ConfigEntry = None\nprint(ConfigEntry)", header=TEMPLATE
    )
    assert len(_l316(source)) == 1


def test_the_module_attribute_read_through_the_plain_import_is_used() -> None:
    source = revision(
        "op.add_column('t', sa.Column('c', shop.models.db.String(9)))", header=TEMPLATE
    )
    assert len(_l316(source)) == 1


@pytest.mark.parametrize("loaded", [frozenset(), frozenset({"shop", "shop.extensions"})])
def test_an_unused_import_of_what_nothing_loads_is_reported(loaded: frozenset[str]) -> None:
    assert len(_l316(revision("pass", header=TEMPLATE), loaded)) == 1


def test_two_imports_of_one_module_are_one_finding_at_the_first() -> None:
    source = revision("print(ConfigEntry, db)", header=TEMPLATE)
    lines = source.splitlines()
    first = lines.index("import shop.models") + 1
    findings = _l316(source)
    assert [line for line, _ in findings] == [first]
    assert findings[0][1].endswith(
        f"; the same L316 for 1 more import of shop.models in this revision (line {first + 1})"
    )


def test_names_taken_on_separate_lines_are_one_finding() -> None:
    header = "from shop.models import ConfigEntry\nfrom shop.models import db\nimport shop"
    findings = _l316(revision("print(ConfigEntry, db, shop)", header=header), frozenset())
    # shop.models once (naming its second line), the package itself apart
    assert len(findings) == 2
    assert any("1 more import of shop.models" in message for _, message in findings)
    assert any(message.startswith("imports shop,") for _, message in findings)


# --- end to end: a Flask-Migrate project whose template imports the models ------------------

UNUSED = """\
    \"\"\"add a column

    Revision ID: 1a2b3c4d5e6f
    Revises:
    \"\"\"
    revision = '1a2b3c4d5e6f'
    down_revision = None

    from alembic import op
    import sqlalchemy as sa
    import shop.models
    from shop.models import *


    def upgrade():
        op.add_column('config_entry', sa.Column('note', sa.String(20), nullable=True))


    def downgrade():
        op.drop_column('config_entry', 'note')
"""
USED = """\
    \"\"\"fill the entries

    Revision ID: 2b3c4d5e6f7a
    Revises: 1a2b3c4d5e6f
    \"\"\"
    revision = '2b3c4d5e6f7a'
    down_revision = '1a2b3c4d5e6f'

    from alembic import op
    import sqlalchemy as sa
    import shop.models
    from shop.models import *
    from sqlalchemy import orm


    def upgrade():
        session = orm.Session(bind=op.get_bind())
        session.add(ConfigEntry(id=1))
        session.commit()


    def downgrade():
        pass
"""


@pytest.mark.parametrize(
    ("env", "unused_reported"), [(FLASK_MIGRATE_ENV, False), (PLAIN_ENV, True)]
)
def test_lint_of_a_flask_migrate_project_whose_template_imports_the_models(
    tmp_path: Path, env: str, unused_reported: bool
) -> None:
    _project(
        tmp_path,
        {
            "manage.py": MANAGE,
            "shop/models.py": MODELS,
            "migrations/alembic.ini": "[alembic]\nscript_location = .\n",
            "migrations/versions/1a2b3c4d5e6f_add.py": UNUSED,
            "migrations/versions/2b3c4d5e6f7a_fill.py": USED,
        },
        env=env,
    )
    result = run_cli(tmp_path, "--migrations", "migrations", "lint", "--all")
    reported = [line for line in result.out.splitlines() if "L316" in line]
    assert any("2b3c4d5e6f7a_fill.py:11:" in line for line in reported), result.output
    assert ("1a2b3c4d5e6f_add.py:11:" in result.out) is unused_reported, result.output
    assert len(reported) == 1 + unused_reported, result.output
