"""`batch_alter_table(t.name, copy_from=t)` of a Core table the function describes (issue 20,
round r28a): the batch works on the table `t` names, so its findings name that table and the
upgrade's reads of it count (a column read by an UPDATE before its drop is copied, L305). Our
own snippets."""

from __future__ import annotations

import textwrap

from test_lint_rules import lint, revision

DESCRIBED = """
meta = sa.MetaData()
ticket = sa.Table("ticket", meta,
    sa.Column("id", sa.Integer(), nullable=True),
    sa.Column("code", sa.String(64), nullable=False),
)
tag = sa.Table("tag", meta, sa.Column("id", sa.Integer()), sa.Column("code", sa.String(64)))
"""


def messages(upgrade: str) -> list[str]:
    source = revision(DESCRIBED + textwrap.dedent(upgrade), None)
    return [f"{f.code} {f.message}" for f in lint(source)]


def test_the_batch_works_on_the_table_the_core_table_names() -> None:
    found = messages(
        """
        with op.batch_alter_table(ticket.name, copy_from=ticket) as batch_op:
            batch_op.drop_column("code")
        """
    )
    assert any(m.startswith("L305") and "ticket.code" in m for m in found)
    assert not any("`ticket.name`" in m for m in found)


def test_a_column_read_before_its_drop_through_the_named_batch_is_copied() -> None:
    found = messages(
        """
        op.execute(ticket.update().values(id=sa.select(tag.c.id).where(tag.c.code == ticket.c.code)
                   .scalar_subquery()))
        with op.batch_alter_table(ticket.name, copy_from=ticket) as batch_op:
            batch_op.drop_column("code")
        """
    )
    assert not any(m.startswith("L305") for m in found)


def test_a_name_reassigned_to_another_table_names_the_later_one() -> None:
    found = messages(
        """
        with op.batch_alter_table(ticket.name, copy_from=ticket) as batch_op:
            batch_op.drop_column("code")
        ticket = sa.Table("voucher", meta, sa.Column("code", sa.String(64)))
        with op.batch_alter_table(ticket.name, copy_from=ticket) as batch_op:
            batch_op.drop_column("code")
        """
    )
    l305 = [m for m in found if m.startswith("L305")]
    assert any("ticket.code" in m for m in l305) and any("voucher.code" in m for m in l305)
