"""What an earlier step says of a column goes with its table when the table is renamed (issue
20, round r28a): a primary key made on `role_link` before `rename_table("role_link",
"role_groups")`, in the same upgrade or an earlier revision, leaves role_groups' key columns NOT
NULL, so a later alter_column(nullable=False) of one of them has no NULL to fail on (L302
quiet). A column outside the key, or the key made only after the alter, is still reported. Our
own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

LINKS = revision(
    """
    op.create_table("role_link", sa.Column("role_id", sa.Integer()),
                    sa.Column("group_id", sa.Integer()), sa.Column("note", sa.Integer()))
    """
)
KEYED_THEN_RENAMED = revision(
    """
    op.create_primary_key("pk_role_link", "role_link", ["role_id", "group_id"])
    op.rename_table("role_link", "role_groups")
    """
)
KEYED = revision('op.create_primary_key("pk_role_link", "role_link", ["role_id", "group_id"])')
RENAMED = revision('op.rename_table("role_link", "role_groups")')


def tighten(column: str) -> str:
    return revision(
        f'op.alter_column("role_groups", "{column}", existing_type=sa.Integer(), nullable=False)'
    )


def l302(tmp_path: Path, *revisions: str) -> list[str]:
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"cccc{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [f.path for f in report.findings if f.code == "L302"]


def test_a_key_column_of_a_table_renamed_in_the_same_upgrade_is_not_null(tmp_path: Path) -> None:
    assert l302(tmp_path, LINKS, KEYED_THEN_RENAMED, tighten("group_id")) == []


def test_a_key_column_of_a_table_renamed_by_a_later_revision_is_not_null(tmp_path: Path) -> None:
    assert l302(tmp_path, LINKS, KEYED, RENAMED, tighten("group_id")) == []


def test_a_column_outside_the_key_is_still_reported(tmp_path: Path) -> None:
    assert l302(tmp_path, LINKS, KEYED_THEN_RENAMED, tighten("note")) == ["r2.py"]


def test_a_key_made_after_the_rename_on_the_old_name_does_not_count(tmp_path: Path) -> None:
    renamed_then_keyed = revision(
        """
        op.rename_table("role_link", "role_groups")
        op.create_primary_key("pk_role_link", "role_link", ["role_id", "group_id"])
        """
    )
    assert l302(tmp_path, LINKS, renamed_then_keyed, tighten("group_id")) == ["r2.py"]
