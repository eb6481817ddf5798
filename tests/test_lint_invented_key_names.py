"""A foreign key MySQL named itself (`<table>_ibfk_N`: declared with no name) dropped by the
upgrade with its column, the downgrade adding the column back with an unnamed
`sa.ForeignKey(...)` (round 22): the downgrade recreates the key (L319) and the key went for its
column, whose loss is L305's (L327). Fixtures are our own."""

from __future__ import annotations

from alembic_sentinel.lint.linter import LintOptions, lint_source

SOURCE = '''"""move the badge onto the ticket"""
import sqlalchemy as sa
from alembic import op

revision = "2b3c4d5e6f70"
down_revision = "1a2b3c4d5e6f"


def upgrade():
    op.drop_constraint("ticket_ibfk_1", "ticket", type_="foreignkey")
    op.drop_column("ticket", "desk_id")


def downgrade():
    op.add_column("ticket", sa.Column("desk_id", sa.Integer, sa.ForeignKey("desk.id")))
'''


def codes(source: str) -> list[str]:
    report = lint_source(source, "versions/2b3c4d5e6f70_badge.py", LintOptions())
    return [f.code for f in report.findings]


def test_a_key_recreated_with_its_column_is_undone_and_goes_with_the_column() -> None:
    found = codes(SOURCE)
    assert "L319" not in found and "L327" not in found, found
    assert "L305" in found  # the column's values are still lost


def test_a_column_added_back_without_a_key_leaves_the_key_dropped() -> None:
    plain = SOURCE.replace(', sa.ForeignKey("desk.id")', "")
    found = codes(plain)
    assert "L319" in found and "L327" in found, found


def test_a_key_on_another_table_recreated_does_not_count() -> None:
    other = SOURCE.replace('op.add_column("ticket"', 'op.add_column("queue"')
    assert "L319" in codes(other)


def test_a_key_named_by_the_project_is_no_invented_name() -> None:
    # a name the project chose says nothing of the key's columns: another column goes
    named = SOURCE.replace('"ticket_ibfk_1"', '"ticket_desk_link"').replace(
        'op.drop_column("ticket", "desk_id")', 'op.drop_column("ticket", "queue_id")'
    )
    assert "L327" in codes(named)
