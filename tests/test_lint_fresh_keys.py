"""L325 and a primary key whose rows cannot collide (issue 20, round 38):

- a key over a column the upgrade added and gave every row a fresh value of its own (a uuid
  made per pass of a loop over the rows, written by `UPDATE t SET c = :u WHERE id = :id`, by
  the ORM or Core in the loop, or `SET c = UUID()`), renamed into place after the old key and
  column were dropped;
- a key rebuilt with part of the old key replaced by its image through the old foreign key
  (`UPDATE members m JOIN rooms r ON m.room_id = r.id SET m.room_uuid = r.uuid`, r.uuid fresh);
- a first key on a table made without one, after the revision deleted the NULL rows and the
  duplicates over the key's columns.

A uuid made once for every row, an UPDATE not found by the row's own key, a default every row
the loop misses keeps, a lookup of a value that may repeat, a column that may hold NULL, or a
table that has a key already is still reported. Our own revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

CREATES = revision(
    """
    op.create_table(
        "room",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "member",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"]),
        sa.PrimaryKeyConstraint("room_id", "user_id"),
    )
    """
)
HEADER = "import uuid\nfrom sqlalchemy import orm\nfrom sqlalchemy.orm import declarative_base"
ADD = 'op.add_column("room", sa.Column("uuid", sa.String(36), nullable=True))'
BOUND_LOOP = """
conn = op.get_bind()
rows = conn.execute(sa.text("SELECT id FROM room")).fetchall()
for row in rows:
    new_uuid = str(uuid.uuid4())
    conn.execute(
        sa.text("UPDATE room SET uuid = :new_uuid WHERE id = :old_id"),
        {"new_uuid": new_uuid, "old_id": row[0]},
    )
"""
INLINE_LOOP = """
conn = op.get_bind()
for row in conn.execute(sa.text("SELECT id FROM room")).fetchall():
    conn.execute(
        sa.text("UPDATE room SET uuid = :u WHERE id = :i"), {"u": uuid.uuid4().hex, "i": row.id}
    )
"""
SQL_UUID = 'op.execute("UPDATE room SET uuid = UUID()")'
CORE_LOOP = """
room = sa.table("room", sa.column("id"), sa.column("uuid"))
conn = op.get_bind()
for row in conn.execute(sa.select(room.c.id)).fetchall():
    conn.execute(room.update().where(room.c.id == row.id).values(uuid=str(uuid.uuid4())))
