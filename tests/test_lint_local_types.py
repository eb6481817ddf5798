"""A column type bound to a name inside upgrade() (in each dialect's branch) is read where an
operation is given it, as a module-level one is (L307; issue 20, round 30). Our own fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained, lint
from test_lint_rules import revision

from alembic_sentinel.lint.facts import LintOptions
from alembic_sentinel.lint.linter import lint_files
from alembic_sentinel.report.model import Finding

HEADER = "from sqlalchemy.dialects import postgresql"

CREATED = """
if op.get_bind().dialect.name == "postgresql":
    shade = postgresql.ENUM("RED", "GREEN", name="shade", create_type=False)
else:
    shade = sa.Enum("RED", "GREEN", name="shade")
label = sa.String(40)
op.create_table(
    "swatch",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("shade", shade, nullable=True),
    sa.Column("label", label, nullable=True),
)
"""

ALTERED = """
if op.get_bind().dialect.name == "postgresql":
    op.execute("ALTER TYPE shade ADD VALUE 'BLUE'")
else:
    {binding}
    with op.batch_alter_table("swatch") as batch_op:
        batch_op.alter_column("{column}", type_=new_type, nullable=True)
"""


def l307(tmp_path: Path, column: str, binding: str) -> list[Finding]:
    down = "a8a2fc4e4c77"
    altered = ALTERED.format(column=column, binding=binding)
    bodies = [(CREATED, 'op.drop_table("swatch")'), (altered, "pass")]
    for number, (upgrade, downgrade) in enumerate(bodies):
        revision_id = f"f9{number:010d}"
        source = chained(revision(upgrade, downgrade, header=HEADER), revision_id, down)
        (tmp_path / f"{revision_id}.py").write_text(source)
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    findings = lint_files(files, LintOptions()).findings
    return [f for f in findings if f.code == "L307" and f.path == f"{down}.py"]


@pytest.mark.parametrize(
    ("column", "binding"),
    [
        # the history's local Enum with a member appended: a widening
        ("shade", 'new_type = sa.Enum("RED", "GREEN", "BLUE", name="shade")'),
        # a longer string than the history's local String(40)
        ("label", "new_type = sa.String(80)"),
    ],
)
def test_a_local_type_that_widens_is_quiet(tmp_path: Path, column: str, binding: str) -> None:
    assert l307(tmp_path, column, binding) == []


def test_a_local_type_that_narrows_is_reported(tmp_path: Path) -> None:
    found = l307(tmp_path, "label", "new_type = sa.String(20)")
    assert [f.severity for f in found] == ["error"]
    assert "String(40)" in found[0].message or "40" in found[0].message


@pytest.mark.parametrize(
    ("retyped", "copies"),
    [
        # renamed into the old column's place with the type it was added with: no type change,
        # the existing_type is the dropped column's
        ("sa.DateTime()", False),
        # another type than the one it was added with: the table is copied
        ("sa.Date()", True),
    ],
)
def test_a_column_added_by_the_upgrade_keeps_the_type_it_was_given(
    retyped: str, copies: bool
) -> None:
    body = f"""
old_type = sa.Numeric(20, 6)
op.add_column("visit", sa.Column("seen_ts", sa.DateTime(), nullable=True))
op.execute("UPDATE visit SET seen_ts = seen")
op.drop_column("visit", "seen")
op.alter_column(
    "visit", "seen_ts", new_column_name="seen", type_={retyped}, existing_type=old_type
)
"""
    source = revision(body, "pass")
    found = [f for f in lint(source) if f.code == "L314"]
    assert any("change_type" in f.message for f in found) is copies
    # the same, the temporary column named by a computation lint does not read
    computed = body.replace('sa.Column("seen_ts"', 'sa.Column(prefix + "_ts"')
    source = revision("prefix = get_prefix()\n" + computed, "pass")
    found = [f for f in lint(source) if f.code == "L314"]
    assert any("change_type" in f.message for f in found) is copies
