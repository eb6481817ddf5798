"""L325's words for the target (issue 20, round 22): adding a primary key to a table with rows
rebuilds the table on MySQL/MariaDB (InnoDB's clustered index), but not on PostgreSQL, which
builds the key's unique index under a lock, nor on SQLite, where batch mode copies the table.
The rule is raised on each target; its message says what that server does. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

ADD_KEY = 'op.create_primary_key("pk_ledger", "ledger", ["entry_no"])'
RAW_KEY = 'op.execute("ALTER TABLE ledger ADD PRIMARY KEY (entry_no)")'


@pytest.mark.parametrize(
    ("target", "said", "not_said"),
    [
        ("mysql-8.0", "rebuilds the table (its clustered index)", "lock"),
        ("mariadb-10.11", "rebuilds the table (its clustered index)", "lock"),
        ("postgresql", "unique index under a lock that blocks reads and writes", "clustered"),
        ("sqlite", "copies the whole table", "clustered"),
    ],
)
@pytest.mark.parametrize("upgrade", [ADD_KEY, RAW_KEY])
def test_the_message_says_what_the_target_does(
    target: str, said: str, not_said: str, upgrade: str
) -> None:
    findings = lint(revision(upgrade), target=parse_server_version(target))
    [message] = [f.message for f in findings if f.code == "L325"]
    assert said in message and not_said not in message, message
    assert "ledger" in message and "fails if the rows hold NULLs or duplicates" in message
