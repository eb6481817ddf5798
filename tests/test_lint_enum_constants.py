"""Enum members computed from literals and module constants (issue 20, round 28).

A revision keeps an Enum's members in module constants and builds the new list from the old
one (`sorted(OLD + ("void",))`, a comprehension leaving one out, a set union sorted, a list
changed in place), then gives alter_column only the type's name. Lint evaluates these few
operations over literals (lint.constant_values, never running the file): a new list holding
every old member widens the column (no L307 notice); one missing a member the downgrade's
Enum has is L308's error unless the upgrade moves the rows off it first; an inline
`sa.Enum(*[...])` has a known first member (L301's implicit default). Fixtures are our own
snippets."""

from __future__ import annotations

import ast

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.constant_values import UNKNOWN, constant_value

_HEADER = """
from sqlalchemy.dialects import mysql

GONE = "paid"
OLD = ("draft", "sent", "paid")
{new}
old_state = mysql.ENUM(*OLD)
new_state = mysql.ENUM(*NEW)
"""
_UP = 'op.alter_column("invoice", "state", type_=new_state)'
_DOWN = 'op.alter_column("invoice", "state", type_=old_state)'


def _found(new: str, upgrade: str = _UP, downgrade: str = _DOWN) -> list[tuple[str, str]]:
    source = revision(upgrade, downgrade, header=_HEADER.format(new=new))
    return [(f.code, f.severity) for f in lint(source) if f.code in ("L307", "L308")]


@pytest.mark.parametrize(
    "new",
    [
        'NEW = sorted(OLD + ("void",))',
        'NEW = (*OLD, "void")',
        'NEW = sorted(set(OLD) | {"void"})',
        'NEW = list(OLD)\nNEW.append("void")',
        'NEW = OLD[:2] + ("void", OLD[2])',
    ],
)
def test_a_computed_superset_of_the_restored_enum_is_no_narrowing(new: str) -> None:
    assert _found(new) == []


@pytest.mark.parametrize(
    "new",
    [
        "NEW = tuple([v for v in OLD if v != GONE])",
        "NEW = sorted(set(OLD) - {GONE})",
        "NEW = list(OLD)\nNEW.remove(GONE)",
        "NEW = OLD[:2]",
    ],
)
def test_a_computed_list_missing_a_restored_member_is_l308(new: str) -> None:
    assert _found(new) == [("L308", "error")]


def test_the_message_names_the_removed_member() -> None:
    source = revision(_UP, _DOWN, header=_HEADER.format(new="NEW = OLD[:2]"))
    [finding] = [f for f in lint(source) if f.code == "L308"]
    assert "removes 'paid'" in finding.message


def test_rows_moved_off_the_member_first_keep_the_removal_quiet() -> None:
    upgrade = f"""
    op.execute("UPDATE invoice SET state = 'sent' WHERE state = 'paid'")
    {_UP}
    """
    assert _found("NEW = OLD[:2]", upgrade=upgrade) == []


@pytest.mark.parametrize(
    "new",
    [
        # a change lint does not follow: the list is no longer known
        "NEW = list(OLD)\nNEW.pop()",
        "NEW = sorted(OLD, key=len)",
        # a set's own order is the interpreter's
        'NEW = tuple(set(OLD) | {"void"})',
        # a name the file binds to something else
        'NEW = sorted(OLD + ("void",))\nNEW = load_states()',
    ],
)
def test_a_list_lint_cannot_compute_stays_a_notice(new: str) -> None:
    assert _found(new) == [("L307", "notice")]


def test_a_local_name_hides_the_modules_type() -> None:
    upgrade = f"""
    new_state = build_state()
    {_UP}
    """
    assert _found('NEW = sorted(OLD + ("void",))', upgrade=upgrade) == [("L307", "notice")]


def test_an_enum_spread_from_a_computed_list_in_place_is_read() -> None:
    header = 'from sqlalchemy.dialects import mysql\nOLD = ("draft", "sent", "paid")'
    up = 'op.alter_column("invoice", "state", type_=mysql.ENUM(*sorted(OLD[:2])))'
    down = 'op.alter_column("invoice", "state", type_=mysql.ENUM(*OLD))'
    source = revision(up, down, header=header)
    assert [f.code for f in lint(source) if f.code in ("L307", "L308")] == ["L308"]


# --- ENUM to VARCHAR(n) ---------------------------------------------------------------------


