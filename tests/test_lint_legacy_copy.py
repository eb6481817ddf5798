"""A table rebuilt through a legacy copy (round 21): the upgrade renames `t` aside, creates `t`
again in its new shape, reads the old rows with a literal SELECT, writes them into the new table
and drops the renamed copy; the downgrade rebuilds the same way back. The drop of the copy loses
no row (L304, L306), the rename takes the name away only for the rebuild (L328), and the
downgrade's own rebuild drops the table the upgrade created (L319). Fixtures are our own."""

from __future__ import annotations

from typing import Any

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version

HEADER = '''"""rebuild the feature flags table"""
import sqlalchemy as sa
from sqlalchemy import text
from alembic import op

revision = "5e1ec7000002"
down_revision = "5e1ec7000001"
'''

# how the old rows are read: a literal SELECT whose rows a loop takes (keyword column names,
# `*`, `.fetchall()`, `.mappings().all()`, the statement held in a name first)
READS = [
    'rows = list(conn.execute(sa.text("SELECT key, value FROM flag_old")))',
    'rows = conn.execute(text("SELECT * FROM flag_old")).fetchall()',
    'rows = conn.execute(sa.text("SELECT `key`, enabled FROM flag_old")).mappings().all()',
    'query = sa.text("SELECT key, value FROM flag_old")\n    rows = conn.execute(query)',
]
# how they are written: a bulk_insert of a list the loop builds, or an insert per row
WRITES = [
    "items = []\n    for row in rows:\n"
    "        items.append({'name': row.key, 'state': row.value})\n"
    "    op.bulk_insert(flag, items)",
    "for row in rows:\n"
    "        op.execute(flag.insert().values(name=row['key'], state=row['value']))",
    "op.bulk_insert(flag, [{'name': r.key, 'state': r.value} for r in rows])",
]

UPGRADE_START = """
def upgrade():
    conn = op.get_bind()
    op.rename_table("flag", "flag_old")
    op.create_table(
        "flag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
    )
    flag = sa.table("flag", sa.column("name"), sa.column("state"))
"""

DOWNGRADE = """
def downgrade():
    conn = op.get_bind()
    op.rename_table("flag", "flag_new")
    op.create_table(
        "flag",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.Text(), nullable=True),
    )
    old = sa.table("flag", sa.column("key"), sa.column("value"))
    for row in conn.execute(sa.text("SELECT name, state FROM flag_new")):
        op.execute(old.insert().values(key=row.name, value=str(row.state)))
    op.drop_table("flag_new")
"""


def rebuild(
    read: str, write: str, drop: str = 'op.drop_table("flag_old")', down: str = DOWNGRADE
) -> str:
    return f"{HEADER}{UPGRADE_START}    {read}\n    {write}\n    {drop}\n\n{down}"


def codes(source: str, **options: Any) -> list[str]:
    options.setdefault("target", parse_server_version("mysql-8.0"))
    result = lint_source(source, "versions/5e1ec7000002_flags.py", LintOptions(**options))
    return [finding.code for finding in result.findings]


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("write", WRITES)
def test_a_rebuild_through_a_legacy_copy_is_quiet(read: str, write: str) -> None:
    found = codes(rebuild(read, write))
    for code in ("L304", "L306", "L328", "L319"):
        assert code not in found, (code, found)


@pytest.mark.parametrize(
    "read",
    [
        "rows = []",  # nothing read: the old rows are dropped with the copy
        # another table's rows
        'rows = list(conn.execute(sa.text("SELECT key, value FROM flag_archive")))',
        'rows = conn.execute(sa.text("DELETE FROM flag_old"))',  # no SELECT at all
    ],
)
def test_a_legacy_copy_dropped_unread_is_reported(read: str) -> None:
    write = "for row in rows:\n        op.execute(flag.insert().values(name=row.key))"
    assert "L304" in codes(rebuild(read, write))


def test_a_rename_not_undone_by_a_rebuild_is_reported() -> None:
    # the table stays under the temporary name: running code finds no `flag` of the old shape
    kept = rebuild(READS[0], WRITES[0], drop="pass")
    assert "L328" in codes(kept)
    plain = f'{HEADER}\ndef upgrade():\n    op.rename_table("flag", "flag_old")\n\n\n' + (
        'def downgrade():\n    op.rename_table("flag_old", "flag")\n'
    )
    assert "L328" in codes(plain)


@pytest.mark.parametrize(
    "down",
    [
        # renamed aside but never dropped: the new table is still there under another name
        'def downgrade():\n    op.rename_table("flag", "flag_new")\n'
        '    op.create_table("flag", sa.Column("key", sa.String(80), primary_key=True))\n',
        # the legacy copy brought back, the new table left
        'def downgrade():\n    op.rename_table("flag_old", "flag_older")\n',
    ],
)
def test_a_downgrade_that_keeps_the_new_table_is_reported(down: str) -> None:
    assert "L319" in codes(rebuild(READS[0], WRITES[0], down=down))
