"""The `lock-timeout` guard: a revision blocked by another session's lock fails fast, in one line.

A second connection holds an open transaction that read the table, so it holds a metadata lock
on it until it ends; the upgrade's ALTER waits for that lock. With `lock-timeout` it stops after
that many seconds; without, it waits (as MySQL's one-year default would) until the lock goes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import SETTINGS_ENV_VARS, run_cli

from alembic_sentinel.settings import ENV_LOCK_TIMEOUT

CREATE, ALTER = "aa11create001", "bb22alter0002"
REVISION = '''\
"""{message}"""
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = {down!r}


def upgrade():
    {body}


def downgrade():
    pass
'''


@pytest.fixture
def ledger_project(tmp_path: Path, mysql_url: str) -> Path:
    """A project whose first revision makes `ledger` and whose second one alters it; the
    database is at the first."""
    root = tmp_path / "ledger"
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmigrations = "migrations"\n')
    bodies = {
        CREATE: (None, 'op.create_table("ledger", sa.Column("id", sa.Integer, primary_key=True))'),
        ALTER: (CREATE, 'op.add_column("ledger", sa.Column("memo", sa.String(20)))'),
    }
    for revision, (down, body) in bodies.items():
        (versions / f"{revision}.py").write_text(
            REVISION.format(message=revision, revision=revision, down=down, body=body)
        )
    done = run_cli(root, "upgrade", CREATE, "--url", mysql_url)
    assert done.code == 0, done.output
    return root


@pytest.fixture
def held_lock(mysql_url: str) -> Iterator[sa.engine.Transaction]:
    """A session in a transaction that has read `ledger`: it holds a metadata lock on it until
    the transaction ends (`rollback()` releases it)."""
    engine = sa.create_engine(mysql_url)
    connection = engine.connect()
    transaction = connection.begin()
    connection.exec_driver_sql("SELECT COUNT(*) FROM ledger").all()
    yield transaction
    if transaction.is_active:
        transaction.rollback()
    connection.close()
    engine.dispose()


def upgrade_process(root: Path, url: str, lock_timeout: str | None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in (*SETTINGS_ENV_VARS, ENV_LOCK_TIMEOUT)}
    if lock_timeout is not None:
        env[ENV_LOCK_TIMEOUT] = lock_timeout
    return subprocess.Popen(
        [sys.executable, "-m", "alembic_sentinel", "upgrade", "--url", url],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_blocked_revision_fails_within_the_lock_timeout_in_one_line(
    ledger_project: Path, mysql_url: str, held_lock: sa.engine.Transaction
) -> None:
    started = time.monotonic()
    process = upgrade_process(ledger_project, mysql_url, "2")
    out, err = process.communicate(timeout=120)
    elapsed = time.monotonic() - started
    assert process.returncode == 1, out + err
    # 2 s of waiting, plus a generous margin for starting Python on a busy machine
    assert elapsed < 2 + 30
    [line] = err.strip().splitlines()[-1:]
    assert line.startswith("alembic-sentinel: error: ")
    assert f"migrations/versions/{ALTER}.py: revision {ALTER}" in line
    assert "blocked for more than lock-timeout 2s" in line
    assert "Traceback" not in err


def test_without_the_setting_the_revision_waits_until_the_lock_is_released(
    ledger_project: Path, mysql_url: str, held_lock: sa.engine.Transaction
) -> None:
    process = upgrade_process(ledger_project, mysql_url, None)
    try:
        time.sleep(4)
        assert process.poll() is None, "the upgrade did not wait for the lock"
        held_lock.rollback()
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, out + err
    assert f"upgrade {ALTER}" in err


def test_the_lock_timeout_setting_is_validated(ledger_project: Path, mysql_url: str) -> None:
    (ledger_project / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [tool.alembic-sentinel]
            migrations = "migrations"
            lock-timeout = 0
            """
        )
    )
    result = run_cli(ledger_project, "upgrade", "--url", mysql_url)
    assert result.code == 2
    assert "lock-timeout must be a whole number of seconds from 1" in result.err


def test_ci_steps_set_the_session_lock_timeouts_before_each_revision(
    ledger_project: Path, mysql_url: str
) -> None:
    from alembic_sentinel.engine.database import connect
    from alembic_sentinel.engine.migration_steps import Migrations
    from alembic_sentinel.settings import Overrides, resolve_settings

    settings = resolve_settings(Overrides(url=mysql_url), environ={}, root=ledger_project)
    settings = settings._replace(lock_timeout=7)
    seen: list[tuple[object, ...]] = []

    def after(connection: sa.engine.Connection, revision: str) -> None:
        query = "SELECT @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout"
        seen.append(tuple(connection.exec_driver_sql(query).one()))

    with connect(settings) as connection:
        outcome = Migrations(settings).run(connection, settings, [ALTER], after_step=after)
    assert outcome.error is None
    assert seen == [(7, 7)]
