"""Real git repositories and the real pre-commit framework, for the end-to-end hook tests.

pre-commit takes the hooks from a throwaway git copy of this working tree at a commit sha, as a
user's `.pre-commit-config.yaml` takes them from the published repository. The copy and
pre-commit's cache (PRE_COMMIT_HOME) are built once per run (the `hook_source` fixture in
conftest.py; under pytest-xdist the workers share them): the first `language: python` hook that
runs pip-installs alembic-sentinel into pre-commit's own virtualenv, and every later test, in
every e2e file, reuses it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from conftest import GIT_DEVELOPER_ENV, REPO, SETTINGS_ENV_VARS, Result

VENV_BIN = Path(sys.executable).parent
PRE_COMMIT = VENV_BIN / "pre-commit"
SENTINEL = VENV_BIN / "alembic-sentinel"
DRIFT_HOOK = re.escape("alembic models match the revisions (drift)")
DRIFT_PASSED = re.compile(DRIFT_HOOK + r"\.+Passed")
DRIFT_FAILED = re.compile(DRIFT_HOOK + r"\.+Failed")
DRIFT_SKIPPED = re.compile(DRIFT_HOOK + r"\.+\(no files to check\)Skipped")
OUTSIDE_VARS = ("VIRTUAL_ENV", "SKIP", "ALEMBIC_SENTINEL_WARN_ONLY", *SETTINGS_ENV_VARS)


def clean_env(
    home: Path, pre_commit_home: Path, *, venv_on_path: bool = True, **extra: str
) -> dict[str, str]:
    """A developer's shell: own HOME, git identity and PRE_COMMIT_HOME, no outside
    git/pre-commit/sentinel settings; `extra` (e.g. ENV_CONFIG) on top.

    With `venv_on_path` the project's virtualenv (this test venv) is first on PATH, as for a
    developer who activated it; without it the venv is off PATH, so a hook can only run from
    pre-commit's own virtualenv.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GIT_", "PRE_COMMIT")) and k not in OUTSIDE_VARS
    }
    path = [
        entry
        for entry in env.get("PATH", "").split(os.pathsep)
        if entry and Path(entry).resolve() != VENV_BIN.resolve()
    ]
    if venv_on_path:
        path.insert(0, str(VENV_BIN))
    env.update(
        PATH=os.pathsep.join(path),
        HOME=str(home),
        PRE_COMMIT_HOME=str(pre_commit_home),
        **GIT_DEVELOPER_ENV,
        **extra,
    )
    return env


@dataclass
class Workspace:
    """A directory and the environment every command in it runs with."""

    root: Path
    env: dict[str, str]

    def run(self, *args: str | Path, check: bool = True) -> Result:
        """Run a program here; with `check` its exit code must be 0."""
        completed = subprocess.run(
            [str(arg) for arg in args],
            cwd=self.root,
            env=self.env,
            input="",
            capture_output=True,
            text=True,
            timeout=900,  # the session's first hook run pip-installs the hook repository
        )
        result = Result(completed.returncode, completed.stdout, completed.stderr)
        if check:
            assert result.code == 0, f"{' '.join(map(str, args))}: {result.output}"
        return result

    def git(self, *args: str | Path, check: bool = True) -> Result:
        return self.run("git", *args, check=check)

    def pre_commit(self, *args: str, check: bool = True) -> Result:
        return self.run(PRE_COMMIT, *args, check=check)

    def sentinel(self, *args: str, check: bool = True) -> Result:
        return self.run(SENTINEL, *args, check=check)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.write_text(text)
        return path

    def commit(self, message: str, *paths: str | Path, check: bool = True) -> Result:
        """`git add PATHS` (everything when none) then `git commit`: the hooks run here."""
        self.git("add", *(paths or ("-A",)))
        return self.git("commit", "-m", message, check=check)

    def last_commit(self) -> str:
        return self.git("log", "-1", "--format=%s").out.strip()


@dataclass(frozen=True)
class HookSource:
    """The throwaway alembic-sentinel repository pre-commit installs the hooks from."""

    repo: Path
    rev: str
    pre_commit_home: Path  # shared by every test: one hook virtualenv per session
    home: Path


def make_hook_source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    """The hook repository of this session; under pytest-xdist one for all workers, built by the
    first worker that needs it (the others wait on a lock), so pre-commit pip-installs the hook
    virtualenv once per run, not once per worker. pre-commit locks its own cache (PRE_COMMIT_HOME)
    while it installs, so workers can share it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build_hook_source(tmp_path_factory.mktemp("hooks"))
    shared = tmp_path_factory.getbasetemp().parent / "hooks"  # the run's dir, above popen-gwN
    shared.mkdir(exist_ok=True)
    with (shared / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = shared / "hook-source.json"
        if made.exists():
            fields = json.loads(made.read_text())
            return HookSource(**{k: Path(v) if k != "rev" else v for k, v in fields.items()})
        source = build_hook_source(shared)
        made.write_text(json.dumps({k: str(v) for k, v in asdict(source).items()}))
        return source


def build_hook_source(top: Path) -> HookSource:
    """This working tree (tracked and untracked, not ignored) committed into a new git repo
    under `top`, with a HOME and a PRE_COMMIT_HOME beside it."""
    home = top / "home"
    pre_commit_home = top / "pre-commit-home"
    for directory in (home, pre_commit_home, top / "alembic-sentinel-repo"):
        directory.mkdir()
    env = clean_env(home, pre_commit_home)
    listing = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=True,
    ).stdout.decode()
    source = Workspace(top / "alembic-sentinel-repo", env)
    for name in filter(None, listing.split("\0")):
        if (REPO / name).is_file():  # not deleted in the working tree
            (source.root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source.root / name)
    source.git("init", "-q", "-b", "main")
    source.commit("the working tree under test")
    rev = source.git("rev-parse", "HEAD").out.strip()
    return HookSource(source.root, rev, pre_commit_home, home)


def pre_commit_config(hooks: HookSource, hook_args: Mapping[str, Sequence[str]]) -> str:
    """A `.pre-commit-config.yaml` using each hook id in `hook_args` from the hook repository,
    with its arguments (none when empty)."""
    lines = ["repos:", f"  - repo: {hooks.repo}", f"    rev: {hooks.rev}", "    hooks:"]
    for hook_id, args in hook_args.items():
        lines.append(f"      - id: {hook_id}")
        if args:
            lines.append(f"        args: [{', '.join(args)}]")
    return "\n".join(lines) + "\n"


def reference_app_repo(project: Path, env: dict[str, str]) -> Workspace:
    """The reference app copy as a git repository, everything committed on main."""
    repo = Workspace(project, env)
    repo.git("init", "-q", "-b", "main")
    repo.commit("the reference app")
    return repo


def hooked_reference_app(
    project: Path, hooks: HookSource, hook_args: Mapping[str, Sequence[str]], env_config: str
) -> Workspace:
    """The reference app as a developer's git repository using `hook_args`' hooks, configured by
    ENV_CONFIG=`env_config`, committed on main, then `pre-commit install`."""
    (project / ".pre-commit-config.yaml").write_text(pre_commit_config(hooks, hook_args))
    (project / ".gitignore").write_text("*.db\n__pycache__/\n")
    (project / "README.md").write_text("# The election app\n")
    env = clean_env(hooks.home, hooks.pre_commit_home, ENV_CONFIG=env_config)
    repo = reference_app_repo(project, env)  # no hook installed yet
    installed = repo.pre_commit("install")
    assert "pre-commit installed at .git/hooks/pre-commit" in installed.out
    return repo
