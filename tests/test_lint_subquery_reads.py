"""Values read by a subquery before their table or column is dropped (round 22): an UPDATE
whose SET or WHERE holds `(SELECT ... FROM other ...)` reads `other`'s columns, resolved against
the subquery's own FROM list, not the updated table; SQL kept in module constants built from
earlier constants (f-strings, `+`) is read as the text it makes. L304 and L305 stay quiet when
the values were copied first, and report when the subquery reads something else. Fixtures are
our own."""

from __future__ import annotations

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_source
from alembic_sentinel.lint.sql_reader import read_sql

HEADER = '''"""fold the vouchers into the baskets"""
import sqlalchemy as sa
from alembic import op

revision = "9a0b1c2d3e4f"
down_revision = "8f9e0d1c2b3a"
'''


def codes(source: str) -> list[str]:
    report = lint_source(source, "versions/9a0b1c2d3e4f_fold.py", LintOptions())
    return [f.code for f in report.findings]


def test_a_scalar_subquery_reads_its_own_table() -> None:
    (statement,) = read_sql(
        "UPDATE basket SET code = (SELECT code FROM voucher WHERE basket_ref = basket.id)"
    )
    assert ("voucher", "code") in statement.reads
    assert ("voucher", "basket_ref") in statement.reads
    assert ("basket", "id") in statement.reads
    assert ("basket", "code") not in statement.reads  # written, not read
    (nested,) = read_sql(
        "SELECT id FROM basket WHERE id IN (SELECT basket_ref FROM voucher WHERE live = 1)"
    )
    assert {("voucher", "basket_ref"), ("voucher", "live"), ("basket", "id")} <= nested.reads
    (derived,) = read_sql("SELECT n FROM (SELECT count(*) AS n FROM voucher) AS counted")
    assert derived.table == "voucher"  # a derived table's source
    assert ("voucher", "n") in derived.reads
    (function,) = read_sql("SELECT setval('voucher_id_seq', (SELECT max(id) FROM voucher))")
    assert function.table == "voucher"  # the one table a SELECT without FROM names


MODULE_SQL = '''
COPY = """
update basket
set code = (select code from voucher where basket_ref = basket.id)
"""


def upgrade():
    op.add_column("basket", sa.Column("code", sa.String(16), nullable=True))
    op.get_bind().execute(sa.text(COPY))
    op.drop_table("voucher")


def downgrade():
    pass
'''
# the SELECT kept in its own constant, joined into the UPDATE by an f-string
COMPOSED_SQL = '''
LIVE = "select basket_id from basket_state where active = true"
MARK = f"""
update basket set status = 'LIVE' where id in ({LIVE})
"""


def upgrade():
    op.add_column("basket", sa.Column("status", sa.String(8), nullable=True))
    connection = op.get_bind()
    connection.execute(MARK)
    with op.batch_alter_table("basket_state") as batch_op:
        batch_op.drop_column("active")


def downgrade():
    pass
'''


@pytest.mark.parametrize("source", [MODULE_SQL, COMPOSED_SQL], ids=["subquery", "composed"])
def test_values_read_by_a_subquery_first_are_not_lost(source: str) -> None:
    found = codes(HEADER + source)
    assert "L304" not in found and "L305" not in found, found


def test_a_subquery_over_another_table_does_not_excuse_the_drop() -> None:
    other = MODULE_SQL.replace("from voucher where", "from coupon where")
    assert "L304" in codes(HEADER + other)


def test_a_subquery_that_reads_another_column_does_not_excuse_the_drop() -> None:
    other = COMPOSED_SQL.replace("where active = true", "where archived = false")
    assert "L305" in codes(HEADER + other)


def test_a_module_template_with_an_unknown_part_is_not_read_as_a_copy() -> None:
    unknown = COMPOSED_SQL.replace('LIVE = "select', 'LIVE = load_sql() + "select')
    assert "L305" in codes(HEADER + unknown)
