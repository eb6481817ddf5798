"""L307 through a same-file helper that passes a column type on (issue 20, round 18).

`def retype(table, column, type_): op.alter_column(table, column, type_=type_)` called with
`sa.String(32, collation="C")`: the call's type is read where the helper passes it on, so the
message names it and the downgrade's own call (restoring `sa.String(32)`) shows the type
before. A type change that only swaps the collation narrows nothing, whatever the type.
Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

_HELPER = """
from sqlalchemy.dialects import postgresql


def retype(table, column, type_):
    op.alter_column(table, column, type_=type_)


def retype_logged(table, column, new_type):
    print(table, column)
    retype(table, column, type_=new_type)
"""


def _l307(upgrade: str, downgrade: str = "pass") -> list[tuple[str, str]]:
    source = revision(upgrade, downgrade, header=_HELPER)
    return [(f.severity, f.message) for f in lint(source) if f.code == "L307"]


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # a keyword argument, the downgrade restoring the length without the collation
        (
            'retype("asset", "digest", type_=sa.String(64, collation="C"))',
            'retype("asset", "digest", type_=sa.String(64))',
        ),
        # positional, through a second helper
        (
            'retype_logged("asset", "name", sa.String(collation="C"))',
            'retype_logged("asset", "name", sa.String())',
        ),
        # a dialect type lint does not read, only its collation changed
        (
            'retype("asset", "aliases", postgresql.ARRAY(sa.String(collation="C")))',
            'retype("asset", "aliases", postgresql.ARRAY(sa.String()))',
        ),
    ],
)
def test_a_type_passed_through_a_helper_and_restored_is_no_l307(
    upgrade: str, downgrade: str
) -> None:
    assert _l307(upgrade, downgrade) == []


def test_a_narrowing_through_a_helper_is_an_error_naming_both_types() -> None:
    [(severity, message)] = _l307(
        'retype("asset", "digest", type_=sa.String(20))',
        'retype("asset", "digest", type_=sa.String(64))',
    )
    assert severity == "error"
    assert "asset.digest" in message and "64 to 20" in message


@pytest.mark.parametrize(
    ("upgrade", "shown"),
    [
        ('retype("asset", "digest", type_=sa.String(32, collation="C"))', "sa.String(32"),
        ('retype_logged("asset", "label", sa.Unicode(80))', "sa.Unicode(80)"),
    ],
)
def test_without_the_type_before_the_notice_names_the_calls_type(upgrade: str, shown: str) -> None:
    [(severity, message)] = _l307(upgrade)
    assert severity == "notice"
    assert f"type_={shown}" in message and "type_=type_" not in message


def test_a_dialect_type_whose_width_changes_keeps_its_notice() -> None:
    [(severity, message)] = _l307(
        'retype("asset", "aliases", postgresql.ARRAY(sa.String(10, collation="C")))',
        'retype("asset", "aliases", postgresql.ARRAY(sa.String(40)))',
    )
    assert severity == "notice" and "postgresql.ARRAY(sa.String(10" in message


def test_a_type_held_in_a_local_name_is_read_in_its_own_function() -> None:
    # each function's own binding of the name is read (round 30), never the other's: the
    # upgrade's String(10) narrows the String(60) the downgrade restores
    found = _l307(
        'kind = sa.String(10)\nop.alter_column("asset", "kind", type_=kind)',
        'kind = sa.String(60)\nop.alter_column("asset", "kind", type_=kind)',
    )
    assert [severity for severity, _ in found] == ["error"]
    assert "60 to 10" in found[0][1]
