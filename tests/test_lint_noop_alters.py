"""An alter_column that restates what the column already is needs no inverse (L319; issue 20,
round 30; lint/noop_alters.py). Our own fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.facts import LintOptions
from alembic_sentinel.lint.linter import lint_files
from alembic_sentinel.report.model import Finding

CREATED = """op.create_table(
    "parcel",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("label", sa.String(40), nullable=True),
    sa.Column("weight", sa.Integer(), nullable=False),
)"""

# the judged revision's upgrade also adds an index, undone, so that the downgrade has a body
UNDONE_INDEX = 'op.create_index("ix_parcel_weight", "parcel", ["weight"])\n'
DOWN = 'op.drop_index("ix_parcel_weight", table_name="parcel")'


def l319(tmp_path: Path, alter: str) -> list[Finding]:
    down = "a8a2fc4e4c77"
    bodies = [(CREATED, 'op.drop_table("parcel")'), (UNDONE_INDEX + alter, DOWN)]
    for number, (upgrade, downgrade) in enumerate(bodies):
        revision_id = f"f7{number:010d}"
        source = chained(revision(upgrade, downgrade), revision_id, down)
        (tmp_path / f"{revision_id}.py").write_text(source)
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    findings = lint_files(files, LintOptions()).findings
    return [f for f in findings if f.code == "L319" and f.path == f"{down}.py"]


@pytest.mark.parametrize(
    "alter",
    [
        # created nullable, said nullable again (the history says what it was)
        'op.alter_column("parcel", "label", existing_type=sa.String(40), nullable=True)',
        # created NOT NULL, said NOT NULL again, in a batch
        'with op.batch_alter_table("parcel") as batch_op:\n'
        '    batch_op.alter_column("weight", existing_type=sa.Integer(), nullable=False)',
        # the alter's own existing_* arguments say nothing changes
        'op.alter_column("parcel", "label", type_=sa.String(40), existing_type=sa.String(40))',
        # the type the history created it with, restated (round 32)
        'op.alter_column("parcel", "label", type_=sa.String(40), nullable=True)',
    ],
)
def test_a_no_op_alter_needs_no_inverse(tmp_path: Path, alter: str) -> None:
    assert l319(tmp_path, alter) == []


@pytest.mark.parametrize(
    "alter",
    [
        # created nullable, made NOT NULL: a change the downgrade leaves
        'op.alter_column("parcel", "label", existing_type=sa.String(40), nullable=False)',
        # created NOT NULL, made nullable
        'op.alter_column("parcel", "weight", existing_type=sa.Integer(), nullable=True)',
        # nullability restated, but the type changes too
        'op.alter_column("parcel", "label", type_=sa.String(80), nullable=True)',
        # a column no revision shows: its nullability is not known
        'op.alter_column("parcel", "note", existing_type=sa.Text(), nullable=True)',
    ],
)
def test_an_alter_that_changes_the_column_needs_its_inverse(tmp_path: Path, alter: str) -> None:
    assert len(l319(tmp_path, alter)) == 1


# --- round 32: the type the history gave the column, and L318's empty downgrade --------------

TAGGED = """op.create_table(
    "ticket",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("kind", sa.Enum("BUG", "TASK", "IDEA", name="ticketkind"), nullable=True),
    sa.Column("body", sa.Text(), nullable=True),
)"""


def empty_downgrade_findings(tmp_path: Path, upgrade: str, code: str = "L318") -> list[Finding]:
    down = "a8a2fc4e4c77"
    bodies = [(TAGGED, 'op.drop_table("ticket")'), (upgrade, "pass")]
    for number, (up, back) in enumerate(bodies):
        revision_id = f"f8{number:010d}"
        (tmp_path / f"{revision_id}.py").write_text(chained(revision(up, back), revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    findings = lint_files(files, LintOptions()).findings
    return [f for f in findings if f.code == code and f.path == f"{down}.py"]


@pytest.mark.parametrize(
    "alter",
    [
        # the same members in the same order, nullable as created
        'op.alter_column("ticket", "kind", type_=sa.Enum("BUG", "TASK", "IDEA", name="ticketkind"),'
        " nullable=True)",
        # bound to a name first, in a batch
        'kind = sa.Enum("BUG", "TASK", "IDEA", name="ticketkind")\n'
        'with op.batch_alter_table("ticket") as batch_op:\n'
        '    batch_op.alter_column("kind", type_=kind, nullable=True)',
        # TEXT spelt in SQL: MySQL stores the column as it was
        'op.alter_column("ticket", "body", type_=sa.TEXT())',
    ],
)
def test_an_empty_downgrade_after_a_restated_type_is_not_reported(
    tmp_path: Path, alter: str
) -> None:
    assert empty_downgrade_findings(tmp_path, alter) == []


@pytest.mark.parametrize(
    "alter",
    [
        # a member appended: MySQL's ENUM gains it, the downgrade leaves it
        'op.alter_column("ticket", "kind", type_=sa.Enum("BUG", "TASK", "IDEA", "EPIC",'
        ' name="ticketkind"), nullable=True)',
        # the same members in another order: a change of the stored values' numbers
        'op.alter_column("ticket", "kind",'
        ' type_=sa.Enum("TASK", "BUG", "IDEA", name="ticketkind"))',
        # the type restated but made NOT NULL
        'op.alter_column("ticket", "kind", type_=sa.Enum("BUG", "TASK", "IDEA", name="ticketkind"),'
        " nullable=False)",
        # a column the history gives no type
        'op.alter_column("ticket", "note", type_=sa.Text())',
        # another type
        'op.alter_column("ticket", "body", type_=sa.String(200))',
    ],
)
def test_an_empty_downgrade_after_a_type_change_is_reported(tmp_path: Path, alter: str) -> None:
    assert len(empty_downgrade_findings(tmp_path, alter)) == 1
