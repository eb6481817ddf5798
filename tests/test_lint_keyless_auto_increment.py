"""An AUTO_INCREMENT column added with no key (L332, issue 20, round 28): Alembic writes `ADD
COLUMN id INTEGER NOT NULL AUTO_INCREMENT` for a lone Integer primary key, and MySQL/MariaDB
refuse it (ERROR 1075); L314 no longer calls it a statement that blocks writes. And the wording
round 28 asked for: L314 names a constraint by its kind, L311 on SQLite says what SQLite does,
a grouped L311 names each constraint's kind. Fixtures are ours."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

MYSQL = parse_server_version("mysql-8.0")
MARIADB = parse_server_version("mariadb-10.11")


def _found(source: str, code: str, target: str = "mysql-8.0") -> list[str]:
    return [f.message for f in lint(source, target=parse_server_version(target)) if f.code == code]


REFUSED = {
    "Integer": 'op.add_column("visit", sa.Column("id", sa.Integer(), primary_key=True))',
    "BigInteger, autoincrement=True": (
        'op.add_column("visit", sa.Column("id", sa.BigInteger(), primary_key=True, '
        "autoincrement=True))"
    ),
    "batch": (
        'with op.batch_alter_table("visit") as batch_op:\n'
        '    batch_op.add_column(sa.Column("id", sa.Integer(), primary_key=True))'
    ),
    "a table made earlier in the same upgrade": (
        'op.create_table("visit", sa.Column("at", sa.DateTime()))\n'
        'op.add_column("visit", sa.Column("id", sa.Integer(), primary_key=True))'
    ),
}


@pytest.mark.parametrize("upgrade", REFUSED.values(), ids=list(REFUSED))
@pytest.mark.parametrize("target", ["mysql-8.0", "mariadb-10.11"])
def test_a_keyless_auto_increment_column_is_refused(upgrade: str, target: str) -> None:
    source = revision(upgrade)
    [message] = _found(source, "L332", target)
    assert "ERROR 1075" in message and "visit.id" in message
    # not reported as a rebuild that blocks writes: it never runs
    assert not any("AUTO_INCREMENT" in m for m in _found(source, "L314", target))


def test_the_downgrade_adding_it_back_is_refused_too() -> None:
    source = revision(
        'op.drop_column("visit", "id")',
        'op.add_column("visit", sa.Column("id", sa.Integer(), primary_key=True))',
    )
    assert len(_found(source, "L332")) == 1


ACCEPTED = {
    "autoincrement=False": (
        'op.add_column("visit", sa.Column("id", sa.Integer(), primary_key=True, '
        "autoincrement=False))"
    ),
    "a server_default": (
        'op.add_column("visit", sa.Column("id", sa.Integer(), primary_key=True, '
        'server_default="0"))'
    ),
    "a string key": 'op.add_column("visit", sa.Column("code", sa.String(8), primary_key=True))',
    "no primary key": (
        'op.add_column("visit", sa.Column("seq", sa.Integer(), autoincrement=True))'
    ),
    "a rebuilt batch": (
        'with op.batch_alter_table("visit", recreate="always") as batch_op:\n'
        '    batch_op.add_column(sa.Column("id", sa.Integer(), primary_key=True))'
    ),
    "create_table": 'op.create_table("visit", sa.Column("id", sa.Integer(), primary_key=True))',
}


@pytest.mark.parametrize("upgrade", ACCEPTED.values(), ids=list(ACCEPTED))
def test_what_the_server_accepts_is_no_l332(upgrade: str) -> None:
    assert _found(revision(upgrade), "L332") == []


@pytest.mark.parametrize("target", ["postgresql", "sqlite"])
def test_other_targets_need_no_key_for_it(target: str) -> None:
    source = revision(REFUSED["Integer"])
    assert _found(source, "L332", target) == []


def test_an_auto_increment_column_with_its_key_in_raw_sql_is_no_l332() -> None:
    source = revision(
        'op.execute("ALTER TABLE visit ADD COLUMN id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY")'
    )
    assert _found(source, "L332") == []


# --- wording ---------------------------------------------------------------------------------


def test_l314_names_a_grouped_foreign_key_by_kind_name_and_table() -> None:
    adds = "\n".join(
        f'op.create_foreign_key("fk_{t}_owner", "{t}", "person", ["owner_id"], ["id"])'
        for t in ("desk", "lamp", "chair", "shelf", "bin")
    )
    [message] = _found(revision(adds), "L314")
    assert "add foreign key fk_desk_owner on desk:" in message
    assert "foreign key fk_bin_owner on bin (line" in message
    assert "bin.fk_bin_owner" not in message


UNNAMED = """
op.create_table(
    "seen",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("file_id", sa.Integer(), sa.ForeignKey("file.id")),
    sa.Column("reader_id", sa.Integer()),
    sa.ForeignKeyConstraint(["reader_id"], ["reader.id"]),
    sa.UniqueConstraint("file_id", "reader_id"),
)
op.create_foreign_key(None, "note", "reader", ["reader_id"], ["id"])
op.create_check_constraint(None, "note", "length(body) < 100")
"""


def test_l311_on_sqlite_says_the_constraint_stays_nameless() -> None:
    messages = _found(revision(UNNAMED), "L311", "sqlite")
    assert messages and all("MySQL" not in m for m in messages), messages
    assert all("SQLite keeps it nameless" in m for m in messages), messages


def test_l311_on_mysql_says_mysql_invents_the_name() -> None:
    messages = _found(revision(UNNAMED), "L311")
    assert messages and all("MySQL" in m for m in messages), messages


def test_a_grouped_l311_names_each_constraints_kind() -> None:
    [message] = _found(revision(UNNAMED), "L311")
    assert message.startswith("create_table seen: foreign key constraint on (reader_id)")
    assert "foreign key seen.file_id (line" in message, message
    assert "unique seen (file_id, reader_id) (line" in message, message
    assert "foreign key note (reader_id) (line" in message, message
    assert "check note (line" in message, message
