"""L331 and a partial index whose WHERE only leaves out NULLs of its own columns (issue 20,
round 22): MySQL ignores `postgresql_where`, but a unique index there never compares rows with a
NULL in one of its columns, which are exactly the rows `c IS NOT NULL` leaves out, so MySQL's
index admits the same rows. Any other filter is a restriction MySQL drops: still reported. Our
own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

MYSQL = parse_server_version("mysql-8.0")


def _index(where: str, columns: str = '["shop_id", "ticket_no"]', unique: str = "True") -> str:
    return revision(
        f"""
        op.create_index(
            "ix_ticket_shop_no", "ticket", {columns}, unique={unique}, postgresql_where={where}
        )
        """,
        'op.drop_index("ix_ticket_shop_no", table_name="ticket")',
    )


NULLS_OF_ITS_COLUMNS = {
    "text": 'sa.text("ticket_no IS NOT NULL")',
    "plain string, lower case": '"ticket_no is not null"',
    "quoted name, parentheses": "sa.text('(\"ticket_no\" IS NOT NULL)')",
    "two columns with AND": 'sa.text("shop_id IS NOT NULL AND ticket_no IS NOT NULL")',
    "column isnot(None)": 'sa.column("ticket_no").isnot(None)',
    "column is_not(None)": 'sa.column("ticket_no").is_not(None)',
    "column != None": 'sa.column("ticket_no") != None',
}


@pytest.mark.parametrize("where", NULLS_OF_ITS_COLUMNS.values(), ids=list(NULLS_OF_ITS_COLUMNS))
@pytest.mark.parametrize("unique", ["True", "False"])
def test_a_filter_leaving_out_nulls_of_the_key_is_the_same_index_on_mysql(
    where: str, unique: str
) -> None:
    assert "L331" not in [f.code for f in lint(_index(where, unique=unique), target=MYSQL)]


def test_batch_create_index_with_the_same_filter_is_quiet() -> None:
    source = revision(
        """
        with op.batch_alter_table("ticket") as batch_op:
            batch_op.create_index(
                "ix_ticket_shop_no",
                ["shop_id", "ticket_no"],
                unique=True,
                postgresql_where=sa.text("ticket_no IS NOT NULL"),
                sqlite_where=sa.text("ticket_no IS NOT NULL"),
            )
        """,
        'op.drop_index("ix_ticket_shop_no", table_name="ticket")',
    )
    assert "L331" not in [f.code for f in lint(source, target=MYSQL)]


RESTRICTING = {
    "another column": 'sa.text("closed_at IS NOT NULL")',
    "a flag": 'sa.text("archived = false")',
    "IS NULL": 'sa.text("ticket_no IS NULL")',
    "OR": 'sa.text("ticket_no IS NOT NULL OR shop_id IS NOT NULL")',
    "not-null and a flag": 'sa.text("ticket_no IS NOT NULL AND archived = false")',
    "another column, Core": 'sa.column("closed_at").isnot(None)',
    "a variable lint cannot read": "FILTER",
}


@pytest.mark.parametrize("where", RESTRICTING.values(), ids=list(RESTRICTING))
def test_any_other_filter_is_still_lost_on_mysql(where: str) -> None:
    findings = [f for f in lint(_index(where), target=MYSQL) if f.code == "L331"]
    assert findings and findings[0].severity == "error", findings


def test_other_postgresql_options_beside_the_filter_are_still_reported() -> None:
    source = revision(
        """
        op.create_index(
            "ix_ticket_no", "ticket", ["ticket_no"], unique=True,
            postgresql_where=sa.text("ticket_no IS NOT NULL"), postgresql_using="hash",
        )
        """
    )
    findings = [f for f in lint(source, target=MYSQL) if f.code == "L331"]
    assert findings and "postgresql_using" in findings[0].message
