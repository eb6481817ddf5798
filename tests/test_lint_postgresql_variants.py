"""A PostgreSQL type given only as another dialect's variant (issue 20, round 20's held-out set):
`sa.JSON().with_variant(postgresql.JSONB(), "postgresql")` is JSON on MySQL, so L331 (a
PostgreSQL-only type on a MySQL target) has nothing to report; the same type as the base, or as
the MySQL variant, is still reported. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

HEADER = "from sqlalchemy.dialects import postgresql"

OTHER_DIALECT_ONLY = {
    "create_table, positional": """
        op.create_table(
            "event",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        )
    """,
    "add_column, keyword dialect_name": """
        op.add_column(
            "event",
            sa.Column(
                "tags",
                sa.Text().with_variant(postgresql.ARRAY(sa.Text()), dialect_name="postgresql"),
            ),
        )
    """,
    "a chain with a sqlite variant too": """
        op.add_column(
            "event",
            sa.Column(
                "ref",
                sa.String(36)
                .with_variant(postgresql.UUID(as_uuid=True), "postgresql")
                .with_variant(sa.String(36), "sqlite"),
            ),
        )
    """,
}

MYSQL_SEES_IT = {
    "the base type": """
        op.add_column(
            "event", sa.Column("payload", postgresql.JSONB().with_variant(sa.JSON(), "sqlite"))
        )
    """,
    "the MySQL variant": """
        op.add_column(
            "event", sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "mysql"))
        )
    """,
    "no variant": 'op.add_column("event", sa.Column("payload", postgresql.JSONB()))',
}


def l331(upgrade: str) -> int:
    source = revision(upgrade, header=HEADER)
    findings = lint(source, target=parse_server_version("mysql-8.0"))
    return sum(1 for f in findings if f.code == "L331")


@pytest.mark.parametrize("upgrade", OTHER_DIALECT_ONLY.values(), ids=list(OTHER_DIALECT_ONLY))
def test_a_postgresql_type_only_in_its_own_variant_is_not_reported(upgrade: str) -> None:
    assert l331(upgrade) == 0


@pytest.mark.parametrize("upgrade", MYSQL_SEES_IT.values(), ids=list(MYSQL_SEES_IT))
def test_a_postgresql_type_mysql_gets_is_reported(upgrade: str) -> None:
    assert l331(upgrade) == 1
