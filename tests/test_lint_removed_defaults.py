"""L330's DEFAULT and a default removed since (issue 20, round r28a): a column added with a
server default that a later step removed (`alter_column(..., server_default=None)`, in a later
revision or earlier in the same upgrade) has no DEFAULT for a MODIFY to drop. A default set
again after the removal, or removed only after the restatement, is still lost. Our own
revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

ADDS_STATUS = revision(
    'op.add_column("gadget", sa.Column("status", sa.String(10), nullable=False, '
    'server_default="new"))',
    'op.drop_column("gadget", "status")',
)
REMOVES_DEFAULT = revision(
    'op.alter_column("gadget", "status", server_default=None, existing_type=sa.String(10))',
    'op.alter_column("gadget", "status", server_default="new", existing_type=sa.String(10))',
)
SETS_DEFAULT_AGAIN = revision(
    'op.alter_column("gadget", "status", server_default="old", existing_type=sa.String(10))'
)
WIDENS_STATUS = revision(
    'op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10), '
    "existing_nullable=False)"
)


def l330_defaults(tmp_path: Path, *revisions: str) -> list[str]:
    """The file of each L330 saying a DEFAULT is lost, over a chain of revisions."""
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"bbbb{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [f.path for f in report.findings if f.code == "L330" and "DEFAULT" in f.message]


def test_a_default_removed_by_an_earlier_revision_is_not_lost(tmp_path: Path) -> None:
    assert l330_defaults(tmp_path, ADDS_STATUS, REMOVES_DEFAULT, WIDENS_STATUS) == []


def test_a_default_removed_earlier_in_the_same_upgrade_is_not_lost(tmp_path: Path) -> None:
    both = revision(
        """
        op.alter_column("gadget", "status", server_default=None, existing_type=sa.String(10))
        op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10),
                        existing_nullable=False)
        """
    )
    assert l330_defaults(tmp_path, ADDS_STATUS, both) == []


def test_a_default_still_there_is_lost(tmp_path: Path) -> None:
    assert l330_defaults(tmp_path, ADDS_STATUS, WIDENS_STATUS) == ["r1.py"]


def test_a_default_set_again_after_its_removal_is_lost(tmp_path: Path) -> None:
    found = l330_defaults(tmp_path, ADDS_STATUS, REMOVES_DEFAULT, SETS_DEFAULT_AGAIN, WIDENS_STATUS)
    assert found == ["r3.py"]


def test_a_default_removed_only_after_the_restatement_is_lost(tmp_path: Path) -> None:
    assert l330_defaults(tmp_path, ADDS_STATUS, WIDENS_STATUS, REMOVES_DEFAULT) == ["r1.py"]


# Round 34: a MODIFY that states the column's nullability but not its default drops the DEFAULT
# as well (Alembic writes none); L330 reports that one, and later restatements drop nothing.
WIDENS_AGAIN = revision(
    'op.alter_column("gadget", "status", type_=sa.String(30), existing_type=sa.String(20), '
    "existing_nullable=False)",
    'op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(30), '
    "existing_nullable=False)",
)
WIDENS_KEEPING_DEFAULT = revision(
    'op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10), '
    'existing_nullable=False, existing_server_default="new")'
)
RENAMES_STATUS = revision(
    'op.alter_column("gadget", "status", new_column_name="state", existing_type=sa.String(20), '
    "existing_nullable=False)",
    'op.alter_column("gadget", "state", new_column_name="status", existing_type=sa.String(20), '
    "existing_nullable=False)",
)


def test_a_default_an_earlier_modify_with_nullability_dropped_is_not_lost_again(
    tmp_path: Path,
) -> None:
    # the first widening drops the DEFAULT (reported); the second, and its downgrade, find none
    assert l330_defaults(tmp_path, ADDS_STATUS, WIDENS_STATUS, WIDENS_AGAIN) == ["r1.py"]


def test_a_rename_after_a_modify_dropped_the_default_loses_nothing(tmp_path: Path) -> None:
    assert l330_defaults(tmp_path, ADDS_STATUS, WIDENS_STATUS, RENAMES_STATUS) == ["r1.py"]


def test_a_second_modify_in_the_same_upgrade_drops_nothing_more(tmp_path: Path) -> None:
    twice = revision(
        """
        op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10),
                        existing_nullable=False)
        op.alter_column("gadget", "status", type_=sa.String(30), existing_type=sa.String(20),
                        existing_nullable=False)
        """
    )
    (tmp_path / "r0.py").write_text(chained(ADDS_STATUS, "bbbb0000", "base0000"))
    (tmp_path / "r1.py").write_text(chained(twice, "bbbb0001", "bbbb0000"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    lines = [f.line for f in report.findings if f.code == "L330" and "DEFAULT" in f.message]
    assert len(lines) == 1


def test_a_modify_stating_the_default_keeps_it_for_a_later_one_to_lose(tmp_path: Path) -> None:
    found = l330_defaults(tmp_path, ADDS_STATUS, WIDENS_KEEPING_DEFAULT, WIDENS_AGAIN)
    assert found == ["r2.py", "r2.py"]  # the upgrade's widening and the downgrade's narrowing


def test_the_downgrade_of_the_dropping_revision_still_fails_to_give_the_default_back(
    tmp_path: Path,
) -> None:
    narrows_back = revision(
        'op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10), '
        "existing_nullable=False)",
        'op.alter_column("gadget", "status", type_=sa.String(10), existing_type=sa.String(20), '
        "existing_nullable=False)",
    )
    assert l330_defaults(tmp_path, ADDS_STATUS, narrows_back) == ["r1.py", "r1.py"]
