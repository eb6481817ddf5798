"""Round 41's false classes of one revision (issue 20).

- L318 / L319: an alter_column naming only its column (`op.alter_column("t", "c")`, with
  existing_* at most, plain or in a batch) sets nothing: Alembic writes no SQL for it (its
  offline SQL on MySQL is empty), so the downgrade owes nothing. One that sets anything (a
  type, nullability, a default, a new name) or passes a keyword lint does not know is still a
  change.
"""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import revision


@pytest.mark.parametrize(
    "alters",
    [
        'op.alter_column("keywords", "value")\nop.alter_column("users", "password")',
        'op.alter_column("keywords", "value", schema="app")',
        'op.alter_column(table_name="keywords", column_name="value")',
        'op.alter_column("keywords", "value", existing_type=sa.String(40))',
        'with op.batch_alter_table("keywords") as batch_op:\n    batch_op.alter_column("value")',
    ],
)
def test_an_alter_naming_only_its_column_is_no_schema_change(alters: str) -> None:
    found = codes(revision(alters, "pass"))
    assert "L318" not in found, found
    found = codes(revision(alters, 'op.drop_index("ix_other", table_name="other")'))
    assert "L319" not in found, found


@pytest.mark.parametrize(
    "alter",
    [
        'op.alter_column("keywords", "value", existing_type=sa.String(40), nullable=False)',
        'op.alter_column("keywords", "value", type_=sa.String(80))',
        'op.alter_column("keywords", "value", new_column_name="text")',
        'op.alter_column("keywords", "value", server_default="x")',
        'op.alter_column("keywords", "value", mysql_charset="utf8mb4")',
        'op.alter_column("keywords", "value", **changes)',
    ],
)
def test_an_alter_that_sets_something_is_still_a_change(alter: str) -> None:
    assert "L318" in codes(revision(alter, "pass"))
