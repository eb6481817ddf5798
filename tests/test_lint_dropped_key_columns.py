"""L341: a column dropped while its unnamed foreign key is still on it (issue 20, round 37's
misses). Checked on MariaDB 10.11: `ALTER TABLE c DROP COLUMN p_id` under the key is ERROR 1553
(Cannot drop index 'p_id': needed in a foreign key constraint), ERROR 1828 with
foreign_key_checks=0, MySQL 8.0's answer. Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_name_clashes import found, history

ROOM = 'op.create_table("room", sa.Column("id", sa.Integer(), primary_key=True))'
SHELF = (
    'op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("room_id", sa.Integer(), sa.ForeignKey("room.id")))'
)
PLAIN_SHELF = (
    'op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("room_id", sa.Integer()))'
)
ADDED = 'op.add_column("shelf", sa.Column("room_id", sa.Integer(), sa.ForeignKey("room.id")))'
UNNAMED_KEY = 'op.create_foreign_key(None, "shelf", "room", ["room_id"], ["id"])'
DROP = 'op.drop_column("shelf", "room_id")'


@pytest.mark.parametrize(
    ("target", "error"), [("mysql-8.0", "ERROR 1828"), ("mariadb-10.11", "ERROR 1553")]
)
def test_a_column_dropped_under_its_foreign_key(tmp_path: Path, target: str, error: str) -> None:
    [(path, message)] = found(history(tmp_path, ROOM, SHELF, DROP, target=target), "L341")
    assert path == "r2.py" and error in message and "shelf.room_id" in message


@pytest.mark.parametrize(
    "upgrades",
    [
        # the key added with the column, then the drop in a later revision
        (ROOM, PLAIN_SHELF.replace(', sa.Column("room_id", sa.Integer())', ""), ADDED, DROP),
        # create_foreign_key(None, ...), and the drop in the same upgrade
        (ROOM, PLAIN_SHELF, f"{UNNAMED_KEY}\n{DROP}"),
    ],
)
def test_other_ways_of_making_the_key(tmp_path: Path, upgrades: tuple[str, ...]) -> None:
    assert len(found(history(tmp_path, *upgrades), "L341")) == 1


@pytest.mark.parametrize(
    "upgrades",
    [
        # no foreign key on the column
        (ROOM, PLAIN_SHELF, DROP),
        # the key dropped first, by any name (a convention or MySQL's shelf_ibfk_1 named it)
        (ROOM, SHELF, f'op.drop_constraint("shelf_ibfk_1", "shelf", type_="foreignkey")\n{DROP}'),
        (
            ROOM,
            SHELF,
            'op.drop_constraint("fk_shelf_room_id_room", "shelf", type_="foreignkey")',
            DROP,
        ),
        # dropped by a name in a batch under a convention (compair's pattern)
        (
            ROOM,
            SHELF,
            'with op.batch_alter_table("shelf", naming_convention=NC) as batch_op:\n'
            '    batch_op.drop_constraint("fk_shelf_room_id_room", "foreignkey")',
            DROP,
        ),
        # the table dropped and made again without the key
        (ROOM, SHELF, f'op.drop_table("shelf")\n{PLAIN_SHELF}', DROP),
        # raw DDL on the table: lint does not know what it did
        (ROOM, SHELF, 'op.execute("ALTER TABLE shelf DROP FOREIGN KEY shelf_ibfk_1")', DROP),
        # a batch that rebuilds the table, or a drop under an `if`
        (
            ROOM,
            SHELF,
            'with op.batch_alter_table("shelf", recreate="always") as batch_op:\n'
            '    batch_op.drop_column("room_id")',
        ),
        (ROOM, SHELF, f"if has_fk():\n    {DROP}"),
    ],
)
def test_no_known_key_on_the_column_is_not_reported(
    tmp_path: Path, upgrades: tuple[str, ...]
) -> None:
    assert not found(history(tmp_path, *upgrades), "L341")


def test_postgresql_drops_the_key_with_its_column(tmp_path: Path) -> None:
    assert not found(history(tmp_path, ROOM, SHELF, DROP, target="postgresql"), "L341")
