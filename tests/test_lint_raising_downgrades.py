"""A downgrade that always raises (issue 20, round 18): it never completes, so what follows the
`raise` (Alembic's generated inverse left below it, say) never runs and L319 has nothing to
compare; a `raise` reached only on some paths still leaves the rest to be checked. Our own
snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import codes, revision

UPGRADE = """
op.add_column("gadget", sa.Column("shiny", sa.Boolean(), nullable=True))
op.create_index("ix_gadget_shiny", "gadget", ["shiny"])
"""


@pytest.mark.parametrize(
    "downgrade",
    [
        # the generated inverse kept below, unreachable
        """
        raise NotImplementedError("this revision cannot be reverted")
        op.drop_index("ix_gadget_shiny", table_name="gadget")
        """,
        # a bare raise after a message, then half an inverse
        """
        print("one way only")
        raise RuntimeError
        op.drop_column("gadget", "shiny")
        """,
        # some work first, then a raise every run reaches
        """
        op.drop_index("ix_gadget_shiny", table_name="gadget")
        raise Exception("the column stays; restore a backup instead")
        """,
        # raised in the branch the MySQL target takes
        """
        if op.get_bind().dialect.name == "mysql":
            raise NotImplementedError()
        op.drop_column("gadget", "shiny")
        """,
    ],
)
def test_a_downgrade_that_always_raises_is_left_alone(downgrade: str) -> None:
    found = codes(revision(UPGRADE, downgrade))
    assert "L319" not in found and "L318" not in found


@pytest.mark.parametrize(
    "downgrade",
    [
        # raises only when something is missing
        """
        if not op.get_bind().dialect.supports_alter:
            raise NotImplementedError()
        op.drop_index("ix_gadget_shiny", table_name="gadget")
        """,
        # raised inside a try whose handler goes on
        """
        try:
            raise NotImplementedError()
        except NotImplementedError:
            pass
        op.drop_index("ix_gadget_shiny", table_name="gadget")
        """,
        # raised in a loop that may walk nothing
        """
        for name in []:
            raise ValueError(name)
        op.drop_index("ix_gadget_shiny", table_name="gadget")
        """,
        # the branch the MySQL target does not take
        """
        if op.get_bind().dialect.name == "sqlite":
            raise NotImplementedError()
        op.drop_index("ix_gadget_shiny", table_name="gadget")
        """,
    ],
)
def test_a_raise_not_always_reached_leaves_the_rest_checked(downgrade: str) -> None:
    assert "L319" in codes(revision(UPGRADE, downgrade))
