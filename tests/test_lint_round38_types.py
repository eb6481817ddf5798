"""Round r38's type classes, as rules over histories of our own revisions (issue 20):

- L307 / L314: an alter_column's existing_type= that an earlier revision's existing_type=
  contradicts (autogenerate's `mysql.TINYINT(display_width=1)` for the column, now a hand-written
  `existing_type=sa.Integer` with `type_=sa.Boolean`): the column already is the type asked
  for, nothing narrows or copies. A step retyping the column since, or an earlier word that is
  not the new type, leaves the finding. An integer's display width is no part of its type.
- L307 / L308 say the target's effect: INT to Boolean lowers a MySQL TINYINT's range (it does
  not "keep only 0/1"); on PostgreSQL a change with no assignment cast (to Boolean, a string to
  a number) fails outright and narrows nothing, and an unnamed Enum cannot be compiled there,
  so L308 (MySQL's ENUM positions) is MySQL/MariaDB's only; on SQLite a length or width bounds
  nothing, only a batch's CAST to a number or a date converts values.
- L301 / L314: autoincrement=True on an added column that is no key renders no AUTO_INCREMENT
  (`ADD COLUMN id INTEGER NOT NULL`, every existing row 0 on MySQL): an instant add, and the
  NOT NULL without a default is L301's; a key column stays L332's.
"""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding

MYSQL_HEADER = "from sqlalchemy.dialects import mysql"


def history(tmp_path: Path, *revisions: str, target: str = "mysql-8.0") -> list[Finding]:
    """Lint the revisions as one chain, each revising the one before."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"eeee{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.glob("*.py"))]
    options = LintOptions(target=parse_server_version(target))
    return list(lint_files(files, options).findings)


def found(findings: list[Finding], code: str) -> list[str]:
    """The files (r0.py, r1.py, ...) holding a `code` finding (not a notice), once each."""
    return [Path(f.path).name for f in findings if f.code == code and f.severity != "notice"]


def messages(findings: list[Finding], code: str) -> list[str]:
    return [f.message for f in findings if f.code == code and f.severity != "notice"]


def noticed(findings: list[Finding]) -> list[str]:
    """The files holding an L307 notice (a string made a number without evidence)."""
    return [Path(f.path).name for f in findings if f.code == "L307" and f.severity == "notice"]


def stated(existing_type: str, extra: str = "nullable=False") -> str:
    """A revision whose alter_column states the column's type as autogenerate writes it."""
    return revision(
        f'op.alter_column("reebill", "issued", existing_type={existing_type}, {extra})',
        header=MYSQL_HEADER,
    )


def retyped(existing_type: str, type_: str, column: str = "issued") -> str:
    return revision(
        f'op.alter_column("reebill", "{column}", existing_type={existing_type}, type_={type_})',
        f'op.alter_column("reebill", "{column}", existing_type={type_}, type_={existing_type})',
        header=MYSQL_HEADER,
    )


# L307 / L314: a loose existing_type= the history's own word contradicts


def test_a_flag_the_history_states_tinyint_1_is_already_boolean(tmp_path: Path) -> None:
    findings = history(
        tmp_path,
        stated("mysql.TINYINT(display_width=1)"),
        retyped("sa.Integer", "sa.Boolean"),
    )
    assert found(findings, "L307") == []
    assert found(findings, "L314") == []


def test_other_spellings_of_the_same_restatement(tmp_path: Path) -> None:
    spellings = [
        ("mysql.BOOLEAN()", "sa.INTEGER()", "sa.Boolean()"),
        ("sa.Boolean()", "sa.Integer()", "mysql.TINYINT(display_width=1)"),
        ("mysql.VARCHAR(length=50)", "sa.String(length=255)", "sa.String(50)"),
        ("mysql.INTEGER(display_width=11)", "sa.BigInteger()", "sa.INT()"),
    ]
    for number, (said, loose, new) in enumerate(spellings):
        folder = tmp_path / str(number)
        findings = history(folder, stated(said), retyped(loose, new))
        assert found(findings, "L307") == [], (said, loose, new)
        assert found(findings, "L314") == [], (said, loose, new)


def test_the_same_upgrade_stating_the_type_first_counts_too(tmp_path: Path) -> None:
    source = revision(
        """
        op.alter_column("reebill", "issued", existing_type=mysql.TINYINT(display_width=1),
                        nullable=True)
        op.alter_column("reebill", "issued", existing_type=sa.Integer, type_=sa.Boolean)
        """,
        header=MYSQL_HEADER,
    )
    assert found(history(tmp_path, source), "L307") == []


