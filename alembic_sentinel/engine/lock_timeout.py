"""The runtime guard: a migrating session that waits for a lock at most `lock-timeout` seconds.

An ALTER waiting for a metadata lock behind one long transaction queues every later query on
the table behind itself, and MySQL's `lock_wait_timeout` defaults to a year. With the
`lock-timeout` setting, `upgrade` and `ci` set the session's `lock_wait_timeout` (metadata
locks) and `innodb_lock_wait_timeout` (row locks) before each revision, and a revision that
still waits then fails as `LockWaitTimeout`: one line, exit 1 (refused for safety).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic_sentinel.errors import Refused

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# ER_LOCK_WAIT_TIMEOUT: a metadata lock (lock_wait_timeout) or a row lock
# (innodb_lock_wait_timeout) was not granted in time
LOCK_WAIT_TIMEOUT = 1205


class LockWaitTimeout(Refused):
    """A revision waited for a lock longer than `lock-timeout` and was stopped."""


def set_lock_timeout(connection: Connection, seconds: int | None) -> None:
    """Limit the session's lock waits to `seconds` (MySQL and MariaDB; nothing elsewhere)."""
    if seconds is None or connection.dialect.name not in ("mysql", "mariadb"):
        return
    value = int(seconds)
    connection.exec_driver_sql(f"SET SESSION lock_wait_timeout = {value}")
    connection.exec_driver_sql(f"SET SESSION innodb_lock_wait_timeout = {value}")


def is_lock_wait_timeout(exc: BaseException) -> bool:
    args: tuple[object, ...] = tuple(getattr(getattr(exc, "orig", None), "args", ()))
    return bool(args) and args[0] == LOCK_WAIT_TIMEOUT


def blocked(exc: BaseException, seconds: int | None, where: str) -> LockWaitTimeout | None:
    """The one-line error for a revision stopped by the lock timeout; None for anything else."""
    if seconds is None or not is_lock_wait_timeout(exc):
        return None
    return LockWaitTimeout(
        f"{where}: blocked for more than lock-timeout {seconds}s waiting for a lock another "
        "session holds on the table (a long transaction, a running ALTER): stopped instead of "
        "queueing every query behind it; nothing from this revision on was applied, retry when "
        "that session ends"
    )
