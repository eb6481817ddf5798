"""L301 and an UPDATE the upgrade builds before it runs it (issue 20, round 34; lint/table_rows.py,
lint/revision_reader.py):

- SQLAlchemy 2.0's `update(Model).values(col=...)` of an ORM class of the project's own modules
  writes that class's table, as `t.update().values(...)` of a Core table does;
- a statement built into a name right after the add (`stmt = t.update().values(col=...)`, run by
  `op.execute(stmt)` or a session later) writes the added column: it carries the add's step
  number, and is no longer read as written before the add.

Projects of our own in tmp_path (the package of test_lint_class_loops)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_class_loops import _l301_tables

_ADD_ONE = 'op.add_column("shop_order", sa.Column("year", sa.Integer(), nullable=False))\n'
_ADD_TWO = (
    'for name in ("shop_order", "shop_quote"):\n'
    '    op.add_column(name, sa.Column("year", sa.Integer(), nullable=False))\n'
)


@pytest.mark.parametrize(
    "fill",
    [
        # the ORM class imported from a package re-exporting it, run inline
        "from shop.models import Order\n"
        "op.execute(sa.update(Order).where(Order.year == 0).values(year=2001))\n",
        # built into a name right after the add, run later by a session of the application
        "from sqlalchemy.orm import Session\n"
        "from shop.models.documents import Order\n"
        "from shop.session import ENGINE\n"
        "with Session(ENGINE) as session:\n"
        "    stmt = sa.update(Order).where(Order.year == 0).values(year=2001)\n"
        "    session.execute(stmt)\n"
        "    session.commit()\n",
        # a Core table's statement held the same way
        'orders = sa.table("shop_order", sa.column("year"))\n'
        "stmt = orders.update().values(year=2001)\n"
        "op.execute(stmt)\n",
    ],
)
def test_an_update_of_the_added_column_built_after_the_add_fills_it(
    tmp_path: Path, fill: str
) -> None:
    assert _l301_tables(tmp_path, _ADD_ONE + fill) == []


@pytest.mark.parametrize(
    ("fill", "left"),
    [
        # one class's table written: the other keeps its implicit 0
        (
            "from shop.models import Order\nop.execute(sa.update(Order).values(year=2001))\n",
            ["shop_quote.year"],
        ),
        # a class lint cannot find in the project: no table it names
        (
            "from shop.models import Invoice\nop.execute(sa.update(Invoice).values(year=2001))\n",
            ["shop_order.year", "shop_quote.year"],
        ),
    ],
)
def test_tables_no_orm_update_writes_keep_l301(tmp_path: Path, fill: str, left: list[str]) -> None:
    assert _l301_tables(tmp_path, _ADD_TWO + fill) == left


def test_a_held_update_of_another_column_keeps_l301(tmp_path: Path) -> None:
    fill = "from shop.models import Order\nstmt = sa.update(Order).values(id=3)\nop.execute(stmt)\n"
    assert _l301_tables(tmp_path, _ADD_ONE + fill) == ["shop_order.year"]


def test_a_held_update_writing_a_value_of_the_wrong_kind_keeps_l301(tmp_path: Path) -> None:
    add = 'op.add_column("shop_order", sa.Column("label", sa.String(20), nullable=False))\n'
    fill = (
        'orders = sa.table("shop_order", sa.column("label"))\n'
        "stmt = orders.update().values(label=True)\n"
        "op.execute(stmt)\n"
    )
    assert _l301_tables(tmp_path, add + fill) == ["shop_order.label"]
