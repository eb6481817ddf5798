"""L319 and a column's type swapped by drop_column + add_column of the same name (issue 20,
round 32): the downgrade that turns the column back by alter_column(type_=old) undoes the pair,
the column being there on both sides. Our own snippets; a downgrade that leaves the new type,
a column added under another name, one renamed or dropped again after the add stay reported."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

TARGETS = [parse_server_version("mysql-8.0"), parse_server_version("postgresql")]

SWAP = """
op.drop_column("ticket", "priority")
op.add_column("ticket", sa.Column("priority", sa.Enum("low", "high", name="prio"), nullable=True))
"""
BACK = """
op.alter_column(
    "ticket",
    "priority",
    existing_type=sa.Enum("low", "high", name="prio"),
    type_=sa.SmallInteger(),
    existing_nullable=True,
)
"""
BATCH_SWAP = """
with op.batch_alter_table("invoice") as batch_op:
    batch_op.drop_column("amount")
    batch_op.add_column(sa.Column("amount", sa.Numeric(12, 2), nullable=False, server_default="0"))
"""
BATCH_BACK = """
with op.batch_alter_table("invoice") as batch_op:
    batch_op.alter_column("amount", type_=sa.Float(), existing_nullable=False)
"""


def l319(upgrade: str, downgrade: str, **options: object) -> list[str]:
    return [f.message for f in lint(revision(upgrade, downgrade), **options) if f.code == "L319"]


@pytest.mark.parametrize("target", TARGETS, ids=str)
@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (SWAP, BACK),
        (BATCH_SWAP, BATCH_BACK),
        # the type turned back with another change beside it
        (SWAP, 'op.alter_column("ticket", "priority", type_=sa.Integer(), nullable=True)'),
        # the downgrade's own drop and add back (the inverse step by step)
        (
            SWAP,
            'op.drop_column("ticket", "priority")\n'
            'op.add_column("ticket", sa.Column("priority", sa.SmallInteger(), nullable=True))',
        ),
    ],
)
def test_a_swapped_type_turned_back_is_undone(upgrade: str, downgrade: str, target: object) -> None:
    assert l319(upgrade, downgrade, target=target) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade", "left"),
    [
        # no type_: the column keeps the new type
        (SWAP, 'op.alter_column("ticket", "priority", nullable=True)', 2),
        # the type turned back on another table's column of the name
        (SWAP, BACK.replace('"ticket"', '"ticket_archive"'), 2),
        # added under another name: no swap, neither step undone
        (
            SWAP.replace('sa.Column("priority"', 'sa.Column("priority_level"'),
            BACK.replace('"priority"', '"priority_level"'),
            2,
        ),
        # the downgrade drops the column before its alter (the alter meets nothing)
        (SWAP, 'op.drop_column("ticket", "priority")\n' + BACK, 1),
        # the added column renamed afterwards: the name's old column is not given back
        (
            SWAP + 'op.alter_column("ticket", "priority", new_column_name="rank")\n',
            BACK.replace('"priority"', '"rank"'),
            1,
        ),
    ],
)
def test_a_swap_not_turned_back_stays_reported(upgrade: str, downgrade: str, left: int) -> None:
    assert len(l319(upgrade, downgrade)) == left
