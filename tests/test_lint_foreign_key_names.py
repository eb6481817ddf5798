"""Foreign key names held twice (L339; issue 20, round 34): InnoDB keeps foreign key names per
schema, so a named foreign key created while a foreign key of any table (the same one too)
holds the name stops the migration: MySQL 8.0's ERROR 1826, MariaDB's ERROR 1005 errno 121
(checked on MariaDB 10.11 for another table and the same one). Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_name_clashes import found, history

ROOM = 'op.create_table("room", sa.Column("id", sa.Integer(), primary_key=True))'
SHELF = (
    'op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("room_id", sa.Integer()))'
)
DESK = (
    'op.create_table("desk", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("room_id", sa.Integer()))'
)
SETUP = f"{ROOM}\n{SHELF}\n{DESK}"


def _key(table: str, name: str = "fk_room") -> str:
    return f'op.create_foreign_key("{name}", "{table}", "room", ["room_id"], ["id"])'


ADDED_WITH_NAME = (
    'op.add_column("shelf", sa.Column("side_id", sa.Integer(), '
    'sa.ForeignKey("room.id", name="fk_shelf_side"), nullable=True))'
)
RAW_AGAIN = (
    'op.execute("ALTER TABLE shelf ADD CONSTRAINT fk_shelf_side FOREIGN KEY (side_id) '
    'REFERENCES room (id)")'
)


@pytest.mark.parametrize(
    ("target", "error"),
    [("mysql-8.0", "ERROR 1826"), ("mariadb-10.11", "errno: 121")],
)
def test_a_column_foreign_key_added_again_by_raw_sql(
    tmp_path: Path, target: str, error: str
) -> None:
    findings = history(tmp_path, SETUP, f"{ADDED_WITH_NAME}\n{RAW_AGAIN}", target=target)
    [(path, message)] = found(findings, "L339")
    assert path == "r1.py" and error in message
    assert "fk_shelf_side" in message and "this table" in message


def test_a_use_alter_key_of_add_column_is_added_all_the_same(tmp_path: Path) -> None:
    # Alembic's add_column adds the column's constraints, use_alter=True or not
    added = ADDED_WITH_NAME.replace('name="fk_shelf_side"', 'name="fk_shelf_side", use_alter=True')
    assert len(found(history(tmp_path, SETUP, f"{added}\n{RAW_AGAIN}"), "L339")) == 1


def test_a_foreign_key_name_another_table_holds(tmp_path: Path) -> None:
    [(path, message)] = found(history(tmp_path, SETUP, _key("shelf"), _key("desk")), "L339")
    assert path == "r2.py" and "held by a foreign key of shelf" in message


def test_a_create_table_foreign_key_under_a_held_name(tmp_path: Path) -> None:
    bench = (
        'op.create_table("bench", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("room_id", sa.Integer()), '
        'sa.ForeignKeyConstraint(["room_id"], ["room.id"], name="fk_room"))'
    )
    assert len(found(history(tmp_path, SETUP, _key("shelf"), bench), "L339")) == 1


def test_raw_add_foreign_key_with_mysqls_name_after_the_words(tmp_path: Path) -> None:
    raw = 'op.execute("ALTER TABLE desk ADD FOREIGN KEY fk_room (room_id) REFERENCES room (id)")'
    assert len(found(history(tmp_path, SETUP, _key("shelf"), raw), "L339")) == 1


DROP = 'op.drop_constraint("fk_room", "shelf", type_="foreignkey")'
RAW_DROP = 'op.execute("ALTER TABLE shelf DROP FOREIGN KEY fk_room")'


@pytest.mark.parametrize(
    "upgrades",
    [
        # the name freed first
        [_key("shelf"), f"{DROP}\n{_key('desk')}"],
        # its table dropped
        [_key("shelf"), f'op.drop_table("shelf")\n{_key("desk")}'],
        # raw DDL on the table: what it left is not known
        [_key("shelf"), f"{RAW_DROP}\n{_key('desk')}"],
        # an index's name is another name space
        ['op.create_index("fk_room", "shelf", ["room_id"])', _key("desk")],
        # under an `if` lint cannot decide
        [_key("shelf"), f"if context.get_x_argument():\n    {_key('desk')}"],
        # other names, and keys left unnamed
        [_key("shelf"), _key("desk", "fk_desk_room")],
        [
            'op.create_foreign_key(None, "shelf", "room", ["room_id"], ["id"])',
            'op.create_foreign_key(None, "desk", "room", ["room_id"], ["id"])',
        ],
        # create_table leaves a use_alter=True key out of its CREATE TABLE on MySQL (Alembic
        # adds no ALTER after it): the later create_foreign_key makes it for the first time
        [
            SHELF[:-1] + ', sa.ForeignKeyConstraint(["room_id"], ["room.id"], name="fk_room", '
            "use_alter=True))",
            _key("shelf"),
        ],
        [
            SHELF.replace(
                "sa.Integer()))",
                'sa.Integer(), sa.ForeignKey("room.id", name="fk_room", use_alter=True)))',
            ),
            _key("shelf"),
        ],
        # the column added with no name on its key, then the raw named one
        [ADDED_WITH_NAME.replace(', name="fk_shelf_side"', "") + "\n" + RAW_AGAIN],
    ],
)
def test_a_foreign_key_name_free_is_not_reported(tmp_path: Path, upgrades: list[str]) -> None:
    assert not found(history(tmp_path, SETUP, *upgrades), "L339")


def test_postgresql_is_not_judged(tmp_path: Path) -> None:
    findings = history(tmp_path, SETUP, _key("shelf"), _key("desk"), target="postgresql")
    assert not found(findings, "L339")
