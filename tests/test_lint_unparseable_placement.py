"""A revision file Python cannot parse (F201: Python 2's `print x` in upgrade()) placed in the
history lint follows from the complete top-level statements before its syntax error, as a file
too large to parse is placed from its header: the revisions after it keep their depth, so the
facts of the revisions before it reach them. Any doubt leaves it out. Fixtures are our own."""

from __future__ import annotations

from pathlib import Path

from alembic_sentinel.graph.bounded_header import header_before_error
from alembic_sentinel.graph.revision_files import read_revision_source
from alembic_sentinel.lint.linter import LintOptions, lint_files

SHELF = '''"""create the shelf"""
from alembic import op
import sqlalchemy as sa

revision = "a1b2c3d4e5f6"
down_revision = None


def upgrade():
    op.create_table(
        "shelf",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.UniqueConstraint("label", name="uq_shelf_label"),
    )


def downgrade():
    op.drop_table("shelf")
'''

# written for Python 2: the print statement is a syntax error for Python 3
DUSTY = '''"""fill the shelf labels"""

# revision identifiers, used by Alembic.
revision = "b2c3d4e5f6a7"
down_revision = "a1b2c3d4e5f6"

from alembic import op


def upgrade():
    print "filling shelf labels"
    op.execute("UPDATE shelf SET label = 'none' WHERE label = ''")


def downgrade():
    pass
'''

# Python 2's `raise E, message`: no rewrite reads it (python2_repair.py covers print and
# `except E, e:`), so only the header before the error can place the file
UNREWRITABLE = DUSTY.replace('print "filling shelf labels"', 'raise ValueError, "stop"')

WIDER = '''"""a wider key on the shelf"""
from alembic import op
import sqlalchemy as sa

revision = "c3d4e5f6a7b8"
down_revision = "b2c3d4e5f6a7"


def upgrade():
    op.create_unique_constraint("uq_shelf_label_id", "shelf", ["label", "id"])


def downgrade():
    op.drop_constraint("uq_shelf_label_id", "shelf", type_="unique")
'''


def lint_history(tmp_path: Path, dusty: str) -> list[tuple[str, str, str]]:
    files = []
    for name, source in (("a1_shelf.py", SHELF), ("b2_dusty.py", dusty), ("c3_wider.py", WIDER)):
        path = tmp_path / name
        path.write_text(source)
        files.append((name, path))
    report = lint_files(files, LintOptions())
    return [(f.path or "", f.code, f.message) for f in report.findings]


def test_the_unparseable_revision_is_placed_and_its_child_sees_the_history(
    tmp_path: Path,
) -> None:
    found = lint_history(tmp_path, UNREWRITABLE)
    # the shelf's unique label reaches the child across the unparseable revision: a key over
    # it and more cannot meet duplicates (L309 stays quiet)
    assert "L309" not in {c for _, c, _ in found}, found
    (broken,) = [m for p, c, m in found if c == "F201"]
    assert "places it in the history lint follows" in broken
    assert "lines 1-9" in broken


def test_a_python2_revision_read_once_rewritten_is_placed_whole(tmp_path: Path) -> None:
    # round 29: its print statement rewritten, the file reads whole; a star import before
    # the identifiers, which keeps the header from placing it, no longer matters
    starred = DUSTY.replace("from alembic import op", "from alembic import op\nfrom os import *")
    for dusty in (DUSTY, starred):
        found = lint_history(tmp_path, dusty)
        assert "L309" not in {c for _, c, _ in found}, found
        (broken,) = [m for p, c, m in found if c == "F201"]
        assert "read with its print statements rewritten it is placed" in broken


def test_an_identifier_bound_after_the_error_leaves_it_out(tmp_path: Path) -> None:
    late = UNREWRITABLE.replace('down_revision = "a1b2c3d4e5f6"\n', "") + (
        'down_revision = "a1b2c3d4e5f6"\n'
    )
    found = lint_history(tmp_path, late)
    assert "L309" in {c for _, c, _ in found}, found  # the child restarts at the base
    (broken,) = [m for _, c, m in found if c == "F201"]
    assert "places it" not in broken


def test_a_syntax_error_inside_the_header_places_nothing(tmp_path: Path) -> None:
    cut = UNREWRITABLE.replace('down_revision = "a1b2c3d4e5f6"', 'down_revision = "a1b2c3d4e5f6')
    found = lint_history(tmp_path, cut)
    assert "L309" in {c for _, c, _ in found}, found


def test_a_header_binding_no_down_revision_places_nothing(tmp_path: Path) -> None:
    bare = UNREWRITABLE.replace('down_revision = "a1b2c3d4e5f6"\n', "")
    assert "L309" in {c for _, c, _ in lint_history(tmp_path, bare)}


def test_the_header_is_the_statements_before_the_erroneous_one() -> None:
    source = DUSTY.encode()
    error_line = DUSTY.splitlines().index('    print "filling shelf labels"') + 1
    header = header_before_error(source, error_line)
    assert header.text is not None
    assert header.text.endswith(b"from alembic import op\n\n\n")


def test_heads_is_unchanged_a_plain_header_places_a_file_that_does_not_compile() -> None:
    # the graph check reads a plain template header without parsing the rest (revision_header),
    # as before; a file it must parse stays out of the graph with its F201 (ALEMBIC_BROKEN_CODES)
    revision, _ = read_revision_source(DUSTY, "versions/b2_dusty.py")
    assert revision is not None and revision.down_revisions == ("a1b2c3d4e5f6",)
    unplain = DUSTY.replace("from alembic import op\n", "from alembic import op\nx = [revision]\n")
    revision, problems = read_revision_source(unplain, "versions/b2_dusty.py")
    assert revision is None and [p.code for p in problems] == ["F201"]
