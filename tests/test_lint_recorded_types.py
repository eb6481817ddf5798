"""L314 and an existing_type the history contradicts (issue 20, round r28a): autogenerate writes
existing_type from the database it compared against, and on SQLite a native ENUM reads back as
VARCHAR(n). When the revisions before gave the column a type of another family (a native ENUM
created or altered to), that type is what MySQL holds: a member appended at the end is in
place, not a VARCHAR-to-ENUM copy. A history that agrees, says nothing of the column, made a
non-native Enum (a VARCHAR on MySQL), or a change that reorders the members, keeps the
finding. Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

ADDS_NATIVE = revision(
    'op.add_column("parcel", sa.Column("route", sa.Enum("LAND", "SEA", name="route"), '
    "nullable=False))"
)
ADDS_NON_NATIVE = revision(
    'op.add_column("parcel", sa.Column("route", sa.Enum("LAND", "SEA", name="route", '
    "native_enum=False), nullable=False))"
)
ADDS_STRING = revision('op.add_column("parcel", sa.Column("route", sa.String(4)))')
ALTERS_TO_NATIVE = revision(
    'op.alter_column("parcel", "route", existing_type=sa.String(4), '
    'type_=sa.Enum("LAND", "SEA", name="route"))'
)


def appends(members: str) -> str:
    return revision(
        f"""
        with op.batch_alter_table("parcel") as batch_op:
            batch_op.alter_column(
                "route",
                existing_type=sa.VARCHAR(length=4),
                type_=sa.Enum({members}, name="route"),
                existing_nullable=False,
            )
        """
    )


APPENDS_AIR = appends('"LAND", "SEA", "AIR"')


def l314(tmp_path: Path, *revisions: str) -> list[str]:
    """The file of each L314 over a chain of revisions."""
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"cccc{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [f.path for f in report.findings if f.code == "L314"]


def test_a_native_enum_from_the_history_gains_a_member_in_place(tmp_path: Path) -> None:
    assert l314(tmp_path, ADDS_NATIVE, APPENDS_AIR) == []


def test_a_column_altered_to_a_native_enum_earlier_gains_a_member_in_place(
    tmp_path: Path,
) -> None:
    assert l314(tmp_path, ADDS_STRING, ALTERS_TO_NATIVE, APPENDS_AIR) == ["r1.py"]


def test_members_reordered_still_copy(tmp_path: Path) -> None:
    assert l314(tmp_path, ADDS_NATIVE, appends('"SEA", "LAND", "AIR"')) == ["r1.py"]


def test_a_history_that_agrees_with_existing_type_still_copies(tmp_path: Path) -> None:
    assert l314(tmp_path, ADDS_STRING, APPENDS_AIR) == ["r1.py"]


def test_a_non_native_enum_is_a_varchar_on_mysql(tmp_path: Path) -> None:
    assert l314(tmp_path, ADDS_NON_NATIVE, APPENDS_AIR) == ["r1.py"]


def test_no_history_of_the_column_keeps_existing_type(tmp_path: Path) -> None:
    assert l314(tmp_path, APPENDS_AIR) == ["r0.py"]


def test_a_later_type_lint_cannot_read_leaves_existing_type(tmp_path: Path) -> None:
    # the column was altered to a type held in a variable: the history no longer knows it
    unread = revision(
        'op.alter_column("parcel", "route", existing_type=sa.String(4), type_=ROUTE_TYPE)'
    )
    assert l314(tmp_path, ADDS_NATIVE, unread, APPENDS_AIR) == ["r2.py"]


def test_a_raw_modify_leaves_existing_type(tmp_path: Path) -> None:
    modify = revision('op.execute("ALTER TABLE parcel MODIFY route VARCHAR(4) NOT NULL")')
    found = l314(tmp_path, ADDS_NATIVE, modify, APPENDS_AIR)
    assert "r2.py" in found


def test_an_earlier_step_of_the_same_upgrade_counts(tmp_path: Path) -> None:
    # a raw CHANGE first: the history's ENUM no longer holds when the alter runs
    both = revision(
        """
        op.execute("ALTER TABLE parcel CHANGE route route VARCHAR(4) NOT NULL")
        op.alter_column("parcel", "route", existing_type=sa.VARCHAR(length=4),
                        type_=sa.Enum("LAND", "SEA", "AIR", name="route"))
        """
    )
    # both copy: the raw CHANGE from the ENUM to VARCHAR(4) (issue 20), and the alter back
    assert l314(tmp_path, ADDS_NATIVE, both) == ["r1.py", "r1.py"]
