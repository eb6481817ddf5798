"""L331 names the PostgreSQL-only statement a revision runs (issue 20, round 28): `ALTER TYPE
... ADD VALUE` was reported as "(CREATE TYPE)", whatever the verb. The message now says the
statement used: CREATE / ALTER / DROP TYPE, `ALTER TYPE ... ADD VALUE` or `... RENAME VALUE`,
CREATE / DROP EXTENSION, the uuid function called; each once, in the order found. Our own
snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target


def _named(sql: str) -> str:
    [finding] = [
        f
        for f in lint(revision(f"op.execute({sql!r})"), target=target("mysql-8.0"))
        if f.code == "L331"
    ]
    return finding.message.split("(", 1)[1].split(")")[0]


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("ALTER TYPE origin ADD VALUE 'suspension'", "ALTER TYPE ... ADD VALUE"),
        ("alter type origin rename value 'a' to 'b'", "ALTER TYPE ... RENAME VALUE"),
        ("ALTER TYPE origin RENAME TO old_origin", "ALTER TYPE"),
        ("DROP TYPE builds_format", "DROP TYPE"),
        ("create type mood as enum ('ok', 'sad')", "CREATE TYPE"),
        ("DROP TYPE a; CREATE TYPE a AS ENUM ('x')", "DROP TYPE, CREATE TYPE"),
        ('DROP EXTENSION IF EXISTS "pgcrypto"', "DROP EXTENSION"),
    ],
)
def test_the_message_names_the_statement_run(sql: str, named: str) -> None:
    assert _named(sql) == named


def test_a_uuid_function_is_named_as_called() -> None:
    message = [
        f.message
        for f in lint(
            revision('op.execute("UPDATE gadget SET key = uuid_generate_v4()")'),
            target=target("mysql-8.0"),
        )
        if f.code == "L331"
    ]
    assert message and "(uuid_generate_v4())" in message[0]
