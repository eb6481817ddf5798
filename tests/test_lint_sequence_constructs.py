"""L331 and SQLAlchemy's sequence DDL constructs run by `op.execute` (issue 20, round 34):
`op.execute(sa.schema.CreateSequence(sa.Sequence("s")))` is compiled by the connection's
dialect, and SQLAlchemy's MySQL dialect writes `CREATE SEQUENCE s` as it would for PostgreSQL
(checked: it has no sequences but compiles the construct all the same). MySQL 8.0 refuses it
(ERROR 1064); MariaDB 10.3+ has sequences. Read as the SQL each construct is, as the raw form
`op.execute("CREATE SEQUENCE s")` already was. Our own revisions."""

from __future__ import annotations

import pytest
from test_lint_rules import line_of, lint, revision, target

from alembic_sentinel.report.model import ERROR


def _l331(source: str, server: str) -> list[tuple[int, str]]:
    return [
        (f.line, f.severity)
        for f in lint(source, target=target(server), naming_convention=True)
        if f.code == "L331"
    ]


@pytest.mark.parametrize(
    "statement",
    [
        'op.execute(sa.schema.CreateSequence(sa.Sequence("ticket_no_seq")))',
        'op.execute(CreateSequence(Sequence("ticket_no_seq", start=100)))',
        'op.get_bind().execute(sa.schema.DropSequence(sa.Sequence("ticket_no_seq")))',
    ],
)
def test_a_sequence_construct_is_refused_by_mysql(statement: str) -> None:
    source = revision(
        statement,
        header="from sqlalchemy import Sequence\nfrom sqlalchemy.schema import CreateSequence",
    )
    assert _l331(source, "mysql-8.0") == [(line_of(source, 'Sequence("'), ERROR)]
    hit = next(f for f in lint(source, target=target("mysql-8.0")) if f.code == "L331")
    assert "sequence" in hit.message


def test_mariadb_runs_a_sequence_construct() -> None:
    source = revision('op.execute(sa.schema.CreateSequence(sa.Sequence("ticket_no_seq")))')
    assert _l331(source, "mariadb-10.11") == []


def test_a_sequence_construct_in_a_postgresql_branch_is_not_run_by_mysql() -> None:
    source = revision(
        """
        if op.get_bind().dialect.name == "postgresql":
            op.execute(sa.schema.CreateSequence(sa.Sequence("ticket_no_seq")))
        """
    )
    assert _l331(source, "mysql-8.0") == []


def test_a_construct_of_another_kind_is_no_sequence() -> None:
    source = revision('op.execute(sa.schema.CreateTable(sa.table("ticket")))')
    assert _l331(source, "mysql-8.0") == []
