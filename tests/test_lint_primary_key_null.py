"""An alter_column that changes the type or the name of a primary-key column without
`nullable=False` / `existing_nullable=False` (round 33, issue 20): Alembic writes `MODIFY c ...
NULL` (`CHANGE`), which MySQL 5.7+ refuses (ERROR 1171) and MariaDB answers by keeping the
column NOT NULL. An L330 error on a MySQL target, no L314 copy there; on MariaDB the copy stays
and nothing else is said. Our own revisions, each linted after a first one that makes the
tables."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

FIRST = """
op.create_table(
    "ledger",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("amount", sa.Integer(), nullable=False),
)
op.create_table(
    "entry",
    sa.Column("ledger_id", sa.Integer(), nullable=False),
    sa.Column("line", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("ledger_id", "line"),
)
"""

WIDEN = (
    'op.alter_column("ledger", "id", existing_type=sa.Integer(), type_=sa.BigInteger(), '
    "autoincrement=True{extra})"
)


def _findings(
    tmp_path: Path, upgrade: str, downgrade: str = "pass", target: str = "mysql-8.0"
) -> list[tuple[str, str, int]]:
    sources = [
        chained(revision(FIRST), "c0ffee330001", "a8a2fc4e4c77"),
        chained(revision(upgrade, downgrade), "c0ffee330002", "c0ffee330001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions(target=parse_server_version(target)))
    return [(f.code, f.severity, f.line) for f in result.findings if f.path == "r1.py"]


def test_alembic_writes_the_restated_key_column_null() -> None:
    buffer = io.StringIO()
    context = MigrationContext.configure(
        dialect_name="mysql", opts={"as_sql": True, "output_buffer": buffer}
    )
    operations = Operations(context)
    operations.alter_column(
        "ledger", "id", existing_type=sa.Integer(), type_=sa.BigInteger(), autoincrement=True
    )
    operations.alter_column(
        "ledger",
        "id",
        existing_type=sa.Integer(),
        type_=sa.BigInteger(),
        existing_nullable=False,
    )
    written = buffer.getvalue()
    assert "MODIFY id BIGINT NULL AUTO_INCREMENT" in written, written
    assert "MODIFY id BIGINT NOT NULL" in written, written


@pytest.mark.parametrize(
    "upgrade",
    [
        WIDEN.format(extra=""),
        WIDEN.format(extra=", nullable=True"),
        WIDEN.format(extra=", existing_nullable=True"),
        # a column of a composite key, renamed
        'op.alter_column("entry", "line", new_column_name="line_no", existing_type=sa.Integer())',
    ],
)
def test_a_primary_key_column_written_null_is_refused_on_mysql(
    tmp_path: Path, upgrade: str
) -> None:
    found = _findings(tmp_path, upgrade)
    assert [severity for code, severity, _ in found if code == "L330"] == ["error"], found
    assert not any(code == "L314" for code, _, _ in found), found  # refused: nothing copied


def test_the_downgrade_restating_the_key_is_refused_too(tmp_path: Path) -> None:
    downgrade = (
        'op.alter_column("ledger", "id", existing_type=sa.BigInteger(), type_=sa.Integer(), '
        "autoincrement=True)"
    )
    found = _findings(tmp_path, WIDEN.format(extra=", existing_nullable=False"), downgrade)
    assert [severity for code, severity, _ in found if code == "L330"] == ["error"], found


@pytest.mark.parametrize(
    "extra",
    [", existing_nullable=False", ", nullable=False", ", nullable=False, existing_nullable=True"],
)
def test_a_key_column_stated_not_null_is_a_copy_not_a_refusal(tmp_path: Path, extra: str) -> None:
    found = _findings(tmp_path, WIDEN.format(extra=extra))
    assert not any(code == "L330" for code, _, _ in found), found
    assert any(code == "L314" for code, _, _ in found), found


def test_a_rename_without_its_type_is_l322s_error_only(tmp_path: Path) -> None:
    upgrade = 'op.alter_column("entry", "line", new_column_name="line_no")'
    found = _findings(tmp_path, upgrade)
    assert any(code == "L322" for code, _, _ in found), found
    assert not any(code == "L330" for code, _, _ in found), found


def test_a_key_dropped_in_raw_sql_first_leaves_a_plain_column(tmp_path: Path) -> None:
    upgrade = (
        'op.execute("ALTER TABLE ledger DROP PRIMARY KEY, MODIFY id INT NOT NULL")\n'
        + WIDEN.format(extra="")
        + '\nop.execute("ALTER TABLE ledger ADD PRIMARY KEY (id)")'
    )
    found = _findings(tmp_path, upgrade)
    assert [severity for code, severity, _ in found if code == "L330"] != ["error"], found


def test_mariadb_keeps_the_key_not_null(tmp_path: Path) -> None:
    found = _findings(tmp_path, WIDEN.format(extra=""), target="mariadb-10.11")
    assert not any(code == "L330" for code, _, _ in found), found
    assert any(code == "L314" for code, _, _ in found), found


def test_a_column_outside_the_primary_key_is_l330s_warning(tmp_path: Path) -> None:
    upgrade = (
        'op.alter_column("ledger", "amount", existing_type=sa.Integer(), type_=sa.BigInteger())'
    )
    found = _findings(tmp_path, upgrade)
    assert [severity for code, severity, _ in found if code == "L330"] == ["warning"], found


def test_a_key_dropped_first_leaves_the_column_l330s_warning(tmp_path: Path) -> None:
    upgrade = (
        'op.drop_constraint("pk", "entry", type_="primary")\n'
        'op.alter_column("entry", "line", new_column_name="line_no", existing_type=sa.Integer())'
    )
    found = _findings(tmp_path, upgrade)
    assert [severity for code, severity, _ in found if code == "L330"] == ["warning"], found
