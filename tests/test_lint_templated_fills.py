"""L309 and a key column filled per row through a SQL template (issue 20, round 32): `"UPDATE
{table} SET ref = CONCAT('{prefix}', id)".format(table=..., prefix=...)`, positional `{}`, `%s`
and `%(name)s` formatting, a variable holding the built text, a loop over (table, prefix)
pairs. Lint reads the SQL the template makes, as it reads a literal: each row's own key joined
to a constant is distinct per row, so the key cannot meet a duplicate. A template filling a
constant, or an UPDATE of another table, still leaves the key reported. Also a key named from
module constants (`"uq_{}".format(COLUMN)`) is named in the message, not "(unnamed)". Our own
snippets. A key column of another table (`SET t.c = o.id`, `CONCAT('x', o.id)` of a
joined `o`) is no key of the written row."""

from __future__ import annotations

import ast

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.sql_templates import formatted_literal

HEADER = """
TABLE = "invoice"
COLUMN = "ref"
PREFIX = "INV-"
KEY = "uq_{}".format(COLUMN)
"""
ADD = "op.add_column(TABLE, sa.Column(COLUMN, sa.String(40), nullable=True))\n"
NOT_NULL = "op.alter_column(TABLE, COLUMN, existing_type=sa.String(40), nullable=False)\n"
KEY = "op.create_unique_constraint(KEY, TABLE, [COLUMN])\n"


def l309(fill: str, header: str = HEADER) -> list[tuple[str, str]]:
    source = revision(ADD + fill + NOT_NULL + KEY, header=header)
    return [(f.severity, f.message) for f in lint(source) if f.code == "L309"]


@pytest.mark.parametrize(
    "fill",
    [
        "op.execute(\"UPDATE {table} SET ref = CONCAT('{prefix}', id)\".format("
        "table=TABLE, prefix=PREFIX))\n",
        "op.execute(\"UPDATE {} SET {} = CONCAT('{}', id)\".format(TABLE, COLUMN, PREFIX))\n",
        "op.execute(\"UPDATE %s SET ref = CONCAT('INV-', id)\" % TABLE)\n",
        "op.execute(\"UPDATE %(t)s SET ref = CONCAT('%(p)s', invoice.id)\" % "
        '{"t": TABLE, "p": PREFIX})\n',
        "statement = \"UPDATE {} SET ref = CONCAT('{}', id)\".format(TABLE, PREFIX)\n"
        "op.execute(sa.text(statement))\n",
        'op.get_bind().execute(sa.text("UPDATE {0} SET ref = {0}.id".format(TABLE)))\n',
    ],
)
def test_a_templated_fill_from_the_rows_own_key_cannot_meet_duplicates(fill: str) -> None:
    assert l309(fill) == []


def test_a_loop_over_tables_and_prefixes_reads_each_template() -> None:
    header = '\nPAIRS = [("invoice", "INV-"), ("receipt", "REC-")]\n'
    upgrade = """
    for table, prefix in PAIRS:
        op.add_column(table, sa.Column("ref", sa.String(40), nullable=True))
        op.execute("UPDATE {t} SET ref = CONCAT('{p}', id)".format(t=table, p=prefix))
        op.create_unique_constraint("uq_ref", table, ["ref"])
    """
    found = [f for f in lint(revision(upgrade, header=header)) if f.code == "L309"]
    assert found == []
    # the same loop filling one constant: both keys fail on two rows
    constant = upgrade.replace("CONCAT('{p}', id)", "'{p}'")
    found = [f for f in lint(revision(constant, header=header)) if f.code == "L309"]
    assert len(found) == 2


@pytest.mark.parametrize(
    "fill",
    [
        # every row the same prefix: alike
        "op.execute(\"UPDATE {table} SET ref = '{prefix}'\".format(table=TABLE, prefix=PREFIX))\n",
        # the key of another table's rows fills that table, not this one
        "op.execute(\"UPDATE invoice SET ref = 'none'\")\n"
        "op.execute(\"UPDATE {} SET ref = CONCAT('A-', id)\".format('archive'))\n",
        # the key of another table's row, joined: many invoices may match one customer
        'op.get_bind().execute(sa.text("UPDATE invoice JOIN customer ON customer.id = '
        'invoice.customer_id SET invoice.ref = customer.id"))\n',
        "op.execute(\"UPDATE {t} AS i SET ref = CONCAT('{p}', c.id) FROM customer c "
        'WHERE c.id = i.customer_id".format(t=TABLE, p=PREFIX))\n',
        # another column of the row, which may repeat
        "op.execute(\"UPDATE {} SET ref = CONCAT('{}', customer_id)\".format(TABLE, PREFIX))\n",
    ],
)
def test_a_templated_fill_that_may_repeat_stays_reported(fill: str) -> None:
    found = l309(fill)
    assert [severity for severity, _ in found] == ["warning"]
    # the key's name is read from the module constants that build it
    assert "uq_ref on invoice(ref)" in found[0][1]


def _node(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def test_a_name_built_from_constants_is_read_and_one_from_run_time_values_is_not() -> None:
    known = {"COLUMN": ast.Constant("ref"), "N": ast.Constant(3)}.get
    assert formatted_literal(_node('"uq_{}".format(COLUMN)'), known) == "uq_ref"
    assert formatted_literal(_node('"uq_%s_%s" % (COLUMN, "x")'), known) == "uq_ref_x"
    assert formatted_literal(_node('"uq_{c}".format(c=COLUMN)'), known) == "uq_ref"
    assert formatted_literal(_node('"uq_{}".format(name())'), known) is None
    assert formatted_literal(_node('"uq_{}".format(OTHER)'), known) is None
    assert formatted_literal(_node('"uq_{}".format(N)'), known) is None
    assert formatted_literal(_node('"uq_{:>4}".format(COLUMN)'), known) is None
