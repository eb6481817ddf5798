"""SQL joined by `+` from literals and row values in a per-row loop (round 35): read like the
same `.format()` template, each value a stand-in. Fixtures are our own snippets."""

from __future__ import annotations

import ast
import textwrap

import pytest
from test_lint_rules import codes, revision

from alembic_sentinel.lint.sql_templates import concatenated_sql

ADD_OWNER_REF = 'op.add_column("ledger", sa.Column("owner_ref", sa.String(64), nullable=False))'
LOOP = """
    bind = op.get_bind()
    for shop in bind.execute("SELECT * FROM shop"):
        bind.execute(
            "UPDATE ledger SET {column} = '"
            + shop.ref
            + "' WHERE (region = '"
            + shop.region
            + "') and (shop_code = '"
            + shop.code
            + "');"
        )
"""


def test_a_not_null_column_a_concatenated_update_fills_per_row_is_not_l301() -> None:
    source = revision(ADD_OWNER_REF + "\n" + textwrap.dedent(LOOP).format(column="owner_ref"))
    found = codes(source)
    assert "F201" not in found
    assert "L301" not in found


def test_a_concatenated_update_of_another_column_keeps_l301() -> None:
    source = revision(ADD_OWNER_REF + "\n" + textwrap.dedent(LOOP).format(column="label"))
    assert "L301" in codes(source)


def _expression(text: str) -> ast.BinOp:
    node = ast.parse(text, mode="eval").body
    assert type(node) is ast.BinOp
    return node


@pytest.mark.parametrize(
    ("python", "sql"),
    [
        (
            '"UPDATE t SET c = \'" + row.c + "\' WHERE k = " + row.k',
            "UPDATE t SET c = '' WHERE k = 0",
        ),
        ('"DELETE FROM t WHERE id = " + str(row.id)', "DELETE FROM t WHERE id = 0"),
    ],
)
def test_values_joined_by_plus_are_stand_ins(python: str, sql: str) -> None:
    assert concatenated_sql(_expression(python), lambda name: None) == sql


@pytest.mark.parametrize(
    "python",
    [
        '"UPDATE " + table + " SET c = 1"',  # a table's name, not a value
        '"UPDATE t SET " + column + " = 1"',
    ],
)
def test_a_name_joined_by_plus_leaves_the_sql_unread(python: str) -> None:
    assert concatenated_sql(_expression(python), lambda name: None) is None
