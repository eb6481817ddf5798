"""The compatibility matrix: the suite on the oldest stack we support, beside the newest.

`make test` runs the whole suite in .venv (the newest releases pip finds: SQLAlchemy 2,
Flask-SQLAlchemy 3, Flask-Migrate 4) and then this session, `oldest`: the oldest Python found
here (3.9 where it is installed) with SQLAlchemy 1.4, Alembic 1.7, Flask 2.2, Flask-SQLAlchemy
2.5 and Flask-Migrate 2.7, against the same MariaDB. The package is installed with those pins,
so pip also checks that pyproject.toml admits them.

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
TEST_TOOLS = ("pytest>=7", "hypothesis>=6", "jsonschema>=4")
# version-independent checks of the Action's YAML: their validators need a newer Python
NOT_ON_THE_OLDEST = ("tests/test_action_files.py",)

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
    ignored = [f"--ignore={path}" for path in NOT_ON_THE_OLDEST]
    session.run("python", "-c", "import sqlalchemy, alembic, flask_sqlalchemy, flask_migrate")
    session.run("pytest", "-p", "no:cacheprovider", *ignored, *session.posargs)
