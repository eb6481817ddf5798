"""A unique key renamed by creating the new one before dropping the old (issue 20, round 16):
when the downgrade restores the old key on the same table, the rows were unique on its columns
before the revision and still are when the new key is built, so L309's notice does not apply.
Revisions of our own writing, linted for MySQL 8.0."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version


def _revision(upgrade: str, downgrade: str) -> str:
    return (
        textwrap.dedent(
            '''
            """rename the address key"""
            from alembic import op

            revision = "9a5b6c7d8e9f"
            down_revision = "4f3e2d1c0b9a"
            '''
        )
        + "\n\ndef upgrade():\n"
        + textwrap.indent(textwrap.dedent(upgrade), "    ")
        + "\n\ndef downgrade():\n"
        + textwrap.indent(textwrap.dedent(downgrade), "    ")
    )


def _l309(tmp_path: Path, upgrade: str, downgrade: str) -> list[str]:
    path = tmp_path / "9a5b6c7d8e9f_building.py"
    path.write_text(_revision(upgrade, downgrade))
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    result = lint_files([(path.name, path)], options)
    return [f.message for f in result.findings if f.code == "L309"]


RENAMES = [
    (
        """
        op.create_unique_constraint("building_address", "building", ["street", "number"])
        op.drop_constraint("address", "building", type_="unique")
        """,
        """
        op.create_unique_constraint("address", "building", ["street", "number"])
        op.drop_constraint("building_address", "building", type_="unique")
        """,
    ),
    (
        """
        op.create_index("uq_building_address", "building", ["number", "street"], unique=True)
        op.drop_index("address", table_name="building")
        """,
        """
        op.create_index("address", "building", ["street", "number"], unique=True)
        op.drop_index("uq_building_address", table_name="building")
        """,
    ),
    (
        """
        with op.batch_alter_table("building") as batch_op:
            batch_op.create_unique_constraint("building_address", ["street", "number", "city"])
            batch_op.drop_constraint("address", type_="unique")
        """,
        """
        with op.batch_alter_table("building") as batch_op:
            batch_op.create_unique_constraint("address", ["street", "number"])
            batch_op.drop_constraint("building_address", type_="unique")
        """,
    ),
]


@pytest.mark.parametrize(("upgrade", "downgrade"), RENAMES)
def test_a_key_created_then_its_old_name_dropped_is_no_risk(
    tmp_path: Path, upgrade: str, downgrade: str
) -> None:
    assert _l309(tmp_path, upgrade, downgrade) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # the old key had more columns: fewer columns can collide
        (
            """
            op.create_unique_constraint("building_address", "building", ["street", "number"])
            op.drop_constraint("address", "building", type_="unique")
            """,
            """
            op.create_unique_constraint("address", "building", ["street", "number", "city"])
            op.drop_constraint("building_address", "building", type_="unique")
            """,
        ),
        # the downgrade creates a key the upgrade never dropped: no sign it existed
        (
            """
            op.create_unique_constraint("building_address", "building", ["street", "number"])
            """,
            """
            op.drop_constraint("building_address", "building", type_="unique")
            op.create_unique_constraint("address", "building", ["street", "number"])
            """,
        ),
    ],
)
def test_without_the_old_key_on_those_columns_the_notice_stays(
    tmp_path: Path, upgrade: str, downgrade: str
) -> None:
    assert len(_l309(tmp_path, upgrade, downgrade)) == 1
