"""L305 reads of round 29 (issue 20): a same-file helper called with a table name selects the
columns it then drops through the table's long column collection (`t.columns.x`, also
`t.columns["x"]`), and a Python 2 revision (`print x`) moved the values before a later one
drops the column: read for the history once its print statements are rewritten (it stays
F201). Our own revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import codes, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.python2_repair import repaired_python2

HELPER = """
def fold_into_settings(name):
    op.add_column(name, sa.Column("settings", sa.JSON()))
    meta = sa.MetaData()
    meta.reflect(op.get_bind(), only=(name,))
    shelf = sa.Table(name, meta)
    rows = op.get_bind().execute(sa.select({selected})).fetchall()
    for row in rows:
        op.execute(shelf.update().where(shelf.columns.id == row.id).values(settings=row._asdict()))
    with op.batch_alter_table(name) as batch_op:
        batch_op.drop_column("hue")
"""


def _helper_revision(selected: str) -> str:
    source = revision('fold_into_settings("lamp")\nfold_into_settings("vase")')
    return source.replace("def upgrade", HELPER.format(selected=selected) + "\n\ndef upgrade")


@pytest.mark.parametrize(
    "selected",
    ["shelf.columns.id, shelf.columns.hue", 'shelf.columns["id"], shelf.columns["hue"]'],
)
def test_a_helper_selecting_the_column_by_columns_copies_it(selected: str) -> None:
    assert "L305" not in codes(_helper_revision(selected))


def test_a_helper_selecting_other_columns_still_loses_the_dropped_one() -> None:
    assert "L305" in codes(_helper_revision("shelf.columns.id, shelf.columns.label"))


PY2_MOVE = """
def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, hue FROM lamp"))
    for id, hue in rows:
        try:
            connection.execute(sa.text({write}), {bound}=hue, id=id)
        except Exception, error:
            print "could not move %r" % id


def downgrade():
    pass
"""


CONVERT = (
    '"UPDATE lamp SET palette_id = (SELECT id FROM palette WHERE name = :{bound}) WHERE id = :id"'
)
INSERT = '"INSERT INTO palette (name) VALUES (:{bound})"'


def _py2_then_drop(tmp_path: Path, bound: str, write: str = CONVERT) -> list[tuple[str, str]]:
    move = PY2_MOVE.format(bound=bound, write=write.format(bound=bound))
    first = revision("pass", None).replace("def upgrade():\n    pass\n", move)
    sources = [
        chained(first, "c0ffee000001", "a8a2fc4e4c77"),
        chained(revision('op.drop_column("lamp", "hue")'), "c0ffee000002", "c0ffee000001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    return [(f.code, f.path or "") for f in lint_files(files, LintOptions()).findings]


def test_a_python2_revision_that_moved_the_values_counts_for_the_later_drop(
    tmp_path: Path,
) -> None:
    found = _py2_then_drop(tmp_path, "hue")
    assert ("F201", "r0.py") in found  # still unreadable by Python 3, still reported
    assert ("L305", "r1.py") not in found


def test_a_python2_revision_that_moved_another_value_leaves_the_drop_reported(
    tmp_path: Path,
) -> None:
    assert ("L305", "r1.py") in _py2_then_drop(tmp_path, "label")


def test_a_python2_insert_into_another_table_is_no_copy_of_every_value(tmp_path: Path) -> None:
    # a key of the other table may turn rows away (the loop skips its errors)
    assert ("L305", "r1.py") in _py2_then_drop(tmp_path, "hue", INSERT)


def test_only_print_statements_and_except_commas_are_rewritten() -> None:
    assert repaired_python2("print('x')\nx = 1\n") is None
    assert repaired_python2("    print x\n") == "    pass\n"
    assert repaired_python2("except ValueError, e:\n") == "except ValueError as e:\n"
    assert repaired_python2("printer = 1\n") is None
