"""A table rebuilt by copy and swap (issue 20, round 23): the upgrade creates `t_next`, copies
every row of `t` into it, renames `t` to `t_prev` and `t_next` to `t`, and drops `t_prev`. The
rows read from `t` before its rename are the rows of `t_prev`: the drop loses none (L304), a
column of it dropped loses no value (L305, L306); the name `t` exists again after the upgrade,
so the rename of `t` away breaks no running code (L328), nor does a column renamed in the
scratch table `t_next`. The same through raw SQL (`RENAME TABLE a TO b, c TO d`, `ALTER TABLE
a RENAME TO b`). Fixtures are our own."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.linter import Finding

CREATE_NEXT = """
op.create_table(
    "invoice_next",
    sa.Column("uid", sa.String(36)),
    sa.Column("new_id", sa.BigInteger(), primary_key=True, autoincrement=True),
    sa.Column("total", sa.Numeric(10, 2)),
)
"""
COPY = 'op.execute("INSERT INTO invoice_next (uid, total) SELECT id, total FROM invoice")'
SWAP = """
op.rename_table("invoice", "invoice_prev")
op.rename_table("invoice_next", "invoice")
"""
DROP = 'op.drop_table("invoice_prev")'


def found(
    upgrade: str, code: str, downgrade: str = 'raise NotImplementedError("one way")'
) -> list[Finding]:
    return [f for f in lint(revision(upgrade, downgrade)) if f.code == code]


def swap(copy: str = COPY, swap: str = SWAP, drop: str = DROP, between: str = "") -> str:
    return "\n".join((CREATE_NEXT, copy, between, swap, drop))


# --- L304: rows read before the rename are the renamed table's rows ----------------------------


@pytest.mark.parametrize(
    "copy",
    [
        COPY,
        # the copy joins the source to another table
        'op.execute("INSERT INTO invoice_next (uid, total) SELECT i.id, i.total FROM invoice i '
        'JOIN customer c ON c.id = i.customer_id")',
        # a loop over the rows (Core)
        "conn = op.get_bind()\n"
        'old = sa.table("invoice", sa.column("id"), sa.column("total"))\n'
        'new = sa.table("invoice_next", sa.column("uid"), sa.column("total"))\n'
        "for row in conn.execute(sa.select(old.c.id, old.c.total)):\n"
        "    conn.execute(new.insert().values(uid=row.id, total=row.total))",
    ],
)
def test_a_table_copied_then_swapped_out_loses_no_row_when_dropped(copy: str) -> None:
    assert not found(swap(copy=copy), "L304")


def test_the_drop_of_a_swapped_out_table_nobody_copied_is_still_reported() -> None:
    hits = found(swap(copy="pass"), "L304")
    assert [h.message for h in hits] == ["upgrade drops table invoice_prev and all its rows"]


def test_a_read_of_the_name_after_the_swap_reads_the_new_table_not_the_old_rows() -> None:
    # the SELECT runs after `invoice` is the rebuilt table: the old rows are never read
    late = 'op.execute("INSERT INTO audit (n) SELECT COUNT(*) FROM invoice")'
    assert found(swap(copy="pass", drop=f"{late}\n{DROP}"), "L304")


def test_a_table_this_upgrade_created_then_renamed_is_its_own_to_drop() -> None:
    upgrade = CREATE_NEXT + '\nop.rename_table("invoice_next", "invoice_stage")\n'
    assert not found(upgrade + 'op.drop_table("invoice_stage")', "L304")


def test_a_table_emptied_before_its_rename_loses_no_value_of_a_column() -> None:
    upgrade = (
        'op.execute("DELETE FROM invoice")\n'
        'op.rename_table("invoice", "bill")\n'
        'op.drop_column("bill", "total")'
    )
    assert not found(upgrade, "L305")
    assert found(upgrade.replace('op.execute("DELETE FROM invoice")\n', ""), "L305")


@pytest.mark.parametrize(
    "statements",
    [
        # MySQL's RENAME TABLE with two pairs, the copy through SELECT *
        [
            "CREATE TABLE ledger_tmp (id BIGINT PRIMARY KEY, amount INT)",
            "INSERT INTO ledger_tmp SELECT * FROM ledger",
            "RENAME TABLE ledger TO ledger_old, ledger_tmp TO ledger",
            "DROP TABLE ledger_old",
        ],
        # ALTER TABLE ... RENAME TO, each pair its own statement
        [
            "CREATE TABLE ledger_tmp (id BIGINT PRIMARY KEY, amount INT)",
            "INSERT INTO ledger_tmp (id, amount) SELECT id, amount FROM ledger",
            "ALTER TABLE ledger RENAME TO ledger_old",
            "ALTER TABLE ledger_tmp RENAME TO ledger",
            "DROP TABLE ledger_old",
        ],
    ],
)
def test_a_raw_sql_copy_and_swap_loses_no_row(statements: list[str]) -> None:
    upgrade = "\n".join(f"op.execute({s!r})" for s in statements)
    assert not found(upgrade, "L304")
    uncopied = "\n".join(f"op.execute({s!r})" for s in statements if not s.startswith("INSERT"))
    assert [h.message for h in found(uncopied, "L304")] == [
        "upgrade drops table ledger_old and all its rows (raw SQL)"
    ]


# --- L305/L306: an ORM read before the rename, the drop under the new name ---------------------

MODEL = """
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Shelf(Base):
    __tablename__ = "shelf"
    id = sa.Column(sa.Integer, primary_key=True)
    label = sa.Column(sa.String(40))


