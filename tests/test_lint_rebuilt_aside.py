"""L319 and a table rebuilt under a temporary name (issue 20, round 28): the upgrade renames
`gadget` aside (`op.rename_table` or raw `ALTER TABLE ... RENAME TO` / `RENAME TABLE`), adds a
column to the aside copy, creates `gadget` again, copies the rows and drops the copy. That is
one change of `gadget` (its new column): a downgrade dropping the column in place, or
rebuilding `gadget` its own way, undoes it, and neither the create nor the drop asks for an
inverse. A downgrade that leaves the column, leaves `gadget` alone, ends by dropping it or keeps
its own aside copy is still reported; so is a column the rebuild adds that an earlier revision
never gave the table and the downgrade leaves. A raw `CREATE TABLE` in the downgrade rebuilds
its table as `op.create_table` does, whatever the quoting of its name. Our own snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import lint, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.sql_reader import CREATE_TABLE, read_sql

NEW_GADGET = """
op.create_table(
    "gadget",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("label", sa.String(40), nullable=True),
    sa.Column("serial", sa.String(36), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("serial"),
)
op.execute("INSERT INTO gadget SELECT id, label, serial FROM gadget_scratch")
op.drop_table("gadget_scratch")
"""

ADD_SERIAL = 'op.add_column("gadget_scratch", sa.Column("serial", sa.String(36)))\n'
FILL = 'op.execute("UPDATE gadget_scratch SET serial = id")\n'

# the ways of moving the table aside
ASIDE = [
    'op.rename_table("gadget", "gadget_scratch")\n',
    'op.execute("ALTER TABLE gadget RENAME TO gadget_scratch")\n',
    'op.execute("RENAME TABLE `gadget` TO `gadget_scratch`")\n',
    'op.execute(\'ALTER TABLE "gadget" RENAME TO "gadget_scratch"\')\n',
]

DROP_IN_PLACE = """
with op.batch_alter_table("gadget", schema=None) as batch_op:
    batch_op.drop_column("serial")
"""

MIRROR = """
op.rename_table("gadget", "gadget_new")
op.create_table(
    "gadget",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("label", sa.String(40), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)
op.execute("INSERT INTO gadget SELECT id, label FROM gadget_new")
op.drop_table("gadget_new")
"""


def rebuild(aside: str = ASIDE[0]) -> str:
    return aside + ADD_SERIAL + FILL + NEW_GADGET


def l319(upgrade: str, downgrade: str) -> list[str]:
    return [f.message for f in lint(revision(upgrade, downgrade)) if f.code == "L319"]


@pytest.mark.parametrize("aside", ASIDE)
@pytest.mark.parametrize(
    "downgrade",
    [
        DROP_IN_PLACE,
        'op.drop_column("gadget", "serial")',
        'op.execute("ALTER TABLE gadget DROP COLUMN serial")',
        MIRROR,
    ],
)
def test_a_rebuild_aside_undone_in_place_or_by_a_mirror_rebuild_is_undone(
    aside: str, downgrade: str
) -> None:
    assert l319(rebuild(aside), downgrade) == []


@pytest.mark.parametrize("aside", ASIDE)
def test_a_downgrade_leaving_the_new_column_is_reported(aside: str) -> None:
    # it changes the table in place, but not the column the rebuild added
    found = l319(rebuild(aside), 'op.alter_column("gadget", "label", type_=sa.String(80))')
    assert any("add_column" in m and "serial" in m for m in found)


@pytest.mark.parametrize(
    "downgrade",
    [
        'op.drop_column("other", "x")',  # the table left alone
        'op.drop_table("gadget")',  # no table left where the upgrade found one
        # renamed aside and kept: the upgrade's table is still there under another name
        'op.rename_table("gadget", "gadget_new")\n'
        'op.create_table("gadget", sa.Column("id", sa.Integer(), primary_key=True))',
    ],
)
def test_a_rebuild_aside_not_changed_back_is_reported(downgrade: str) -> None:
    found = l319(rebuild(), downgrade)
    assert any("create_table gadget" in m or "drop_table gadget" in m for m in found)


def test_a_rename_aside_without_its_drop_is_no_rebuild() -> None:
    upgrade = rebuild().replace('op.drop_table("gadget_scratch")', "pass")
    found = l319(upgrade, DROP_IN_PLACE)
    assert any("create_table gadget" in m for m in found)


def _history(tmp_path: Path, downgrade: str) -> list[str]:
    """The rebuild after a revision creating `gadget` (id, label); the rebuild's create_table
    also brings `serial`, which no step adds one by one."""
    first = revision(
        """
        op.create_table(
            "gadget",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("label", sa.String(40), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        """,
        'op.drop_table("gadget")',
    )
    second = revision(ASIDE[0] + NEW_GADGET, downgrade)
    (tmp_path / "01_a.py").write_text(chained(first, "a1", "None").replace('"None"', "None"))
    (tmp_path / "02_b.py").write_text(chained(second, "b2", "a1"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    findings = lint_files(files, LintOptions()).findings
    return [f.message for f in findings if f.code == "L319" and f.path.endswith("02_b.py")]


def test_a_column_new_to_the_table_the_downgrade_leaves_is_reported(tmp_path: Path) -> None:
    leaves = 'op.alter_column("gadget", "label", type_=sa.String(80))'
    assert any("create_table gadget" in m for m in _history(tmp_path, leaves))


def test_a_column_new_to_the_table_the_downgrade_drops_is_undone(tmp_path: Path) -> None:
    assert _history(tmp_path, DROP_IN_PLACE) == []


RAW_REBUILD = '''
op.rename_table("gadget", "gadget_old")
op.execute(
    """
    CREATE TABLE {name} (
        id INTEGER NOT NULL,
        label VARCHAR(40),
        shiny BOOLEAN,
        PRIMARY KEY (id)
    )
    """
)
op.execute("INSERT INTO gadget (id, label) SELECT id, label FROM gadget_old")
op.drop_table("gadget_old")
'''


@pytest.mark.parametrize(
    "name", ['"gadget"', "`gadget`", "gadget", '"main"."gadget"', "IF NOT EXISTS gadget"]
)
def test_a_raw_create_table_rebuild_in_the_downgrade_restores_a_dropped_column(
    name: str,
) -> None:
    upgrade = 'with op.batch_alter_table("gadget") as batch_op:\n    batch_op.drop_column("shiny")'
    assert l319(upgrade, RAW_REBUILD.format(name=name)) == []


def test_a_raw_create_table_of_another_table_restores_nothing() -> None:
    upgrade = 'op.drop_column("gadget", "shiny")'
    downgrade = 'op.execute("CREATE TABLE \\"widget\\" (id INTEGER NOT NULL)")'
    assert any("drop_column gadget.shiny" in m for m in l319(upgrade, downgrade))


@pytest.mark.parametrize("quote", ['"', "`", ""])
def test_the_sql_reader_reads_quoted_names_in_every_statement_kind(quote: str) -> None:
    def q(name: str) -> str:
        return f"{quote}{name}{quote}"

    t, c = q("gadget"), q("serial")
    cases = {
        f"CREATE TABLE {q('main')}.{t} ({c} INTEGER)": ("create_table", "gadget"),
        f"DROP TABLE IF EXISTS {t}": ("drop_table", "gadget"),
        f"ALTER TABLE {t} ADD COLUMN {c} INTEGER": ("alter_table", "gadget"),
        f"INSERT INTO {t} ({c}) SELECT {c} FROM {q('old')}": ("insert", "gadget"),
        f"UPDATE {t} SET {c} = 1": ("update", "gadget"),
        f"DELETE FROM {t}": ("delete", "gadget"),
    }
    for text, (kind, table) in cases.items():
        statement = read_sql(text)[0]
        assert (statement.kind, statement.table) == (kind, table), text
    assert read_sql(f"CREATE TABLE {t} (id INT)")[0].kind == CREATE_TABLE
    alter = read_sql(f"ALTER TABLE {t} ADD COLUMN {c} INTEGER")[0]
    assert [(a.kind, a.name) for a in alter.actions] == [("add_column", "serial")]
    update = read_sql(f"UPDATE {t} SET {c} = 1")[0]
    assert update.writes == frozenset({("gadget", "serial")})
