"""SQL joined by `+` from literals and row values in a per-row loop (round 35): read like the
same `.format()` template, each value a stand-in. Fixtures are our own snippets."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from test_lint_histories import chain_findings
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
            "UPDATE t SET c = :c WHERE k = :k",
        ),
        ('"DELETE FROM t WHERE id = " + str(row.id)', "DELETE FROM t WHERE id = :id"),
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


# --- a per-row loop over another table's rows carries the keys it matches by (L305) --------

ADD_SHOP_REF = 'op.add_column("ledger", sa.Column("shop_ref", sa.String(64), nullable=True))'
DROP_KEYS = 'op.drop_column("ledger", "region")\nop.drop_column("ledger", "shop_code")'
MATCHING_LOOP = """
    bind = op.get_bind()
    shops = bind.execute("SELECT * FROM shop")
    for shop in shops:
        bind.execute(
            "UPDATE ledger SET shop_ref = '"
            + shop.ref
            + "' WHERE (region = '"
            + shop.region
            + "') and (shop_code = '"
            + shop.code
            + "');"
        )
"""


def _l305_lines(tmp_path: Path, loop: str) -> list[int]:
    steps = [ADD_SHOP_REF + "\n" + textwrap.dedent(loop).strip(), DROP_KEYS]
    return [finding.line for finding in chain_findings(tmp_path, steps, "L305")]


def test_keys_a_loop_over_every_row_of_another_table_matched_by_are_carried(
    tmp_path: Path,
) -> None:
    assert _l305_lines(tmp_path, MATCHING_LOOP) == []


@pytest.mark.parametrize(
    "loop",
    [
        MATCHING_LOOP.replace('"SELECT * FROM shop"', '"SELECT * FROM shop WHERE open = 1"'),
        MATCHING_LOOP.replace(
            "shop_ref = '\"\n            + shop.ref\n            + \"'", "shop_ref = 'x'"
        ),
        MATCHING_LOOP.replace("shop.region", "other.region"),
    ],
    ids=["some-rows-only", "a-constant-written", "a-value-not-of-the-row"],
)
def test_a_loop_that_keeps_nothing_of_the_row_it_matches_keeps_l305(
    tmp_path: Path, loop: str
) -> None:
    assert _l305_lines(tmp_path, loop) != []
