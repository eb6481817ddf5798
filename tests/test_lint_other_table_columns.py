"""L306 and a new column filled from another table's column of the lost column's name (issue
20, round r28a): `role_user.user_id` filled by `sa.select(user.c.id).where(user.c.dn ==
role_user.c.dn)` before `role_user.id` is dropped is a new design (its values come from `user`),
not `id` renamed: `user.c.id` is not `role_user.id`. Without that fill, the drop and add are
still read as a possible rename. Our own snippets."""

from __future__ import annotations

import textwrap

from test_lint_rules import lint, revision

TABLES = """
account = sa.table("account", sa.column("id", sa.Integer), sa.column("dn", sa.String(128)))
member = sa.table("member", sa.column("id", sa.Integer), sa.column("dn", sa.String(128)),
                  sa.column("account_id", sa.Integer))
op.add_column("member", sa.Column("account_id", sa.Integer(), nullable=True))
"""
DROPS = """
op.drop_column("member", "id")
"""
FILLS = """
op.execute(member.update().values(
    account_id=sa.select(account.c.id).where(account.c.dn == member.c.dn).scalar_subquery()))
"""


def l306(upgrade: str) -> list[str]:
    source = revision(textwrap.dedent(TABLES) + textwrap.dedent(upgrade) + textwrap.dedent(DROPS))
    return [f.message for f in lint(source) if f.code == "L306"]


def test_a_column_filled_from_another_tables_same_named_column_is_no_rename() -> None:
    assert l306(FILLS) == []


def test_without_the_fill_the_drop_and_add_may_be_a_rename() -> None:
    assert l306("") != []


def test_a_fill_naming_the_lost_column_as_a_row_attribute_still_reads_it() -> None:
    # `row.id` of the rows walked: the lost column's values carried, a rename done by hand
    loop = """
    for row in op.get_bind().execute(sa.select(member.c.id, member.c.dn)):
        op.execute(member.update().where(member.c.dn == row.dn).values(account_id=row.id))
    """
    assert l306(loop) == []
