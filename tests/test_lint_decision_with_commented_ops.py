"""A decision stated in prose ("...so don't do anything to reverse them") followed, after blank
lines only, by a comment block of the operations it leaves commented out: the decision speaks
of what that block names (round 22). Fixtures are our own."""

from __future__ import annotations

from alembic_sentinel.lint.linter import LintOptions, lint_source

SOURCE = '''"""optional columns on the parcel"""
import sqlalchemy as sa
from alembic import op

revision = "5e6f708192a3"
down_revision = "4d5e6f708192"


def upgrade():
    op.add_column("parcel", sa.Column("weight", sa.Integer(), nullable=True))
    op.add_column("parcel", sa.Column("courier", sa.String(20), nullable=True))
    op.create_index("ix_parcel_created", "parcel", ["created"])


def downgrade():
    # the columns may have existed before this revision on some installs,
    # therefore we don't try to reverse them here

    # op.drop_column("parcel", "courier")
    # op.drop_column("parcel", "weight")
    op.drop_index("ix_parcel_created", "parcel")
'''


def l319(source: str) -> list[str]:
    report = lint_source(source, "versions/5e6f708192a3_parcel.py", LintOptions())
    return [f.message for f in report.findings if f.code == "L319"]


def test_the_commented_operations_below_a_decision_are_decided() -> None:
    assert l319(SOURCE) == []


def test_without_the_decision_the_commented_operations_are_still_missing() -> None:
    prose = SOURCE.replace(
        "# therefore we don't try to reverse them here", "# and were filled by the import job"
    )
    found = " ".join(l319(prose))
    assert "parcel.weight" in found and "parcel.courier" in found, found


def test_commented_operations_after_code_are_not_joined_to_the_decision() -> None:
    apart = SOURCE.replace(
        '    # op.drop_column("parcel", "courier")\n',
        "",
    ).replace(
        '    op.drop_index("ix_parcel_created", "parcel")\n',
        '    op.drop_index("ix_parcel_created", "parcel")\n'
        '    # op.drop_column("parcel", "courier")\n',
    )
    found = " ".join(l319(apart))
    assert "parcel.courier" in found and "parcel.weight" not in found, found


def test_a_prose_block_after_the_decision_is_not_joined() -> None:
    # the decision names no kind of change ("these", not "the columns": round 26 reads a
    # refusal naming a kind as covering that kind)
    other = SOURCE.replace("# the columns may have existed", "# these may have existed").replace(
        '    # op.drop_column("parcel", "courier")\n    # op.drop_column("parcel", "weight")\n',
        "    # the courier and weight columns come from the partner feed\n",
    )
    found = " ".join(l319(other))
    assert "parcel.weight" in found and "parcel.courier" in found, found
