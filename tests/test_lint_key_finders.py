"""A downgrade that drops a key through the project's own helper, which finds the key's name by
reflection filtered on the columns it is given (issue 20, round 18; lint/key_finders.py):
`remove_fk("t", ["c"])` undoes the upgrade's foreign key on t(c), `remove_index("t", ["c"])`
its index there. Another table, other columns or another kind stay reported. Projects of our
own writing in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

TOOLS = '''
import sqlalchemy as sa
from alembic import op


def fk_named(table, columns):
    """The foreign key over these columns, by its reported name."""
    for fk in sa.inspect(op.get_bind()).get_foreign_keys(table):
        if fk["constrained_columns"] == columns:
            return fk["name"]
    return None


def index_named(table, columns):
    inspector = sa.inspect(op.get_bind())
    found = None
    for index in inspector.get_indexes(table):
        if list(index["column_names"]) == list(columns):
            found = index
            break
    return found["name"] if found else None


def unique_named(table, columns):
    keys = sa.inspect(op.get_bind()).get_unique_constraints(table)
    return next((k["name"] for k in keys if k["column_names"] == columns), None)


def first_fk(table):
    for fk in sa.inspect(op.get_bind()).get_foreign_keys(table):
        return fk["name"]


def remove_fk(table, columns):
    name = fk_named(table, columns)
    if name is None:
        raise RuntimeError("no such key")
    op.drop_constraint(name, table, type_="foreignkey")


def remove_index(table, columns):
    op.drop_index(index_named(table, columns), table_name=table)


def remove_unique(table, columns):
    op.drop_constraint(unique_named(table, columns), table, type_="unique")


def remove_first_fk(table):
    op.drop_constraint(first_fk(table), table, type_="foreignkey")
'''

FROM = "from gizmo.migrations.tools import "

UPGRADE = """
op.add_column("gadget", sa.Column("owner_id", sa.Integer(), nullable=True))
op.create_foreign_key("fk_gadget_owner", "gadget", "owner", ["owner_id"], ["id"])
op.create_index("ix_gadget_made_at", "gadget", ["made_at"])
op.create_unique_constraint("uq_gadget_serial", "gadget", ["serial", "batch"])
"""

COLUMN = 'op.drop_column("gadget", "owner_id")'
ALL_BUT = {
    "fk": 'op.drop_index("ix_gadget_made_at", table_name="gadget")\n'
    'op.drop_constraint("uq_gadget_serial", "gadget", type_="unique")\n',
    "index": 'op.drop_constraint("fk_gadget_owner", "gadget", type_="foreignkey")\n'
    'op.drop_constraint("uq_gadget_serial", "gadget", type_="unique")\n',
    "unique": 'op.drop_constraint("fk_gadget_owner", "gadget", type_="foreignkey")\n'
    'op.drop_index("ix_gadget_made_at", table_name="gadget")\n',
}


def _l319(tmp_path: Path, header: str, downgrade: str) -> str:
    root = tmp_path / "proj"
    package = root / "gizmo" / "migrations"
    package.mkdir(parents=True)
    (root / "gizmo" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "tools.py").write_text(textwrap.dedent(TOOLS))
    versions = package / "versions"
    versions.mkdir()
    path = versions / "1234abcd5678_owner.py"
    path.write_text(revision(UPGRADE, downgrade + "\n" + COLUMN, header=header))
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    findings = lint_files([(path.name, path)], options).findings
    return "\n".join(f.message for f in findings if f.code == "L319")


@pytest.mark.parametrize(
    ("header", "downgrade"),
    [
        # the drop helper calls a finder of its own module (not imported by the revision)
        (FROM + "remove_fk", ALL_BUT["fk"] + 'remove_fk("gadget", ["owner_id"])'),
        # the finder kept the key in a variable and broke out of the loop
        (FROM + "remove_index", ALL_BUT["index"] + 'remove_index("gadget", ["made_at"])'),
        # next() over a comprehension; the columns in a constant
        (
            FROM + "remove_unique\nKEY = ['serial', 'batch']",
            ALL_BUT["unique"] + 'remove_unique("gadget", KEY)',
        ),
        # the revision calls the finder itself and drops what it returns
        (
            FROM + "fk_named",
            ALL_BUT["fk"]
            + 'op.drop_constraint(fk_named("gadget", ["owner_id"]), "gadget", type_="foreignkey")',
        ),
        # through the module, the name in a variable first
        (
            "from gizmo.migrations import tools",
            ALL_BUT["index"] + 'name = tools.index_named("gadget", ["made_at"])\n'
            'op.drop_index(name, table_name="gadget")',
        ),
    ],
)
def test_a_key_dropped_by_a_finder_on_its_columns_is_undone(
    tmp_path: Path, header: str, downgrade: str
) -> None:
    assert _l319(tmp_path, header, downgrade) == ""


@pytest.mark.parametrize(
    ("header", "downgrade", "kept"),
    [
        # another table
        (FROM + "remove_fk", ALL_BUT["fk"] + 'remove_fk("widget", ["owner_id"])', "fk_gadget"),
        # other columns: the referred column, or only one of a key's two
        (FROM + "remove_fk", ALL_BUT["fk"] + 'remove_fk("gadget", ["id"])', "fk_gadget"),
        (
            FROM + "remove_unique",
            ALL_BUT["unique"] + 'remove_unique("gadget", ["serial"])',
            "uq_gadget_serial",
        ),
        # another kind: the index's finder for the foreign key, the foreign key's for the index
        (FROM + "remove_index", ALL_BUT["fk"] + 'remove_index("gadget", ["owner_id"])', "fk_"),
        (
            FROM + "remove_fk",
            ALL_BUT["index"] + 'remove_fk("gadget", ["made_at"])',
            "ix_gadget_made_at",
        ),
        # the index's finder given other columns
        (
            FROM + "remove_index",
            ALL_BUT["index"] + 'remove_index("gadget", ["owner_id"])',
            "ix_gadget_made_at",
        ),
        # a finder with no test on the key picks any one
        (FROM + "remove_first_fk", ALL_BUT["fk"] + 'remove_first_fk("gadget")', "fk_gadget"),
        # columns lint cannot read
        (FROM + "remove_fk", ALL_BUT["fk"] + 'remove_fk("gadget", owned())', "fk_gadget"),
    ],
)
def test_a_finder_that_picks_another_key_leaves_it_reported(
    tmp_path: Path, header: str, downgrade: str, kept: str
) -> None:
    assert kept in _l319(tmp_path, header, downgrade)
