"""L306 and an added column holding another kind of value than the dropped one (issue 20,
round 34): a drop and an add on one table are no rename when the names end in words of
different kinds of value (`photo_exts` -> `photo_keys`, `badge_id` -> `badge_key`), when one is
a uuid (CHAR(36), UUID) and the other a text of another length (an object key "uuid.png"), or
when the upgrade makes the added column a key (primary, unique) the dropped one was not (a new
surrogate `id` beside a dropped reference). L305 reports the loss. Renames of one kind stay
L306: `created` -> `created_at`, `hash_str` -> `checksum`, `owner_id` -> `owner_pkey`, same
VARCHAR(255) columns with a plain index. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target


def _codes(upgrade: str, downgrade: str) -> list[str]:
    found = lint(revision(upgrade, downgrade), target=target("mysql-8.0"))
    return [f.code for f in found if f.code in ("L305", "L306")]


def _pair(old: str, old_type: str, new: str, new_type: str, extra: str = "") -> tuple[str, str]:
    upgrade = (
        f'op.add_column("badge", sa.Column("{new}", {new_type}, nullable=True))\n'
        + extra
        + f'op.drop_column("badge", "{old}")\n'
    )
    downgrade = (
        f'op.add_column("badge", sa.Column("{old}", {old_type}, nullable=True))\n'
        f'op.drop_column("badge", "{new}")\n'
    )
    return upgrade, downgrade


@pytest.mark.parametrize(
    ("old", "old_type", "new", "new_type", "extra"),
    [
        # file extensions -> storage keys, the same JSON type
        ("photo_exts", "sa.JSON()", "photo_keys", "sa.JSON()", ""),
        # a uuid -> an object key "uuid.png" (a text of another length)
        ("badge_id", "sa.CHAR(length=36)", "badge_key", "sa.String(length=41)", ""),
        ("icon_ref", "sa.VARCHAR(length=41)", "icon_ref2", "sa.String(length=36)", ""),
        # a reference dropped, a new surrogate key added and made unique
        (
            "team_id_3",
            "sa.VARCHAR(length=255)",
            "id",
            "sa.VARCHAR(length=255)",
            'op.create_index("ix_badge_id", "badge", ["id"], unique=True)\n',
        ),
    ],
)
def test_another_kind_of_value_is_no_rename(
    old: str, old_type: str, new: str, new_type: str, extra: str
) -> None:
    codes = _codes(*_pair(old, old_type, new, new_type, extra))
    assert "L306" not in codes
    assert "L305" in codes  # the loss is still reported


@pytest.mark.parametrize(
    ("old", "old_type", "new", "new_type", "extra"),
    [
        ("created", "sa.DATETIME()", "created_at", "sa.DateTime()", ""),
        ("hash_str", "sa.VARCHAR(length=64)", "checksum", "sa.String(length=64)", ""),
        ("owner_id", "sa.INTEGER()", "owner_pkey", "sa.Integer()", ""),
        ("badge_uuid", "sa.CHAR(length=36)", "badge_guid", "sa.CHAR(length=36)", ""),
        ("photo_exts", "sa.JSON()", "photo_extensions", "sa.JSON()", ""),
        # a plain (not unique) index on the added column
        (
            "team_id_3",
            "sa.VARCHAR(length=255)",
            "team_id",
            "sa.VARCHAR(length=255)",
            'op.create_index("ix_badge_team_id", "badge", ["team_id"])\n',
        ),
    ],
)
def test_a_rename_of_one_kind_stays_flagged(
    old: str, old_type: str, new: str, new_type: str, extra: str
) -> None:
    assert "L306" in _codes(*_pair(old, old_type, new, new_type, extra))


def test_a_pair_of_another_kind_is_no_rename_the_other_is() -> None:
    upgrade = (
        'op.add_column("badge", sa.Column("photo_keys", sa.JSON(), nullable=True))\n'
        'op.add_column("badge", sa.Column("title_text", sa.JSON(), nullable=True))\n'
        'op.drop_column("badge", "photo_exts")\n'
        'op.drop_column("badge", "title")\n'
    )
    downgrade = (
        'op.add_column("badge", sa.Column("photo_exts", sa.JSON(), nullable=True))\n'
        'op.add_column("badge", sa.Column("title", sa.JSON(), nullable=True))\n'
    )
    found = lint(revision(upgrade, downgrade), target=target("mysql-8.0"))
    messages = [f.message for f in found if f.code == "L306"]
    assert len(messages) == 1 and "drops badge.title and adds title_text" in messages[0]
    renamed = upgrade.replace("photo_keys", "photo_ext_list")
    assert _codes(renamed, downgrade).count("L306") == 2


def test_a_new_surrogate_key_leaves_the_other_pair_a_rename() -> None:
    upgrade = (
        'op.add_column("badge", sa.Column("id", sa.VARCHAR(length=255), nullable=False))\n'
        'op.add_column("badge", sa.Column("team_id", sa.VARCHAR(length=255), nullable=False))\n'
        'op.create_index("ix_badge_id", "badge", ["id"], unique=True)\n'
        'op.drop_column("badge", "team_id_2")\n'
        'op.drop_column("badge", "team_id_1")\n'
    )
    downgrade = (
        'op.add_column("badge", sa.Column("team_id_1", sa.VARCHAR(length=255), nullable=True))\n'
        'op.add_column("badge", sa.Column("team_id_2", sa.VARCHAR(length=255), nullable=True))\n'
    )
    found = lint(revision(upgrade, downgrade), target=target("mysql-8.0"))
    messages = [f.message for f in found if f.code == "L306"]
    assert len(messages) == 1
    assert "drops badge.team_id_2 and adds team_id" in messages[0]