"""
REKEY = """
op.drop_constraint("PRIMARY", "room", type_="primary")
op.drop_column("room", "id")
op.alter_column("room", "uuid", new_column_name="id", existing_type=sa.String(36), nullable=False)
op.create_primary_key("pk_room", "room", ["id"])
"""


def _l325(tmp_path: Path, *sources: str, target: str = "mysql-8.0") -> list[tuple[str, int]]:
    down = "a8a2fc4e4c77"
    for number, source in enumerate(sources):
        revision_id = f"beef0000000{number}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions(target=parse_server_version(target)))
    return [(f.path or "", f.line or 0) for f in result.findings if f.code == "L325"]


@pytest.mark.parametrize("fill", [BOUND_LOOP, INLINE_LOOP, SQL_UUID, CORE_LOOP])
def test_a_key_over_a_column_given_a_fresh_value_per_row_is_quiet(
    tmp_path: Path, fill: str
) -> None:
    upgrade = revision(ADD + "\n" + fill + "\n" + REKEY, header=HEADER)
    assert _l325(tmp_path, CREATES, upgrade) == []


@pytest.mark.parametrize(
    "fill",
    [
        # one uuid, made before the loop, for every row
        BOUND_LOOP.replace(
            "for row in rows:\n    new_uuid = str(uuid.uuid4())",
            "new_uuid = str(uuid.uuid4())\nfor row in rows:",
        ),
        # found by a column that may repeat: rows of one name share a uuid
        BOUND_LOOP.replace("WHERE id = :old_id", "WHERE name = :old_id"),
        # made once in SQL
        "op.execute(\"UPDATE room SET uuid = 'x'\")",
    ],
)
def test_a_value_shared_by_rows_leaves_the_key_reported(tmp_path: Path, fill: str) -> None:
    upgrade = revision(ADD + "\n" + fill + "\n" + REKEY, header=HEADER)
    assert [name for name, _ in _l325(tmp_path, CREATES, upgrade)] == ["r1.py"]


def test_a_server_default_the_loop_may_miss_leaves_the_key_reported(tmp_path: Path) -> None:
    added = ADD.replace("nullable=True", "nullable=True, server_default='x'")
    upgrade = revision(added + "\n" + BOUND_LOOP + "\n" + REKEY, header=HEADER)
    assert [name for name, _ in _l325(tmp_path, CREATES, upgrade)] == ["r1.py"]


MEMBERS = """
op.add_column("member", sa.Column("room_uuid", sa.String(36), nullable=True))
op.execute(
    "UPDATE member mb JOIN room rm ON mb.room_id = rm.id SET mb.room_uuid = rm.{copied}"
)
op.drop_constraint("PRIMARY", "member", type_="primary")
op.drop_column("member", "room_id")
op.alter_column(
    "member", "room_uuid", new_column_name="room_id", existing_type=sa.String(36), nullable=False
)
op.create_primary_key("pk_member", "member", ["room_id", "user_id"])
"""


def test_a_key_part_replaced_by_its_fresh_image_through_the_old_reference_is_quiet(
    tmp_path: Path,
) -> None:
    upgrade = revision(
        ADD + "\n" + BOUND_LOOP + "\n" + MEMBERS.format(copied="uuid") + "\n" + REKEY,
        header=HEADER,
    )
    assert _l325(tmp_path, CREATES, upgrade) == []


def test_a_key_part_replaced_by_a_value_that_may_repeat_is_reported(tmp_path: Path) -> None:
    upgrade = revision(
        ADD + "\n" + BOUND_LOOP + "\n" + MEMBERS.format(copied="name") + "\n" + REKEY,
        header=HEADER,
    )
    found = _l325(tmp_path, CREATES, upgrade)
    assert len(found) == 1 and found[0][0] == "r1.py"


KEYLESS = revision(
    """
    op.create_table(
        "tag_link",
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("tag_id", sa.Integer(), nullable=True),
    )
    """
)
CLEARED_KEY = """
op.execute("DELETE FROM tag_link WHERE post_id IS NULL OR tag_id IS NULL")
op.execute(
    "DELETE FROM tag_link WHERE rowid NOT IN "
    "(SELECT MIN(rowid) FROM tag_link GROUP BY post_id, tag_id)"
)
with op.batch_alter_table("tag_link") as batch_op:
    batch_op.alter_column("post_id", existing_type=sa.Integer(), nullable=False)
    batch_op.alter_column("tag_id", existing_type=sa.Integer(), nullable=False)
    batch_op.create_primary_key("pk_tag_link", list(("post_id", "tag_id")))
"""


@pytest.mark.parametrize("target", ["sqlite", "mysql-8.0"])
def test_a_first_key_after_nulls_and_duplicates_were_deleted_is_quiet(
    tmp_path: Path, target: str
) -> None:
    assert _l325(tmp_path, KEYLESS, revision(CLEARED_KEY), target=target) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        # no de-duplication
        CLEARED_KEY.split('op.execute(\n    "DELETE FROM tag_link WHERE rowid')[0]
        + CLEARED_KEY.split('GROUP BY post_id, tag_id)"\n)\n')[1],
        # a column that may still hold NULL
        CLEARED_KEY.replace(
            '    batch_op.alter_column("tag_id", existing_type=sa.Integer(), nullable=False)\n', ""
        ).replace(" OR tag_id IS NULL", ""),
    ],
)
def test_a_first_key_with_duplicates_or_nulls_left_is_reported(
    tmp_path: Path, upgrade: str
) -> None:
    assert [name for name, _ in _l325(tmp_path, KEYLESS, revision(upgrade))] == ["r1.py"]


def test_a_table_that_has_a_key_is_still_reported(tmp_path: Path) -> None:
    keyed = revision(
        """
        op.create_table(
            "tag_link",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("post_id", sa.Integer(), nullable=True),
            sa.Column("tag_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        """
    )
    assert [name for name, _ in _l325(tmp_path, keyed, revision(CLEARED_KEY))] == ["r1.py"]
