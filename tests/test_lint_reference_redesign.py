"""L306 on a redesign (issue 20, round 22; lint/column_state.replaced_by_reference): a plain
column dropped and a column of another meaning added that the upgrade makes a foreign key, the
downgrade restoring the old one with no key, the names sharing no word: a new reference, not
the old values renamed (L305 still reports their loss). A shared word (`venue` -> `venue_code`),
a key the old column had too, no key on the new one, or no restore in the downgrade: still L306.
Revisions of our own writing."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source


def codes(upgrade: str, downgrade: str) -> list[str]:
    source = revision(upgrade, downgrade)
    return [
        f.code for f in lint_source(source, "versions/1234abcd5678_x.py", LintOptions()).findings
    ]


BATCH = """
with op.batch_alter_table("feed") as batch_op:
    batch_op.drop_column("{old}")
    batch_op.add_column(sa.Column("{new}", sa.String(64), nullable=True))
    batch_op.create_foreign_key("fk_feed_{new}", "publisher", ["{new}"], ["{target}"])
"""
PLAIN = """
op.add_column("feed", sa.Column("{new}", sa.String(64), sa.ForeignKey("publisher.{target}"),
              nullable=True))
op.drop_column("feed", "{old}")
"""
RESTORE = """
with op.batch_alter_table("feed") as batch_op:
    batch_op.drop_constraint("fk_feed_{new}", type_="foreignkey")
    batch_op.drop_column("{new}")
    batch_op.add_column(sa.Column("{old}", sa.String(500), nullable=True))
"""


@pytest.mark.parametrize("upgrade", [BATCH, PLAIN])
@pytest.mark.parametrize(
    ("old", "new", "target"),
    [
        ("source_link", "publisher_code", "code"),
        ("homepageUrl", "owner_id", "id"),
    ],
)
def test_a_new_reference_of_another_meaning_is_no_rename(
    upgrade: str, old: str, new: str, target: str
) -> None:
    found = codes(upgrade.format(old=old, new=new, target=target), RESTORE.format(old=old, new=new))
    assert "L306" not in found
    assert "L305" in found  # the dropped values are still lost


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # a word shared: the same codes may be renamed and given their key
        (
            BATCH.format(old="venue", new="venue_code", target="code"),
            RESTORE.format(old="venue", new="venue_code"),
        ),
        # the old column was a reference too, to the same table: the downgrade gives it its
        # key back (to another table it would be a redesign: test_lint_reference_redesigns)
        (
            BATCH.format(old="author_id", new="writer_id", target="id"),
            RESTORE.format(old="author_id", new="writer_id")
            + 'op.create_foreign_key("fk_feed_author", "feed", "publisher", ["author_id"], '
            '["id"])',
        ),
        # no key on the new column
        (
            'op.add_column("feed", sa.Column("publisher_code", sa.String(64)))\n'
            'op.drop_column("feed", "source_link")',
            'op.drop_column("feed", "publisher_code")\n'
            'op.add_column("feed", sa.Column("source_link", sa.String(500)))',
        ),
        # the downgrade does not say what the old column was
        (BATCH.format(old="source_link", new="publisher_code", target="code"), "pass"),
    ],
)
def test_a_drop_and_add_that_may_be_a_rename_is_still_reported(
    upgrade: str, downgrade: str
) -> None:
    assert "L306" in codes(upgrade, downgrade)
