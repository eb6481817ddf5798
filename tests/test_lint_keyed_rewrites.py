"""L305 and a column an earlier revision moved row by row (issue 20, round 34): the earlier
upgrade reads the column beside the key alone (`SELECT id, photo_ids FROM album`) and, for each
row, writes another column of that row, found by the key, from bind parameters only (`UPDATE
album SET cover_id=:cid WHERE id=:aid`; the Python between converts the value). The later drop
of the column loses nothing. Reading more than the column and the key, or writing another
table, is no sure copy: the drop stays reported. Our own snippets: must flag and must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

MOVE = """
def upgrade():
    op.add_column("album", sa.Column("cover_id", sa.Integer(), nullable=True))
    session = Session(bind=op.get_bind())
    albums = session.execute(sa.text("{select}"))
    for album in albums:
        photo_ids = json.loads(album[1])
        if photo_ids:
            session.execute(
                sa.text("{update}"),
                {{"cid": photo_ids[0], "aid": album[0]}},
            )
    session.commit()


def downgrade():
    op.drop_column("album", "cover_id")
"""

SELECT = "SELECT id, photo_ids FROM album"
UPDATE = "UPDATE album SET cover_id=:cid WHERE id=:aid"


def _move_then_drop(tmp_path: Path, select: str, update: str) -> list[tuple[str, str]]:
    header = "import json\nfrom sqlalchemy.orm import Session\n"
    move = MOVE.format(select=select, update=update)
    first = revision("pass", None).replace("def upgrade():\n    pass\n", move)
    first = first.replace("import sqlalchemy as sa\n", "import sqlalchemy as sa\n" + header)
    sources = [
        chained(first, "c0ffee000001", "a8a2fc4e4c77"),
        chained(revision('op.drop_column("album", "photo_ids")'), "c0ffee000002", "c0ffee000001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    return [(f.code, f.path or "") for f in lint_files(files, LintOptions()).findings]


def test_a_column_moved_row_by_row_by_key_is_no_loss_when_dropped_later(tmp_path: Path) -> None:
    assert ("L305", "r1.py") not in _move_then_drop(tmp_path, SELECT, UPDATE)


@pytest.mark.parametrize(
    ("select", "update"),
    [
        # another value read beside it: the written one may come from that
        ("SELECT id, title, photo_ids FROM album", UPDATE),
        # another table written
        (SELECT, "UPDATE gallery SET cover_id=:cid WHERE id=:aid"),
        # a value written that is no bind parameter
        (SELECT, "UPDATE album SET cover_id=0 WHERE id=:aid"),
    ],
)
def test_no_sure_copy_leaves_the_drop_reported(tmp_path: Path, select: str, update: str) -> None:
    assert ("L305", "r1.py") in _move_then_drop(tmp_path, select, update)


# the value built from several of the row's own columns, named bare (`sa.column("flag")`,
# the updated table's), held in a variable the Core UPDATE runs with
FLAGS = """
def upgrade():
    op.add_column("note", sa.Column("kinds", sa.JSON(), nullable=True))
    kinds = sa.case(
        (sa.column("is_draft") == True, sa.literal('["draft"]')),
        (sa.column("is_pinned") == True, sa.literal('["pinned"]')),
        else_=sa.literal('["plain"]'),
    )
    notes = sa.table("note", sa.column("kinds", sa.JSON))
    op.get_bind().execute(sa.update(notes).values(kinds={value}){where})


def downgrade():
    op.drop_column("note", "kinds")
"""


def _flags_then_drop(tmp_path: Path, dropped: str, value: str, where: str = "") -> bool:
    first = revision("pass", None).replace(
        "def upgrade():\n    pass\n", FLAGS.format(value=value, where=where)
    )
    sources = [
        chained(first, "c0ffee000001", "a8a2fc4e4c77"),
        chained(revision(f'op.drop_column("note", "{dropped}")'), "c0ffee000002", "c0ffee000001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    found = [(f.code, f.path or "") for f in lint_files(files, LintOptions()).findings]
    return ("L305", "r1.py") in found


@pytest.mark.parametrize("value", ["kinds", 'sa.case((sa.column("is_draft") == True, "d"))'])
def test_flags_folded_into_a_value_of_the_row_are_copied(tmp_path: Path, value: str) -> None:
    assert not _flags_then_drop(tmp_path, "is_draft", value)


def test_a_column_outside_the_value_or_only_tested_is_still_lost(tmp_path: Path) -> None:
    assert _flags_then_drop(tmp_path, "title", "kinds")
    where = '.where(sa.column("is_draft") == True)'
    assert _flags_then_drop(tmp_path, "is_draft", "sa.literal('[]')", where)
