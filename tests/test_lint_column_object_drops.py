"""A downgrade that drops the upgrade's new column by a Column object (`op.drop_column("t",
sa.Column("x"))`) instead of its name (round 22): Alembic makes a Column of its argument and
SQLAlchemy refuses a Column as a name, so the drop fails every time it runs. L319 says so and
names the call to write, instead of asking for an `op.drop_column` that seems to be there.
Fixtures are our own."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from alembic_sentinel.lint.linter import LintOptions, lint_source

SOURCE = '''"""remember the shelf's colour"""
import sqlalchemy as sa
from alembic import op

revision = "6f7081920a1b"
down_revision = "5e6f7081920a"


def upgrade():
    op.add_column("shelf", sa.Column("colour", sa.String(20), nullable=True))


def downgrade():
    op.drop_column("shelf", DROPPED)
'''


def l319(dropped: str) -> list[str]:
    source = SOURCE.replace("DROPPED", dropped)
    report = lint_source(source, "versions/6f7081920a1b_colour.py", LintOptions())
    return [f.message for f in report.findings if f.code == "L319"]


def test_alembic_refuses_a_column_object_as_the_name() -> None:
    operations = Operations(MigrationContext.configure(dialect_name="mysql", opts={"as_sql": True}))
    with pytest.raises(Exception):  # noqa: B017 - the error's class depends on SQLAlchemy
        operations.drop_column("shelf", sa.Column("colour"))  # type: ignore[arg-type]


@pytest.mark.parametrize("dropped", ['sa.Column("colour")', 'sa.Column("colour", sa.String(20))'])
def test_a_column_object_is_named_as_the_reason(dropped: str) -> None:
    (message,) = l319(dropped)
    assert "Column object" in message
    assert "expected op.drop_column('shelf', 'colour')" in message


def test_the_name_is_the_inverse() -> None:
    assert l319('"colour"') == []


def test_a_column_object_of_another_column_is_the_plain_finding() -> None:
    (message,) = l319('sa.Column("shade")')
    assert "Column object" not in message and "(expected op.drop_column)" in message
