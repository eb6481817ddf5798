"""An index renamed aside in raw SQL for a rebuild (`ALTER INDEX ix RENAME TO ix_prev` on
PostgreSQL, `ALTER TABLE t RENAME INDEX ix TO ix_prev` on MySQL), created again and the renamed
one dropped: the drop removes the index that was `ix`, so a downgrade creating `ix` again undoes
it, and a downgrade rebuilding the same way drops the upgrade's `ix` (L319, round 22). Fixtures
are our own."""

from __future__ import annotations

from alembic_sentinel.lint.linter import LintOptions, lint_source
from alembic_sentinel.lint.sql_reader import RENAME_INDEX, read_sql

SOURCE = '''"""make the badge code index case-insensitive"""
import sqlalchemy as sa
from alembic import op

revision = "6f708192a3b4"
down_revision = "5e6f708192a3"


def upgrade():
    op.execute("ALTER INDEX ix_badge_code RENAME TO ix_badge_code_prev")
    op.create_index("ix_badge_code", "badge", [sa.text("lower(code)")], unique=True)
    op.drop_index("ix_badge_code_prev", table_name="badge")


def downgrade():
    op.execute("ALTER INDEX ix_badge_code RENAME TO ix_badge_code_prev")
    op.create_index("ix_badge_code", "badge", ["code"])
    op.drop_index("ix_badge_code_prev", table_name="badge")
'''

MYSQL_RENAME = "ALTER TABLE badge RENAME INDEX ix_badge_code TO ix_badge_code_prev"


def l319(source: str) -> list[str]:
    report = lint_source(source, "versions/6f708192a3b4_badge.py", LintOptions())
    return [f.message for f in report.findings if f.code == "L319"]


def test_the_postgresql_rename_is_read() -> None:
    (statement,) = read_sql("ALTER INDEX IF EXISTS public.ix_a RENAME TO ix_b")
    assert statement.kind == RENAME_INDEX
    assert [(a.name, a.new_name) for a in statement.actions] == [("ix_a", "ix_b")]


def test_a_rebuild_through_a_renamed_index_mirrored_in_the_downgrade_is_undone() -> None:
    assert l319(SOURCE) == []


def test_the_mysql_form_pairs_the_same_way() -> None:
    mysql = SOURCE.replace(
        '"ALTER INDEX ix_badge_code RENAME TO ix_badge_code_prev"', f'"{MYSQL_RENAME}"'
    )
    assert l319(mysql) == []


def test_a_downgrade_that_does_not_drop_the_renamed_index_leaves_the_new_one() -> None:
    head, _, tail = SOURCE.rpartition(
        '    op.drop_index("ix_badge_code_prev", table_name="badge")\n'
    )
    found = " ".join(l319(head + tail))  # the downgrade's drop left out
    assert "create_index ix_badge_code on badge" in found, found


def test_without_the_rename_the_drop_of_the_other_index_is_still_missing() -> None:
    plain = SOURCE.replace(
        '    op.execute("ALTER INDEX ix_badge_code RENAME TO ix_badge_code_prev")\n', ""
    )
    found = " ".join(l319(plain))
    assert "drop_index ix_badge_code_prev" in found, found


# the other way round: the new index built under a temporary name, the old one dropped, the new
# one renamed into its place (MySQL's RENAME INDEX / RENAME KEY; round 33)
INTO_PLACE = '''"""let a user vote once per review, not once per image"""
import sqlalchemy as sa
from alembic import op

revision = "7a8192a3b4c5"
down_revision = "6f708192a3b4"


def upgrade():
    op.create_index("ix_vote_user_next", "vote", ["item_id", "user_id"], unique=False)
    op.drop_index("ix_vote_user", table_name="vote")
    op.execute("ALTER TABLE vote RENAME INDEX ix_vote_user_next TO ix_vote_user")


def downgrade():
    op.create_index("ix_vote_user_next", "vote", ["item_id", "user_id"], unique=True)
    op.drop_index("ix_vote_user", table_name="vote")
    op.execute("ALTER TABLE vote RENAME INDEX ix_vote_user_next TO ix_vote_user")
'''


def test_an_index_renamed_into_place_mirrored_in_the_downgrade_is_undone() -> None:
    assert l319(INTO_PLACE) == []


def test_rename_key_is_read_as_rename_index() -> None:
    keyed = INTO_PLACE.replace("RENAME INDEX", "RENAME KEY")
    assert l319(keyed) == []


def test_a_downgrade_that_only_recreates_the_old_index_leaves_the_renamed_one() -> None:
    source = INTO_PLACE.split("def downgrade():")[0] + (
        "def downgrade():\n"
        '    op.create_index("ix_vote_user_old", "vote", ["item_id", "user_id"], unique=True)\n'
    )
    found = " ".join(l319(source))
    assert "create_index ix_vote_user_next on vote" in found, found
    assert "drop_index ix_vote_user on vote" in found, found


def test_a_downgrade_that_never_renames_its_index_into_place_leaves_the_old_name_missing() -> None:
    upgrade, _, downgrade = INTO_PLACE.partition("def downgrade():")
    downgrade = downgrade.replace(
        '    op.execute("ALTER TABLE vote RENAME INDEX ix_vote_user_next TO ix_vote_user")\n', ""
    )
    found = " ".join(l319(upgrade + "def downgrade():" + downgrade))
    assert "drop_index ix_vote_user on vote" in found, found
