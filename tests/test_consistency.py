"""The README and docs stay true to the code: every verb, setting and module is documented."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from alembic_sentinel import __version__, cli, settings
from alembic_sentinel.errors import (
    EXIT_DATABASE,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
)

README = (REPO / "README.md").read_text()
ARCHITECTURE = (REPO / "docs" / "architecture.md").read_text()


@pytest.mark.parametrize("verb", sorted(cli.VERBS))
def test_every_verb_is_in_the_readme_and_the_help(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert re.search(rf"`(alembic-sentinel )?{re.escape(verb)}\b", README)
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert verb in capsys.readouterr().out


@pytest.mark.parametrize("key", sorted(settings.PYPROJECT_KEYS))
def test_every_pyproject_key_is_documented(key: str) -> None:
    assert f"| `{key}` |" in README


@pytest.mark.parametrize(
    "name",
    [settings.ENV_URL, settings.ENV_CONFIG, settings.ENV_MIGRATIONS, settings.ENV_METADATA],
)
def test_every_environment_variable_is_documented(name: str) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize("code", [EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_DATABASE, EXIT_INTERNAL])
def test_every_exit_code_is_documented(code: int) -> None:
    assert re.search(rf"^\| {code} \|", README, re.MULTILINE)


def test_every_module_is_in_the_architecture_doc() -> None:
    modules = sorted(p.name for p in (REPO / "alembic_sentinel").glob("*.py"))
    missing = [
        m for m in modules if m not in ("__init__.py", "__main__.py") and m not in ARCHITECTURE
    ]
    assert missing == []


def test_the_readme_test_command_is_what_ci_runs() -> None:
    assert "make test" in README.split("\n## ")[0]
    assert "make demo" in README.split("\n## ")[0]
    assert (REPO / ".ci" / "run").read_text().strip().endswith("make test")


def test_the_oldest_stack_runs_existing_files_and_every_layer_that_depends_on_the_stack() -> None:
    noxfile = ast.parse((REPO / "noxfile.py").read_text())
    listed = next(
        ast.literal_eval(node.value)
        for node in noxfile.body
        if isinstance(node, ast.Assign)
        and any(getattr(target, "id", "") == "STACK_DEPENDENT" for target in node.targets)
    )
    assert [path for path in listed if not (REPO / path).is_file()] == []
    assert len(set(listed)) == len(listed)
    # a test of each stack-dependent layer: engine/, drift/, data/, ci/, Flask, reflection
    for layer_test in (
        "tests/test_verbs.py",
        "tests/test_drift.py",
        "tests/test_data_parts.py",
        "tests/test_ci_engine.py",
        "tests/test_flask_native.py",
        "tests/test_target_from_server.py",
    ):
        assert layer_test in listed


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"alembic-sentinel {__version__}"


def test_every_finding_code_is_documented() -> None:
    codes = set()
    for module in (REPO / "alembic_sentinel").rglob("*.py"):
        codes |= set(re.findall(r"\b([GFDLCR]\d{3})\b", module.read_text()))
    documented = "".join(
        (REPO / "docs" / name).read_text()
        for name in ("revision-graph.md", "drift.md", "rules.md", "ci.md")
    )
    assert codes, "no finding codes found"
    assert sorted(c for c in codes if f"| {c} |" not in documented) == []


def test_every_hook_has_a_console_script_a_module_and_a_readme_entry() -> None:
    manifest = (REPO / ".pre-commit-hooks.yaml").read_text()
    pyproject = (REPO / "pyproject.toml").read_text()
    hook_ids = re.findall(r"^- id: (\S+)", manifest, re.MULTILINE)
    assert hook_ids
    for hook_id in hook_ids:
        assert f"entry: {hook_id}\n" in manifest
        module = hook_id.replace("-", "_")
        assert f'{hook_id} = "alembic_sentinel.hooks.{module}:main"' in pyproject
        assert (REPO / "alembic_sentinel" / "hooks" / f"{module}.py").is_file()
        assert f"`{hook_id}`" in README


def test_the_hook_manifest_is_valid_for_pre_commit() -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    result = subprocess.run(
        [str(pre_commit), "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
