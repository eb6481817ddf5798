"""Issue 20, round r28 (fix28h): what a history shows of a column after a MySQL restatement or a
rename, and the exemptions of L327, L328, L309, L319 and L302 that follow a rename or a drop.

- L330: a CHANGE/MODIFY without nullability declares the column NULL (and without its DEFAULT):
  a later restatement drops nothing; the downgrade of the restating revision still owes the
  NOT NULL back.
- L302: a column renamed by an earlier revision is what its old name was, even when that
  revision adds a new column under the old name.
- L328: a column renamed out of the way of a replacement the upgrade added and renames in.
- L327: a foreign key recreated on the table under the name a rename_table gives it; a key
  whose column goes next, named on the column the downgrade adds back.
- L309: a unique key dropped and made again over renamed columns of a renamed table.
- L319: an alter_column on a column the upgrade drops later, which the downgrade adds back.
- L302: NOT NULL restated with a type the downgrade's existing_type turns back.

Our own revisions, in tmp_path or inline."""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import codes, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files


def history(tmp_path: Path, *revisions: str, code: str) -> list[tuple[str, int]]:
    """(file, line) of each finding of `code` over a chain of revisions."""
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"cccc{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [(f.path or "", f.line or 0) for f in report.findings if f.code == code]


# --- L330: a restatement makes the column NULL in the history -----------------------------------

ADDS_KIND = revision(
    'op.add_column("parcel", sa.Column("kind", sa.String(10), nullable=False))',
    'op.drop_column("parcel", "kind")',
)
WIDENS_KIND = revision(
    'op.alter_column("parcel", "kind", type_=sa.String(20), existing_type=sa.String(10))',
    'op.alter_column("parcel", "kind", type_=sa.String(10), existing_type=sa.String(20))',
)
WIDENS_AGAIN = revision(
    'op.alter_column("parcel", "kind", type_=sa.String(40), existing_type=sa.String(20))',
    'op.alter_column("parcel", "kind", type_=sa.String(20), existing_type=sa.String(40))',
)
RESTORES_NOT_NULL = revision(
    'op.alter_column("parcel", "kind", nullable=False, existing_type=sa.String(20))',
    'op.alter_column("parcel", "kind", nullable=True, existing_type=sa.String(20))',
)


def test_the_first_restatement_and_its_downgrade_are_reported(tmp_path: Path) -> None:
    found = history(tmp_path, ADDS_KIND, WIDENS_KIND, code="L330")
    assert [name for name, _ in found] == ["r1.py", "r1.py"]


def test_a_later_restatement_drops_nothing(tmp_path: Path) -> None:
    found = history(tmp_path, ADDS_KIND, WIDENS_KIND, WIDENS_AGAIN, code="L330")
    assert {name for name, _ in found} == {"r1.py"}


def test_a_restatement_after_not_null_is_restored_is_reported(tmp_path: Path) -> None:
    found = history(tmp_path, ADDS_KIND, WIDENS_KIND, RESTORES_NOT_NULL, WIDENS_AGAIN, code="L330")
    assert {name for name, _ in found} == {"r1.py", "r3.py"}


def test_a_restatement_that_states_nullability_leaves_not_null(tmp_path: Path) -> None:
    stated = revision(
        'op.alter_column("parcel", "kind", type_=sa.String(20), existing_type=sa.String(10), '
        "existing_nullable=False)"
    )
    found = history(tmp_path, ADDS_KIND, stated, WIDENS_AGAIN, code="L330")
    assert {name for name, _ in found} == {"r2.py"}


def test_a_second_restatement_in_the_same_upgrade_drops_nothing(tmp_path: Path) -> None:
    twice = revision(
        """
        op.alter_column("parcel", "kind", type_=sa.String(20), existing_type=sa.String(10))
        op.alter_column("parcel", "kind", type_=sa.String(40), existing_type=sa.String(20))
        """
    )
    found = history(tmp_path, ADDS_KIND, twice, code="L330")
    assert len(found) == 1


# --- L302: a renamed column keeps its facts when its old name is reused -------------------------

