"""The database account a CI run's project code uses: its scratch schema and nothing else.

`ci` runs a pull request's revisions, data fixtures and app: code nobody has reviewed yet. The
process that runs it never gets the configured account (which may create databases, read every
schema, or be root): the trusted parent creates the scratch schema, then an account of the same
name with a random password and `ALL PRIVILEGES` on that one schema, hands only that account to
the child process, and drops both when the run ends. `CREATE DATABASE`, another schema, or a
system schema is then refused by the server itself.

The account is created for the host the server sees the parent connect from (`USER()`), so the
child, on the same machine, matches it. A run killed outright leaves its account behind; the
next run drops accounts whose schema lock no live run holds, as it does for schemas.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# the scratch schema's own name (ci/scratch.py): one account per scratch, named after it
ACCOUNT_NAME = re.compile(r"sentinel_ci_[0-9a-f]{8}")


class ScratchAccount(NamedTuple):
    user: str
    host: str
    password: str  # random, never printed: registered as a secret by the caller

    def __repr__(self) -> str:
        return f"ScratchAccount(user={self.user!r}, host={self.host!r}, password='***')"


def create_account(server: Connection, schema: str) -> ScratchAccount:
    """An account with every privilege on `schema` and none elsewhere. Raises the driver's
    error when the configured account may not create users (the caller falls back)."""
    from sqlalchemy import text

    if not ACCOUNT_NAME.fullmatch(schema):
        raise ValueError(f"not a CI scratch schema: {schema!r}")
    seen_as = str(server.execute(text("SELECT USER()")).scalar() or "")
    host = seen_as.rpartition("@")[2] or "%"
    account = ScratchAccount(schema, host, secrets.token_hex(16))
    quote = server.dialect.identifier_preparer.quote_identifier
    server.execute(
        text("CREATE USER :user@:host IDENTIFIED BY :password"),
        {"user": account.user, "host": account.host, "password": account.password},
    )
    try:
        # a schema name's `_` is a wildcard in GRANT: escaped, the grant names this schema only
        escaped = quote(schema.replace("_", "\\_"))
        server.execute(
            text(f"GRANT ALL PRIVILEGES ON {escaped}.* TO :user@:host"),
            {"user": account.user, "host": account.host},
        )
    except Exception:
        drop_account(server, account)
        raise
    return account


def drop_account(server: Connection, account: ScratchAccount) -> None:
    from sqlalchemy import text

    if not ACCOUNT_NAME.fullmatch(account.user):  # only ever drop an account made here
        raise ValueError(f"not a CI scratch account: {account.user!r}")
    server.execute(
        text("DROP USER IF EXISTS :user@:host"), {"user": account.user, "host": account.host}
    )


def drop_orphan_accounts(server: Connection) -> list[str]:
    """Drop the scratch accounts whose run is gone (its schema lock is free); [] when the
    configured account may not read the account list."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        rows = server.execute(
            text("SELECT User, Host FROM mysql.user WHERE User LIKE 'sentinel\\_ci\\_%'")
        ).all()
    except DBAPIError:
        return []
    dropped = []
    for user, host in rows:
        if not ACCOUNT_NAME.fullmatch(str(user)):
            continue
        if server.execute(text("SELECT GET_LOCK(:n, 0)"), {"n": user}).scalar() != 1:
            continue  # a live run's
        try:
            drop_account(server, ScratchAccount(str(user), str(host), ""))
            dropped.append(str(user))
        finally:
            server.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": user})
    return dropped
