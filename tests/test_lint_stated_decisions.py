"""A downgrade that says in words what it leaves undone (issue 20, round 18): in a message it
prints or logs, in its docstring, or in a comment beside the work it does. A downgrade doing no
schema work leaves everything it says it leaves; one that does some work is excused only for
the changes its decision speaks of (named, or "the other(s)" of a kind it names or of any).
TODO notes decide nothing. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import codes, lint, revision

DROPS_TABLES = """
op.drop_table("gizmo_history")
op.drop_table("gizmo_snapshot")
"""

TIGHTENS_COLUMNS = """
op.alter_column("gadget", "shiny", existing_type=sa.Boolean(), nullable=False)
op.alter_column("gadget", "dull", existing_type=sa.Boolean(), nullable=False)
op.alter_column("widget", "size", existing_type=sa.Integer(), nullable=False)
op.create_index("ix_gadget_dull", "gadget", ["dull"])
"""

UNDOES_ONE = 'op.alter_column("gadget", "shiny", existing_type=sa.Boolean(), nullable=True)\n'


def l319(upgrade: str, downgrade: str) -> str:
    found = lint(revision(upgrade, downgrade))
    return "\n".join(f.message for f in found if f.code == "L319")


@pytest.mark.parametrize(
    "downgrade",
    [
        'print("No downgrade for this")\npass',
        'logger.info("Nothing to undo: the old history is gone for good")',
        'import logging\nlogging.getLogger("alembic").warning("irreversible: tables stay dropped")',
        'log.warning(f"{revision}: we are not going to recreate the snapshots")',
        'warnings.warn("This migration cannot be reversed")',
    ],
)
def test_a_downgrade_that_only_says_it_leaves_everything(downgrade: str) -> None:
    assert l319(DROPS_TABLES, downgrade) == ""


@pytest.mark.parametrize(
    "downgrade",
    [
        'print("Downgrading the snapshots")',
        'print("TODO: no downgrade yet")',
        # said only in one case, not on every run
        'if op.get_bind().dialect.name == "sqlite":\n    print("no downgrade on SQLite")',
        # a message of no logger, no printer
        'notify("No downgrade for this")',
    ],
)
def test_a_message_that_decides_nothing_leaves_the_tables_reported(downgrade: str) -> None:
    assert "gizmo_history" in l319(DROPS_TABLES, downgrade)


@pytest.mark.parametrize(
    "downgrade",
    [
        # "the other changes", below the work, as a trailing block
        UNDOES_ONE + "# No downgrade for the other changes as they only fixed\n# old mistakes.",
        # above the work, any kind: "the rest"
        "# The rest need not be undone.\n" + UNDOES_ONE,
        # in the docstring, naming each
        '"""Keep dull, size and ix_gadget_dull: harmless."""\n' + UNDOES_ONE,
        # in a logged message
        'log.info("nothing to do for the remaining changes")\n' + UNDOES_ONE,
    ],
)
def test_a_partial_downgrade_that_leaves_the_others_on_purpose(downgrade: str) -> None:
    assert l319(TIGHTENS_COLUMNS, downgrade) == ""


@pytest.mark.parametrize(
    "said",
    [
        "# No downgrade for the other columns as they only fixed\n# old mistakes.",
        '\nprint("The remaining fields cannot be restored")',
    ],
)
def test_a_decision_about_the_other_columns_leaves_the_index_reported(said: str) -> None:
    found = l319(TIGHTENS_COLUMNS, UNDOES_ONE + said)
    assert "ix_gadget_dull" in found
    assert "gadget.dull" not in found and "widget.size" not in found


@pytest.mark.parametrize(
    ("downgrade", "kept"),
    [
        # a decision about one table leaves the other table's change reported
        (UNDOES_ONE + "# the widget table may stay as it is", "gadget.dull"),
        # about indexes only: the columns are still reported
        (UNDOES_ONE + "# no need to drop the other indexes", "widget.size"),
        # a decision with nothing it speaks of, in a downgrade that does work
        (UNDOES_ONE + "# cannot be undone", "gadget.dull"),
        # a TODO note
        (UNDOES_ONE + "# TODO: no downgrade for the other columns yet", "widget.size"),
        # words that decide nothing
        (UNDOES_ONE + "# the other columns follow", "widget.size"),
    ],
)
def test_a_partial_downgrade_still_reports_what_no_decision_covers(
    downgrade: str, kept: str
) -> None:
    assert kept in l319(TIGHTENS_COLUMNS, downgrade)


ADDS_COLUMNS = 'op.execute("ALTER TABLE setup ADD COLUMN tree_url TEXT, ADD COLUMN arch INT")'


@pytest.mark.parametrize(
    "downgrade",
    [
        '"""Don\'t touch the new setup columns; the rows they fill are harmless."""',
        "# we do not touch the columns added above\npass",
        '"""Never touch tree_url or arch here."""',
    ],
)
def test_an_empty_downgrade_that_says_not_to_touch_the_change(downgrade: str) -> None:
    assert "L318" not in codes(revision(ADDS_COLUMNS, downgrade))


@pytest.mark.parametrize(
    "downgrade",
    [
        '"""Touch the new setup columns by hand."""',
        "# TODO: don't touch the columns for now\npass",
    ],
)
def test_an_empty_downgrade_without_that_decision_is_reported(downgrade: str) -> None:
    assert "L318" in codes(revision(ADDS_COLUMNS, downgrade))


def test_remarks_are_read_block_by_block_and_quotes_hide_no_comment() -> None:
    from alembic_sentinel.lint.spoken_remarks import comment_blocks, trailing_comments_end

    lines = [
        "def downgrade():",
        "    # first block,",
        "    # one remark",
        "    op.execute(\"UPDATE t SET c = '#fff'\")",
        "    op.drop_column('t', 'c')  # a trailing remark",
        "",
        "    # after the last statement",
        "x = 1  # the module's",
    ]
    last = trailing_comments_end(lines, 5, 0)
    assert last == 7
    assert comment_blocks(lines, 1, last) == (
        "first block, one remark",
        "a trailing remark",
        "after the last statement",
    )


# round 22: a decision that names the change an alter_column makes, not its table or column
FREES_AND_WIDENS = """
op.alter_column("gizmo", "serial", existing_type=sa.Integer(), autoincrement=False)
op.alter_column("gizmo", "label", existing_type=sa.String(20), type_=sa.String(80))
op.add_column("gizmo", sa.Column("weight", sa.Integer(), nullable=True))
"""
DROPS_WEIGHT = 'op.drop_column("gizmo", "weight")\n'


@pytest.mark.parametrize(
    ("said", "left"),
    [
        ("# no need to reverse the removal of the auto-increment, old code copes", "label"),
        ("# we do not restore the old column type: longer labels would not fit", "serial"),
    ],
)
def test_a_decision_naming_the_change_covers_that_alter_column_only(said: str, left: str) -> None:
    found = l319(FREES_AND_WIDENS, f"{said}\n{DROPS_WEIGHT}")
    assert found.count("does not undo") == 1, found
    assert f"gizmo.{left}" in found, found


def test_a_change_no_decision_names_stays_reported() -> None:
    found = l319(FREES_AND_WIDENS, f"# the weight column goes again\n{DROPS_WEIGHT}")
    assert "gizmo.serial" in found and "gizmo.label" in found, found
