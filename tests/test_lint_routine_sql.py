"""Raw SQL that defines a function, procedure or trigger (issue 20, round 16): running it
writes no row, so it is no hidden write before a unique key (L309's warning), and a body in
PostgreSQL's dollar quotes is one string, not statements of the revision. Revisions of our own
writing, linted for MySQL 8.0 and PostgreSQL."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version


def _revision(sql: str) -> str:
    return textwrap.dedent(
        '''
        """ports are unique per switch"""
        from alembic import op

        revision = "8f4a5b6c7d8e"
        down_revision = "3e2d1c0b9a8f"


        def upgrade():
            op.execute(SQL)
            op.create_unique_constraint("uq_port_switch", "port", ["name", "switch_id"])


        def downgrade():
            op.drop_constraint("uq_port_switch", "port", type_="unique")
        '''
    ).replace("SQL", repr(sql))


def _severities(tmp_path: Path, sql: str, target: str) -> set[str]:
    path = tmp_path / "8f4a5b6c7d8e_port.py"
    path.write_text(_revision(sql))
    options = LintOptions(target=parse_server_version(target))
    findings = lint_files([(path.name, path)], options).findings
    return {f.severity for f in findings if f.code == "L309"}


ROUTINES = [
    (
        "CREATE OR REPLACE FUNCTION port_check() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN UPDATE port SET name = lower(name); RETURN NULL; END; $$",
        "postgresql",
    ),
    (
        "CREATE FUNCTION port_name(p int) RETURNS text AS $body$ "
        "UPDATE port SET name = 'x' WHERE id = p; SELECT name FROM port; $body$ LANGUAGE sql",
        "postgresql",
    ),
    (
        "CREATE CONSTRAINT TRIGGER port_check_trigger AFTER INSERT OR UPDATE ON port "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE PROCEDURE port_check()",
        "postgresql",
    ),
    (
        "CREATE DEFINER=`admin`@`%` TRIGGER port_name_lower BEFORE INSERT ON port "
        "FOR EACH ROW SET NEW.name = LOWER(NEW.name)",
        "mysql-8.0",
    ),
    ("DROP FUNCTION IF EXISTS port_check() CASCADE", "postgresql"),
    ("DROP TRIGGER IF EXISTS port_name_lower", "mysql-8.0"),
]


@pytest.mark.parametrize(("sql", "target"), ROUTINES)
def test_defining_a_routine_is_no_write_before_the_key(
    tmp_path: Path, sql: str, target: str
) -> None:
    assert "warning" not in _severities(tmp_path, sql, target)


@pytest.mark.parametrize(
    ("sql", "target"),
    [
        # the key's column written
        ("UPDATE port SET name = 'port'", "mysql-8.0"),
        # a routine defined, then its write run in the same SQL
        (
            "CREATE FUNCTION f() RETURNS void AS $$ SELECT 1 $$ LANGUAGE sql; "
            "UPDATE port SET switch_id = 1",
            "postgresql",
        ),
    ],
)
def test_a_write_or_sql_lint_cannot_read_is_still_reported(
    tmp_path: Path, sql: str, target: str
) -> None:
    assert "warning" in _severities(tmp_path, sql, target)


@pytest.mark.parametrize(
    ("sql", "target"),
    [
        # an anonymous block runs its body now, on the key's table
        ("DO $$ BEGIN UPDATE port SET name = 'port'; END $$", "postgresql"),
        # a procedure lint cannot read: it may write anything
        ("CALL renumber_ports()", "mysql-8.0"),
    ],
)
def test_sql_lint_cannot_read_leaves_only_the_notice(tmp_path: Path, sql: str, target: str) -> None:
    # it may write the key's columns or remove the duplicates: lint cannot say which, so the
    # key is reported as any key over existing rows is (a notice), not as written first
    assert _severities(tmp_path, sql, target) == {"notice"}
