"""L307: a string column made a number or a date is an error only on evidence (issue 20).

Checked on MariaDB 10.11 in strict mode: `ALTER TABLE t MODIFY c BIGINT` over a VARCHAR holding
'abc', '' or '2.5' fails (ERROR 1292 Truncated incorrect INTEGER value), over ' 45 ', '+8',
'007' converts; outside strict mode 'abc' and '' become 0 and '12abc' 12, with a warning. An
ENUM made INT holds each value's position (ENUM('5','7'): '7' becomes 2) without a warning.
Whether a string column's rows are numbers lint cannot see: ids held as text usually are
(rounds 41-43), so without evidence the finding is a notice that says how to check. A literal
the revisions write into the column that does not convert is evidence. Our own revisions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version


def l307(upgrade: str, target: str = "mysql-8.0") -> list[tuple[str, str, str]]:
    """(severity, message, fix) of each L307 of one revision."""
    options = LintOptions(target=parse_server_version(target))
    findings = lint_source(revision(upgrade), "versions/1234abcd5678_test.py", options).findings
    return [(f.severity, f.message, f.fix or "") for f in findings if f.code == "L307"]


def l307_of_history(tmp_path: Path, *upgrades: str) -> list[tuple[str, str, str]]:
    """(file, severity, message) of each L307 over a chain of revisions."""
    down = "base0000"
    for number, upgrade in enumerate(upgrades):
        revision_id = f"eeee{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(revision(upgrade), revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions())
    return [(f.path, f.severity, f.message) for f in report.findings if f.code == "L307"]


IDS_TO_BIGINT = (
    'op.alter_column("ban", "user_id", existing_type=mysql.VARCHAR(length=42), '
    "type_=sa.BigInteger(), existing_nullable=False)"
)


def alter(old: str, new: str, table: str = "ban", column: str = "user_id") -> str:
    return (
        f'op.alter_column("{table}", "{column}", existing_type={old}, type_={new}, '
        "existing_nullable=True)"
    )


# no evidence: a notice that says how to check


def test_ids_held_as_text_made_bigint_are_a_notice_with_the_check() -> None:
    [(severity, message, fix)] = l307("from sqlalchemy.dialects import mysql\n" + IDS_TO_BIGINT)
    assert severity == "notice"
    assert "VARCHAR(length=42) to BigInteger" in message or "to BigInteger" in message
    assert "a value that is not a number makes the ALTER fail in strict mode" in message
    assert "lint cannot tell what the rows hold" in message
    assert fix == (
        "check first: SELECT user_id FROM ban WHERE user_id NOT REGEXP '^ *[-+]?[0-9]+ *$'; "
        "clean those rows before"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("sa.Text()", "sa.Integer()"),  # a score kept as text
        ("sa.String(50)", "sa.DECIMAL(64, 0)"),
        ("sa.String(100)", "sa.Boolean()"),  # BOOL is TINYINT(1): '1' / '0' convert
        ("sa.Unicode(64)", "sa.Integer()"),
        ("sa.String(30)", "sa.Date()"),
    ],
)
def test_a_string_made_a_number_or_a_date_without_evidence_is_a_notice(old: str, new: str) -> None:
    [(severity, message, _)] = l307(alter(old, new))
    assert severity == "notice"
    kind = "a date" if "Date" in new else "a number"
    assert f"a value that is not {kind}" in message


@pytest.mark.parametrize(
    "before",
    [
        # numbers written as text convert ('1' / '0' into a BOOL, ' 7 ' into an INT)
        """op.execute("UPDATE ban SET user_id = '42' WHERE user_id IS NULL")""",
        """op.execute("INSERT INTO ban (id, user_id) VALUES (1, ' 7 '), (2, '+8')")""",
        # NULL is no value that fails; '' only read in the WHERE
        """op.execute("UPDATE ban SET user_id = NULL WHERE user_id = ''")""",
        # another column, another table
        """op.execute("UPDATE ban SET reason = 'spam'")""",
        """op.execute("UPDATE mute SET user_id = 'n/a'")""",
        """op.bulk_insert(sa.table("ban", sa.column("user_id")), [{"user_id": "1234"}])""",
    ],
)
def test_writes_that_convert_or_miss_the_column_leave_the_notice(before: str) -> None:
    [(severity, _, _)] = l307(before + "\n" + alter("sa.String(42)", "sa.BigInteger()"))
    assert severity == "notice"


def test_a_write_after_the_change_is_no_evidence() -> None:
    upgrade = (
        alter("sa.String(42)", "sa.BigInteger()")
        + "\n"
        + ("""op.execute("UPDATE ban SET user_id = 'n/a'")""")
    )
    assert [s for s, _, _ in l307(upgrade)] == ["notice"]


# evidence: the error stays, and says what shows it


@pytest.mark.parametrize(
    ("before", "shown"),
    [
        (
            """op.bulk_insert(sa.table("ban", sa.column("user_id")), [{"user_id": "n/a"}])""",
            "the upgrade writes 'n/a' into it first",
        ),
        (
            """op.execute("UPDATE ban SET user_id = 'unknown' WHERE user_id IS NULL")""",
            "the upgrade writes 'unknown' into it first",
        ),
        (
            """op.execute("INSERT INTO ban (id, user_id) VALUES (1, '12'), (2, 'system')")""",
            "the upgrade writes 'system' into it first",
        ),
        (
            """op.execute("UPDATE ban SET user_id = '' WHERE user_id IS NULL")""",
            "the upgrade writes '' into it first",  # '' fails in strict mode too
        ),
        (
            'ban = sa.table("ban", sa.column("user_id"))\n'
            'op.execute(ban.update().values(user_id="anonymous"))',
            "the upgrade writes 'anonymous' into it first",
        ),
    ],
)
def test_a_non_numeric_literal_the_upgrade_writes_first_keeps_the_error(
    before: str, shown: str
) -> None:
    [(severity, message, _)] = l307(before + "\n" + alter("sa.String(42)", "sa.BigInteger()"))
    assert severity == "error"
    assert "values that do not convert fail or become 0" in message
    assert f"({shown})" in message


@pytest.mark.parametrize("default", ['"n/a"', '""', "sa.text(\"'none'\")"])
def test_a_server_default_that_is_no_number_keeps_the_error(default: str) -> None:
    upgrade = alter("sa.String(42)", "sa.Integer()").replace(
        "existing_nullable=True", f"existing_server_default={default}"
    )
    [(severity, message, _)] = l307(upgrade)
    assert severity == "error"
    assert "its server default is" in message


def test_a_numeric_server_default_leaves_the_notice() -> None:
    upgrade = alter("sa.String(42)", "sa.Integer()").replace(
        "existing_nullable=True", 'existing_server_default="0"'
    )
    assert [s for s, _, _ in l307(upgrade)] == ["notice"]


def test_a_literal_an_earlier_revision_writes_keeps_the_error(tmp_path: Path) -> None:
    found = l307_of_history(
        tmp_path,
        'op.create_table("score", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("value", sa.Text()))',
        """op.execute("INSERT INTO score (id, value) VALUES (1, 'n/a')")""",
        'op.alter_column("score", "value", existing_type=sa.Text(), type_=sa.Integer())',
    )
    [(path, severity, message)] = found
    assert (path, severity) == ("r2.py", "error")
    assert "a revision before gives it the value 'n/a'" in message


def test_a_created_default_of_words_keeps_the_error(tmp_path: Path) -> None:
    found = l307_of_history(
        tmp_path,
        'op.create_table("score", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("value", sa.String(20), server_default="none"))',
        'op.alter_column("score", "value", type_=sa.Integer())',
    )
    assert [(p, s) for p, s, _ in found] == [("r1.py", "error")]


def test_the_history_s_numbers_leave_the_notice(tmp_path: Path) -> None:
    found = l307_of_history(
        tmp_path,
        'op.create_table("score", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("value", sa.String(20), server_default="0"))',
        """op.execute("INSERT INTO score (id, value) VALUES (1, '17')")""",
        'op.alter_column("score", "value", existing_type=sa.String(20), type_=sa.Integer())',
    )
    assert [(p, s) for p, s, _ in found] == [("r2.py", "notice")]


def test_words_written_into_a_flag_keep_the_error() -> None:
    before = """op.execute("UPDATE election SET listed = 'true'")"""
    [(severity, message, _)] = l307(
        before + "\n" + alter("sa.String(100)", "sa.Boolean()", "election", "listed")
    )
    assert severity == "error"
    assert "(BOOL is TINYINT(1) on MySQL)" in message


def test_a_date_column_s_default_that_is_no_date_keeps_the_error() -> None:
    upgrade = alter("sa.String(30)", "sa.Date()").replace(
        "existing_nullable=True", 'existing_server_default="never"'
    )
    assert [s for s, _, _ in l307(upgrade)] == ["error"]


# an ENUM or a JSON column: always an error


@pytest.mark.parametrize("members", ['"a", "b"', '"5", "7"'])
def test_an_enum_made_a_number_holds_positions(members: str) -> None:
    [(severity, message, _)] = l307(alter(f"sa.Enum({members})", "sa.Integer()"))
    assert severity == "error"
    assert "each value becomes its position among the members (1, 2, ...)" in message


def test_an_enum_of_dates_made_a_date_is_a_notice_and_of_words_an_error() -> None:
    [(severity, _, _)] = l307(alter('sa.Enum("2020-01-01", "2021-01-01")', "sa.Date()"))
    assert severity == "notice"
    [(severity, message, _)] = l307(alter('sa.Enum("2020-01-01", "never")', "sa.Date()"))
    assert (severity, "the ENUM holds 'never'" in message) == ("error", True)


def test_a_json_column_made_a_number_is_an_error() -> None:
    [(severity, _, _)] = l307(alter("sa.JSON()", "sa.Integer()"))
    assert severity == "error"


# other targets say their own effect


def test_postgresql_using_without_evidence_is_a_notice() -> None:
    upgrade = alter("sa.String(42)", "sa.Float()").replace(
        "existing_nullable=True", 'postgresql_using="user_id::double precision"'
    )
    [(severity, message, fix)] = l307(upgrade, "postgresql")
    assert severity == "notice"
    assert "a value that is not a number makes the ALTER fail;" in message
    assert "user_id !~" in fix


def test_a_sqlite_batch_without_evidence_is_a_notice() -> None:
    upgrade = (
        'with op.batch_alter_table("ban") as batch_op:\n'
        '    batch_op.alter_column("user_id", existing_type=sa.String(42), type_=sa.Integer())'
    )
    [(severity, message, fix)] = l307(upgrade, "sqlite")
    assert severity == "notice"
    assert "a value that is not a number becomes 0" in message
    assert "GLOB" in fix


# unchanged: narrowings of one kind


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("sa.String(100)", "sa.String(50)", "shortens it from 100 to 50 characters"),
        ("sa.BigInteger()", "sa.Integer()", "lowers its range"),
        ("sa.Numeric(12, 2)", "sa.Integer()", "drops the fraction"),
        ("sa.Text()", "sa.String(50)", "limits its length"),
    ],
)
def test_narrowings_of_one_kind_stay_errors(old: str, new: str, says: str) -> None:
    [(severity, message, _)] = l307(alter(old, new))
    assert severity == "error"
    assert says in message


@pytest.mark.parametrize(
    ("old", "new"), [("sa.Integer()", "sa.BigInteger()"), ("sa.String(50)", "sa.String(100)")]
)
def test_widenings_say_nothing(old: str, new: str) -> None:
    assert not l307(alter(old, new))


def test_mariadb_s_notice_names_its_error() -> None:
    [(severity, message, _)] = l307(alter("sa.String(42)", "sa.BigInteger()"), "mariadb-10.11")
    assert severity == "notice"
    assert "makes the ALTER fail in strict mode (ERROR 1292) or becomes 0 outside it" in message
