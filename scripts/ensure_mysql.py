"""Make sure the MariaDB/MySQL server the tests use (TEST_MYSQL_URL) answers.

Start the local mariadbd when it is installed but stopped; install mariadb-server when it is
absent and we run as root (Debian/Ubuntu). Exits 0 once a connection succeeds, 3 otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pymysql
from sqlalchemy.engine import make_url

DEFAULT_URL = "mysql+pymysql://root@127.0.0.1:3306/"
MARIADBD = "/usr/sbin/mariadbd"


def answers(url: str) -> str | None:
    """None when the server accepts a connection, else the reason it did not."""
    parsed = make_url(url)
    try:
        pymysql.connect(
            host=parsed.host or "127.0.0.1",
            port=parsed.port or 3306,
            user=parsed.username or "root",
            password=parsed.password or "",
            connect_timeout=3,
        ).close()
    except pymysql.err.MySQLError as exc:
        return str(exc)
    return None


def wait_for(url: str, seconds: float) -> str | None:
    deadline = time.monotonic() + seconds
    reason = answers(url)
    while reason is not None and time.monotonic() < deadline:
        time.sleep(1)
        reason = answers(url)
    return reason


def run(*command: str) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=False)


def install_mariadb() -> None:
    run("apt-get", "update", "-q")
    run("apt-get", "install", "-y", "-q", "mariadb-server")


def start_mariadb() -> None:
    os.makedirs("/run/mysqld", exist_ok=True)
    shutil.chown("/run/mysqld", "mysql", "mysql")
    run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", MARIADBD)


def allow_root_over_tcp() -> None:
    # a fresh Debian install lets root in through the unix socket only
    run(
        "mariadb",
        "-uroot",
        "-e",
        "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR "
        "mysql_native_password USING PASSWORD('')",
    )


def main() -> int:
    url = os.environ.get("TEST_MYSQL_URL") or DEFAULT_URL
    shown = make_url(url).render_as_string(hide_password=True)
    if answers(url) is None:
        print(f"MySQL/MariaDB at {shown} answers")
        return 0
    is_root = os.geteuid() == 0
    if not os.path.exists(MARIADBD) and is_root and shutil.which("apt-get"):
        install_mariadb()
    if os.path.exists(MARIADBD) and is_root:
        start_mariadb()
        reason = wait_for(url, 60)
        if reason is not None and "Access denied" in reason:
            allow_root_over_tcp()
            reason = wait_for(url, 10)
    else:
        reason = answers(url)
    if reason is not None:
        print(f"ensure_mysql: no MySQL/MariaDB at {shown}: {reason}", file=sys.stderr)
        return 3
    print(f"MySQL/MariaDB at {shown} answers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
