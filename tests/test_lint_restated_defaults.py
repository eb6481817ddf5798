"""L330's DEFAULT after a MODIFY that restated the column (issue 20): on MySQL every MODIFY /
CHANGE writes the whole column, and the column has exactly the DEFAULT it writes. Alembic writes
one for a nullability, an autoincrement or a comment alone too (`batch_op.alter_column("status",
existing_type=..., nullable=False)` is `MODIFY status ENUM(...) NOT NULL`, checked offline), and
raw SQL writes what its DEFAULT clause says (checked on MariaDB 10.11: `MODIFY status ENUM(...)
NOT NULL` of a column with `DEFAULT 'loading'` leaves it without one). A later type change finds
no DEFAULT to drop after such a MODIFY; it still finds the one a MODIFY wrote again, or one
nothing removed. Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

ADDS_STATUS = revision(
    'op.add_column("gadget", sa.Column("status", sa.String(10), nullable=True, '
    'server_default="new"))',
    'op.drop_column("gadget", "status")',
)
WIDENS_STATUS = revision(
    'op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10), '
    "existing_nullable=False)",
    'op.alter_column("gadget", "status", type_=sa.String(10), existing_type=sa.String(20), '
    "existing_nullable=False)",
)


def l330_defaults(tmp_path: Path, *revisions: str) -> list[tuple[str, int]]:
    """(file, line) of each L330 saying a DEFAULT is lost, over a chain of revisions."""
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"cccc{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [
        (f.path or "", f.line)
        for f in report.findings
        if f.code == "L330" and "DEFAULT" in f.message
    ]


def files_of(found: list[tuple[str, int]]) -> list[str]:
    return sorted({path for path, _ in found})


# --- a MODIFY without a DEFAULT leaves none: nothing for a later restatement to drop ----------


@pytest.mark.parametrize(
    "restates",
    [
        # the batch alter making the column NOT NULL, as autogenerate writes it
        'with op.batch_alter_table("gadget") as batch_op:\n'
        '    batch_op.alter_column("status", existing_type=sa.String(10), nullable=False)',
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)',
        'op.alter_column("gadget", "status", existing_type=sa.String(10), '
        'existing_nullable=False, comment="the state")',
        'op.execute("ALTER TABLE gadget MODIFY status VARCHAR(10) NOT NULL")',
        'op.execute("ALTER TABLE gadget CHANGE status status VARCHAR(10) NOT NULL")',
        'op.execute("ALTER TABLE gadget MODIFY COLUMN status VARCHAR(10) NULL DEFAULT NULL")',
        'op.execute(sa.text("ALTER TABLE gadget MODIFY `status` VARCHAR(10) NOT NULL, "\n'
        '                   "ADD COLUMN note TEXT"))',
    ],
)
def test_a_modify_without_a_default_leaves_none_to_lose(tmp_path: Path, restates: str) -> None:
    # (a raw MODIFY that leaves out the DEFAULT is itself the restatement reported, in r1)
    found = l330_defaults(tmp_path, ADDS_STATUS, revision(restates), WIDENS_STATUS)
    assert "r2.py" not in files_of(found)


def test_a_raw_modify_leaving_out_the_default_is_the_one_reported(tmp_path: Path) -> None:
    restates = revision('op.execute("ALTER TABLE gadget MODIFY status VARCHAR(10) NOT NULL")')
    assert files_of(l330_defaults(tmp_path, ADDS_STATUS, restates, WIDENS_STATUS)) == ["r1.py"]


def test_the_same_upgrade_making_it_not_null_first_loses_nothing_more(tmp_path: Path) -> None:
    both = revision(
        """
        op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)
        op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10),
                        existing_nullable=False)
        """
    )
    # the first MODIFY is the one dropping it (test_lint_dropped_defaults), the type change
    # after it finds none to lose
    first = both.splitlines().index(
        '    op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)'
    )
    assert l330_defaults(tmp_path, ADDS_STATUS, both) == [("r1.py", first + 1)]


# --- a default still there (or written again) is lost -------------------------------------------


@pytest.mark.parametrize(
    "restates",
    [
        # the MODIFY writes the DEFAULT again: the column keeps it
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False, '
        'existing_server_default="new")',
        "op.execute(\"ALTER TABLE gadget MODIFY status VARCHAR(10) NOT NULL DEFAULT 'new'\")",
        "op.execute(\"ALTER TABLE gadget CHANGE status status VARCHAR(10) DEFAULT 'old'\")",
        # a default alone is ALTER COLUMN ... SET DEFAULT, no MODIFY: the column has one
        'op.alter_column("gadget", "status", existing_type=sa.String(10), server_default="old")',
        # an ALTER TABLE restating another column leaves this one as it was
        'op.execute("ALTER TABLE gadget MODIFY label VARCHAR(10) NOT NULL")',
    ],
)
def test_a_default_the_restatement_keeps_is_still_lost_later(tmp_path: Path, restates: str) -> None:
    found = l330_defaults(tmp_path, ADDS_STATUS, revision(restates), WIDENS_STATUS)
    assert files_of(found) == ["r2.py"]


def test_a_default_nothing_removed_is_lost(tmp_path: Path) -> None:
    assert files_of(l330_defaults(tmp_path, ADDS_STATUS, WIDENS_STATUS)) == ["r1.py"]


def test_a_downgrade_is_judged_against_the_column_before_its_revision(tmp_path: Path) -> None:
    # the upgrade's MODIFY making the column NOT NULL drops the DEFAULT; the downgrade's type
    # change does not give it back, which the column had before the revision
    tightens = revision(
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False)',
        'op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10), '
        "nullable=True)",
    )
    assert files_of(l330_defaults(tmp_path, ADDS_STATUS, tightens)) == ["r1.py"]


def test_a_default_the_upgrade_removed_on_purpose_is_not_the_downgrades_to_lose(
    tmp_path: Path,
) -> None:
    # server_default=None says it: the column has no DEFAULT when the downgrade runs
    removes = revision(
        'op.alter_column("gadget", "status", existing_type=sa.String(10), nullable=False, '
        "server_default=None)",
        'op.alter_column("gadget", "status", type_=sa.String(20), existing_type=sa.String(10), '
        "nullable=True)",
    )
    assert l330_defaults(tmp_path, ADDS_STATUS, removes) == []
