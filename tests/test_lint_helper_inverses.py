"""A downgrade that undoes the upgrade through a function of the project's own modules (issue 20,
round 15; lint/built_lists.py): the helper takes its names as varargs or keywords and gathers
them in a list it builds before walking it. What the helper drops is an inverse for L319, though
it is the helper's to report. Projects of our own writing in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

SHARED = '''
from alembic import op


def remove_fields(table, *fields):
    """Drop each field the table still has."""
    doomed = []
    for field in fields:
        if field_exists(table, field):
            doomed.append(field)
    with op.batch_alter_table(table) as batch:
        for field in doomed:
            batch.drop_column(field)


def strip_fields(table, *fields):
    wanted = [name for name in fields]
    for name in wanted:
        op.drop_column(table, name)


def strip_named(table, **renames):
    extra = []
    extra.extend(renames)
    for name in extra:
        op.drop_column(table, name)


def strip_unknown(table, *fields):
    doomed = []
    for field in fields:
        doomed.append(field.upper() + "_x")
    for field in doomed:
        op.drop_column(table, field)


def field_exists(table, field):
    return True
'''

FROM = "from gizmo.migrations.shared import "

UPGRADE = """
op.add_column("gadget", sa.Column("shiny", sa.Boolean(), nullable=True))
op.add_column("gadget", sa.Column("dull", sa.Boolean(), nullable=True))
op.execute("UPDATE gadget SET shiny = 0, dull = 0")
op.alter_column("gadget", "shiny", existing_type=sa.Boolean(), nullable=False)
op.alter_column("gadget", "dull", existing_type=sa.Boolean(), nullable=False)
"""


def _l319(tmp_path: Path, header: str, downgrade: str) -> str:
    root = tmp_path / "proj"
    package = root / "gizmo" / "migrations"
    package.mkdir(parents=True)
    (root / "gizmo" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "shared.py").write_text(textwrap.dedent(SHARED))
    versions = package / "versions"
    versions.mkdir()
    path = versions / "1234abcd5678_flags.py"
    path.write_text(revision(UPGRADE, downgrade, header=header))
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    findings = lint_files([(path.name, path)], options).findings
    return "\n".join(f.message for f in findings if f.code == "L319")


@pytest.mark.parametrize(
    ("header", "downgrade"),
    [
        # varargs gathered by append in a loop that tests each one
        (FROM + "remove_fields", 'remove_fields("gadget", "dull", "shiny")'),
        # reached through the module, the names in a constant
        (
            'from gizmo.migrations import shared\nFIELDS = ("shiny", "dull")',
            'shared.remove_fields("gadget", *FIELDS)',
        ),
        # a list built by a comprehension over the varargs
        (FROM + "strip_fields", 'strip_fields("gadget", "shiny", "dull")'),
        # keywords gathered by **kwargs, extended into a list
        (FROM + "strip_named", 'strip_named("gadget", shiny="on", dull="off")'),
        # a name bound to a literal first
        (
            FROM + "remove_fields as rm",
            'name = "dull"\nrm("gadget", "shiny", name)',
        ),
    ],
)
def test_columns_a_project_helper_drops_are_undone(
    tmp_path: Path, header: str, downgrade: str
) -> None:
    assert _l319(tmp_path, header, downgrade) == ""


@pytest.mark.parametrize(
    ("header", "downgrade", "kept"),
    [
        # only one of the two columns given
        (FROM + "remove_fields", 'remove_fields("gadget", "dull")', "shiny"),
        # another table
        (FROM + "strip_fields", 'strip_fields("widget", "shiny", "dull")', "dull"),
        # the list is built from names lint cannot read
        (FROM + "strip_unknown", 'strip_unknown("gadget", "shiny", "dull")', "dull"),
        # the names come spread from a value lint does not know
        (FROM + "remove_fields", 'remove_fields("gadget", *names())', "dull"),
    ],
)
def test_a_helper_that_does_not_drop_the_columns_leaves_them_reported(
    tmp_path: Path, header: str, downgrade: str, kept: str
) -> None:
    assert kept in _l319(tmp_path, header, downgrade)
