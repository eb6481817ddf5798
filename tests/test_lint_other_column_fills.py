"""Round 42's missed class of L302: a fill before the NOT NULL that writes only other columns
(lint/data_rules.py, may_write).

`UPDATE t SET updated_on = NOW()` before `created_on` is made NOT NULL leaves created_on's
NULLs in place: the ALTER fails on them, and a fill placed after it never runs. A fill of this
column (by name or `*`), of an unknown table, or opaque SQL still counts. Our own revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_round37_history import found, history
from test_lint_rules import revision

_STAMPS = revision(
    """
    op.create_table("stamp", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("code", sa.Integer(), nullable=True),
                    sa.Column("other", sa.Integer(), nullable=True))
    """
)
_ALTER = 'op.alter_column("stamp", "code", existing_type=sa.Integer(), nullable=False)\n'


@pytest.mark.parametrize(
    "before",
    [
        'op.execute("UPDATE stamp SET other = 0 WHERE other IS NULL")\n',
        'op.execute("UPDATE other_table SET code = 0 WHERE code IS NULL")\n',
    ],
)
def test_a_fill_of_another_column_before_the_not_null_is_no_fill(
    tmp_path: Path, before: str
) -> None:
    after = 'op.execute("UPDATE stamp SET code = 0 WHERE code IS NULL")\n'
    findings = history(tmp_path, _STAMPS, revision(before + _ALTER + after))
    assert found(findings, "L302") == ["r1.py"]


@pytest.mark.parametrize(
    "before",
    [
        'op.execute("UPDATE stamp SET code = 0 WHERE code IS NULL")\n',
        'op.execute("UPDATE stamp SET other = 1, code = 0")\n',
        "op.execute(SQL)\n",
    ],
)
def test_a_fill_that_may_write_the_column_counts(tmp_path: Path, before: str) -> None:
    header = 'SQL = "UPDATE stamp SET code = 0"\n' if "SQL)" in before else ""
    findings = history(tmp_path, _STAMPS, revision(before + _ALTER, header=header))
    assert found(findings, "L302") == []


def test_a_fill_under_the_name_a_rename_then_replaces_counts(tmp_path: Path) -> None:
    body = (
        'op.add_column("stamp", sa.Column("code_new", sa.Integer(), nullable=True))\n'
        'op.execute("UPDATE stamp SET code_new = 1")\n'
        'op.drop_column("stamp", "code")\n'
        'op.alter_column("stamp", "code_new", new_column_name="code")\n' + _ALTER
    )
    findings = history(tmp_path, _STAMPS, revision(body))
    assert found(findings, "L302") == []
