"""L304 and a table whose every row an earlier revision copied into another (issue 20, round
39): the expand step (create the new table, copy the rows: `INSERT ... SELECT`, an ORM or Core
loop over the old table's rows inserting into the new one, a bulk_insert of rows a SELECT took)
and the contract step (drop the old table) in two revisions. Linted together, the drop loses
nothing. A copy that chooses rows (a filter, WHERE, LIMIT), a loop that writes nothing
elsewhere, a copy in a later revision, or a revision writing the old table after the copy
leaves the drop reported. Also the in-revision half: a loop's row handed whole to a call
(`to_dict(row)`, `New(**row)`) reads it. Our own revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

MODELS = """
from sqlalchemy import orm
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class MemberLink(Base):
    __tablename__ = "member_link"
    id = sa.Column(sa.Integer, primary_key=True)
    member_id = sa.Column(sa.Integer)
    board_id = sa.Column(sa.Integer)


class OwnerLink(Base):
    __tablename__ = "owner_link"
    id = sa.Column(sa.Integer, primary_key=True)
    owner_id = sa.Column(sa.Integer)
    board_id = sa.Column(sa.Integer)


member_link = sa.table("member_link", sa.column("member_id"), sa.column("board_id"))
owner_link = sa.table("owner_link", sa.column("owner_id"), sa.column("board_id"))


def as_dict(row):
    return {c.name: getattr(row, c.name) for c in row.__table__.columns}


def into(values, target):
    for key, value in values.items():
        setattr(target, key, value)
    return target
"""

SQL_COPY = """
op.execute(
    "INSERT INTO owner_link (owner_id, board_id) SELECT member_id, board_id FROM member_link"
)
"""
SQL_COPY_JOINED = """
op.execute(
    "INSERT INTO owner_link (id, owner_id, board_id) SELECT m.id, o.id, m.board_id "
    "FROM member_link m, owners o WHERE o.member_id = m.member_id"
)
"""
SQL_COPY_ALL = 'op.execute("INSERT INTO owner_link SELECT * FROM member_link")'
ORM_WHOLE_ROWS = """
session = orm.Session(bind=op.get_bind())
query = session.query(MemberLink)
for link in paged(query, MemberLink.id):
    values = as_dict(link)
    values["owner_id"] = values.pop("member_id")
    session.add(into(values, OwnerLink()))
session.commit()
"""
ORM_ATTRIBUTES = """
session = orm.Session(bind=op.get_bind())
for link in session.query(MemberLink).all():
    session.add(OwnerLink(owner_id=link.member_id, board_id=link.board_id))
session.commit()
"""
CORE_LOOP = """
bind = op.get_bind()
for row in bind.execute(member_link.select()):
    bind.execute(owner_link.insert().values(owner_id=row.member_id, board_id=row.board_id))
"""
HELD_BULK_INSERT = """
rows = op.get_bind().execute(sa.text("SELECT member_id, board_id FROM member_link")).fetchall()
op.bulk_insert(owner_link, [{"owner_id": r.member_id, "board_id": r.board_id} for r in rows])
"""
HELD_RAW_INSERTS = """
bind = op.get_bind()
rows = bind.execute(sa.text("SELECT member_id, board_id FROM member_link")).fetchall()
for r in rows:
    bind.execute(
        sa.text("INSERT INTO owner_link (owner_id, board_id) VALUES (:o, :b)"),
        {"o": r.member_id, "b": r.board_id},
    )
