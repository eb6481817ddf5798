"""L344: an alter_column keyword Alembic neither uses nor passes to the server (issue 20, round
43's miss: `batch_op.alter_column("username", ..., primary_key=True)` left the table without its
primary key). Alembic's offline SQL is the evidence; our own revisions in tmp_path."""

from __future__ import annotations

import inspect
import io
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.ddl.mysql import MySQLImpl
from alembic.migration import MigrationContext
from alembic.operations import BatchOperations, Operations
from test_lint_name_clashes import found, history

from alembic_sentinel.lint.ignored_arguments import DIALECT_KEYWORDS, PARAMETERS

ALTER = 'op.alter_column("users", "username", existing_type=sa.String(256), {}'


def alter(keywords: str) -> str:
    return ALTER.format(keywords) + ")"


def in_batch(keywords: str) -> str:
    return (
        'with op.batch_alter_table("users") as batch_op:\n'
        f'    batch_op.alter_column("username", existing_type=sa.String(256), {keywords})'
    )


IGNORED = {
    "primary_key": ("primary_key=True", "no primary key is made"),
    "unique": ("unique=True", "no unique key is made"),
    "index": ("nullable=False, index=True", "no index is made"),
    "default": ('default="x"', "no default is set on the server"),
    "onupdate": ("onupdate=sa.func.now()", "Python-side"),
    "server_onupdate": ('server_onupdate=sa.text("now()")', "no ON UPDATE clause"),
    "foreign_key": ('foreign_key=sa.ForeignKey("x.id")', "no foreign key is made"),
    "misspelt nullable": ("nullabe=False", "a misspelt nullable=?"),
    "misspelt server_default": ('server_defaults="x"', "a misspelt server_default=?"),
    "new_name": ('new_name="login"', "the column is not renamed"),
    "type without its underscore": ("type=sa.String(300)", "a misspelt type_=?"),
}


@pytest.mark.parametrize(("keywords", "effect"), IGNORED.values(), ids=list(IGNORED))
@pytest.mark.parametrize("form", [alter, in_batch], ids=["op", "batch_op"])
def test_a_keyword_alembic_drops(tmp_path: Path, keywords: str, effect: str, form: Any) -> None:
    [(path, message)] = found(history(tmp_path, form(keywords)), "L344")
    keyword = keywords.split("=")[-2].split(", ")[-1]
    assert path == "r0.py" and f"Alembic ignores {keyword}=" in message and effect in message
    assert "users.username" in message


def test_each_ignored_keyword_is_one_finding(tmp_path: Path) -> None:
    findings = history(tmp_path, alter("primary_key=True, unique=True, nullable=False"))
    assert len(found(findings, "L344")) == 2


def test_a_downgrade_too(tmp_path: Path) -> None:
    (tmp_path / "r0.py").write_text(
        'import sqlalchemy as sa\nfrom alembic import op\nrevision = "a1"\n'
        "down_revision = None\n"
        "def upgrade():\n    pass\n"
        f"def downgrade():\n    {alter('primary_key=True')}\n"
    )
    assert len(found(history(tmp_path), "L344")) == 1


USED = {
    "every parameter": (
        'nullable=False, server_default="x", new_column_name="login", type_=sa.String(300), '
        'existing_server_default=None, existing_nullable=True, comment="c", '
        'existing_comment=None, schema="s"'
    ),
    "Alembic < 0.7's name=": 'name="login"',
    "a MySQL option": "mysql_something=1",
    "a PostgreSQL option": 'postgresql_using="username::text"',
    "autoincrement on MySQL": "autoincrement=True, existing_autoincrement=False",
    "a Column's keyword asking for nothing": "index=False, unique=False, default=None",
    "a helper's flag passed along (not a misspelling)": "do_drop=False",
    "a spread": "**opts",
    "a spread beside a parameter": "nullable=False, **opts",
}


@pytest.mark.parametrize("keywords", USED.values(), ids=list(USED))
@pytest.mark.parametrize("form", [alter, in_batch], ids=["op", "batch_op"])
def test_keywords_alembic_reads(tmp_path: Path, keywords: str, form: Any) -> None:
    assert not found(history(tmp_path, form(keywords)), "L344")


@pytest.mark.parametrize("form", [alter, in_batch], ids=["op", "batch_op"])
def test_a_misspelt_existing_keyword_is_a_warning(tmp_path: Path, form: Any) -> None:
    # it only tells Alembic what the column is
    findings = history(tmp_path, form("type_=sa.String(300), existing_type_=sa.String(256)"))
    [finding] = [f for f in findings if f.code == "L344"]
    assert finding.severity == "warning" and "a misspelt existing_type=?" in finding.message