rack = sa.table("rack", sa.column("label"))
"""

ORM_COPY = """
session = Session(bind=op.get_bind())
for shelf in session.query(Shelf).all():
    op.execute(rack.insert().values(label=shelf.label))
"""


def test_an_orm_read_before_a_rename_covers_the_drop_under_the_new_name() -> None:
    upgrade = ORM_COPY + 'op.rename_table("shelf", "shelf_archive")\nop.drop_table("shelf_archive")'
    source = revision(upgrade, "pass", header=MODEL)
    assert "L304" not in [f.code for f in lint(source)]
    unread = source.replace("for shelf in session.query(Shelf).all():", "for shelf in []:")
    assert "L304" in [f.code for f in lint(unread)]


def test_a_column_read_before_a_rename_is_copied_when_dropped_under_the_new_name() -> None:
    upgrade = (
        ORM_COPY
        + 'op.rename_table("shelf", "bin")\n'
        + 'op.add_column("bin", sa.Column("tag", sa.String(40)))\n'
        + 'op.drop_column("bin", "label")'
    )
    source = revision(upgrade, "pass", header=MODEL)
    codes = [f.code for f in lint(source)]
    assert "L305" not in codes and "L306" not in codes
    unread = source.replace("for shelf in session.query(Shelf).all():", "for shelf in []:")
    codes = [f.code for f in lint(unread)]
    assert "L305" in codes and "L306" in codes


# --- L328: the old name exists again after the swap ---------------------------------------------


def test_a_table_swapped_out_for_a_new_one_under_its_name_breaks_no_running_code() -> None:
    assert not found(swap(), "L328")


def test_the_swap_may_rename_the_new_tables_columns_in_a_batch_block_first() -> None:
    batch = (
        'with op.batch_alter_table("invoice_next") as batch_op:\n'
        '    batch_op.alter_column("uid", new_column_name="ref", existing_type=sa.String(36))\n'
        '    batch_op.alter_column("new_id", new_column_name="id", existing_type=sa.BigInteger())'
    )
    assert not found(swap(between=batch), "L328")


@pytest.mark.parametrize(
    ("upgrade", "renamed"),
    [
        # renamed away, and nothing takes the name back
        (CREATE_NEXT + COPY + '\nop.rename_table("invoice", "invoice_prev")', "invoice"),
        # swapped, but the old table kept under its new name: no rebuild, a rename left behind
        (swap(drop="pass"), "invoice"),
        # the name is taken back by a table this upgrade did not create: another table's rows
        (
            'op.rename_table("invoice", "invoice_prev")\nop.rename_table("bill", "invoice")',
            "invoice",
        ),
        # a column of the application's table renamed, not one of the scratch table
        (
            swap()
            + '\nwith op.batch_alter_table("invoice") as batch_op:\n'
            + '    batch_op.alter_column("total", new_column_name="amount")',
            "invoice.total",
        ),
    ],
)
def test_a_rename_nothing_undoes_is_still_reported(upgrade: str, renamed: str) -> None:
    messages = [h.message for h in found(upgrade, "L328")]
    assert any(
        m.startswith(f"rename_table renames {renamed} to") or f"renames {renamed} to" in m
        for m in messages
    ), messages
    assert not any("invoice_next" in m for m in messages), messages


def test_a_raw_sql_swap_breaks_no_running_code() -> None:
    # L328 reads operations only; a raw RENAME TABLE swap stays silent too
    upgrade = (
        'op.execute("CREATE TABLE ledger_tmp (id BIGINT PRIMARY KEY)")\n'
        'op.execute("INSERT INTO ledger_tmp SELECT id FROM ledger")\n'
        'op.execute("RENAME TABLE ledger TO ledger_old, ledger_tmp TO ledger")'
    )
    assert not found(upgrade, "L328")