def test_an_int_the_history_states_is_narrowed_to_boolean(tmp_path: Path) -> None:
    findings = history(
        tmp_path,
        stated("mysql.INTEGER(display_width=11)"),
        retyped("sa.Integer", "sa.Boolean"),
    )
    assert found(findings, "L307") == ["r1.py"]
    assert messages(findings, "L307") == [
        "alter_column reebill.issued: Integer to Boolean lowers its range (BOOL is TINYINT(1) "
        "on MySQL)"
    ]
    assert found(findings, "L314") == ["r1.py"]


def test_a_retype_since_the_statement_makes_it_stale(tmp_path: Path) -> None:
    findings = history(
        tmp_path,
        stated("mysql.TINYINT(display_width=1)"),
        retyped("mysql.TINYINT(display_width=1)", "sa.Integer()"),
        retyped("sa.Integer", "sa.Boolean"),
    )
    assert found(findings, "L307") == ["r2.py"]


def test_a_statement_of_another_column_says_nothing(tmp_path: Path) -> None:
    findings = history(
        tmp_path,
        stated("mysql.TINYINT(display_width=1)"),
        retyped("sa.Integer", "sa.Boolean", column="paid"),
    )
    assert found(findings, "L307") == ["r1.py"]


def test_a_shortening_the_history_did_not_state_stays(tmp_path: Path) -> None:
    findings = history(
        tmp_path,
        stated("mysql.VARCHAR(length=255)"),
        retyped("sa.String(255)", "sa.String(50)"),
    )
    assert found(findings, "L307") == ["r1.py"]


def test_an_integer_display_width_is_no_type_change(tmp_path: Path) -> None:
    findings = history(tmp_path, retyped("mysql.INTEGER(display_width=11)", "sa.Integer()"))
    assert found(findings, "L314") == []
    wider = retyped("mysql.INTEGER(display_width=11)", "sa.BigInteger()")
    findings = history(tmp_path / "x", wider)
    assert found(findings, "L314") == ["r0.py"]


# L307 / L308 / L301: the target's effect


def test_integer_to_boolean_on_postgresql_fails_outright_no_narrowing(tmp_path: Path) -> None:
    source = retyped("sa.Integer", "sa.Boolean")
    assert found(history(tmp_path, source, target="postgresql"), "L307") == []
    assert found(history(tmp_path / "s", source, target="sqlite"), "L307") == []
    assert found(history(tmp_path / "m", source), "L307") == ["r0.py"]


def test_strings_to_numbers_on_postgresql_fail_without_a_cast(tmp_path: Path) -> None:
    for number, (old, new) in enumerate(
        [("sa.String(20)", "sa.Integer()"), ("sa.Text()", "sa.DateTime()")]
    ):
        source = retyped(old, new)
        assert found(history(tmp_path / f"p{number}", source, target="postgresql"), "L307") == []
        assert noticed(history(tmp_path / f"q{number}", source, target="postgresql")) == []
        # MySQL converts: the rows decide, a notice without evidence (issue 20)
        assert noticed(history(tmp_path / f"m{number}", source)) == ["r0.py"]


def test_a_using_cast_converts_every_value_on_postgresql(tmp_path: Path) -> None:
    source = revision(
        """
        op.alter_column("rooms", "latitude", existing_type=sa.String(), type_=sa.Float,
                        postgresql_using="latitude::double precision")
        op.alter_column("rooms", "active", existing_type=sa.Integer(), type_=sa.Boolean(),
                        postgresql_using="active::boolean")
        """
    )
    findings = history(tmp_path, source, target="postgresql")
    assert [f.message for f in findings if f.code == "L307"] == [
        "alter_column rooms.latitude: String to Float: a value that is not a number makes the "
        "ALTER fail; lint cannot tell what the rows hold",
        "alter_column rooms.active: Integer to Boolean keeps only true and false",
    ]
    # the string's values decide: a notice without evidence of one that fails (issue 20)
    assert [f.severity for f in findings if f.code == "L307"] == ["notice", "error"]


