"""Raw SQL written as a `.format()` or `%` template (issue 20, round 17): what it reads counts
as read before a drop (L305), also when the table's name is joined from a prefix not known
until run time, as long as the SQL and the drop join it from the same parts. Our own snippets."""

from __future__ import annotations

import textwrap

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_source

TEMPLATE = '''"""a test revision

Revision ID: 1234abcd5678
"""
import sqlalchemy as sa
from alembic import op

ORDERS = "shop_orders"
revision = "1234abcd5678"
down_revision = "a8a2fc4e4c77"


def upgrade(prefix=""):
{body}


def downgrade(prefix=""):
    pass
'''


def l305(body: str) -> int:
    source = TEMPLATE.format(body=textwrap.indent(textwrap.dedent(body).strip(), "    "))
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return sum(1 for f in report.findings if f.code == "L305")


@pytest.mark.parametrize(
    "body",
    [
        # .format() with a positional field, the table joined from the prefix and a constant
        """
        op.add_column(prefix + ORDERS, sa.Column("state", sa.String(20)))
        op.execute("UPDATE {} SET state = CASE paid WHEN 1 THEN 'paid' END".format(prefix + ORDERS))
        op.drop_column(prefix + ORDERS, "paid")
        """,
        # a named field, through sa.text and the connection
        """
        bind = op.get_bind()
        bind.execute(sa.text(
            "UPDATE {orders} SET state = paid".format(orders=prefix + "shop_orders")
        ))
        op.drop_column(prefix + "shop_orders", "paid")
        """,
        # %-formatting with a tuple, the drop's name an f-string of the same parts
        """
        op.execute("UPDATE %s SET state = paid" % (prefix + ORDERS,))
        op.drop_column(f"{prefix}shop_orders", "paid")
        """,
        # %-formatting with a dict; the table fully known
        """
        op.execute("UPDATE %(t)s SET state = paid WHERE paid %% 2 = 0" % {"t": ORDERS})
        op.drop_column(ORDERS, "paid")
        """,
        # an indexed field and a known table
        """
        op.execute("INSERT INTO archive (x) SELECT {0}.paid FROM {0}".format(ORDERS))
        op.drop_column("shop_orders", "paid")
        """,
    ],
)
def test_a_templated_sql_reading_the_column_copies_it_first(body: str) -> None:
    assert l305(body) == 0


@pytest.mark.parametrize(
    "body",
    [
        # the template reads another column
        """
        op.execute("UPDATE {} SET state = 'x'".format(prefix + ORDERS))
        op.drop_column(prefix + ORDERS, "paid")
        """,
        # the template names another table (different literal part)
        """
        op.execute("UPDATE {} SET state = paid".format(prefix + "shop_refunds"))
        op.drop_column(prefix + ORDERS, "paid")
        """,
        # another unknown part: another prefix is another table
        """
        other = prefix.upper()
        op.execute("UPDATE %s SET state = paid" % (other + ORDERS))
        op.drop_column(prefix + ORDERS, "paid")
        """,
        # a format spec: the text is not read, so nothing counts as read
        """
        op.execute("UPDATE {:>10} SET state = paid".format(prefix + ORDERS))
        op.drop_column(prefix + ORDERS, "paid")
        """,
        # the read comes after the drop
        """
        op.drop_column(prefix + ORDERS, "paid")
        op.execute("UPDATE {} SET state = paid".format(prefix + ORDERS))
        """,
    ],
)
def test_a_column_not_read_by_the_template_is_still_reported(body: str) -> None:
    assert l305(body) == 1


@pytest.mark.parametrize(
    "body",
    [
        'op.execute("ALTER TABLE {} DROP COLUMN paid".format(ORDERS))',
        'op.execute("ALTER TABLE %s DROP COLUMN paid" % ORDERS)',
        'op.execute("ALTER TABLE {t} DROP COLUMN paid".format(t="shop_" + "orders"))',
    ],
)
def test_a_fully_known_template_is_read_as_raw_sql(body: str) -> None:
    assert l305(body) == 1  # the raw drop is seen (it was not read before)


def test_a_template_with_an_unknown_name_gives_reads_only() -> None:
    # its statements are not taken: the table is only a pattern, no DDL rule works on it
    assert l305('op.execute("ALTER TABLE {} DROP COLUMN paid".format(prefix + ORDERS))') == 0


@pytest.mark.parametrize(
    "body",
    [
        # literal parts joined with +, in sa.text, held in a variable, with a table alias
        """
        fill = sa.text(
            "INSERT INTO order_state (order_id, paid) " +
            "SELECT o.id, o.paid " +
            "FROM shop_orders AS o"
        )
        op.get_bind().execute(fill)
        op.drop_column(ORDERS, "paid")
        """,
        # a constant and a literal joined, straight into op.execute
        """
        op.execute("UPDATE " + ORDERS + " SET state = paid")
        op.drop_column(ORDERS, "paid")
        """,
    ],
)
def test_sql_joined_from_literal_parts_is_read(body: str) -> None:
    assert l305(body) == 0


def test_sql_joined_from_literal_parts_that_does_not_read_the_column() -> None:
    body = """
    op.execute("UPDATE " + ORDERS + " SET state = 'x'")
    op.drop_column(ORDERS, "paid")
    """
    assert l305(body) == 1


def test_sql_joined_in_a_local_name_is_read() -> None:
    body = """
    query = ("UPDATE shop_orders " +
             "SET state = paid")
    op.get_bind().execute(sa.text(query))
    op.drop_column(ORDERS, "paid")
    """
    assert l305(body) == 0


def test_a_local_name_joined_twice_is_not_read_as_either() -> None:
    body = """
    query = "UPDATE shop_orders " + "SET state = paid"
    if prefix:
        query = "UPDATE shop_orders " + "SET state = 'x'"
    op.get_bind().execute(sa.text(query))
    op.drop_column(ORDERS, "paid")
    """
    assert l305(body) == 1
