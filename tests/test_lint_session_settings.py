"""Raw `SET` statements write no table (issue 20): `SET @row_number = 0`, `SET @a := 1`, `SET
SESSION x = ...`, `SET @@x = ...`, `SET NAMES ...`, `SET FOREIGN_KEY_CHECKS = 0`, `SET sql_mode =
''` and the like set a variable of the session or the server. Read as SQL lint cannot interpret,
each was taken as a possible write of any table, and L309's warning about a key over a column
every row got alike became the notice about data lint cannot see. An UPDATE's own SET is a
write, and a statement lint does not know is still unknown. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

from alembic_sentinel.lint.sql_reader import OTHER, UPDATE, read_sql

ADDS_PREFIX = 'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=False))'
KEY = 'op.create_unique_constraint("uq_kit_prefix", "kit", ["prefix"])'

SETTINGS = [
    "SET @row_number = 0",
    "SET @a := 1, @b := 2",
    "SET @n = (SELECT MAX(id) FROM kit)",
    "SET SESSION sort_buffer_size = 1048576",
    "SET GLOBAL innodb_lock_wait_timeout = 100",
    "SET LOCAL lock_timeout = '5s'",
    "SET @@session.sql_mode = 'TRADITIONAL'",
    "SET NAMES utf8mb4",
    "SET FOREIGN_KEY_CHECKS = 0",
    "SET sql_mode = ''",
    "set time_zone = '+00:00'",
    "SET PASSWORD = 'secret'",
    "SET ROLE app_writer",
    "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
]


def _l309(upgrade: str) -> list[tuple[str, str]]:
    return [
        (f.severity, f.message)
        for f in lint(revision(upgrade), target=target("mysql-8.0"))
        if f.code == "L309"
    ]


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_setting_between_the_column_and_the_key_writes_nothing(setting: str) -> None:
    upgrade = f"{ADDS_PREFIX}\nop.execute({setting!r})\n{KEY}"
    [(severity, message)] = _l309(upgrade)
    assert severity == "warning"
    assert "every existing row holds the same value" in message


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_setting_is_read_as_touching_no_table(setting: str) -> None:
    [statement] = read_sql(setting)
    assert statement.kind == OTHER and statement.sets_session
    assert statement.table is None and not statement.writes


def test_a_setting_keeps_a_key_over_a_new_nullable_column_quiet() -> None:
    # NULLs never collide: the setting before the key no longer hides that
    upgrade = (
        'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=True))\n'
        'op.execute("SET @x = 0")\n' + KEY
    )
    assert _l309(upgrade) == []


# --- must not read as a setting ----------------------------------------------------------------


def test_an_updates_set_is_a_write() -> None:
    [statement] = read_sql("UPDATE kit SET prefix = 'K'")
    assert statement.kind == UPDATE and not statement.sets_session
    upgrade = f"{ADDS_PREFIX}\nop.execute(\"UPDATE kit SET prefix = 'K'\")\n{KEY}"
    [(severity, message)] = _l309(upgrade)
    assert severity == "warning" and "writes the key's columns first" in message


@pytest.mark.parametrize("unknown", ["CALL renumber_kits()", "FROB kit", "DO RELEASE_LOCK('x')"])
def test_sql_lint_does_not_know_stays_a_possible_write(unknown: str) -> None:
    upgrade = f"{ADDS_PREFIX}\nop.execute({unknown!r})\n{KEY}"
    assert [severity for severity, _ in _l309(upgrade)] == ["notice"]
    assert not any(statement.sets_session for statement in read_sql(unknown))
