"""L309 with a key column filled by a lookup of another table's key (issue 20, round 17).

`t.update().values(group_id=sa.select([groups.c.id]).where(groups.c.name ==
t.c.group_name).scalar_subquery())`: each group name gets its group's one id, and two names
never share an id (an id is one row, a row has one name). A key over the id then holds where
the same key over the name did. Without such an old key the lookup is a plain foreign key,
whose values repeat, and L309 stays. Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

_TABLES = """
member = sa.Table(
    "member",
    sa.MetaData(),
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("login", sa.String(40)),
    sa.Column("group_name", sa.String(40)),
    sa.Column("group_id", sa.Integer()),
)
groups = sa.Table(
    "groups",
    sa.MetaData(),
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("code", sa.String(20), unique=True),
    sa.Column("name", sa.String(40)),
    sa.Column("rank", sa.Integer()),
)
"""
_OLD_KEY = 'op.drop_constraint("uq_member_login", "member", type_="unique")'
_RESTORE = """
op.drop_constraint("uq_member_login_group", "member", type_="unique")
op.create_unique_constraint("uq_member_login", "member", ["login", "group_name"])
"""


def l309(value: str, *, old_key: bool = True) -> int:
    upgrade = f"""
    op.add_column("member", sa.Column("group_id", sa.Integer(), nullable=True))
    bind = op.get_bind()
    bind.execute(member.update().values(group_id={value}))
    {_OLD_KEY if old_key else ""}
    op.create_unique_constraint("uq_member_login_group", "member", ["login", "group_id"])
    """
    source = revision(upgrade, _RESTORE if old_key else "pass", header=_TABLES)
    return sum(1 for f in lint(source) if f.code == "L309")


@pytest.mark.parametrize(
    "value",
    [
        # the primary key, by a list select and .scalar_subquery()
        "sa.select([groups.c.id]).where(groups.c.name == member.c.group_name).scalar_subquery()",
        # sides swapped, select() of a column, .as_scalar()
        "sa.select(groups.c.id).where(member.c.group_name == groups.c.name).as_scalar()",
        # a unique column, spelt with a subscript
        'sa.select([groups.c["code"]]).where(groups.c.name == member.c["group_name"])'
        ".scalar_subquery()",
    ],
)
def test_a_lookup_of_a_key_carries_the_old_key(value: str) -> None:
    assert l309(value) == 0


@pytest.mark.parametrize(
    "value",
    [
        # a column of the other table that is no key: two groups may share a rank
        "sa.select([groups.c.rank]).where(groups.c.name == member.c.group_name).scalar_subquery()",
        # an aggregate, not a column
        "sa.select([sa.func.max(groups.c.id)]).where(groups.c.name == member.c.group_name)"
        ".scalar_subquery()",
        # a condition that is not one equality with the row
        "sa.select([groups.c.id]).where(groups.c.name != member.c.group_name).scalar_subquery()",
        # the lookup compares the other table with itself: no column of the row
        "sa.select([groups.c.id]).where(groups.c.name == groups.c.code).scalar_subquery()",
    ],
)
def test_other_subqueries_are_still_reported(value: str) -> None:
    assert l309(value) == 1


def test_a_lookup_without_an_old_key_is_a_foreign_key_and_still_reported() -> None:
    # many members share a group: the ids repeat, as the names did
    value = "sa.select([groups.c.id]).where(groups.c.name == member.c.group_name).scalar_subquery()"
    assert l309(value, old_key=False) == 1
