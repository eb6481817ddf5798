"""L316 and the modules env.py loads through the project's own modules (issue 20, round 43).

env.py's module-level `from shop import models` runs shop/models.py, whose own module-level
`from shop import utils` loads shop.utils too: an unused `import shop.utils` (a script.py.mako
may write it into every revision) adds nothing that is not loaded before the revision runs. What
a module imports only in a function, under an `if` (TYPE_CHECKING), or in a `try` whose handler
swallows an ImportError may not have run, and stays reported; so does a used import. Projects of
our own writing in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import run_cli
from test_lint_rules import lint, revision

from alembic_sentinel.lint.commands import loaded_before_revisions

SHOP = frozenset({"shop"})

ENV = """\
    from alembic import context

    from shop import models

    target_metadata = models.Base.metadata
"""


def _project(root: Path, files: dict[str, str]) -> Path:
    """A project at `root` (shop/ its package) with migrations/env.py; returns env.py."""
    files = {"shop/__init__.py": "", "migrations/env.py": ENV, **files}
    files["migrations/script.py.mako"] = ""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (root / "migrations/versions").mkdir(exist_ok=True)
    return root / "migrations/env.py"


# --- what is loaded ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "models",
    [
        "from shop import utils\n",
        "import shop.utils\n",
        "from . import utils\n",  # relative, from the module's own package
        "from .utils import generate_guid\n",
        "with open('x'):\n    import shop.utils\n",
        "try:\n    import shop.utils\nexcept KeyError:\n    pass\n",
        "try:\n    pass\nfinally:\n    import shop.utils\n",
    ],
)
def test_a_module_env_py_imports_loads_its_own_module_level_imports(
    tmp_path: Path, models: str
) -> None:
    env = _project(tmp_path, {"shop/models.py": models, "shop/utils.py": "X = 1\n"})
    assert {"shop.models", "shop.utils"} <= loaded_before_revisions(env, tmp_path)


@pytest.mark.parametrize(
    "models",
    [
        "def helper():\n    from shop import utils\n",  # only when called
        "class Model:\n    from shop import utils\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop import utils\n",
        "import os\nif os.environ.get('DEBUG'):\n    from shop import utils\n",
        "try:\n    from shop import utils\nexcept ImportError:\n    utils = None\n",
        "try:\n    from shop import utils\nexcept Exception:\n    utils = None\n",
        "try:\n    from shop import utils\nexcept:\n    utils = None\n",
        "for _ in ():\n    from shop import utils\n",
        "# from shop import utils\n",
    ],
)
def test_imports_that_may_not_have_run_are_not_followed(tmp_path: Path, models: str) -> None:
    env = _project(tmp_path, {"shop/models.py": models, "shop/utils.py": "X = 1\n"})
    assert "shop.utils" not in loaded_before_revisions(env, tmp_path)


def test_the_packages_above_a_loaded_module_are_followed_too(tmp_path: Path) -> None:
    env = _project(
        tmp_path,
        {
            "shop/__init__.py": "from shop.core import config\n",
            "shop/core/__init__.py": "",
            "shop/core/config.py": "",
            "shop/models.py": "",
        },
    )
    assert {"shop.core", "shop.core.config"} <= loaded_before_revisions(env, tmp_path)


def test_modules_are_followed_three_levels_below_env_py_s_imports(tmp_path: Path) -> None:
    env = _project(
        tmp_path,
        {
            "shop/models.py": "import shop.a\n",
            "shop/a.py": "import shop.b\n",
            "shop/b.py": "import shop.c\n",
            "shop/c.py": "import shop.d\n",
            "shop/d.py": "",
        },
    )
    loaded = loaded_before_revisions(env, tmp_path)
    assert {"shop.a", "shop.b", "shop.c"} <= loaded
    assert "shop.d" not in loaded


def test_import_cycles_end(tmp_path: Path) -> None:
    env = _project(
        tmp_path,
        {"shop/models.py": "import shop.utils\n", "shop/utils.py": "import shop.models\n"},
    )
    assert {"shop.models", "shop.utils"} <= loaded_before_revisions(env, tmp_path)


def test_a_module_env_py_does_not_reach_is_not_loaded(tmp_path: Path) -> None:
    env = _project(
        tmp_path,
        {"shop/models.py": "import sqlalchemy\n", "shop/utils.py": "", "shop/views.py": ""},
    )
    loaded = loaded_before_revisions(env, tmp_path)
    assert "shop.utils" not in loaded and "shop.views" not in loaded


# --- the rule ------------------------------------------------------------------------------

LOADED = frozenset({"shop", "shop.models", "shop.utils"})


def _l316_lines(source: str, loaded: frozenset[str] = LOADED) -> list[int]:
    return [
        f.line for f in lint(source, local_packages=SHOP, env_modules=loaded) if f.code == "L316"
    ]


def _line(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if text in line)


def test_an_unused_import_of_a_loaded_module_is_not_reported() -> None:
    source = revision("op.drop_column('links', 'old')", header="import shop.utils")
    assert _l316_lines(source) == []
    # the same import, shop.utils not loaded: reported
    assert _l316_lines(source, frozenset({"shop", "shop.models"})) == [_line(source, "shop.utils")]


def test_a_used_module_is_reported_though_loaded() -> None:
    source = revision(
        "op.execute(f\"INSERT INTO t VALUES ('{shop.utils.generate_guid()}')\")",
        header="import shop.models\nimport shop.utils",
    )
    # shop.models only binds `shop`, which the other import binds too: it adds nothing
    assert _l316_lines(source) == [_line(source, "import shop.utils")]


def test_of_two_imports_binding_one_name_only_the_one_read_into_is_reported() -> None:
    source = revision(
        "op.add_column('links', sa.Column('group_id', shop.models.GUID(16)))",
        header="import shop.models\nimport shop.utils",
    )
    assert _l316_lines(source) == [_line(source, "import shop.models")]


@pytest.mark.parametrize(
    "upgrade",
    [
        "op.add_column('links', sa.Column('group_id', shop.models.GUID(16)))",
        # `shop` or `shop.utils` read whole may reach into any module below it
        "print(shop)",
        "print(getattr(shop, 'utils'))",
    ],
)
def test_an_import_that_alone_binds_a_read_name_is_reported(upgrade: str) -> None:
    source = revision(upgrade, header="import shop.utils")
    assert _l316_lines(source) == [_line(source, "import shop.utils")]


def test_a_second_binder_inside_a_function_does_not_count() -> None:
    source = revision(
        "import shop.models\nop.add_column('t', sa.Column('c', shop.models.GUID(16)))",
        header="import shop.utils",
    )
    lines = _l316_lines(source)
    assert _line(source, "import shop.utils") in lines


def test_an_aliased_import_is_used_by_its_alias() -> None:
    source = revision(
        "op.execute(str(u.generate_guid()))", header="import shop.models\nimport shop.utils as u"
    )
    assert _l316_lines(source) == [_line(source, "import shop.utils as u")]


# --- end to end ----------------------------------------------------------------------------

UNUSED = """\
    \"\"\"drop old

    Revision ID: 1a2b3c4d5e6f
    Revises:
    \"\"\"
    from alembic import op
    import sqlalchemy as sa

    import shop.models
    import shop.utils
    import shop.views

    revision = '1a2b3c4d5e6f'
    down_revision = None


    def upgrade():
        op.add_column('links', sa.Column('group_id', shop.models.GUID(16)))


    def downgrade():
        op.drop_column('links', 'group_id')
"""


def test_lint_of_a_project_whose_models_load_the_template_s_imports(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "shop/models.py": "from shop import utils as db_utils\n\n"
            "def render():\n    from shop import views\n",
            "shop/utils.py": "",
            "shop/views.py": "",
            "migrations/alembic.ini": "[alembic]\nscript_location = .\n",
            "migrations/versions/1a2b3c4d5e6f_drop.py": UNUSED,
        },
    )
    result = run_cli(tmp_path, "--migrations", "migrations", "lint", "--all")
    reported = [line for line in result.out.splitlines() if "L316" in line]
    # models: read (shop.models.GUID); utils: loaded by models.py, unused; views: loaded only
    # when render() runs
    assert len(reported) == 2, result.output
    assert "1a2b3c4d5e6f_drop.py:9:" in reported[0], result.output
    assert "1a2b3c4d5e6f_drop.py:11:" in reported[1], result.output