RENAMED_KEY = (
    'op.alter_column("tDataset", "dataset_id", new_column_name="id", '
    "existing_type=sa.Integer(), primary_key=True, autoincrement=True, nullable=False)"
)


def test_primary_key_restated_on_the_tables_own_key(tmp_path: Path) -> None:
    # the column is the table's key by its name (round r40's renames): nothing is lost
    assert not found(history(tmp_path, RENAMED_KEY), "L344")


def test_primary_key_on_a_key_name_after_the_old_key_was_dropped(tmp_path: Path) -> None:
    upgrade = (
        'with op.batch_alter_table("runs") as batch_op:\n'
        '    batch_op.drop_column("id")\n'
        '    batch_op.alter_column("new_id", new_column_name="id", primary_key=True)'
    )
    assert len(found(history(tmp_path, upgrade), "L344")) == 1
    aside = upgrade.replace('drop_column("id")', 'alter_column("id", new_column_name="uuid")')
    assert len(found(history(tmp_path, aside), "L344")) == 1
    assert (
        len(found(history(tmp_path, 'op.drop_column("tDataset", "old")\n' + RENAMED_KEY), "L344"))
        == 1
    )


USERS = (
    'op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("username", sa.String(256)))'
)
RESTATED = {
    "unique on a column a revision made unique": [
        USERS,
        'op.create_unique_constraint("uq_users_username", "users", ["username"])',
        alter("unique=True"),
    ],
    "primary_key on the primary key": [
        USERS,
        'op.alter_column("users", "id", existing_type=sa.Integer(), primary_key=True)',
    ],
}


@pytest.mark.parametrize("upgrades", RESTATED.values(), ids=list(RESTATED))
def test_a_key_the_history_shows_already(tmp_path: Path, upgrades: list[str]) -> None:
    assert not found(history(tmp_path, *upgrades), "L344")


def test_a_key_of_several_columns_is_not_the_columns_own(tmp_path: Path) -> None:
    pair = 'op.create_unique_constraint("uq_pair", "users", ["username", "id"])'
    assert len(found(history(tmp_path, USERS, pair, alter("unique=True")), "L344")) == 1


def test_a_downgrade_stating_what_the_upgrade_did_is_the_upgrades(tmp_path: Path) -> None:
    renamed = 'op.alter_column("users", "username", new_column_name="login", unique=True)'
    back = 'op.alter_column("users", "login", new_column_name="username", unique=True)'
    (tmp_path / "r0.py").write_text(
        'import sqlalchemy as sa\nfrom alembic import op\nrevision = "a1"\n'
        f"down_revision = None\ndef upgrade():\n    {renamed}\n"
        f"def downgrade():\n    {back}\n"
    )
    [(_, message)] = found(history(tmp_path), "L344")
    assert "users.username" in message


def test_the_batch_insert_position(tmp_path: Path) -> None:
    assert not found(history(tmp_path, in_batch('insert_after="id"')), "L344")


@pytest.mark.parametrize(
    ("target", "upgrade", "reported"),
    [
        ("postgresql", alter("autoincrement=True"), True),
        ("postgresql", in_batch("autoincrement=True"), True),
        ("sqlite", alter("autoincrement=True"), True),
        # SQLite's batch rebuilds the table with the Column's autoincrement set
        ("sqlite", in_batch("autoincrement=True"), False),
        ("mariadb-10.11", alter("autoincrement=True"), False),
        ("postgresql", alter("existing_autoincrement=True"), False),
    ],
)
def test_autoincrement_is_read_by_mysql_only(
    tmp_path: Path, target: str, upgrade: str, reported: bool
) -> None:
    assert bool(found(history(tmp_path, upgrade, target=target), "L344")) is reported


def test_the_parameters_are_alembics() -> None:
    # the hand list must follow the installed Alembic: Operations' and BatchOperations'
    # keywords, and what MySQL's implementation reads from **kw beyond them
    given = {
        name
        for method in (Operations.alter_column, BatchOperations.alter_column)
        for name in inspect.signature(method).parameters
    } - {"self", "kw"}
    assert given | {"table_name"} == PARAMETERS
    mysql = set(inspect.signature(MySQLImpl.alter_column).parameters)
    assert mysql - given - {"self", "kw", "name"} == DIALECT_KEYWORDS


@pytest.mark.parametrize("dialect", ["mysql", "postgresql", "sqlite"])
@pytest.mark.parametrize("keyword", ["primary_key", "unique", "index", "default", "nullabe"])
def test_alembic_writes_nothing_for_them(dialect: str, keyword: str) -> None:
    out = io.StringIO()
    context = MigrationContext.configure(
        dialect_name=dialect, opts={"as_sql": True, "output_buffer": out}
    )
    Operations(context).alter_column("t", "c", existing_type=sa.Integer(), **{keyword: True})
    assert out.getvalue().strip() == ""