def test_shortenings_stay_on_postgresql(tmp_path: Path) -> None:
    for number, (old, new) in enumerate(
        [
            ("sa.String(255)", "sa.String(50)"),
            ("sa.BigInteger()", "sa.Integer()"),
            ("sa.Numeric(10, 4)", "sa.Numeric(10, 2)"),
            ("sa.DateTime()", "sa.Date()"),
        ]
    ):
        source = retyped(old, new)
        assert found(history(tmp_path / str(number), source, target="postgresql"), "L307") == [
            "r0.py"
        ], (old, new)


def test_sqlite_bounds_no_length_and_converts_only_in_a_batch(tmp_path: Path) -> None:
    shorter = retyped("sa.String(255)", "sa.String(50)")
    assert found(history(tmp_path / "a", shorter, target="sqlite"), "L307") == []
    plain = retyped("sa.String(20)", "sa.Integer()")
    assert found(history(tmp_path / "b", plain, target="sqlite"), "L307") == []
    batch = revision(
        """
        with op.batch_alter_table("reebill") as batch_op:
            batch_op.alter_column("code", existing_type=sa.String(20), type_=sa.Integer())
        """
    )
    assert noticed(history(tmp_path / "c", batch, target="sqlite")) == ["r0.py"]


def test_enum_removal_is_mysql_s_hazard_only(tmp_path: Path) -> None:
    source = revision(
        'op.alter_column("charge", "kind", type_=sa.Enum("supply", "distribution"), '
        'existing_type=sa.Enum("supply", "distribution", "other"))'
    )
    assert found(history(tmp_path / "m", source), "L308") == ["r0.py"]
    assert found(history(tmp_path / "p", source, target="postgresql"), "L308") == []
    assert found(history(tmp_path / "s", source, target="sqlite"), "L308") == []
    named = source.replace('"distribution")', '"distribution", name="kind")')
    assert found(history(tmp_path / "n", named, target="postgresql"), "L308") == []


def test_not_null_add_says_what_the_target_does(tmp_path: Path) -> None:
    source = revision('op.add_column("ledger", sa.Column("total", sa.Integer(), nullable=False))')
    assert messages(history(tmp_path / "p", source, target="postgresql"), "L301") == [
        "add_column ledger.total is NOT NULL without a server_default: PostgreSQL refuses it on "
        "a table with rows (the column would hold NULLs)"
    ]
    assert messages(history(tmp_path / "m", source), "L301") == [
        "add_column ledger.total is NOT NULL without a server_default: MySQL gives existing "
        "rows 0, PostgreSQL and SQLite refuse"
    ]


# L301 / L314: autoincrement=True on a column that is no key


def test_autoincrement_on_a_column_that_is_no_key_is_a_plain_not_null_add(tmp_path: Path) -> None:
    spellings = [
        'op.add_column("userbranch", sa.Column("id", sa.Integer(), autoincrement=True, '
        "nullable=False))",
        'with op.batch_alter_table("userbranch") as batch_op:\n'
        '    batch_op.add_column(sa.Column("id", sa.Integer(), autoincrement=True, '
        "nullable=False))",
        'op.add_column("userbranch", sa.Column("seq", sa.BigInteger, nullable=False, '
        "autoincrement=True, unique=True))",
    ]
    for number, upgrade in enumerate(spellings):
        findings = history(tmp_path / str(number), revision(upgrade))
        assert found(findings, "L301") == ["r0.py"], upgrade
        assert found(findings, "L314") == [] or "unique" in upgrade, upgrade
        assert all("AUTO_INCREMENT" not in f.message for f in findings), upgrade


def test_a_key_column_added_is_still_refused_not_filled(tmp_path: Path) -> None:
    source = revision(
        'op.add_column("userbranch", sa.Column("id", sa.Integer(), primary_key=True, '
        "autoincrement=True))"
    )
    findings = history(tmp_path, source)
    assert found(findings, "L332") == ["r0.py"]
    assert found(findings, "L301") == []


def test_a_created_column_that_is_no_key_is_not_auto_increment_later(tmp_path: Path) -> None:
    created = revision(
        """
        op.create_table("ticket", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False))
        """
    )
    made = revision(
        'op.alter_column("ticket", "seq", existing_type=sa.Integer(), autoincrement=True, '
        "existing_nullable=False)"
    )
    assert found(history(tmp_path / "a", created, made), "L314") == ["r1.py"]
    keyed = revision(
        'op.alter_column("ticket", "id", existing_type=sa.Integer(), autoincrement=True, '
        "existing_nullable=False)"
    )
    assert found(history(tmp_path / "b", created, keyed), "L314") == []
