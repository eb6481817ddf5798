"""L325 and a primary key numbered by a rebuild (issue 20, round r28a): inside
`batch_alter_table(..., recreate="always")` Alembic creates a new table and copies the rows; a
primary key over one integer column the same batch adds, after the batch dropped the old key,
is an AUTO_INCREMENT column of the new table that numbers the copied rows: none of L325's
failures can happen (the copy is still L314's). The same key added in place (no rebuild), over
a column of another type, over two columns, or without dropping the old key stays reported.
Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

NUMBERED = """
with op.batch_alter_table("coupon", recreate="always") as batch_op:
    batch_op.drop_constraint("pk_coupon", type_="primary")
    batch_op.add_column(sa.Column("id", sa.Integer(), nullable=True))
    batch_op.create_primary_key("pk_coupon", ["id"])
    batch_op.alter_column("id", autoincrement=True, nullable=False, existing_type=sa.Integer())
"""


def l325(upgrade: str) -> list[str]:
    return [f.message for f in lint(revision(upgrade)) if f.code == "L325"]


def test_a_key_over_an_integer_column_the_rebuild_adds_is_numbered() -> None:
    assert l325(NUMBERED) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        NUMBERED.replace(', recreate="always"', ""),  # ALTER TABLE in place: NULLs fail
        NUMBERED.replace("sa.Integer(), nullable=True", "sa.String(36), nullable=True"),
        NUMBERED.replace('["id"]', '["id", "code"]'),
        NUMBERED.replace('    batch_op.drop_constraint("pk_coupon", type_="primary")\n', ""),
        # the column was added by an earlier step, outside the rebuild: it holds NULLs
        """
        op.add_column("coupon", sa.Column("id", sa.Integer(), nullable=True))
        with op.batch_alter_table("coupon", recreate="always") as batch_op:
            batch_op.drop_constraint("pk_coupon", type_="primary")
            batch_op.create_primary_key("pk_coupon", ["id"])
        """,
    ],
)
def test_other_keys_stay_reported(upgrade: str) -> None:
    assert len(l325(upgrade)) == 1
