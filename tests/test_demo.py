"""`make demo` runs on a fresh machine with no database server: run its script on a copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SETTINGS_ENV_VARS


def test_demo_upgrades_the_reference_app_on_sqlite_and_explains_itself(tmp_path: Path) -> None:
    for name in ("orm", "migrations", "env", "demo"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("db", "drop_database", "pyproject.toml"):
        shutil.copy2(REPO / name, tmp_path / name)
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"

    completed = subprocess.run(
        ["bash", "demo/demo.sh"], cwd=tmp_path, env=env, capture_output=True, text=True
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "election 1: isListed = True" in completed.stdout
    assert "election 2: isListed = False" in completed.stdout
    assert "e5a9c3f7d812 (head) add electionId to candidate" in completed.stdout
    assert "no changes: the models match the database at head" in completed.stdout
    assert "What the demo showed" in completed.stdout
    assert (tmp_path / "election-dev.db").exists()
