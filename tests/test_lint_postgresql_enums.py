"""PostgreSQL's named ENUM types on a MySQL target (L331, round 34; lint/postgresql_enums.py).

Each form is run through Alembic's operations on the test suite's MariaDB, so the rule's claims
are checked where they are made: what fails fails (SQLAlchemy's error before any SQL, or the
server's ERROR 1064), what runs runs. Our own snippets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.dialects import postgresql
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

try:  # SQLAlchemy 2
    from sqlalchemy.dialects.postgresql import CreateEnumType
except ImportError:  # pragma: no cover - SQLAlchemy 1.4
    from sqlalchemy.dialects.postgresql.base import CreateEnumType

HEADER = """
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import CreateEnumType
"""
KEY = 'sa.Column("id", sa.Integer, primary_key=True)'

REFUSED = {
    "an ENUM's create(bind)": 'postgresql.ENUM("a", "b", name="tier").create(op.get_bind())',
    "its create(bind, checkfirst=False)": (
        'postgresql.ENUM("a", name="tier").create(op.get_bind(), checkfirst=False)'
    ),
    "its drop(bind) through a name": (
        'tier = postgresql.ENUM("a", "b", name="tier")\ntier.drop(op.get_bind(), checkfirst=True)'
    ),
    "execute(CreateEnumType(...))": (
        'op.execute(CreateEnumType(postgresql.ENUM("a", "b", name="tier")))'
    ),
    "create_table with a postgresql.ENUM": (
        f'op.create_table("plan", {KEY}, sa.Column("tier", postgresql.ENUM("a", name="tier")))'
    ),
    "an ENUM with no values in create_table": (
        f'op.create_table("plan", {KEY}, '
        'sa.Column("tier", postgresql.ENUM(name="tier", create_type=False)))'
    ),
    "sa.Enum with no values in add_column": (
        'op.add_column("member", sa.Column("tier", sa.Enum(name="tier")))'
    ),
}
RUNS = {
    "sa.Enum's create(bind)": 'sa.Enum("a", "b", name="tier").create(op.get_bind())',
    "create_table, create_type=False": (
        f'op.create_table("plan", {KEY}, '
        'sa.Column("tier", postgresql.ENUM("a", "b", name="tier", create_type=False)))'
    ),
    "create_table with sa.Enum": (
        f'op.create_table("plan", {KEY}, sa.Column("tier", sa.Enum("a", "b", name="tier")))'
    ),
    "add_column with a postgresql.ENUM": (
        'op.add_column("member", sa.Column("tier", postgresql.ENUM("a", "b", name="tier")))'
    ),
    "alter_column to a postgresql.ENUM": (
        'op.alter_column("member", "note", type_=postgresql.ENUM("a", "b", name="tier"))'
    ),
    "a PostgreSQL variant only": (
        'op.add_column("member", sa.Column("tier", sa.String(5).with_variant('
        'postgresql.ENUM(name="tier", create_type=False), "postgresql")))'
    ),
    "the type made in a PostgreSQL branch": (
        'if op.get_bind().dialect.name == "postgresql":\n'
        '    postgresql.ENUM("a", "b", name="tier").create(op.get_bind())\n'
        '    op.execute(CreateEnumType(postgresql.ENUM("c", name="kind")))'
    ),
}


def l331(upgrade: str) -> list[str]:
    source = revision(upgrade, header=HEADER)
    findings = lint(source, target=parse_server_version("mariadb-10.11"))
    return [f.message for f in findings if f.code == "L331"]


@pytest.mark.parametrize("upgrade", REFUSED.values(), ids=list(REFUSED))
def test_what_fails_on_mysql_is_reported(upgrade: str) -> None:
    assert len(l331(upgrade)) == 1


@pytest.mark.parametrize("upgrade", RUNS.values(), ids=list(RUNS))
def test_what_runs_on_mysql_is_not(upgrade: str) -> None:
    assert l331(upgrade) == []


def test_the_messages_name_the_error() -> None:
    (created,) = l331(REFUSED["an ENUM's create(bind)"])
    assert "AttributeError" in created and "has_type" in created
    (compiled,) = l331(REFUSED["execute(CreateEnumType(...))"])
    assert "CreateEnumType(...) is PostgreSQL's CREATE TYPE (UnsupportedCompilationError)" in (
        compiled
    )
    (empty,) = l331(REFUSED["sa.Enum with no values in add_column"])
    assert "add_column member: column tier's Enum type lists no values" in empty
    assert "ERROR 1064" in empty


def _outcome(url: str, step: Callable[[Operations], object]) -> str:
    """ "ok", or the error's class name (with the server's error number) of running `step`."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS plan, member")
            connection.exec_driver_sql("CREATE TABLE member (id INT PRIMARY KEY, note TEXT)")
            try:
                step(Operations(MigrationContext.configure(connection)))
            except sa.exc.DBAPIError as error:
                return f"{type(error).__name__} {error.orig.args[0] if error.orig else ''}"
            except Exception as error:  # SQLAlchemy's own, before any SQL
                return type(error).__name__
            connection.exec_driver_sql("DROP TABLE IF EXISTS plan, member")
    finally:
        engine.dispose()
    return "ok"


def test_mariadb_and_sqlalchemy_refuse_or_run_each_form(mysql_url: str) -> None:
    def column(kind: sa.types.TypeEngine[str]) -> sa.Column[str]:
        return sa.Column("tier", kind)

    def key() -> sa.Column[int]:
        return sa.Column("id", sa.Integer, primary_key=True)

    refused = [
        lambda op: postgresql.ENUM("a", name="tier").create(op.get_bind()),
        lambda op: postgresql.ENUM("a", name="tier").create(op.get_bind(), checkfirst=False),
        lambda op: postgresql.ENUM("a", name="tier").drop(op.get_bind()),
        lambda op: op.execute(CreateEnumType(postgresql.ENUM("a", name="tier"))),
        lambda op: op.create_table("plan", key(), column(postgresql.ENUM("a", name="tier"))),
        lambda op: op.create_table(
            "plan", key(), column(postgresql.ENUM(name="tier", create_type=False))
        ),
        lambda op: op.add_column("member", column(sa.Enum(name="tier"))),
    ]
    runs = [
        lambda op: sa.Enum("a", name="tier").create(op.get_bind()),
        lambda op: op.create_table(
            "plan", key(), column(postgresql.ENUM("a", name="tier", create_type=False))
        ),
        lambda op: op.create_table("plan", key(), column(sa.Enum("a", name="tier"))),
        lambda op: op.add_column("member", column(postgresql.ENUM("a", name="tier"))),
        lambda op: op.alter_column("member", "note", type_=postgresql.ENUM("a", name="tier")),
    ]
    assert [_outcome(mysql_url, step) for step in refused] == [
        "AttributeError",
        "UnsupportedCompilationError",
        "AttributeError",
        "UnsupportedCompilationError",
        "UnsupportedCompilationError",
        "ProgrammingError 1064",
        "ProgrammingError 1064",
    ]
    assert [_outcome(mysql_url, step) for step in runs] == ["ok"] * len(runs)
