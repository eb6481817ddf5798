"""A revision that asserts its dialect (issue 20, round 22): `assert bind.dialect.name ==
"postgresql"` stops the upgrade with AssertionError on any other server, so nothing after it
runs there, as after `if dialect != "postgresql": raise`. On the asserted dialect the rest runs
and is judged as usual; an assert that is not about the dialect changes nothing. Revisions of
our own writing, linted for MySQL 8.0 and for PostgreSQL."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

MYSQL = parse_server_version("mysql-8.0")
POSTGRESQL = parse_server_version("postgresql")

# on MySQL: L311 (an unnamed foreign key) and L314 (a foreign key copies the table)
CHANGES = """
op.create_foreign_key(None, "invoice", "customer", ["customer_id"], ["id"])
"""


def _asserting(test: str, before: str = "bind = op.get_bind()") -> str:
    return revision(f"{before}\nassert {test}\n{CHANGES}", "pass  # one way only, on purpose")


@pytest.mark.parametrize(
    "test",
    [
        'bind.dialect.name == "postgresql"',
        'bind.engine.name in ("postgresql", "sqlite")',
        'op.get_context().dialect.name != "mysql"',
        '(bind.dialect.name == "postgresql"), "sorry, PostgreSQL only"',
    ],
)
def test_nothing_after_an_assert_the_target_fails_runs_there(test: str) -> None:
    codes = [f.code for f in lint(_asserting(test), target=MYSQL)]
    assert "L311" not in codes and "L314" not in codes, codes


def test_on_the_asserted_dialect_the_rest_is_judged() -> None:
    source = _asserting('bind.dialect.name == "mysql"')
    codes = [f.code for f in lint(source, target=MYSQL)]
    assert "L311" in codes and "L314" in codes, codes


@pytest.mark.parametrize(
    "test",
    [
        "bind is not None",  # not about the dialect
        "len(rows) > 0",
        "settings.DEBUG",
    ],
)
def test_an_assert_that_is_not_about_the_dialect_changes_nothing(test: str) -> None:
    source = _asserting(test, before="bind = op.get_bind()\nrows = []")
    codes = [f.code for f in lint(source, target=MYSQL)]
    assert "L311" in codes and "L314" in codes, codes


def test_an_assert_in_a_helper_of_the_file_stops_the_helper() -> None:
    source = revision(
        """
        _postgresql_only_extras()
        """,
        header="""
        def _postgresql_only_extras():
            assert op.get_bind().dialect.name == "postgresql"
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        """,
    )
    assert "L331" not in [f.code for f in lint(source, target=MYSQL)]
    unguarded = source.replace('    assert op.get_bind().dialect.name == "postgresql"\n', "")
    assert "L331" in [f.code for f in lint(unguarded, target=MYSQL)]


def test_postgresql_target_reads_past_its_own_assert() -> None:
    source = revision(
        """
        assert op.get_bind().dialect.name == "postgresql"
        op.drop_column("invoice", "legacy_ref")
        """
    )
    assert "L305" in [f.code for f in lint(source, target=POSTGRESQL)]