"""
DROP = 'op.drop_table("member_link")'
RAW_DROP = 'op.execute("DROP TABLE member_link")'


def _l304(tmp_path: Path, *upgrades: str) -> list[str]:
    down = "a8a2fc4e4c77"
    for number, upgrade in enumerate(upgrades):
        revision_id = f"c0ffee00000{number}"
        source = revision(upgrade, header=MODELS + "\n\ndef paged(q, key):\n    return q\n")
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    return [f.path or "" for f in result.findings if f.code == "L304"]


@pytest.mark.parametrize(
    "copy",
    [
        SQL_COPY,
        SQL_COPY_JOINED,
        SQL_COPY_ALL,
        ORM_WHOLE_ROWS,
        ORM_ATTRIBUTES,
        CORE_LOOP,
        HELD_BULK_INSERT,
        HELD_RAW_INSERTS,
    ],
)
@pytest.mark.parametrize("drop", [DROP, RAW_DROP])
def test_a_drop_after_an_earlier_revision_moved_every_row_is_quiet(
    tmp_path: Path, copy: str, drop: str
) -> None:
    assert _l304(tmp_path, copy, drop) == []


def test_a_revision_between_counts_the_same(tmp_path: Path) -> None:
    between = 'op.add_column("owner_link", sa.Column("note", sa.String(20), nullable=True))'
    assert _l304(tmp_path, ORM_ATTRIBUTES, between, DROP) == []


@pytest.mark.parametrize(
    "earlier",
    [
        # some rows only
        SQL_COPY.replace("FROM member_link", "FROM member_link WHERE board_id IS NOT NULL"),
        SQL_COPY.replace("FROM member_link", "FROM member_link LIMIT 100"),
        ORM_ATTRIBUTES.replace(".all()", ".filter(MemberLink.board_id != None)"),
        ORM_ATTRIBUTES.replace(".all()", ".filter_by(board_id=3)"),
        CORE_LOOP.replace(
            "member_link.select()", "member_link.select().where(member_link.c.board_id > 3)"
        ),
        HELD_BULK_INSERT.replace("FROM member_link", "FROM member_link WHERE board_id > 3"),
        # rows read, nothing written elsewhere
        """
        session = orm.Session(bind=op.get_bind())
        for link in session.query(MemberLink):
            print(link.member_id, link.board_id)
        """,
        # rows written back into the same table
        """
        session = orm.Session(bind=op.get_bind())
        for link in session.query(MemberLink):
            link.board_id = link.member_id
        session.commit()
        """,
        # rows handed to a statement, not taken
        """
        session = orm.Session(bind=op.get_bind())
        for link in session.query(MemberLink):
            session.delete(link)
        session.add(OwnerLink(owner_id=1, board_id=1))
        session.commit()
        """,
        # one column of each row, to link rows: no copy of them
        'op.execute("INSERT INTO owner_link (owner_id, board_id) '
        'SELECT m.member_id, b.id FROM member_link m, board b WHERE b.kind = m.kind")',
        # the table only joined, another table copied
        'op.execute("INSERT INTO owner_link (owner_id, board_id) '
        'SELECT b.owner_id, b.id FROM board b JOIN member_link m ON m.board_id = b.id")',
        # one value of each row inserted elsewhere (a link), or a placeholder row
        """
        session = orm.Session(bind=op.get_bind())
        for link in session.query(MemberLink):
            session.add(OwnerLink(owner_id=link.member_id, board_id=1))
        session.commit()
        """,
        # nothing read at all
        'op.execute("INSERT INTO owner_link (owner_id, board_id) VALUES (1, 2)")',
    ],
)
def test_no_copy_of_every_row_leaves_the_drop_reported(tmp_path: Path, earlier: str) -> None:
    assert _l304(tmp_path, earlier, DROP) == ["r1.py"]


def test_a_copy_in_a_later_revision_does_not_vouch_for_an_earlier_drop(tmp_path: Path) -> None:
    assert _l304(tmp_path, DROP, SQL_COPY) == ["r0.py"]


def test_rows_written_after_the_copy_leave_the_drop_reported(tmp_path: Path) -> None:
    later = 'op.execute("INSERT INTO member_link (member_id, board_id) VALUES (1, 2)")'
    assert _l304(tmp_path, SQL_COPY, later, DROP) == ["r2.py"]


@pytest.mark.parametrize(
    "copy",
    [
        ORM_WHOLE_ROWS,
        """
        bind = op.get_bind()
        for row in bind.execute(member_link.select()):
            bind.execute(owner_link.insert().values(**row._mapping))
        """,
        """
        bind = op.get_bind()
        for row in bind.execute(member_link.select()):
            rows = [dict(row)]
            bind.execute(owner_link.insert(), rows)
        """,
    ],
)
def test_a_row_handed_whole_to_a_call_is_read_before_a_drop_in_the_same_upgrade(
    tmp_path: Path, copy: str
) -> None:
    assert _l304(tmp_path, copy + "\n" + DROP) == []


def _l305(tmp_path: Path, upgrade: str) -> list[int]:
    (tmp_path / "r0.py").write_text(chained(revision(upgrade, header=MODELS), "c0ffee000000", "x"))
    result = lint_files([("r0.py", tmp_path / "r0.py")], LintOptions())
    return sorted(f.line or 0 for f in result.findings if f.code == "L305")


GETATTR_HELPER = """
def convert(table, old, new):
    op.add_column(table, sa.Column(new, sa.Date()))
    helper = sa.Table(table, sa.MetaData(), sa.Column("id", sa.Integer), sa.Column(old, sa.Integer))
    bind = op.get_bind()
    for row in bind.execute(helper.select()):
        value = getattr(row, old)
        bind.execute(helper.update().where(helper.c.id == row.id).values({new: value}))
    op.drop_column(table, old)
"""


def test_getattr_of_a_row_reads_that_column_only(tmp_path: Path) -> None:
    upgrade = 'convert("member_link", "joined", "joined_on")\nop.drop_column("member_link", "note")'
    source = revision(upgrade, header=MODELS).replace(
        "def upgrade", GETATTR_HELPER + "\n\ndef upgrade"
    )
    (tmp_path / "r0.py").write_text(chained(source, "c0ffee000000", "x"))
    result = lint_files([("r0.py", tmp_path / "r0.py")], LintOptions())
    dropped = [f.message for f in result.findings if f.code == "L305"]
    assert len(dropped) == 1 and "member_link.note" in dropped[0]


def test_names_unpacked_from_a_row_are_not_the_whole_row(tmp_path: Path) -> None:
    upgrade = """
    bind = op.get_bind()
    for member_id, board_id in bind.execute(member_link.select()):
        bind.execute(owner_link.insert().values(owner_id=member_id))
    op.drop_column("member_link", "board_id")
    """
    assert len(_l305(tmp_path, upgrade)) == 1