ADDS_LABEL = revision(
    'op.add_column("parcel", sa.Column("label", sa.String(10), nullable=False))',
    'op.drop_column("parcel", "label")',
)
RENAMES_AND_REUSES = revision(
    """
    op.alter_column("parcel", "label", new_column_name="tag", existing_type=sa.String(10))
    op.add_column("parcel", sa.Column("label", sa.String(10), nullable=True))
    """
)
RENAMES_ONLY = revision(
    'op.alter_column("parcel", "label", new_column_name="tag", existing_type=sa.String(10))'
)
TAG_NOT_NULL = revision(
    'op.alter_column("parcel", "tag", nullable=False, existing_type=sa.String(10))',
    'op.alter_column("parcel", "tag", nullable=True, existing_type=sa.String(10))',
)
LABEL_NOT_NULL = revision(
    'op.alter_column("parcel", "label", nullable=False, existing_type=sa.String(10))',
    'op.alter_column("parcel", "label", nullable=True, existing_type=sa.String(10))',
)


def test_a_renamed_not_null_column_holds_no_null(tmp_path: Path) -> None:
    assert history(tmp_path, ADDS_LABEL, RENAMES_ONLY, TAG_NOT_NULL, code="L302") == []


def test_a_new_column_under_the_old_name_takes_none_of_its_facts(tmp_path: Path) -> None:
    assert history(tmp_path, ADDS_LABEL, RENAMES_AND_REUSES, TAG_NOT_NULL, code="L302") == []


def test_the_new_column_under_the_old_name_is_still_nullable(tmp_path: Path) -> None:
    found = history(tmp_path, ADDS_LABEL, RENAMES_AND_REUSES, LABEL_NOT_NULL, code="L302")
    assert [name for name, _ in found] == ["r2.py"]


# --- L328: a column renamed out of the way of its replacement -----------------------------------


def test_a_column_renamed_aside_for_its_replacement_is_not_reported() -> None:
    source = revision(
        """
        op.add_column("parcel", sa.Column("size_new", sa.Integer(), nullable=True))
        op.alter_column("parcel", "size", new_column_name="size_old", existing_type=sa.String(8))
        op.alter_column("parcel", "size_new", new_column_name="size", existing_type=sa.Integer())
        op.drop_column("parcel", "size_old")
        """
    )
    assert "L328" not in codes(source)


def test_a_column_renamed_aside_and_kept_is_reported() -> None:
    source = revision(
        """
        op.add_column("parcel", sa.Column("size_new", sa.Integer(), nullable=True))
        op.alter_column("parcel", "size", new_column_name="size_old", existing_type=sa.String(8))
        op.alter_column("parcel", "size_new", new_column_name="size", existing_type=sa.Integer())
        """
    )
    assert "L328" in codes(source)


def test_a_column_renamed_aside_for_an_existing_one_is_reported() -> None:
    source = revision(
        """
        op.alter_column("parcel", "size", new_column_name="size_old", existing_type=sa.String(8))
        op.alter_column("parcel", "width", new_column_name="size", existing_type=sa.Integer())
        op.drop_column("parcel", "size_old")
        """
    )
    assert "L328" in codes(source)


# --- L327: a key recreated on the renamed table, or named on the column added back --------------


def test_a_key_recreated_on_the_renamed_table_is_not_reported() -> None:
    source = revision(
        """
        op.drop_constraint("crate_item_ibfk_1", "crate_item", type_="foreignkey")
        op.rename_table("crate_item", "box_item")
        op.create_foreign_key("box_item_ibfk_1", "box_item", "box", ["box_id"], ["id"])
        """
    )
    assert "L327" not in codes(source)


def test_a_key_dropped_before_renaming_its_table_is_reported() -> None:
    source = revision(
        """
        op.drop_constraint("crate_item_ibfk_1", "crate_item", type_="foreignkey")
        op.rename_table("crate_item", "box_item")
        op.create_foreign_key("other_ibfk_1", "other", "box", ["box_id"], ["id"])
        """
    )
    assert "L327" in codes(source)


def test_a_key_whose_column_goes_next_named_inline_in_the_downgrade() -> None:
    source = revision(
        """
        op.drop_constraint("crate_ibfk_3", "crate", type_="foreignkey")
        op.drop_column("crate", "shelf_id")
        """,
        """
        op.add_column("crate", sa.Column("shelf_id", sa.Integer(),
                      sa.ForeignKey("shelf.id", name="crate_ibfk_3"), nullable=True))
        """,
    )
    assert "L327" not in codes(source)


