"""L341 in a downgrade: a column the downgrade drops while the foreign key created without a
name is still on it (issue 20, round 40's misses). Checked on MariaDB 10.11: after Alembic's
`ALTER TABLE shelf ADD FOREIGN KEY(room_id) REFERENCES room (id)`, `ALTER TABLE shelf DROP
COLUMN room_id` is ERROR 1553 (Cannot drop index 'room_id': needed in a foreign key
constraint), ERROR 1828 with foreign_key_checks=0, MySQL 8.0's answer. Our own revisions in
tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

ROOM = 'op.create_table("room", sa.Column("id", sa.Integer(), primary_key=True))'
SHELF = 'op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True))'
ADDED = 'op.add_column("shelf", sa.Column("room_id", sa.Integer(), sa.ForeignKey("room.id")))'
PLAIN = 'op.add_column("shelf", sa.Column("room_id", sa.Integer()))'
UNNAMED_KEY = 'op.create_foreign_key(None, "shelf", "room", ["room_id"], ["id"])'
NAMED = 'sa.ForeignKey("room.id", name="fk_shelf_room")'
DROP = 'op.drop_column("shelf", "room_id")'
UNNAMED_DROP = 'op.drop_constraint(None, "shelf", type_="foreignkey")'


def downgrade_findings(
    tmp_path: Path, upgrade: str, downgrade: str, target: str = "mysql-8.0", first: str = ""
) -> list[tuple[str, str]]:
    """L341's findings in a history: room and shelf made by r0 (and `first`'s steps), then r1
    with these bodies."""
    made = "\n".join(step for step in (ROOM, SHELF, first) if step)
    (tmp_path / "r0.py").write_text(chained(revision(made), "eeee0000", "base0000"))
    (tmp_path / "r1.py").write_text(chained(revision(upgrade, downgrade), "eeee0001", "eeee0000"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(target=parse_server_version(target))
    findings = lint_files(files, options).findings
    return [(f.path, f.message) for f in findings if f.code == "L341"]


@pytest.mark.parametrize(
    ("target", "error"), [("mysql-8.0", "ERROR 1828"), ("mariadb-10.11", "ERROR 1553")]
)
def test_autogenerates_downgrade_of_a_column_with_its_foreign_key(
    tmp_path: Path, target: str, error: str
) -> None:
    [(path, message)] = downgrade_findings(tmp_path, ADDED, DROP, target)
    assert path == "r1.py" and error in message and "shelf.room_id in the downgrade" in message


@pytest.mark.parametrize(
    ("upgrade", "downgrade", "first"),
    [
        # create_foreign_key(None, ...) on a column the upgrade added, only the column undone
        (f"{PLAIN}\n{UNNAMED_KEY}", DROP, ""),
        # the key made by the revision before, the column dropped by this one's downgrade
        ('op.create_index("ix_shelf_id", "shelf", ["id"])', DROP, ADDED),
        # other steps of the downgrade first, none about the key
        (ADDED, f'op.drop_index("ix_shelf_room_id", table_name="shelf")\n{DROP}', ""),
    ],
)
def test_other_downgrades_that_leave_the_key(
    tmp_path: Path, upgrade: str, downgrade: str, first: str
) -> None:
    assert len(downgrade_findings(tmp_path, upgrade, downgrade, first=first)) == 1


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # no foreign key on the column, or a named one (the downgrade could drop it by name)
        (PLAIN, DROP),
        (ADDED.replace('sa.ForeignKey("room.id")', NAMED), DROP),
        # the key dropped first: by a name, by None (L310's), by reflection at run time
        (ADDED, f'op.drop_constraint("shelf_ibfk_1", "shelf", type_="foreignkey")\n{DROP}'),
        (f"{PLAIN}\n{UNNAMED_KEY}", f"{UNNAMED_DROP}\n{DROP}"),
        (
            ADDED,
            'for fk in sa.inspect(op.get_bind()).get_foreign_keys("shelf"):\n'
            '    op.drop_constraint(fk["name"], "shelf", type_="foreignkey")\n'
            f"{DROP}",
        ),
        # raw DDL on the table first
        (ADDED, f'op.execute("ALTER TABLE shelf DROP FOREIGN KEY shelf_ibfk_1")\n{DROP}'),
        # the whole table dropped, or a batch that rebuilds it
        (ADDED, 'op.drop_table("shelf")'),
        (
            ADDED,
            'with op.batch_alter_table("shelf", recreate="always") as batch_op:\n'
            '    batch_op.drop_column("room_id")',
        ),
        # a branch for another server, or one lint cannot decide
        (ADDED, f'if op.get_bind().dialect.name == "postgresql":\n    {DROP}'),
        (ADDED, f"if has_fk():\n    {DROP}"),
    ],
)
def test_downgrades_that_drop_no_column_under_a_known_key(
    tmp_path: Path, upgrade: str, downgrade: str
) -> None:
    assert not downgrade_findings(tmp_path, upgrade, downgrade)


@pytest.mark.parametrize("target", ["postgresql", "sqlite"])
def test_other_servers_drop_the_key_with_its_column(tmp_path: Path, target: str) -> None:
    assert not downgrade_findings(tmp_path, ADDED, DROP, target)