@pytest.mark.parametrize(("length", "expected"), [(64, []), (4, [("L307", "error")])])
def test_an_enum_made_varchar_narrows_only_when_a_member_is_longer(
    length: int, expected: list[tuple[str, str]]
) -> None:
    upgrade = f'op.alter_column("invoice", "state", type_=sa.VARCHAR({length}))'
    assert _found('NEW = sorted(OLD + ("void",))', upgrade=upgrade) == expected


# --- L303 in a downgrade that retypes the column first --------------------------------------

_RENAME_HEADER = """
from sqlalchemy.dialects import mysql

OLD = ("draft", "sent", "paid")
NEW = sorted(set(OLD) - {"paid"} | {"settled"})


class Invoice(Base):
    __tablename__ = "invoice"
    id = sa.Column(sa.Integer, primary_key=True)
"""


@pytest.mark.parametrize(("retyped", "expected"), [(True, []), (False, ["L303"])])
def test_a_downgrade_fill_is_checked_against_the_type_the_downgrade_gave_first(
    retyped: bool, expected: list[str]
) -> None:
    upgrade = """
    op.alter_column("invoice", "state", type_=sa.VARCHAR(16))
    op.execute("UPDATE invoice SET state = 'settled' WHERE state = 'paid'")
    op.alter_column("invoice", "state", type_=mysql.ENUM(*NEW))
    """
    varchar = 'op.alter_column("invoice", "state", type_=sa.VARCHAR(16))' if retyped else ""
    downgrade = f"""
    {varchar}
    session = sa.orm.Session(bind=op.get_bind())
    for invoice in session.query(Invoice).filter(Invoice.state == "settled"):
        invoice.state = "paid"
    session.commit()
    op.alter_column("invoice", "state", type_=mysql.ENUM(*OLD))
    """
    source = revision(upgrade, downgrade, header=_RENAME_HEADER)
    assert [f.code for f in lint(source) if f.code == "L303"] == expected


# --- L301: the first member of an inline starred list ----------------------------------------


@pytest.mark.parametrize(("default", "expected"), [('"open"', []), ('"closed"', ["L301"])])
def test_a_client_default_equal_to_the_first_member_of_a_starred_list(
    default: str, expected: list[str]
) -> None:
    upgrade = f"""
    op.add_column(
        "ticket",
        sa.Column("phase", sa.Enum(*["open", "closed"]), nullable=False, default={default}),
    )
    """
    source = revision(upgrade, 'op.drop_column("ticket", "phase")')
    assert [f.code for f in lint(source) if f.code == "L301"] == expected


# --- the evaluator itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ('sorted(("b", "a") + ("c",))', ["a", "b", "c"]),
        ('[x for x in ("a", "b", "c") if x not in ("b",)]', ["a", "c"]),
        ('("a", "b")[::-1]', ("b", "a")),
        ('sorted({"b"} | {"a"}, reverse=True)', ["b", "a"]),
    ],
)
def test_constant_expressions_are_evaluated(expression: str, value: object) -> None:
    assert constant_value(ast.parse(expression, mode="eval").body, lambda name: None) == value


@pytest.mark.parametrize(
    "expression",
    [
        '("x",) * 10**9',  # too large (and `**` is not read)
        '("x",) * 100000',
        "sorted(load())",
        "NAME + ('a',)",
        "[f(x) for x in ('a',)]",
        "__import__('os').getcwd()",
    ],
)
def test_other_expressions_are_not_known(expression: str) -> None:
    assert constant_value(ast.parse(expression, mode="eval").body, lambda name: None) is UNKNOWN


@pytest.mark.parametrize(("update", "expected"), [(True, []), (False, [("L308", "error")])])
def test_an_existing_type_named_by_a_module_name_is_compared(
    update: bool, expected: list[tuple[str, str]]
) -> None:
    moved = "op.execute(\"UPDATE invoice SET state = 'sent' WHERE state = 'paid'\")"
    upgrade = f"""
    {moved if update else ""}
    op.alter_column("invoice", "state", type_=new_state, existing_type=old_state)
    """
    assert _found("NEW = OLD[:2]", upgrade=upgrade, downgrade="pass") == expected


def test_a_notice_names_the_type_by_its_module_name() -> None:
    source = revision(_UP, "pass", header=_HEADER.format(new='NEW = sorted(OLD + ("void",))'))
    [finding] = [f for f in lint(source) if f.code == "L307"]
    assert "type_=new_state without existing_type" in finding.message