def test_a_key_named_inline_on_another_column_is_reported() -> None:
    source = revision(
        """
        op.drop_constraint("crate_ibfk_3", "crate", type_="foreignkey")
        op.drop_column("crate", "shelf_id")
        """,
        """
        op.add_column("crate", sa.Column("shelf_id", sa.Integer(), nullable=True))
        op.add_column("crate", sa.Column("rack_id", sa.Integer(),
                      sa.ForeignKey("rack.id", name="crate_ibfk_3"), nullable=True))
        """,
    )
    assert "L327" in codes(source)


# --- L309: a key carried over to renamed columns of a renamed table -----------------------------

RENAMED_KEY_UP = """
    op.rename_table("crate_item", "box_item")
    op.alter_column("box_item", "crate_id", new_column_name="box_id", existing_type=sa.Integer())
    op.drop_constraint("uq_crate_item", "box_item", type_="unique")
    op.create_unique_constraint("uq_box_item", "box_item", ["box_id", "item_id"])
"""


def test_a_key_carried_over_to_a_renamed_table_is_not_reported() -> None:
    down = """
        op.drop_constraint("uq_box_item", "box_item", type_="unique")
        op.alter_column("box_item", "box_id", new_column_name="crate_id",
                        existing_type=sa.Integer())
        op.rename_table("box_item", "crate_item")
        op.create_unique_constraint("uq_crate_item", "crate_item", ["crate_id", "item_id"])
    """
    assert "L309" not in codes(revision(RENAMED_KEY_UP, down))


def test_a_key_restored_over_other_columns_is_reported() -> None:
    down = """
        op.drop_constraint("uq_box_item", "box_item", type_="unique")
        op.alter_column("box_item", "box_id", new_column_name="crate_id",
                        existing_type=sa.Integer())
        op.rename_table("box_item", "crate_item")
        op.create_unique_constraint("uq_crate_item", "crate_item", ["crate_id", "slot"])
    """
    assert "L309" in codes(revision(RENAMED_KEY_UP, down))


# --- L319: an alter of a column the upgrade drops later -----------------------------------------


def test_an_alter_before_the_drop_is_undone_by_adding_the_column_back() -> None:
    source = revision(
        """
        op.alter_column("crate", "shelf_id", nullable=True, existing_type=sa.Integer())
        op.drop_column("crate", "shelf_id")
        """,
        'op.add_column("crate", sa.Column("shelf_id", sa.Integer(), nullable=False))',
    )
    assert "L319" not in codes(source)


def test_an_alter_of_a_column_kept_is_still_reported() -> None:
    source = revision(
        """
        op.alter_column("crate", "shelf_id", nullable=True, existing_type=sa.Integer())
        op.drop_column("crate", "rack_id")
        """,
        'op.add_column("crate", sa.Column("rack_id", sa.Integer(), nullable=False))',
    )
    assert "L319" in codes(source)


def test_an_alter_before_a_drop_never_added_back_is_reported() -> None:
    source = revision(
        """
        op.alter_column("crate", "shelf_id", nullable=True, existing_type=sa.Integer())
        op.drop_column("crate", "shelf_id")
        """,
        'op.execute("SELECT 1")',
    )
    assert "L319" in codes(source)


# --- L302: NOT NULL restated with a type the downgrade turns back -------------------------------


def test_not_null_on_both_sides_with_the_type_turned_back_is_a_restatement() -> None:
    source = revision(
        'op.alter_column("shelf", "name", existing_type=sa.String(255), nullable=False)',
        'op.alter_column("shelf", "name", existing_type=sa.String(155), nullable=False)',
    )
    assert "L302" not in codes(source)


def test_not_null_on_both_sides_with_the_same_type_is_reported() -> None:
    source = revision(
        'op.alter_column("shelf", "name", existing_type=sa.String(255), nullable=False)',
        'op.alter_column("shelf", "name", existing_type=sa.String(255), nullable=False)',
    )
    assert "L302" in codes(source)


def test_nullable_again_in_the_downgrade_is_reported() -> None:
    source = revision(
        'op.alter_column("shelf", "name", existing_type=sa.String(255), nullable=False)',
        'op.alter_column("shelf", "name", existing_type=sa.String(155), nullable=True)',
    )
    assert "L302" in codes(source)
