"""action.yml, its scripts and the workflows are valid, linted and free of known Actions hazards.

check-jsonschema (SchemaStore's schemas, vendored in the package), actionlint (with shellcheck
on PATH for the `run:` scripts) and zizmor (offline) run on the real files; none of them touches
the network here. The Python tests check what the tools do not: no expression in a script, every
input documented and passed on, every output mapped, pins carry a version comment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

BIN = Path(sys.executable).parent
ACTION = REPO / "action.yml"
ACTION_DOC = REPO / "action" / "README.md"
WORKFLOWS = [
    REPO / ".github" / "workflows" / "ci.yml",
    REPO / "action" / "examples" / "pr-check.yml",
    REPO / "action" / "examples" / "post-merge.yml",
]
SCRIPTS = sorted((REPO / "action").glob("*.sh"))
# the CLI's environment variables (docs: the ci contract); each input reaches one of them
INPUT_VARIABLES = {
    "database-url": "SENTINEL_CI_DATABASE_URL",
    "config": "SENTINEL_INPUT_CONFIG",  # run.sh exports ENV_CONFIG when it is not empty
    "metadata": "SENTINEL_INPUT_METADATA",  # run.sh exports SENTINEL_METADATA likewise
    "base-ref": "SENTINEL_CI_BASE_REF",
    "mode": "SENTINEL_CI_MODE",
    "push": "SENTINEL_CI_PUSH",
    "github-token": "GITHUB_TOKEN",
    "comment": "SENTINEL_CI_COMMENT",
    "fail-on": "SENTINEL_CI_FAIL_ON",
    "data": "SENTINEL_CI_DATA",
    "data-rows": "SENTINEL_CI_DATA_ROWS",
    "table-stats": "SENTINEL_CI_TABLE_STATS",
    "python": "SENTINEL_PYTHON",
}
OUTPUTS = ("status", "heads", "new-revisions", "drift", "report-path")


def action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text())


def tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    executable = BIN / name
    assert executable.exists(), f"{name} is missing from the test venv: pip install -e '.[test]'"
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # actionlint finds shellcheck
        "NO_COLOR": "1",
        # nothing here may reach the network: a proxy that refuses makes any attempt fail fast
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    return subprocess.run(
        [str(executable), *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_action_yml_matches_the_github_actions_schema() -> None:
    result = tool("check-jsonschema", "--builtin-schema", "vendor.github-actions", ACTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_workflows_schema(workflow: Path) -> None:
    result = tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    # `uses: ./` in ci.yml makes actionlint read action.yml and check the inputs given to it
    result = tool("actionlint", "-no-color", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


# zizmor's releases that know today's audits need Python >= 3.11 (pyproject's marker); the
# suite's other Pythons (3.9, 3.10) are compatibility runs of the package, not of the workflows
@pytest.mark.skipif(sys.version_info < (3, 11), reason="zizmor >= 1.32 needs Python >= 3.11")
def test_zizmor_finds_nothing() -> None:
    result = tool("zizmor", "--offline", "--no-progress", ACTION, *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_the_action_scripts_pass_shellcheck() -> None:
    result = tool("shellcheck", *SCRIPTS)
    assert result.returncode == 0, result.stdout + result.stderr


def run_steps() -> list[dict[str, Any]]:
    return [step for step in action()["runs"]["steps"] if "uses" not in step]


def test_no_run_script_holds_an_expression() -> None:
    steps = run_steps()
    assert steps, "action.yml has no steps"
    for step in steps:
        assert "${{" not in step["run"], step["name"]
    for script in SCRIPTS:
        assert "${{" not in script.read_text(), script.name


def test_every_step_is_bash_and_calls_a_script_of_the_action() -> None:
    for step in run_steps():
        assert step["shell"] == "bash"
        assert re.fullmatch(r'bash "\$GITHUB_ACTION_PATH/action/[a-z_]+\.sh"', step["run"])
        assert (REPO / step["run"].split("/", 1)[1].rstrip('"')).is_file()


def test_the_only_other_action_is_the_upload_pinned_to_a_commit() -> None:
    used = [step for step in action()["runs"]["steps"] if "uses" in step]
    assert [step["name"] for step in used] == ["Upload the full report"]
    assert re.fullmatch(r"actions/upload-artifact@[0-9a-f]{40}", used[0]["uses"])
    assert "steps.ci.outputs.truncated == 'true'" in used[0]["if"]


def test_the_password_is_masked_before_anything_else_and_install_never_sees_it() -> None:
    first, install, *_ = action()["runs"]["steps"]
    assert first["run"].endswith('/action/mask.sh"')
    assert first["env"]["SENTINEL_CI_DATABASE_URL"] == "${{ inputs.database-url }}"
    assert install["run"].endswith('/action/install.sh"')
    assert "inputs.database-url" not in str(install)


def test_every_input_reaches_the_ci_step_through_env() -> None:
    run_step = next(s for s in action()["runs"]["steps"] if s.get("id") == "ci")
    inputs = action()["inputs"]
    assert set(inputs) == {*INPUT_VARIABLES, "working-directory"}
    for name, variable in INPUT_VARIABLES.items():
        assert run_step["env"][variable] == f"${{{{ inputs.{name} }}}}", name
    assert run_step["working-directory"] == "${{ inputs.working-directory }}"


def test_the_documented_defaults() -> None:
    defaults = {name: spec.get("default") for name, spec in action()["inputs"].items()}
    assert defaults == {
        "database-url": "mysql+pymysql://root:root@127.0.0.1:3306/",
        "config": "",
        "working-directory": ".",
        "metadata": "",
        "base-ref": "",
        "mode": "check",
        "push": "pr",
        "github-token": "${{ github.token }}",
        "comment": "true",
        "fail-on": "error",
        "data": "true",
        "data-rows": "50",
        "table-stats": "",
        "python": "python3",
    }


@pytest.mark.parametrize("name", sorted({*INPUT_VARIABLES, "working-directory"}))
def test_every_input_is_described_and_documented(name: str) -> None:
    spec = action()["inputs"][name]
    assert spec["description"].strip()
    assert spec["required"] is False
    assert re.search(rf"^\| `{re.escape(name)}` \|", ACTION_DOC.read_text(), re.MULTILINE)


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_output_maps_the_ci_step_output(name: str) -> None:
    outputs = action()["outputs"]
    assert set(outputs) == set(OUTPUTS)
    assert outputs[name]["value"] == f"${{{{ steps.ci.outputs.{name} }}}}"
    assert outputs[name]["description"].strip()
    assert re.search(rf"^\| `{re.escape(name)}` \|", ACTION_DOC.read_text(), re.MULTILINE)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_third_party_actions_are_pinned_to_a_commit_with_its_version(workflow: Path) -> None:
    for line in workflow.read_text().splitlines():
        match = re.search(r"uses: (\S+)", line)
        if not match or match.group(1).startswith("./"):
            continue
        if match.group(1).startswith("OWNER/alembic-sentinel@"):
            assert "zizmor: ignore[unpinned-uses]" in line  # the placeholder users replace
            continue
        assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_give_our_action_declared_inputs_only(workflow: Path) -> None:
    declared = set(action()["inputs"])
    jobs = yaml.safe_load(workflow.read_text())["jobs"]
    uses = [
        step
        for job in jobs.values()
        for step in job["steps"]
        if step.get("uses", "").startswith(("./", "OWNER/alembic-sentinel@"))
    ]
    assert uses, "the workflow does not use the action"
    for step in uses:
        assert set(step.get("with", {})) <= declared


# --- the scripts, run directly ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "masks"),
    [
        ("mysql+pymysql://root:root@127.0.0.1:3306/", ["root"]),
        ("mysql+pymysql://root@127.0.0.1:3306/", []),
        ("mysql+pymysql://ci:p%40ss%2Fword@db:3306/app", ["p%40ss%2Fword", "p@ss/word"]),
        ("mysql+pymysql://ci:a@b@db/app", ["a@b"]),
        ("mysql+pymysql://db:3306/app@x", []),
        ("sqlite:///election.db", []),
        ("", []),
    ],
)
def test_mask_script_masks_the_password_and_the_token(url: str, masks: list[str]) -> None:
    env = {"PATH": os.environ["PATH"], "SENTINEL_CI_DATABASE_URL": url, "GITHUB_TOKEN": "tok"}
    result = subprocess.run(
        ["bash", REPO / "action" / "mask.sh"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"::add-mask::{m}" for m in [*masks, "tok"]]


def fake_python(tmp_path: Path, version: str) -> tuple[Path, Path]:
    """A `python` that reports `version` for `-m alembic_sentinel --version` and logs pip calls."""
    log = tmp_path / "calls.log"
    python = tmp_path / "python"
    python.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$*" >> "{log}"\n'
        'if [[ "$*" == "-m alembic_sentinel --version" ]]; then\n'
        f'    echo "alembic-sentinel {version}"\n'
        "fi\n"
    )
    python.chmod(0o755)
    return python, log


def run_install(python: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "GITHUB_ACTION_PATH": str(REPO),
        "SENTINEL_PYTHON": str(python),
    }
    return subprocess.run(
        ["bash", REPO / "action" / "install.sh"], env=env, capture_output=True, text=True
    )


def test_install_skips_pip_when_the_actions_version_is_installed(tmp_path: Path) -> None:
    from alembic_sentinel import __version__

    python, log = fake_python(tmp_path, __version__)
    result = run_install(python)
    assert result.returncode == 0, result.stderr
    assert f"alembic-sentinel {__version__} is already installed" in result.stdout
    assert log.read_text().splitlines() == ["-m alembic_sentinel --version"]


def test_install_pip_installs_the_action_checkout_otherwise(tmp_path: Path) -> None:
    python, log = fake_python(tmp_path, "0.0.1")
    result = run_install(python)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        "-m alembic_sentinel --version",
        f"-m pip install --disable-pip-version-check --quiet {REPO}",
        "-m alembic_sentinel --version",
    ]
