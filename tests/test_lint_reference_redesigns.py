"""Reference columns replaced (issue 20, round 28): a reference to one table dropped and one to
another table added is a redesign, not a rename (L306); a foreign key dropped and created again
by a `sa.ForeignKey` in an added column is no lost check (L327). Fixtures are ours; each class
has must-flag cases proving the real problem is still reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_rules import codes, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

# --- L306: two references sharing only `id` ---------------------------------------------------


def _swap(old: str, new: str, *, new_extra: str = "", old_extra: str = "", before: str = "") -> str:
    """A revision that adds `new` to `ticket` and drops `old`, the downgrade restoring `old`."""
    upgrade = (
        f"{before}\n"
        f'op.add_column("ticket", sa.Column("{new}", sa.Integer(){new_extra}, nullable=True))\n'
        f'op.drop_column("ticket", "{old}")'
    )
    downgrade = (
        f'op.add_column("ticket", sa.Column("{old}", sa.INTEGER(){old_extra}, nullable=True))\n'
        f'op.drop_column("ticket", "{new}")'
    )
    return revision(upgrade, downgrade)


REDESIGNS = {
    "two stems, linted alone": _swap("queue_id", "board_id"),
    "camelCase": _swap("queueId", "boardId"),
    "the new table created": _swap(
        "queue_id",
        "board_id",
        before='op.create_table("boards", sa.Column("id", sa.Integer(), primary_key=True))',
    ),
    "both keys known, to different tables": _swap(
        "queue_id",
        "board_id",
        new_extra=', sa.ForeignKey("boards.id")',
        old_extra=', sa.ForeignKey("queues.id")',
    ),
    "the new key to another table": _swap(
        "queue_id", "board_id", new_extra=', sa.ForeignKey("boards.id")'
    ),
}


@pytest.mark.parametrize("source", REDESIGNS.values(), ids=list(REDESIGNS))
def test_a_reference_to_another_table_is_no_rename(source: str) -> None:
    found = codes(source)
    assert "L306" not in found
    assert "L305" in found  # the values' loss is still reported


RENAMES = {
    "a typo fixed": _swap("acount_id", "account_id"),
    "a word kept": _swap("user_id", "owner_user_id"),
    "the same key target": _swap(
        "user_id",
        "owner_id",
        new_extra=', sa.ForeignKey("users.id")',
        old_extra=', sa.ForeignKey("users.id")',
    ),
    "the old key known, no table of the new name": _swap(
        "user_id", "owner_id", old_extra=', sa.ForeignKey("users.id")'
    ),
    "no table of the new name among those the revision names": _swap(
        "user_id",
        "owner_id",
        before='op.create_index("ix_users_email", "users", ["email"])',
    ),
    "a plain column": _swap("calls", "num_of_calls"),
    "an id without a separator": _swap("signature_id", "eventid"),
}


@pytest.mark.parametrize("source", RENAMES.values(), ids=list(RENAMES))
def test_a_rename_of_a_reference_is_still_reported(source: str) -> None:
    assert "L306" in codes(source)


def _history(tmp_path: Path, first: str, second: str) -> list[str]:
    """L306 codes of the second of two revisions linted together."""
    versions = tmp_path / "versions"
    versions.mkdir()
    files = []
    for name, (text, down) in {
        "aaaa00000001": (first, "None"),
        "bbbb00000002": (second, '"aaaa00000001"'),
    }.items():
        path = versions / f"{name}_step.py"
        source = text.replace('down_revision = "a8a2fc4e4c77"', f"down_revision = {down}")
        path.write_text(source.replace("1234abcd5678", name))
        files.append((str(path), path))
    findings = lint_files(files, LintOptions()).findings
    return [f.code for f in findings if f.code == "L306" and "bbbb00000002" in str(f.path)]


def _tables(*names: str) -> str:
    creates = "\n".join(
        f'op.create_table("{n}", sa.Column("id", sa.Integer(), primary_key=True))' for n in names
    )
    return revision(creates)


def test_history_tables_decide_between_a_rename_and_a_redesign(tmp_path: Path) -> None:
    # `boards` exists: board_id points at it, a redesign
    first = tmp_path / "one"
    first.mkdir()
    assert (
        _history(first, _tables("ticket", "queues", "boards"), _swap("queue_id", "board_id")) == []
    )
    # no `owners` table: owner_id is user_id renamed
    second = tmp_path / "two"
    second.mkdir()
    assert _history(second, _tables("ticket", "users"), _swap("user_id", "owner_id")) == ["L306"]


def test_several_renames_in_pairs_skip_a_reference_pair() -> None:
    source = revision(
        """
        op.add_column("ticket", sa.Column("board_id", sa.Integer(), nullable=True))
        op.add_column("ticket", sa.Column("opened", sa.DateTime(), nullable=True))
        op.drop_column("ticket", "queue_id")
        op.drop_column("ticket", "created")
        """,
        """
        op.add_column("ticket", sa.Column("queue_id", sa.INTEGER(), nullable=True))
        op.add_column("ticket", sa.Column("created", sa.DATETIME(), nullable=True))
        op.drop_column("ticket", "board_id")
        op.drop_column("ticket", "opened")
        """,
    )
    assert "L306" not in codes(source)


# --- L327: the key created again by an added column's ForeignKey ------------------------------

DROP_KEY = 'op.drop_constraint("fk_ticket_owner_name", "ticket", type_="foreignkey")'


@pytest.mark.parametrize(
    "recreated",
    [
        'op.add_column("ticket", sa.Column("owner_id", sa.Integer(), '
        'sa.ForeignKey("users.id"), nullable=True))',
        'op.create_table("ticket", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id")))',
        'op.create_table("ticket", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("owner_id", sa.Integer()), '
        'sa.ForeignKeyConstraint(["owner_id"], ["users.id"]))',
    ],
    ids=["add_column", "create_table column", "create_table constraint"],
)
def test_a_key_recreated_by_a_foreign_key_column_is_no_notice(recreated: str) -> None:
    assert "L327" not in codes(revision(f"{DROP_KEY}\n{recreated}"))


@pytest.mark.parametrize(
    "other",
    [
        'op.add_column("ticket", sa.Column("owner_id", sa.Integer(), nullable=True))',
        'op.add_column("parcel", sa.Column("owner_id", sa.Integer(), '
        'sa.ForeignKey("users.id"), nullable=True))',
    ],
    ids=["a column with no key", "a key on another table"],
)
def test_a_key_not_recreated_on_its_table_is_a_notice(other: str) -> None:
    assert "L327" in codes(revision(f"{DROP_KEY}\n{other}"))
