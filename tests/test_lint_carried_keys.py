"""L309 with a unique key carried over to renamed or copied columns (issue 20, round 15).

A revision that moves a key renames its column, or adds a column and copies an old one into
it, then creates the key over the new column: every row keeps its values under the new name,
so the key meets duplicates only where the old one, known unique, would. Fixtures are our own
snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision


def l309(source: str) -> list[str]:
    return [f.message for f in lint(source) if f.code == "L309"]


_OLD_KEY_RESTORED = """
op.drop_constraint("uq_team_label", "team", type_="unique")
op.create_unique_constraint("uq_team_label", "team", ["label", "org_id"])
"""


@pytest.mark.parametrize(
    "upgrade",
    [
        # the key's column renamed
        """
        op.drop_constraint("uq_team_label", "team", type_="unique")
        op.alter_column("team", "org_id", new_column_name="group_id", existing_type=sa.Integer(),
                        existing_nullable=False)
        op.create_unique_constraint("uq_team_label_group", "team", ["label", "group_id"])
        """,
        # a new column filled by a copy of the old one, quoted
        """
        op.add_column("team", sa.Column("group_id", sa.Integer(), nullable=True))
        op.execute("UPDATE `team` SET `group_id` = `org_id`")
        op.drop_constraint("uq_team_label", "team", type_="unique")
        op.create_unique_constraint("uq_team_label_group", "team", ["group_id", "label"])
        """,
        # unquoted, in a batch, the copy's SQL spread over lines
        """
        with op.batch_alter_table("team") as batch_op:
            batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        op.execute(
            '''
            UPDATE team
            SET group_id = org_id
            '''
        )
        with op.batch_alter_table("team") as batch_op:
            batch_op.drop_constraint("uq_team_label", type_="unique")
            batch_op.create_unique_constraint("uq_team_label_group", ["label", "group_id"])
        """,
    ],
    ids=["renamed", "copied-quoted", "copied-batch"],
)
def test_a_known_key_carried_to_new_columns_is_not_reported(upgrade: str) -> None:
    assert l309(revision(upgrade, _OLD_KEY_RESTORED)) == []


def _core_copy(value: str) -> str:
    return revision(
        f"""
        op.add_column("release", sa.Column("run_key", sa.Integer(), nullable=True))
        release = sa.Table(
            "release",
            sa.MetaData(),
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("model_id", sa.Integer()),
            sa.Column("tag", sa.String(40)),
            sa.Column("run_key", sa.Integer()),
        )
        op.get_bind().execute(release.update().values(run_key={value}))
        op.create_unique_constraint("uq_release_model_run", "release", ["model_id", "run_key"])
        """,
        """
        op.drop_constraint("uq_release_model_run", "release", type_="unique")
        op.drop_column("release", "run_key")
        """,
    )


@pytest.mark.parametrize("value", ["release.c.id", 'release.c["id"]'])
def test_a_core_copy_of_the_primary_key_is_not_reported(value: str) -> None:
    assert l309(_core_copy(value)) == []


@pytest.mark.parametrize("value", ["release.c.tag", "7", "sa.func.coalesce(release.c.id, 0)"])
def test_a_core_write_of_other_values_is_still_reported(value: str) -> None:
    assert len(l309(_core_copy(value))) == 1


@pytest.mark.parametrize(
    "upgrade",
    [
        # a constant, not a copy
        """
        op.add_column("team", sa.Column("group_id", sa.Integer(), nullable=True))
        op.execute("UPDATE team SET group_id = 1")
        op.drop_constraint("uq_team_label", "team", type_="unique")
        op.create_unique_constraint("uq_team_label_group", "team", ["label", "group_id"])
        """,
        # a copy of a column outside the old key
        """
        op.add_column("team", sa.Column("group_id", sa.Integer(), nullable=True))
        op.execute("UPDATE team SET group_id = owner_id")
        op.drop_constraint("uq_team_label", "team", type_="unique")
        op.create_unique_constraint("uq_team_label_group", "team", ["label", "group_id"])
        """,
        # the copy, then another write of the column
        """
        op.add_column("team", sa.Column("group_id", sa.Integer(), nullable=True))
        op.execute("UPDATE team SET group_id = org_id")
        op.execute("UPDATE team SET group_id = 0 WHERE org_id > 100")
        op.drop_constraint("uq_team_label", "team", type_="unique")
        op.create_unique_constraint("uq_team_label_group", "team", ["label", "group_id"])
        """,
        # a column that was there before, copied onto only where a condition holds
        """
        op.execute("UPDATE team SET group_id = org_id WHERE group_id IS NULL")
        op.drop_constraint("uq_team_label", "team", type_="unique")
        op.create_unique_constraint("uq_team_label_group", "team", ["label", "group_id"])
        """,
        # the renamed column's key is not the one known unique
        """
        op.alter_column("team", "owner_id", new_column_name="group_id",
                        existing_type=sa.Integer(), existing_nullable=False)
        op.create_unique_constraint("uq_team_label_group", "team", ["label", "group_id"])
        """,
    ],
    ids=["constant", "other-column", "written-twice", "partial-copy", "rename-of-other"],
)
def test_a_key_over_written_values_is_still_reported(upgrade: str) -> None:
    assert len(l309(revision(upgrade, _OLD_KEY_RESTORED))) == 1
