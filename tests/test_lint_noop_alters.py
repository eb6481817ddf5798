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
