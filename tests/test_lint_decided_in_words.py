"""Decisions a revision states in words where lint did not read them before (round 28), and
MySQL's DATETIME spelt `sa.DateTime(timezone=True)`. Fixtures are our own.

- an upgrade's comment about the downgrade ("this is why downgrade() does not recreate the
  column") is a decision about that inverse (L319), and covers the index named for the column;
- "isn't needed" says what "not needed" says (L319);
- the comment block right above an empty `def upgrade()` saying it does nothing on purpose is
  the comment inside it would be (L317);
- `sa.DateTime(timezone=True)` is DATETIME on MySQL: altering DATETIME to it changes no type
  (L314), while DATETIME(fsp=6) and TIMESTAMP stay other types.
"""

from __future__ import annotations

from alembic_sentinel.lint.linter import LintOptions, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version

HEAD = '''"""drop the legacy grade"""
import sqlalchemy as sa
from alembic import op

revision = "7a8b9c0d1e2f"
down_revision = "6a7b8c9d0e1f"

'''

UPGRADE_SAYS = (
    HEAD
    + """
def upgrade():
    op.add_column("pupil", sa.Column("level", sa.Integer(), nullable=True))
    # the grade column only exists on old installs; it is dropped when present,
    # and this is why downgrade() does not recreate the grade column
    op.drop_index("ix_pupil_grade", table_name="pupil")
    op.drop_column("pupil", "grade")
    op.drop_index("ix_pupil_house", table_name="pupil")


def downgrade():
    op.drop_column("pupil", "level")
"""
)


def codes(source: str, code: str, target: str = "mysql-8.0") -> list[str]:
    options = LintOptions(target=parse_server_version(target))
    report = lint_source(source, "versions/7a8b9c0d1e2f_grade.py", options)
    return [f.message for f in report.findings if f.code == code]


def test_an_upgrade_remark_about_the_downgrade_decides_the_column_and_its_index() -> None:
    found = " ".join(codes(UPGRADE_SAYS, "L319"))
    assert "pupil.grade" not in found and "ix_pupil_grade" not in found, found
    # an index of another column is no part of the decision
    assert "ix_pupil_house" in found, found


def test_an_upgrade_remark_not_about_the_downgrade_decides_nothing() -> None:
    plain = UPGRADE_SAYS.replace(
        "# and this is why downgrade() does not recreate the grade column",
        "# and the grade values are not recreated anywhere",
    )
    found = " ".join(codes(plain, "L319"))
    assert "pupil.grade" in found and "ix_pupil_grade" in found, found


def test_a_todo_about_the_downgrade_decides_nothing() -> None:
    todo = UPGRADE_SAYS.replace(
        "# and this is why downgrade() does not recreate the grade column",
        "# TODO: downgrade() does not recreate the grade column yet",
    )
    assert any("pupil.grade" in m for m in codes(todo, "L319"))


WIDENED = (
    HEAD
    + """
def upgrade():
    op.alter_column("pupil", "motto", type_=sa.String(512), existing_type=sa.String(64))


def downgrade():
    # shortening the motto again breaks on long values and isn't needed by the old code
    pass
"""
)


def test_isnt_needed_is_a_decision() -> None:
    source = WIDENED.replace("    pass\n", '    op.execute("SELECT 1")\n')
    assert codes(source, "L319") == []
    undecided = source.replace("isn't needed by the old code", "the old code reads it")
    assert codes(undecided, "L319") != []


EMPTY = (
    HEAD
    + """
# The pupils' grade was added and abandoned on some installs. Therefore this
# migration does nothing to upgrade; its downgrade removes the column if present.


def upgrade():
    pass


def downgrade():
    op.execute("ALTER TABLE pupil DROP COLUMN grade")
"""
)


def test_a_comment_above_an_empty_upgrade_saying_it_does_nothing_is_a_decision() -> None:
    assert codes(EMPTY, "L317") == []


def test_another_comment_above_an_empty_upgrade_decides_nothing() -> None:
    other = EMPTY.replace(
        "Therefore this\n# migration does nothing to upgrade", "We keep the\n# helpers below"
    )
    assert codes(other, "L317") != []
    todo = EMPTY.replace("# The pupils'", "# TODO: The pupils'")
    assert codes(todo, "L317") != []
    # code between the comment and the def: the comment is about that code
    apart = EMPTY.replace("\n\ndef upgrade():", "\nLEVELS = 3\n\n\ndef upgrade():")
    assert codes(apart, "L317") != []


def retyped(old: str, new: str) -> str:
    return (
        HEAD
        + f"""from sqlalchemy.dialects import mysql


def upgrade():
    op.alter_column(
        "pupil", "seen_at", existing_type={old}, type_={new}, existing_nullable=True
    )


def downgrade():
    op.alter_column(
        "pupil", "seen_at", existing_type={new}, type_={old}, existing_nullable=True
    )
"""
    )


def test_datetime_with_timezone_is_datetime_on_mysql() -> None:
    assert codes(retyped("sa.DATETIME()", "sa.DateTime(timezone=True)"), "L314") == []
    assert codes(retyped("mysql.DATETIME()", "sa.DateTime()"), "L314") == []


def test_fractional_seconds_and_timestamp_are_other_types() -> None:
    assert codes(retyped("sa.DateTime()", "mysql.DATETIME(fsp=6)"), "L314") != []
    assert codes(retyped("sa.DateTime(timezone=True)", "sa.TIMESTAMP()"), "L314") != []
