"""What env.py does beyond the stock templates is never dropped without a word (D403)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

ENV = {"ENV_CONFIG": "./env/test.cfg"}
STOCK_DIRECTIVES = """
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
"""


def edit_env_py(project: Path, old: str, new: str) -> None:
    env_py = project / "migrations" / "env.py"
    text = env_py.read_text()
    assert old in text
    env_py.write_text(text.replace(old, new, 1))


def test_the_reference_apps_stock_env_py_is_reproduced_without_a_notice(project: Path) -> None:
    result = run_cli(project, "check", env=ENV)
    assert result.code == 0, result.output
    assert "D403" not in result.output


@pytest.mark.parametrize(
    ("keyword", "advice"),
    [
        ("render_item=my_render_item", "pass --run-env-py"),
        ("user_module_prefix=PREFIX", "pass --run-env-py"),
        ("include_object=skip_views", "set include-object"),
        ("render_as_batch=is_sqlite", "set render-as-batch = true or false"),
    ],
)
def test_a_configure_option_env_py_adds_is_named_with_what_covers_it(
    project: Path, keyword: str, advice: str
) -> None:
    edit_env_py(project, "context.configure(", f"context.configure({keyword}, ")
    check = run_cli(project, "check", env=ENV)
    assert check.code == 0, check.output  # a notice, not a failure
    name = keyword.split("=")[0]
    assert "notice: D403 migrations/env.py:" in check.out
    assert f"env.py sets {name}" in check.out
    assert advice in check.out

    assert run_cli(project, "upgrade", env=ENV).code == 0
    migrate = run_cli(project, "migrate", env=ENV)
    assert migrate.code == 0, migrate.output
    assert "alembic-sentinel: note: migrations/env.py:" in migrate.err
    assert f"env.py sets {name}" in migrate.err


@pytest.mark.parametrize(
    "keyword",
    ["user_module_prefix='app.types.'", "transaction_per_migration=True", "render_as_batch=False"],
)
def test_a_literal_configure_option_is_passed_on_as_env_py_passes_it(
    project: Path, keyword: str
) -> None:
    edit_env_py(project, "context.configure(", f"context.configure({keyword}, ")
    check = run_cli(project, "check", env=ENV)
    assert check.code == 0, check.output
    assert "D403" not in check.out


def test_no_notice_with_run_env_py_or_when_the_setting_covers_it(project: Path) -> None:
    edit_env_py(project, "context.configure(", "context.configure(include_object=skip_views, ")
    (project / "filters.py").write_text("def skip(*args):\n    return True\n")
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write('include-object = "filters:skip"\n')
    check = run_cli(project, "check", env=ENV)
    assert check.code == 0, check.output
    assert "D403" not in check.out


def test_without_a_configured_database_check_says_its_shadow_is_sqlite(project: Path) -> None:
    result = run_cli(project, "check")
    assert result.code == 0, result.output
    assert "notice: D404 no database is configured, so the shadow is an SQLite file" in result.out
    configured = run_cli(project, "check", env=ENV)
    assert "D404" not in configured.out
