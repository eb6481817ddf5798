"""ENUM members given as `sa.Enum(*NAMES, name=...)` over a module-level literal list (round
22): the members are read as if written out, so L314 sees a value inserted between others (a
table copy) and L308 a value removed, as with literal members. Our own fixtures."""

from __future__ import annotations

from test_lint_histories import codes
from test_lint_rules import revision

LISTS = """
BEFORE = ["draft", "review", "published"]
INSERTED = ["draft", "review", "approved", "published"]
APPENDED = ["draft", "review", "published", "archived"]
SHRUNK = ["draft", "published"]
"""


def _alter(old: str, new: str) -> str:
    return revision(
        f'op.alter_column("article", "state", existing_type=sa.Enum(*{old}, name="state"), '
        f'type_=sa.Enum(*{new}, name="state"), existing_nullable=False)',
        header=LISTS,
    )


def test_a_member_inserted_between_others_copies_the_table() -> None:
    found = codes(_alter("BEFORE", "INSERTED"))
    assert "L314" in found and "L308" not in found, found


def test_a_member_appended_is_in_place() -> None:
    assert "L314" not in codes(_alter("BEFORE", "APPENDED"))


def test_a_member_removed_is_reported() -> None:
    assert "L308" in codes(_alter("BEFORE", "SHRUNK"))


def test_a_list_built_at_run_time_is_not_guessed() -> None:
    unknown = _alter("BEFORE", "INSERTED").replace(
        'INSERTED = ["draft", "review", "approved", "published"]',
        "INSERTED = load_states()",
    )
    assert "L314" not in codes(unknown) and "L308" not in codes(unknown)


def test_an_old_enum_without_members_is_not_guessed_a_copy() -> None:
    # `existing_type=sa.Enum`: the new members may only be appended (in place); listed, not
    # reported, as a type change without existing_type is
    bare = revision(
        'op.alter_column("article", "state", existing_type=sa.Enum, '
        'type_=sa.Enum(*APPENDED, name="state"), existing_nullable=False)',
        header=LISTS,
    )
    assert "L314" not in codes(bare)
