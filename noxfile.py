"""The compatibility matrix: the stack-dependent tests on the oldest stack we support.

`make test` runs the whole suite in .venv (the newest releases pip finds: SQLAlchemy 2,
Flask-SQLAlchemy 3, Flask-Migrate 4) and then this session, `oldest`: the oldest Python found
here (3.9 where it is installed) with SQLAlchemy 1.4, Alembic 1.7, Flask 2.2, Flask-SQLAlchemy
2.5 and Flask-Migrate 2.7, against the same MariaDB. The package is installed with those pins,
so pip also checks that pyproject.toml admits them. Both runs use pytest-xdist (TEST_WORKERS,
default 2: the tests spend most of their time in subprocesses that start Python and import
SQLAlchemy, so on this 2-core machine more workers than cores only queue; measured in
docs/benchmarks.md).

The oldest stack runs STACK_DEPENDENT only: every test file whose answers go through SQLAlchemy,
Alembic, Flask or the Python version, so every code path that differs between the stacks is
still run on the oldest one. What is left out reads revision files as syntax, renders reports
or checks the repository's own files, and answers the same on any stack (lint/, graph/, report/,
the GitHub API and Action files, the static hooks, whose pre-commit virtualenv installs its own
newest stack anyway).

    .venv/bin/nox -s oldest                   # what `make test` runs
    .venv/bin/nox -s oldest -- tests/test_drift.py -x
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

OLDEST_STACK = (
    "sqlalchemy==1.4.54",
    "alembic==1.7.7",
    "flask==2.2.5",
    "werkzeug==2.2.3",
    "flask-sqlalchemy==2.5.1",
    "flask-migrate==2.7.0",
)
TEST_TOOLS = ("pytest>=7", "pytest-xdist>=3", "hypothesis>=6", "jsonschema>=4")
TEST_WORKERS = os.environ.get("TEST_WORKERS", "2")

# The tests that depend on the stack, by the layer whose behaviour differs between stacks.
STACK_DEPENDENT = (
    # every module imports on the oldest Python, and the static side stays free of SQLAlchemy
    "tests/test_architecture.py",
    # engine/: Alembic's commands and EnvironmentContext, plain (not `future`) engines on 1.4
    "tests/test_verbs.py",
    "tests/test_reference_app.py",
    "tests/test_seed_commands.py",
    "tests/test_layouts.py",
    "tests/test_env_py_gaps.py",
    "tests/test_drop_database.py",
    "tests/test_errors.py",  # how each stack's exceptions become one line and an exit code
    # drift/: autogenerate's comparison, the filters over it, the shadow database, the hook
    "tests/test_drift.py",
    "tests/test_drift_filters.py",
    "tests/test_ignore_tables.py",
    "tests/test_drift_hook_e2e.py",  # language: system, so it runs this environment's stack
    # data/ and ci/: reflection, generated rows, round trips, offline SQL
    "tests/test_data_ci.py",
    "tests/test_data_parts.py",
    "tests/test_data_generator.py",
    "tests/test_ci_engine.py",
    "tests/test_ci_cli.py",
    "tests/test_lint_report_wording.py",  # offline SQL rendered by this Alembic
    # reflection of the server's release and of the schema
    "tests/test_target_from_server.py",
    # Flask integration: Flask-SQLAlchemy 2.5 / Flask-Migrate 2.7 against 3.x / 4.x
    "tests/test_flask_factory_app.py",
    "tests/test_flask_migrate_app.py",
    "tests/test_flask_native.py",
    # settings: tomli on Python < 3.11, URLs through this SQLAlchemy's make_url
    "tests/test_settings.py",
    "tests/hostile/test_hostile_settings.py",
    # the graph must agree with this Alembic's RevisionMap on every input
    "tests/test_revision_graph_properties.py",
)

nox.options.sessions = ["oldest"]
nox.options.reuse_existing_virtualenvs = True


def oldest_python() -> str:
    """The oldest working interpreter from 3.9 up: pyenv's versions first, then PATH."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for minor in range(9, 15):
        candidates = [str(p) for p in sorted(pyenv.glob(f"3.{minor}.*/bin/python3.{minor}"))]
        on_path = shutil.which(f"python3.{minor}")
        if on_path:
            candidates.append(on_path)
        for candidate in candidates:
            # a pyenv shim of a version that is not selected exists but does not run
            if subprocess.run([candidate, "-c", ""], capture_output=True).returncode == 0:
                return candidate
    return sys.executable


@nox.session(python=oldest_python(), venv_backend="venv")
def oldest(session: nox.Session) -> None:
    session.install("-e", ".", *OLDEST_STACK, *TEST_TOOLS)
    session.run("python", "-c", "import sqlalchemy, alembic, flask_sqlalchemy, flask_migrate")
    tests = session.posargs or ["-n", TEST_WORKERS, *STACK_DEPENDENT]
    session.run("pytest", "-p", "no:cacheprovider", *tests)
