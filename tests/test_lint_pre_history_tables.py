"""Tables made before the first revision, renamed and redesigned by later ones (issue 20, round
r40).

- L314: an alter_column that renames (or retypes) a table's integer key and says
  `autoincrement=True` restates the AUTO_INCREMENT SQLAlchemy gave the table's lone integer
  primary key: MySQL's CHANGE carries the whole column, so keeping the attribute takes the
  keyword. The key shows in the revision (`primary_key=True`, the name `id` or `<table>_id`);
  a plain `autoincrement=True` with no rename, or a column the history shows was no
  AUTO_INCREMENT key, still copies the table.
- L306: a dropped column's type the history gives outweighs the downgrade's; two references
  whose compound names point at different things (`dataset_job_id` -> `export_dataset_id`), or
  two columns whose own comments and names share no word, are no rename.
- L310: drop_constraint(None) with a type_ Alembic does not know fails by Alembic's TypeError;
  on MySQL `type_="primary"` needs no name at all (DROP PRIMARY KEY).

Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding


def lint_chain(tmp_path: Path, *revisions: str, target: str = "mysql-8.0") -> list[Finding]:
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"eeee{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(naming_convention=True, target=parse_server_version(target))
    return list(lint_files(files, options).findings)


def codes(tmp_path: Path, *revisions: str, code: str, target: str = "mysql-8.0") -> list[str]:
    """The file of each finding of `code` over a chain of revisions."""
    return [f.path for f in lint_chain(tmp_path, *revisions, target=target) if f.code == code]


# L314: AUTO_INCREMENT restated by a rename of a pre-history table's key


@pytest.mark.parametrize(
    "alter",
    [
        # the hydra shape: `primary_key=True` in the alter (Alembic passes it on, unused)
        'op.alter_column("tPerm", "perm_id", new_column_name="id", existing_type=sa.Integer(), '
        "primary_key=True, autoincrement=True, nullable=False)",
        # the new name `id`
        'op.alter_column("tNote", "note_id", new_column_name="id", existing_type=sa.Integer(), '
        "autoincrement=True, nullable=False)",
        # the old name `id`, the new one `<table>_id`
        'op.alter_column("orders", "id", new_column_name="order_id", '
        "existing_type=sa.BigInteger(), autoincrement=True, existing_nullable=False)",
        # `<table>_id` under a prefixed table, renamed to another name
        'op.alter_column("tDataset", "dataset_id", new_column_name="dataset_key", '
        "existing_type=sa.Integer(), autoincrement=True, nullable=False)",
        # camelCase
        'op.alter_column("app_users", "userId", new_column_name="user_id", '
        "existing_type=sa.Integer(), autoincrement=True, nullable=False)",
    ],
)
def test_a_rename_of_a_pre_history_key_restates_auto_increment(tmp_path: Path, alter: str) -> None:
    assert codes(tmp_path, revision(alter), code="L314") == []


@pytest.mark.parametrize(
    "alter",
    [
        # no rename, no type: the alter only adds the attribute
        'op.alter_column("parcel", "id", existing_type=sa.Integer(), autoincrement=True, '
        "nullable=False)",
        # a rename of a column nothing shows to be the key
        'op.alter_column("parcel", "serial", new_column_name="number", '
        "existing_type=sa.Integer(), autoincrement=True, nullable=False)",
        # not an integer by its existing_type
        'op.alter_column("parcel", "code", new_column_name="id", existing_type=sa.String(8), '
        "autoincrement=True, nullable=False)",
    ],
)
def test_auto_increment_without_a_restating_rename_of_the_key_still_copies(
    tmp_path: Path, alter: str
) -> None:
    assert codes(tmp_path, revision(alter), code="L314") == ["r0.py"]


def test_a_rename_of_a_column_the_history_shows_no_key_still_copies(tmp_path: Path) -> None:
    created = revision(
        'op.create_table("parcel", sa.Column("uid", sa.String(8), primary_key=True), '
        'sa.Column("id", sa.Integer(), nullable=False))'
    )
    renamed = revision(
        'op.alter_column("parcel", "id", new_column_name="parcel_id", '
        "existing_type=sa.Integer(), autoincrement=True, nullable=False)"
    )
    assert codes(tmp_path, created, renamed, code="L314") == ["r1.py"]


# L306: redesigns told from renames


def test_the_historys_type_of_the_dropped_column_outweighs_the_downgrades(
    tmp_path: Path,
) -> None:
    renamed = revision(
        'op.alter_column("tDataset", "data_units", new_column_name="unit", '
        "existing_type=sa.String(60))"
    )
    redesigned = revision(
        """
        op.add_column("tDataset", sa.Column("unit_id", sa.Integer(), sa.ForeignKey("tUnit.id")))
        op.drop_column("tDataset", "unit")
        """,
        """
        op.add_column("tDataset", sa.Column("unit", sa.Integer(), nullable=True))
        op.drop_column("tDataset", "unit_id")
        """,
    )
    assert codes(tmp_path, renamed, redesigned, code="L306") == []
    # the history saying nothing, the downgrade's Integer leaves it a possible rename
    alone = tmp_path / "alone"
    alone.mkdir()
    assert codes(alone, redesigned, code="L306") == ["r0.py"]


@pytest.mark.parametrize(
    ("created", "added", "reported"),
    [
        # an Enum's names copied into a VARCHAR: the same values, a possible rename
        ('sa.Enum("init", "running", name="state")', "sa.String(36)", ["r1.py"]),
        # an integer reference dropped, a BLOB added: other values
        ("sa.Integer()", "sa.LargeBinary()", []),
    ],
)
def test_the_historys_type_alone_decides_when_the_downgrade_gives_none(
    tmp_path: Path, created: str, added: str, reported: list[str]
) -> None:
    history = revision(
        f'op.create_table("runs", sa.Column("id", sa.Integer(), primary_key=True), '
        f'sa.Column("state", {created}))'
    )
    replaced = revision(
        f"""
        op.add_column("runs", sa.Column("new_state", {added}, nullable=True))
        op.drop_column("runs", "state")
        """,
        "raise NotImplementedError()",
    )
    assert codes(tmp_path, history, replaced, code="L306") == reported


def drop_and_add(dropped: str, added: str, comments: tuple[str, str] | None = None) -> str:
    old, new = (f', comment="{c}"' for c in comments) if comments else ("", "")
    return revision(
        f"""
        op.add_column("jobs", sa.Column("{added}", sa.Integer(), nullable=True{new}))
        op.drop_column("jobs", "{dropped}")
        """,
        f"""
        op.add_column("jobs", sa.Column("{dropped}", sa.Integer(), nullable=True{old}))
        op.drop_column("jobs", "{added}")
        """,
    )


@pytest.mark.parametrize(
    ("dropped", "added"),
    [
        ("dataset_job_id", "export_dataset_id"),
        ("user_role_id", "user_group_id"),
        ("accountUserId", "accountId"),
    ],
)
def test_references_to_other_things_sharing_a_word_are_no_rename(
    tmp_path: Path, dropped: str, added: str
) -> None:
    assert codes(tmp_path, drop_and_add(dropped, added), code="L306") == []


@pytest.mark.parametrize(
    ("dropped", "added"),
    [
        ("user_id", "owner_user_id"),  # the same thing, qualified
        ("owner_id", "owner_user_id"),  # the old name kept as a word
        ("user_acount_id", "user_account_id"),  # a typo fixed
    ],
)
def test_references_to_the_same_thing_stay_possible_renames(
    tmp_path: Path, dropped: str, added: str
) -> None:
    assert codes(tmp_path, drop_and_add(dropped, added), code="L306") == ["r0.py"]


def test_columns_described_apart_are_no_rename(tmp_path: Path) -> None:
    described = drop_and_add("yaml_template", "error_message", ("yaml_template", "error message"))
    assert codes(tmp_path, described, code="L306") == []


@pytest.mark.parametrize(
    ("dropped", "added", "comments"),
    [
        ("interval", "interval_time", ("item run interval", "item run interval")),
        ("path", "fspath", ("dataset path", "dataset path")),
        ("yaml_template", "error_message", None),  # no comments: the names alone decide
        ("summary", "abstract", ("short summary", "summary of the paper")),
    ],
)
def test_columns_described_alike_stay_possible_renames(
    tmp_path: Path, dropped: str, added: str, comments: tuple[str, str] | None
) -> None:
    assert codes(tmp_path, drop_and_add(dropped, added, comments), code="L306") == ["r0.py"]


# L310: the failure named as Alembic's


def test_an_unknown_constraint_type_is_named_as_the_failure(tmp_path: Path) -> None:
    dropped = revision("pass", 'op.drop_constraint(None, "tTypeAttr", type_="primarykey")')
    found = [f for f in lint_chain(tmp_path, dropped) if f.code == "L310"]
    assert len(found) == 1
    assert "type_='primarykey'" in found[0].message and "TypeError" in found[0].message
    assert "needs its name" not in found[0].message


@pytest.mark.parametrize("kind", ["foreignkey", "unique", "check"])
def test_a_known_constraint_type_keeps_the_missing_name_as_the_cause(
    tmp_path: Path, kind: str
) -> None:
    dropped = revision("pass", f'op.drop_constraint(None, "area", type_="{kind}")')
    found = [f for f in lint_chain(tmp_path, dropped) if f.code == "L310"]
    assert [f.message.endswith("needs its name") for f in found] == [True]


def test_an_unnamed_primary_key_drop_runs_on_mysql_only(tmp_path: Path) -> None:
    dropped = revision("pass", 'op.drop_constraint(None, "area", type_="primary")')
    assert codes(tmp_path, dropped, code="L310") == []
    assert codes(tmp_path, dropped, code="L310", target="mariadb-10.11") == []
    assert codes(tmp_path, dropped, code="L310", target="postgresql") == ["r0.py"]


# L302: a rename restating NOT NULL on a pre-history column

RENAME_NOT_NULL = (
    'op.alter_column("tPerm", "perm_name", new_column_name="name", '
    "existing_type=sa.String(60), nullable=False)"
)


@pytest.mark.parametrize(
    "downgrade",
    [
        "pass",
        "raise NotImplementedError()",
        # renamed back, NOT NULL restated there too
        'op.alter_column("tPerm", "name", new_column_name="perm_name", '
        "existing_type=sa.String(60), nullable=False)",
        'op.alter_column("tPerm", "name", new_column_name="perm_name", '
        "existing_type=sa.String(60), existing_nullable=False)",
    ],
)
def test_a_rename_restating_not_null_of_a_pre_history_column_is_no_l302(
    tmp_path: Path, downgrade: str
) -> None:
    assert codes(tmp_path, revision(RENAME_NOT_NULL, downgrade), code="L302") == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # renamed back plain: CHANGE writes NULL, the old column was nullable
        (
            RENAME_NOT_NULL,
            'op.alter_column("tPerm", "name", new_column_name="perm_name", '
            "existing_type=sa.String(60))",
        ),
        (
            RENAME_NOT_NULL,
            'op.alter_column("tPerm", "name", new_column_name="perm_name", '
            "existing_type=sa.String(60), nullable=True)",
        ),
        # no rename: NOT NULL is the change itself
        (
            'op.alter_column("tPerm", "perm_name", existing_type=sa.String(60), nullable=False)',
            "pass",
        ),
        # no existing_type: nothing restated
        ('op.alter_column("tPerm", "perm_name", new_column_name="name", nullable=False)', "pass"),
    ],
)
def test_a_not_null_the_revision_shows_new_is_still_l302(
    tmp_path: Path, upgrade: str, downgrade: str
) -> None:
    assert codes(tmp_path, revision(upgrade, downgrade), code="L302") == ["r0.py"]


def test_a_rename_of_a_column_the_history_shows_nullable_is_still_l302(tmp_path: Path) -> None:
    created = revision(
        'op.create_table("tPerm", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("perm_name", sa.String(60), nullable=True))'
    )
    assert codes(tmp_path, created, revision(RENAME_NOT_NULL), code="L302") == ["r1.py"]
