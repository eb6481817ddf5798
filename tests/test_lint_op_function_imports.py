"""Operations imported one by one (issue 20, round 17): `from alembic.op import drop_column`
then `drop_column("orders", "note")` is `op.drop_column(...)`, and every rule sees it. Our own
snippets: must flag (several spellings) and must not (a name from elsewhere)."""

from __future__ import annotations

import textwrap

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_source


def codes(source: str) -> list[str]:
    text = textwrap.dedent(source).lstrip()
    report = lint_source(text, "versions/1234abcd5678_test.py", LintOptions())
    return [finding.code for finding in report.findings]


HEAD = '''
"""a test revision"""
import sqlalchemy as sa
{imports}

revision = "1234abcd5678"
down_revision = "a8a2fc4e4c77"
'''


def source(imports: str, upgrade: str, downgrade: str = "pass") -> str:
    return (
        textwrap.dedent(HEAD).format(imports=imports)
        + "\n\ndef upgrade():\n"
        + textwrap.indent(textwrap.dedent(upgrade).strip(), "    ")
        + "\n\n\ndef downgrade():\n"
        + textwrap.indent(textwrap.dedent(downgrade).strip(), "    ")
        + "\n"
    )


@pytest.mark.parametrize(
    ("imports", "upgrade", "downgrade", "code"),
    [
        # a column dropped: its values are lost
        (
            "from alembic.op import add_column, drop_column",
            'drop_column("orders", "note")',
            'add_column("orders", sa.Column("note", sa.Text()))',
            "L305",
        ),
        # imported under another name
        (
            "from alembic.op import drop_table as remove_table",
            'remove_table("orders")',
            "pass",
            "L304",
        ),
        # a check constraint the downgrade does not drop
        (
            "from alembic.op import create_check_constraint",
            'create_check_constraint("ck_qty", "orders", "qty > 0")',
            'create_check_constraint("ck_qty", "orders", "qty >= 0")',
            "L319",
        ),
        # the batch form, its context manager imported by name
        (
            "from alembic.op import batch_alter_table",
            """
            with batch_alter_table("orders") as batch_op:
                batch_op.drop_column("note")
            """,
            "pass",
            "L305",
        ),
        # mixed with `op.`: both spellings count
        (
            "from alembic import op\nfrom alembic.op import drop_column",
            'op.add_column("orders", sa.Column("x", sa.Integer()))\ndrop_column("orders", "note")',
            'op.drop_column("orders", "x")',
            "L305",
        ),
    ],
)
def test_an_operation_imported_by_name_is_read(
    imports: str, upgrade: str, downgrade: str, code: str
) -> None:
    assert code in codes(source(imports, upgrade, downgrade))


@pytest.mark.parametrize(
    "imports",
    [
        # the project's own helper of the same name
        "from app.db.helpers import drop_column",
        # a module-level function of the revision
        "def drop_column(table, column):\n    return None",
        # a relative import, not Alembic's
        "from .op import drop_column",
    ],
)
def test_a_name_from_elsewhere_is_no_operation(imports: str) -> None:
    assert "L305" not in codes(source(imports, 'drop_column("orders", "note")'))
