"""L307 after the upgrade rewrote the column with fresh identifiers of a known length (issue
20, round 42): 36-character UUIDs rewritten as 26-character ULIDs (`str(ULID())`), then the
column narrowed from String(36) to String(26), cuts nothing. An identifier that does not fit
the new length, or no write of the column, is still a narrowing."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_histories import codes
from test_lint_rules import revision

NARROW = """
op.alter_column("invoice", "ref", existing_type=sa.String(36), type_=sa.String({new}))
"""

LOOP = """
conn = op.get_bind()
for row in conn.execute(sa.text("SELECT id FROM invoice")).fetchall():
    conn.execute(
        sa.text("UPDATE invoice SET ref = :ref WHERE id = :id"),
        {{"ref": {value}, "id": row[0]}},
    )
"""


@pytest.mark.parametrize(
    ("value", "new"),
    [
        ("str(ULID())", 26),
        ("ulid.new().str", 26),
        ("uuid.uuid4().hex", 32),
        ("uuid4().hex", 40),
        ("str(uuid.uuid4())", 36),
    ],
)
def test_a_rewrite_with_fresh_identifiers_that_fit_is_no_narrowing_loss(
    value: str, new: int
) -> None:
    upgrade = textwrap.dedent(LOOP.format(value=value)) + NARROW.format(new=new)
    assert "L307" not in codes(revision(upgrade))


@pytest.mark.parametrize(
    ("value", "new"),
    [
        ("str(uuid.uuid4())", 26),  # 36 characters into 26
        ("uuid4().hex", 26),  # 32 into 26
        ("row[1].upper()", 26),  # no known length
    ],
)
def test_fresh_identifiers_that_do_not_fit_still_narrow(value: str, new: int) -> None:
    upgrade = textwrap.dedent(LOOP.format(value=value)) + NARROW.format(new=new)
    assert "L307" in codes(revision(upgrade))


def test_a_fresh_identifier_without_a_write_of_the_column_is_no_bound() -> None:
    upgrade = "token = str(ULID())\n" + NARROW.format(new=26)
    assert "L307" in codes(revision(upgrade))
