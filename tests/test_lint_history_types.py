"""The column's type from the history, TEXT/BLOB storage types, a VARCHAR without a length and
AUTO_INCREMENT made by alter_column (issue 20, round r29).

- An alter_column with type_= and no existing_type: the type the revisions before gave the
  column is the old one. Widening it says nothing (no L307 notice), narrowing it is L307's
  error, and L314 judges the change; a column no revision typed keeps the notice.
- A sized TEXT/BLOB is stored as the smallest type its length fits (BLOB(16) is a TINYBLOB):
  a change to the same storage type is none.
- A change to a VARCHAR with no length cannot be written on MySQL (L324): no L314 copy.
- `autoincrement=True` writes MODIFY ... AUTO_INCREMENT, a copy, unless the column already is
  AUTO_INCREMENT (existing_autoincrement=True, or created the table's integer primary key).

Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files


def findings(tmp_path: Path, *revisions: str) -> list[tuple[str, str, str]]:
    """(file, code, severity) of each L307, L314 and L324 over a chain of revisions."""
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"dddd{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [
        (f.path, f.code, f.severity) for f in report.findings if f.code in ("L307", "L314", "L324")
    ]


def creates(column: str) -> str:
    return revision(
        f'op.create_table("parcel", sa.Column("id", sa.Integer(), primary_key=True), {column})'
    )


def alters(arguments: str) -> str:
    return revision(f'op.alter_column("parcel", "label", {arguments})')


# the column's type from the history


def test_a_widening_the_history_shows_is_no_notice_and_a_copy(tmp_path: Path) -> None:
    found = findings(
        tmp_path, creates('sa.Column("label", sa.String(50))'), alters("type_=sa.String(255)")
    )
    assert found == [("r1.py", "L314", "warning")]  # 200 -> 1020 bytes crosses 255


def test_a_narrowing_the_history_shows_is_an_error(tmp_path: Path) -> None:
    found = findings(
        tmp_path, creates('sa.Column("label", sa.String(350))'), alters("type_=sa.String(255)")
    )
    assert ("r1.py", "L307", "error") in found
    assert ("r1.py", "L314", "warning") in found


def test_a_text_made_longtext_by_its_length_widens(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        creates('sa.Column("label", sa.UnicodeText())'),
        alters("type_=sa.UnicodeText(512 * 1024 * 1024)"),
    )
    assert found == [("r1.py", "L314", "warning")]  # TEXT -> LONGTEXT: a type change


def test_a_column_no_revision_typed_keeps_the_notice(tmp_path: Path) -> None:
    found = findings(tmp_path, alters("type_=sa.String(255)"))
    assert found == [("r0.py", "L307", "notice")]


def test_a_type_the_history_cannot_read_keeps_the_notice(tmp_path: Path) -> None:
    found = findings(
        tmp_path, creates('sa.Column("label", LABEL_TYPE)'), alters("type_=sa.String(255)")
    )
    assert found == [("r1.py", "L307", "notice")]


# TEXT / BLOB storage types


def test_a_sized_blob_stored_as_the_same_type_is_no_change(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        alters("existing_type=sa.dialects.mysql.TINYBLOB(), type_=sa.LargeBinary(length=16)"),
    )
    assert found == []


def test_a_sized_blob_of_a_smaller_type_narrows_and_copies(tmp_path: Path) -> None:
    found = findings(tmp_path, alters("existing_type=sa.BLOB(), type_=sa.LargeBinary(16)"))
    assert sorted(found) == [("r0.py", "L307", "error"), ("r0.py", "L314", "warning")]


def test_a_sized_text_counts_characters(tmp_path: Path) -> None:
    # TEXT(60) under utf8mb4 is 240 bytes: a TINYTEXT; TEXT(70) is 280: a TEXT
    tiny = "existing_type=sa.dialects.mysql.TINYTEXT(), type_=sa.Text(60)"
    assert findings(tmp_path, alters(tiny)) == []
    (tmp_path / "r0.py").unlink()
    wider = "existing_type=sa.dialects.mysql.TINYTEXT(), type_=sa.Text(70)"
    assert findings(tmp_path, alters(wider)) == [("r0.py", "L314", "warning")]


# a VARCHAR without a length


def test_a_change_to_a_varchar_without_length_is_l324s(tmp_path: Path) -> None:
    found = findings(tmp_path, alters("existing_type=sa.String(64), type_=sa.String()"))
    assert found == [("r0.py", "L324", "error")]


def test_a_change_to_text_still_copies(tmp_path: Path) -> None:
    found = findings(tmp_path, alters("existing_type=sa.String(64), type_=sa.Text()"))
    assert found == [("r0.py", "L314", "warning")]


# AUTO_INCREMENT


def numbers(arguments: str = "") -> str:
    return revision(
        'op.alter_column("parcel", "serial", existing_type=sa.Integer(), '
        f"existing_nullable=False, autoincrement=True{arguments})"
    )


ADDS_SERIAL = revision(
    'op.add_column("parcel", sa.Column("serial", sa.Integer(), nullable=False, index=True))'
)


def test_making_a_column_auto_increment_copies(tmp_path: Path) -> None:
    found = findings(tmp_path, creates('sa.Column("label", sa.Text())'), ADDS_SERIAL, numbers())
    assert found == [("r2.py", "L314", "warning")]


def test_existing_autoincrement_false_still_copies(tmp_path: Path) -> None:
    found = findings(tmp_path, numbers(", existing_autoincrement=False"))
    assert found == [("r0.py", "L314", "warning")]


def test_a_column_already_auto_increment_is_restated(tmp_path: Path) -> None:
    assert findings(tmp_path, numbers(", existing_autoincrement=True")) == []
    (tmp_path / "r0.py").unlink()
    created = revision(
        'op.create_table("parcel", sa.Column("serial", sa.Integer(), nullable=False), '
        'sa.PrimaryKeyConstraint("serial"))'
    )
    assert findings(tmp_path, created, numbers(', comment="the number"')) == []


def test_a_modify_that_dropped_auto_increment_makes_it_a_copy_again(tmp_path: Path) -> None:
    created = revision(
        'op.create_table("parcel", sa.Column("serial", sa.Integer(), primary_key=True))'
    )
    dropped = revision(
        'op.alter_column("parcel", "serial", existing_type=sa.Integer(), nullable=False)'
    )
    found = findings(tmp_path, created, dropped, numbers())
    assert ("r2.py", "L314", "warning") in found
