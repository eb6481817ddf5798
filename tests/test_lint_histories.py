"""The revision review on patterns of real histories it was not tuned to (issue 20): the target's
rule set, empty branch anchors, temporary tables, inverses the downgrade writes differently,
and the naming convention seen in the revisions themselves. Fixtures are our own snippets."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import sqlalchemy as sa
from alembic.operations import ops
from conftest import run_cli
from test_lint_rules import revision

from alembic_sentinel.drift.compare import drift_findings
from alembic_sentinel.flask_app import FlaskProject
from alembic_sentinel.hooks.alembic_drift import migrate_command
from alembic_sentinel.lint.commands import lint_options
from alembic_sentinel.lint.expressions import computed_name_pattern
from alembic_sentinel.lint.linter import (
    LintOptions,
    LintResult,
    lint_files,
    lint_source,
    read_module,
)
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding
from alembic_sentinel.settings import Overrides, resolve_settings


def chained(source: str, revision_id: str, down: str) -> str:
    """A revision() with its own place in a history: `revision_id` revising `down`."""
    return source.replace('revision = "1234abcd5678"', f'revision = "{revision_id}"').replace(
        'down_revision = "a8a2fc4e4c77"', f'down_revision = "{down}"'
    )


def lint(source: str, **options: Any) -> list[Finding]:
    target = options.pop("target", None)
    if target is not None:
        options["target"] = parse_server_version(target)
    return lint_source(source, "versions/1234abcd5678_test.py", LintOptions(**options)).findings


def codes(source: str, **options: Any) -> list[str]:
    return [finding.code for finding in lint(source, **options)]


STRING_WITHOUT_LENGTH = revision(
    'op.add_column("a", sa.Column("b", sa.String(), nullable=True))', 'op.drop_column("a", "b")'
)


# --- the target chooses the rule set ------------------------------------------------------


@pytest.mark.parametrize("text", ["postgresql", "PostgreSQL-15", "postgres", "sqlite"])
def test_postgresql_and_sqlite_are_targets(text: str) -> None:
    assert parse_server_version(text).is_mysql is False


def test_a_mysql_only_hazard_is_an_error_for_mysql_and_not_reported_for_postgresql() -> None:
    assert "L324" in codes(STRING_WITHOUT_LENGTH)
    assert "L324" not in codes(STRING_WITHOUT_LENGTH, target="postgresql")
    assert "L324" not in codes(STRING_WITHOUT_LENGTH, target="sqlite")


def test_postgresql_names_unnamed_constraints_itself_sqlite_does_not() -> None:
    source = revision(
        'op.create_foreign_key(None, "a", "t", ["t_id"], ["id"])',
        'op.drop_constraint("a_t_id_fkey", "a", type_="foreignkey")',
    )
    assert "L311" in codes(source)
    assert "L311" not in codes(source, target="postgresql")
    assert "L311" in codes(source, target="sqlite")


def test_a_copying_alter_is_no_finding_and_no_statement_on_postgresql() -> None:
    source = revision(
        'op.create_foreign_key("fk_a_t", "a", "t", ["t_id"], ["id"])',
        'op.drop_constraint("fk_a_t", "a", type_="foreignkey")',
    )
    options = LintOptions(naming_convention=True)
    assert [f.code for f in lint_source(source, "v.py", options).findings] == ["L314"]
    result = lint_source(
        source, "v.py", options._replace(target=parse_server_version("postgresql"))
    )
    assert result.findings == [] and result.statements == []


def test_a_revision_error_true_everywhere_stays_for_postgresql() -> None:
    source = revision(
        'op.add_column("a", sa.Column("b", sa.Integer(), nullable=False))',
        'op.drop_column("a", "b")',
    )
    assert "L301" in codes(source, target="postgresql")


# --- L317: empty anchors --------------------------------------------------------------------


def test_an_empty_base_revision_is_an_anchor() -> None:
    assert "L317" not in codes(revision("pass", down_revision="None"))


def test_an_empty_revision_opening_a_branch_is_an_anchor() -> None:
    source = revision("pass", header='branch_labels = ("tenant",)')
    assert "L317" not in codes(source)


def test_an_empty_revision_in_the_middle_of_a_history_is_reported() -> None:
    source = revision("pass", header="branch_labels = None")
    assert "L317" in codes(source)


# --- L318: which change is not undone; temporary tables -------------------------------------


def test_an_empty_downgrade_names_the_changes_it_leaves() -> None:
    source = revision(
        'op.add_column("account", sa.Column("plan", sa.Integer(), nullable=True))\n'
        'op.create_index("ix_account_plan", "account", ["plan"])'
    )
    [finding] = [f for f in lint(source) if f.code == "L318"]
    assert "add_column account.plan (line" in finding.message
    assert "create_index ix_account_plan on account" in finding.message


def test_a_table_created_and_dropped_in_the_upgrade_is_no_schema_change() -> None:
    source = revision(
        """
        op.create_table("scratch_ids", sa.Column("id", sa.Integer(), primary_key=True))
        op.execute("INSERT INTO scratch_ids (id) SELECT id FROM account")
        op.execute("DELETE FROM account WHERE id NOT IN (SELECT id FROM scratch_ids)")
        op.drop_table("scratch_ids")
        """
    )
    assert "L318" not in codes(source)


def test_a_table_created_and_kept_is_a_schema_change() -> None:
    source = revision('op.create_table("kept", sa.Column("id", sa.Integer(), primary_key=True))')
    assert "L318" in codes(source)


# --- L319: inverses written differently -----------------------------------------------------


def test_a_foreign_key_recreated_inside_create_table_undoes_its_drop() -> None:
    source = revision(
        """
        op.drop_constraint("fk_order_customer", "order", type_="foreignkey")
        op.drop_table("order")
        """,
        """
        op.create_table(
            "order",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("customer_id", sa.Integer()),
            sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name="fk_order_customer"),
        )
        """,
    )
    assert "L319" not in codes(source)


def test_a_foreign_key_dropped_and_not_recreated_names_the_alembic_operation() -> None:
    source = revision(
        'op.drop_constraint("fk_order_customer", "order", type_="foreignkey")',
        'op.drop_index("ix_other", table_name="order")',
    )
    [finding] = [f for f in lint(source) if f.code == "L319"]
    assert "expected op.create_foreign_key" in finding.message
    assert "create_constraint" not in finding.message


def test_a_batch_op_f_name_matches_the_plain_name() -> None:
    source = revision(
        """
        with op.batch_alter_table("a") as batch_op:
            batch_op.create_index(batch_op.f("ix_a_b"), ["b"])
        """,
        'op.drop_index("ix_a_b", table_name="a")',
    )
    assert "L319" not in codes(source)


# --- L311: the naming convention shown by the revisions -------------------------------------

UNNAMED_KEY = revision(
    'op.create_unique_constraint(None, "a", ["b"])',
    'op.drop_constraint("uq_a_b", "a", type_="unique")',
)
CONVENTION_NAMED = revision(
    'op.create_foreign_key(op.f("fk_a_t_id_t"), "a", "t", ["t_id"], ["id"])',
    'op.drop_constraint(op.f("fk_a_t_id_t"), "a", type_="foreignkey")',
)


def test_a_revision_naming_constraints_with_op_f_shows_the_convention() -> None:
    source = UNNAMED_KEY.replace(
        'op.create_unique_constraint(None, "a", ["b"])',
        'op.create_unique_constraint(None, "a", ["b"])\n    '
        'op.create_foreign_key(op.f("fk_a_t_id_t"), "a", "t", ["t_id"], ["id"])\n    '
        'op.create_check_constraint(op.f("ck_a_positive"), "a", "b > 0")',
    )
    assert "L311" not in codes(source, naming_convention=None)
    # the setting's answer wins over what the revision shows
    assert "L311" in codes(source, naming_convention=False)


def test_one_hand_written_op_f_name_is_no_convention() -> None:
    source = UNNAMED_KEY.replace(
        'op.create_unique_constraint(None, "a", ["b"])',
        'op.create_unique_constraint(None, "a", ["b"])\n    '
        'op.create_primary_key(op.f("pk_a"), "a", ["id"])',
    )
    assert "L311" in codes(source, naming_convention=None)


def test_an_index_named_by_op_f_does_not_show_a_convention() -> None:
    source = UNNAMED_KEY.replace(
        'op.create_unique_constraint(None, "a", ["b"])',
        'op.create_unique_constraint(None, "a", ["b"])\n    '
        'op.create_index(op.f("ix_a_c"), "a", ["c"])',
    )
    [finding] = [f for f in lint(source, naming_convention=None) if f.code == "L311"]
    assert "unless the MetaData has a naming_convention" in finding.message


def test_one_revision_of_the_history_shows_the_convention_for_all(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(UNNAMED_KEY)
    (tmp_path / "b.py").write_text(CONVENTION_NAMED)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    unknown = lint_files(files, LintOptions(naming_convention=None))
    assert [f.code for f in unknown.findings if f.code == "L311"] == []
    absent = lint_files(files, LintOptions(naming_convention=False))
    assert [f.path for f in absent.findings if f.code == "L311"] == ["a.py"]


# --- dialect branches are alternatives ------------------------------------------------------

DIALECT_BRANCHES = revision(
    """
    bind = op.get_bind()
    if bind.dialect.name == "mysql":
        op.execute("ALTER TABLE ledger MODIFY note VARCHAR(64) NOT NULL")
    else:
        op.alter_column("ledger", "note", type_=sa.String(), existing_type=sa.Text())
    """,
    """
    if op.get_bind().dialect.name == "mysql":
        op.execute("ALTER TABLE ledger MODIFY note TEXT")
    """,
)


def test_only_the_targets_dialect_branch_is_read() -> None:
    # the else branch (a String without length) is PostgreSQL's: not MySQL's problem
    assert "L324" not in codes(DIALECT_BRANCHES)
    assert "L319" not in codes(DIALECT_BRANCHES)


def test_a_dialect_name_in_a_variable_and_a_flag_choose_the_branch() -> None:
    source = revision(
        """
        dialect = context.get_context().dialect.name
        is_sqlite = dialect == "sqlite"
        if dialect in ("postgresql", "sqlite"):
            op.add_column("a", sa.Column("b", sa.String(), nullable=True))
        if not is_sqlite:
            op.add_column("a", sa.Column("c", sa.String(length=10), nullable=False))
        """,
        """
        op.drop_column("a", "c")
        """,
        header="from alembic import context",
    )
    assert codes(source) == ["L301"]


def test_a_dialect_flag_passed_through_bool_is_decided_on_the_target() -> None:
    source = revision(
        """
        conn = op.get_bind()
        is_sqlite = bool(conn.dialect.name == "sqlite")
        if is_sqlite:
            op.execute("PRAGMA foreign_keys=off")
            op.add_column("a", sa.Column("b", sa.String(), nullable=True))
        if not is_sqlite:
            op.add_column("a", sa.Column("c", sa.String(length=10), nullable=False))
        """,
        """
        op.drop_column("a", "c")
        """,
    )
    assert codes(source) == ["L301"]


def test_an_early_return_for_other_dialects_ends_the_upgrade() -> None:
    source = revision(
        """
        if op.get_bind().dialect.name != "postgresql":
            return
        op.add_column("a", sa.Column("b", sa.String(), nullable=False))
        """
    )
    assert codes(source) == []
    assert sorted(codes(source, target="postgresql")) == ["L301", "L318"]


@pytest.mark.parametrize(
    "holder",
    [
        "engine = op.get_bind().engine",
        "bind = op.get_bind()\n    engine = bind.engine",
        "engine = context.get_context().dialect",
    ],
)
def test_an_engine_or_dialect_held_in_a_variable_chooses_the_branch(holder: str) -> None:
    # `engine.name` of `engine = bind.engine` is the dialect's name: a SQLite-only branch that
    # drops a table, or a PostgreSQL-only one that drops a column, does not run on MySQL
    source = revision(
        f"""
    {holder}
    if engine.name == "sqlite":
        op.execute("DROP TABLE ledger")
        return
    if engine.name == "postgresql":
        op.drop_column("ledger", "note")
    op.add_column("ledger", sa.Column("memo", sa.String(40), nullable=True))
    """,
        'op.drop_column("ledger", "memo")',
        header="from alembic import context",
    )
    assert codes(source) == []
    assert "L304" in codes(source, target="sqlite")
    assert "L305" in codes(source, target="postgresql")


def test_another_variable_named_like_an_engine_keeps_both_branches() -> None:
    # `engine` here is no engine: its `.name` is a column's name, both branches stay
    source = revision(
        """
    engine = sa.Column("engine", sa.String(20))
    if engine.name == "sqlite":
        op.drop_column("ledger", "note")
    """
    )
    assert "L305" in codes(source)


IS_POSTGRES = '''
def is_postgres():
    """Whether the revision runs on PostgreSQL."""
    return op.get_context().dialect.name == "postgresql"
'''

DB_TYPE = """
def db_type():
    return op.get_context().dialect.name
"""


@pytest.mark.parametrize(
    ("test", "header"),
    [
        ('bind.dialect.dialect_description == "postgresql+psycopg2"', ""),
        ('bind.dialect.dialect_description.startswith("postgres")', ""),
        ('bind.engine.name.startswith(("postgres", "cockroach"))', ""),
        ("description == 'postgresql+psycopg2'", ""),
        ("bind.engine.name == POSTGRES", 'POSTGRES = "postgresql"'),
        ('bind and bind.engine.name == "postgresql"', ""),
        ('not (op.get_context().dialect.name != "postgresql" or FEATURE)', "FEATURE = True"),
        ("is_postgres()", IS_POSTGRES),
        ('db_type() == "postgresql"', DB_TYPE),
    ],
)
def test_every_form_of_a_dialect_test_chooses_the_branch(test: str, header: str) -> None:
    # the description ("name+driver"), a prefix, a module constant, an `and` already decided by
    # its dialect part, a same-file function returning the test or the name: on MySQL the
    # PostgreSQL branch does not run (no L305), on PostgreSQL it does
    source = revision(
        f"""
    bind = op.get_bind()
    description = bind.dialect.dialect_description
    if {test}:
        op.drop_column("ledger", "note")
    """,
        header=header,
    )
    assert "L305" not in codes(source)
    assert "L305" in codes(source, target="postgresql")


@pytest.mark.parametrize(
    ("test", "header"),
    [
        # a helper doing more than returning the test, an imported one: not read
        ("is_postgres()", 'def is_postgres():\n    log("asked")\n    return DIALECT == "pg"'),
        ("migration_utils.is_postgresql(bind)", "import migration_utils"),
        # a prefix naming the driver: the driver is not known before the run
        ('bind.dialect.dialect_description.startswith("mysql+pymysql")', ""),
        # `or` with an undecided part when the dialect part is False on MySQL
        ('bind.engine.name == "postgresql" or FEATURE', "FEATURE = True"),
    ],
)
def test_an_undecided_dialect_test_keeps_both_branches(test: str, header: str) -> None:
    source = revision(
        f"""
    bind = op.get_bind()
    if {test}:
        op.drop_column("ledger", "note")
    """,
        header=header,
    )
    assert "L305" in codes(source)


def test_a_test_that_is_not_about_the_dialect_keeps_both_branches() -> None:
    source = revision(
        """
        if FEATURE:
            op.add_column("a", sa.Column("b", sa.String(), nullable=True))
        else:
            op.add_column("a", sa.Column("c", sa.String(), nullable=True))
        """,
        header="FEATURE = True",
    )
    assert codes(source).count("L324") == 2


# --- a batch that rebuilds the table writes no CHANGE / MODIFY -----------------------------


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ('op.batch_alter_table("ledger", recreate="always")', []),
        ('op.batch_alter_table("ledger", copy_from=LEDGER, recreate="always")', []),
        ('op.batch_alter_table("ledger")', ["L322"]),
        ('op.batch_alter_table("ledger", recreate="auto")', ["L322"]),
    ],
)
def test_a_rebuilt_batch_needs_no_existing_type(opening: str, expected: list[str]) -> None:
    # recreate="always" copies the rows into a table built from the reflected one: Alembic
    # writes CREATE TABLE / INSERT ... SELECT, never the MODIFY that needs the existing type
    source = revision(
        f"""
    with {opening} as batch_op:
        batch_op.alter_column("state", new_column_name="phase")
    """,
        """
    with op.batch_alter_table("ledger", recreate="always") as batch_op:
        batch_op.alter_column("phase", new_column_name="state")
    """,
        header='LEDGER = sa.Table("ledger", sa.MetaData(), sa.Column("state", sa.String(8)))',
    )
    assert [c for c in codes(source) if c in ("L322", "L330")] == expected


# --- the same words twice at one line -------------------------------------------------------


def test_a_loop_over_tables_in_a_batch_says_each_thing_once() -> None:
    # the batch's table is computed from the loop's name: lint reads the body once per pass
    # and cannot name the table; the same notice twice is one thing to read
    source = revision(
        """
    for kind in ("rates", "fees"):
        with op.batch_alter_table(table_for(kind)) as batch_op:
            batch_op.alter_column("cost", type_=sa.Numeric(20, 8))
    """,
    )
    notices = [f.message for f in lint(source) if f.code == "L307"]
    assert len(notices) == 1 and notices[0].endswith("(once per pass: 2 times)")


def test_a_tuple_held_in_a_name_names_the_batch_tables() -> None:
    source = revision(
        """
    tables = ("rates", "fees")
    for name in tables:
        with op.batch_alter_table(name) as batch_op:
            batch_op.alter_column("cost", type_=sa.Numeric(20, 8))
    """,
    )
    notices = [f.message for f in lint(source) if f.code == "L307"]
    assert len(notices) == 2 and "rates.cost" in notices[0] and "fees.cost" in notices[1]


def test_different_tables_at_one_line_stay_separate() -> None:
    source = revision(
        """
    for name in ("rates", "fees"):
        op.alter_column(name, "cost", type_=sa.Numeric(20, 8))
    """
    )
    notices = [f.message for f in lint(source) if f.code == "L307"]
    assert len(notices) == 2 and "rates" in notices[0] and "fees" in notices[1]


# --- L330: what a restating MODIFY drops, from the revisions linted together ---------------

CREATES_PRODUCT = revision(
    """
    op.create_table(
        "product",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sku", sa.String(32), nullable=False, server_default=""),
        sa.Column("note", sa.String(32), nullable=True),
    )
    """,
    'op.drop_table("product")',
)
WIDENS_PRODUCT = revision(
    """
    op.alter_column("product", "sku", type_=sa.String(64), existing_type=sa.String(32))
    op.alter_column("product", "note", type_=sa.String(64), existing_type=sa.String(32))
    """,
    """
    op.alter_column(
        "product", "sku", type_=sa.String(32), existing_type=sa.String(64),
        existing_nullable=False, existing_server_default="",
    )
    op.alter_column("product", "note", type_=sa.String(32), existing_type=sa.String(64))
    """,
)


def test_a_restated_column_the_history_shows_not_null_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a_create.py").write_text(chained(CREATES_PRODUCT, "aaaa0001", "base0000"))
    (tmp_path / "b_widen.py").write_text(
        chained(
            WIDENS_PRODUCT.replace('existing_nullable=False, existing_server_default="",', ""),
            "aaaa0002",
            "aaaa0001",
        )
    )
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    found = [f for f in report.findings if f.code == "L330"]
    # sku (NOT NULL, a default) in the upgrade and the downgrade; note (nullable) never
    assert [(f.path, "product.sku" in f.message) for f in found] == [
        ("b_widen.py", True),
        ("b_widen.py", True),
    ]
    assert "NOT NULL" in found[0].message and "DEFAULT" in found[0].message


MAKES_SKU_NULLABLE = revision(
    'op.alter_column("product", "sku", nullable=True, existing_type=sa.String(32))',
    'op.alter_column("product", "sku", nullable=False, existing_type=sa.String(32))',
)


def l330_lines(tmp_path: Path, *revisions: str) -> list[tuple[str, str]]:
    """(file, column) of each L330 over a chain of revisions, the first creating product."""
    down = "base0000"
    for number, source in enumerate([CREATES_PRODUCT, *revisions]):
        revision_id = f"aaaa{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    return [
        (f.path, "sku" if "product.sku" in f.message else "other")
        for f in report.findings
        if f.code == "L330" and "NOT NULL" in f.message
    ]


def test_a_column_made_nullable_by_an_earlier_revision_loses_no_not_null(tmp_path: Path) -> None:
    widen = revision(
        'op.alter_column("product", "sku", type_=sa.String(64), existing_type=sa.String(32), '
        'existing_server_default="")'
    )
    assert l330_lines(tmp_path, MAKES_SKU_NULLABLE, widen) == []


def test_a_column_made_nullable_earlier_in_the_same_upgrade_loses_no_not_null(
    tmp_path: Path,
) -> None:
    both = revision(
        """
        op.alter_column("product", "sku", nullable=True, existing_type=sa.String(32))
        op.alter_column("product", "sku", type_=sa.String(64), existing_type=sa.String(32),
                        existing_server_default="")
        """
    )
    assert l330_lines(tmp_path, both) == []


def test_a_column_made_nullable_then_not_null_again_still_loses_its_not_null(
    tmp_path: Path,
) -> None:
    again = revision('op.alter_column("product", "sku", nullable=False, existing_nullable=True)')
    widen = revision(
        'op.alter_column("product", "sku", type_=sa.String(64), existing_type=sa.String(32), '
        'existing_server_default="")'
    )
    assert l330_lines(tmp_path, MAKES_SKU_NULLABLE, again, widen) == [("r3.py", "sku")]


def test_a_column_made_nullable_only_after_the_restatement_still_loses_its_not_null(
    tmp_path: Path,
) -> None:
    widen = revision(
        'op.alter_column("product", "sku", type_=sa.String(64), existing_type=sa.String(32), '
        'existing_server_default="")'
    )
    assert l330_lines(tmp_path, widen, MAKES_SKU_NULLABLE) == [("r1.py", "sku")]


def test_a_restated_column_nothing_shows_not_null_is_not_reported() -> None:
    source = revision(
        'op.alter_column("product", "note", type_=sa.String(64), existing_type=sa.String(32))',
        'op.alter_column("product", "note", type_=sa.String(32), existing_type=sa.String(64))',
    )
    assert "L330" not in codes(source)


def test_the_downgrade_stating_the_column_is_evidence_for_the_upgrade() -> None:
    # (L314: a VARCHAR widened past 255 bytes under utf8mb4 copies the table)
    assert [c for c in codes(WIDENS_PRODUCT, naming_convention=True) if c != "L314"] == ["L330"]


# --- the table's character set: utf8mb3 is 3 bytes a character, not utf8mb4's 4 ------------

CREATES_TAGS = revision(
    """
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(32), nullable=True),
        mysql_charset="utf8mb3",
    )
    """,
    'op.drop_table("tag")',
)
WIDENS_TAGS = revision(
    'op.alter_column("tag", "label", type_=sa.String(64), existing_type=sa.String(32), '
    "existing_nullable=True)",
    'op.alter_column("tag", "label", type_=sa.String(32), existing_type=sa.String(64), '
    "existing_nullable=True)",
)


def test_a_varchar_widened_under_256_bytes_of_utf8mb3_is_in_place(tmp_path: Path) -> None:
    (tmp_path / "a_create.py").write_text(chained(CREATES_TAGS, "aaaa0001", "base0000"))
    (tmp_path / "b_widen.py").write_text(chained(WIDENS_TAGS, "aaaa0002", "aaaa0001"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    assert [f.code for f in report.findings] == []
    assert {s["algorithm"] for s in report.facts["statements"] if s["path"] == "b_widen.py"} == {
        "INPLACE"
    }


def test_the_same_widening_under_utf8mb4_copies_the_table() -> None:
    # 64 characters of 4 bytes reach 256: the length prefix grows, ALGORITHM=COPY
    assert "L314" in codes(WIDENS_TAGS, naming_convention=True)


def test_a_key_under_utf8mb3_is_measured_at_3_bytes_a_character() -> None:
    source = revision(
        """
        op.create_table(
            "page",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("path", sa.String(1000), nullable=False),
            mysql_default_charset="utf8mb3",
        )
        op.create_index("ix_page_path", "page", ["path"])
        """,
        'op.drop_table("page")',
    )
    # 1,000 x 3 = 3,000 bytes fit InnoDB's 3,072; under utf8mb4 4,000 would not
    assert "L312" not in codes(source)
    assert "L312" in codes(source.replace('mysql_default_charset="utf8mb3"', 'comment="x"'))


# --- the CLI: the project's database chooses the target, said once -------------------------


def postgresql_project(root: Path, url: str = "postgresql://app@db.example/app") -> Path:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "alembic.ini").write_text(
        f"[alembic]\nscript_location = migrations\nsqlalchemy.url = {url}\n"
    )
    (root / "migrations" / "env.py").write_text("")
    (versions / "1234abcd5678_test.py").write_text(STRING_WITHOUT_LENGTH)
    return root


def test_lint_judges_for_the_database_the_project_names_and_says_so_once(tmp_path: Path) -> None:
    project = postgresql_project(tmp_path)
    result = run_cli(project, "lint", "--all")
    assert result.code == 0, result.output
    assert "error" in result.out and "L324 " not in result.out
    [said] = [line for line in result.out.splitlines() if "not applied" in line]
    assert said.startswith("target postgresql (the project's database URL)")
    assert "L324" in said and "L314" in said


def test_target_server_chooses_the_rule_set_over_the_url(tmp_path: Path) -> None:
    project = postgresql_project(tmp_path)
    result = run_cli(project, "lint", "--all", "--target-server", "mysql-8.0", "--format", "json")
    assert result.code == 1, result.output
    report = json.loads(result.out)
    assert report["target_server"] == "mysql-8.0"
    assert "L324" in [f["code"] for f in report["findings"]]


def test_a_mysql_url_keeps_the_mysql_rules_without_a_word(tmp_path: Path) -> None:
    project = postgresql_project(tmp_path, "mysql+pymysql://app@db.example/app")
    result = run_cli(project, "lint", "--all")
    assert result.code == 1 and "L324" in result.out
    assert "not applied" not in result.out


# --- hints name the command the user runs ---------------------------------------------------


def test_the_migrate_hint_names_the_projects_own_script_flask_or_alembic_sentinel(
    tmp_path: Path,
) -> None:
    plain = cast(Any, SimpleNamespace(root=tmp_path, command="alembic-sentinel"))
    assert migrate_command(plain) == "alembic-sentinel migrate"
    flask = cast(Any, SimpleNamespace(root=tmp_path, command="flask sentinel"))
    assert migrate_command(flask) == "flask sentinel migrate"
    (tmp_path / "db").write_text("#!/usr/bin/env python\n")
    assert migrate_command(plain) == "python db migrate"


def test_the_drift_fix_names_flask_sentinel_under_flask() -> None:
    diff = ops.UpgradeOps(
        ops=[ops.ModifyTableOps("user", [ops.AddColumnOp("user", sa.Column("x", sa.Integer()))])]
    )
    [finding] = drift_findings(diff, "flask sentinel")
    assert finding.fix is not None and finding.fix.startswith("flask sentinel migrate -m")
    assert "alembic-sentinel" not in finding.fix


# --- work done in helper functions and loops over literal names -----------------------------

HELPER_HEADER = """
def add_audit_columns(table, stamp="created_at"):
    op.add_column(table, sa.Column(stamp, sa.DateTime(), nullable=True))


def drop_audit_columns(table, stamp="created_at"):
    op.drop_column(table, stamp)
"""


def test_a_helper_called_per_table_is_undone_by_its_inverse_helper() -> None:
    source = revision(
        """
        add_audit_columns("invoice")
        add_audit_columns("payment", stamp="paid_at")
        """,
        """
        drop_audit_columns("payment", stamp="paid_at")
        drop_audit_columns("invoice")
        """,
        header=HELPER_HEADER,
    )
    assert codes(source) == []


def test_a_helper_call_the_downgrade_misses_is_reported_with_its_table() -> None:
    source = revision(
        """
        add_audit_columns("invoice")
        add_audit_columns("payment", stamp="paid_at")
        """,
        'drop_audit_columns("invoice")',
        header=HELPER_HEADER,
    )
    [finding] = lint(source)
    assert finding.code == "L319" and "payment.paid_at" in finding.message


def test_a_loop_over_literal_tables_is_read_once_per_table() -> None:
    source = revision(
        """
        for table in ("invoice", "payment"):
            op.add_column(table, sa.Column("note", sa.String(20), nullable=True))
        """,
        """
        for table in TABLES:
            op.drop_column(table, "note")
        """,
        header='TABLES = ["invoice"]',
    )
    [finding] = lint(source)
    assert finding.code == "L319" and "payment.note" in finding.message


def test_a_loop_over_pairs_binds_each_name() -> None:
    source = revision(
        """
        for table, column in [("invoice", "number"), ("payment", "reference")]:
            op.drop_column(table, column)
        """,
        """
        op.add_column("invoice", sa.Column("number", sa.String(20), nullable=True))
        op.add_column("payment", sa.Column("reference", sa.String(20), nullable=True))
        """,
    )
    found = [(f.code, f.message) for f in lint(source)]
    assert [code for code, _ in found] == ["L305", "L305"]
    assert "invoice.number" in found[0][1] and "payment.reference" in found[1][1]


# A downgrade undoes a loop by walking the same names backwards: reversed(X) and X[::-1] of a
# constant, a local list or a literal are read as the forward loop, name by name.
ADD_NOTES = """
for table in TABLES:
    op.add_column(table, sa.Column("note", sa.String(20), nullable=True))
"""
DROP_NOTES = """
for table in {walk}:
    op.drop_column(table, "note")
"""
LOCAL_TABLES = 'tables = ["invoice", "payment"]\n'


@pytest.mark.parametrize(
    "walk",
    [
        "reversed(TABLES)",
        "TABLES[::-1]",
        'reversed(("invoice", "payment"))',
        '["payment", "invoice"][::-1]',
    ],
)
def test_a_downgrade_walking_the_upgrade_names_backwards_undoes_each(walk: str) -> None:
    source = revision(
        ADD_NOTES, DROP_NOTES.format(walk=walk), header='TABLES = ("invoice", "payment")'
    )
    assert codes(source) == []


def test_a_downgrade_walking_a_local_list_backwards_undoes_each() -> None:
    source = revision(
        ADD_NOTES,
        LOCAL_TABLES + DROP_NOTES.format(walk="reversed(tables)"),
        header='TABLES = ("invoice", "payment")',
    )
    assert codes(source) == []


@pytest.mark.parametrize(
    ("walk", "local"),
    [
        ("reversed(SHORTER)", ""),
        ("SHORTER[::-1]", ""),
        ("reversed(tables)", 'tables = ["invoice", "receipt"]\n'),
        ('reversed(("invoice",))', ""),
    ],
)
def test_a_downgrade_walking_other_names_backwards_misses_one(walk: str, local: str) -> None:
    source = revision(
        ADD_NOTES,
        local + DROP_NOTES.format(walk=walk),
        header='TABLES = ("invoice", "payment")\nSHORTER = ["invoice"]',
    )
    [finding] = [f for f in lint(source) if f.code == "L319"]
    assert "payment.note" in finding.message


def test_a_downgrade_walking_pairs_backwards_binds_each_name() -> None:
    pairs = '[("invoice", "number"), ("payment", "reference")]'
    source = revision(
        f"""
        for table, column in {pairs}:
            op.add_column(table, sa.Column(column, sa.String(20), nullable=True))
        """,
        f"""
        for table, column in reversed({pairs}):
            op.drop_column(table, column)
        """,
    )
    assert codes(source) == []


def test_a_recursive_helper_is_read_once() -> None:
    source = revision(
        "again()",
        "pass",
        header='def again():\n    op.drop_column("a", "b")\n    again()',
    )
    assert codes(source).count("L305") == 1


# --- L306: a redesign of tables is no rename --------------------------------------------------


def tables_swapped(new_columns: str) -> str:
    return revision(
        f"""
        op.create_table(
            "delivery",
            sa.Column("id", sa.Integer(), primary_key=True),
            {new_columns}
        )
        op.drop_table("shipment")
        """,
        """
        op.create_table(
            "shipment",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("order_id", sa.Integer()),
            sa.Column("carrier", sa.String(40)),
            sa.Column("sent_at", sa.DateTime()),
        )
        op.drop_table("delivery")
        """,
    )


def test_a_new_table_with_the_dropped_tables_columns_may_be_a_rename() -> None:
    source = tables_swapped(
        'sa.Column("order_id", sa.Integer()), sa.Column("carrier", sa.String(40)),'
    )
    assert "L306" in codes(source)


def test_a_new_table_with_other_columns_is_a_redesign() -> None:
    source = tables_swapped('sa.Column("route_id", sa.Integer()), sa.Column("eta", sa.DateTime()),')
    assert "L306" not in codes(source)
    assert "L304" in codes(source)  # the rows are still lost


# --- the naming convention of a Flask app's metadata ------------------------------------------


def flask_settings(root: Path, convention: dict[str, str] | None) -> Any:
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
    settings = resolve_settings(Overrides(), environ={}, root=root, database=False)
    metadata = sa.MetaData(naming_convention=convention) if convention else sa.MetaData()
    app = FlaskProject("the Flask app shop (FLASK_APP)", None, metadata, None, {}, None, 1)
    return settings._replace(flask=app)


def test_a_flask_apps_metadata_with_a_convention_names_the_constraints(tmp_path: Path) -> None:
    settings = flask_settings(tmp_path, {"fk": "fk_%(table_name)s_%(column_0_name)s"})
    assert lint_options(settings).naming_convention is True


def test_a_flask_apps_metadata_with_only_the_default_index_convention_has_none(
    tmp_path: Path,
) -> None:
    assert lint_options(flask_settings(tmp_path, None)).naming_convention is False


def test_without_any_metadata_the_convention_is_unknown_not_absent(tmp_path: Path) -> None:
    settings = flask_settings(tmp_path, None)._replace(flask=None)
    assert lint_options(settings).naming_convention is None


def test_a_temporary_table_in_raw_sql_is_no_schema_change() -> None:
    source = revision(
        """
        op.execute("CREATE TEMPORARY TABLE keep_ids AS SELECT MIN(id) AS id FROM tag GROUP BY name")
        op.execute("DELETE FROM tag WHERE id NOT IN (SELECT id FROM keep_ids)")
        op.execute("DROP TEMPORARY TABLE keep_ids")
        """
    )
    assert "L318" not in codes(source)


def test_a_scratch_table_created_and_dropped_in_raw_sql_is_no_schema_change() -> None:
    source = revision(
        """
        op.execute("CREATE TABLE scratch_tag (id INT PRIMARY KEY)")
        op.execute("INSERT INTO scratch_tag (id) SELECT id FROM tag")
        op.execute("DROP TABLE scratch_tag")
        op.create_index("ix_tag_name", "tag", ["name"])
        """
    )
    [finding] = [f for f in lint(source) if f.code == "L318"]
    assert "1 schema change(s)" in finding.message and "ix_tag_name" in finding.message
    assert "scratch_tag" not in finding.message


def test_a_key_recreated_unnamed_under_the_convention_undoes_its_drop() -> None:
    source = revision(
        'op.drop_constraint("uq_tag_name", "tag", type_="unique")',
        'op.create_unique_constraint(None, "tag", ["name"])',
    )
    assert "L319" not in codes(source, naming_convention=True)


def test_a_key_recreated_unnamed_on_another_table_does_not() -> None:
    source = revision(
        'op.drop_constraint("uq_tag_name", "tag", type_="unique")',
        'op.create_unique_constraint(None, "label", ["name"])',
    )
    assert "L319" in codes(source, naming_convention=True)


def test_the_rename_fix_carries_the_type_the_downgrade_restores() -> None:
    source = revision(
        """
        op.add_column("member", sa.Column("email", sa.String(120), nullable=True))
        op.drop_column("member", "mail")
        """,
        """
        op.add_column("member", sa.Column("mail", sa.String(120), nullable=True))
        op.drop_column("member", "email")
        """,
    )
    [finding] = [f for f in lint(source) if f.code == "L306"]
    assert finding.fix == (
        "op.alter_column('member', 'mail', new_column_name='email', "
        "existing_type=sa.String(120), existing_nullable=True)"
    )


def test_a_loop_over_many_tables_is_one_finding_saying_how_many_more() -> None:
    tables = ", ".join(f'"t{n}"' for n in range(6))
    source = revision(
        f"""
        for table in ({tables}):
            op.drop_column(table, "legacy")
        """,
        f"""
        for table in ({tables}):
            op.add_column(table, sa.Column("legacy", sa.String(10), nullable=True))
        """,
    )
    [finding] = lint(source)
    assert finding.code == "L305" and "t0.legacy" in finding.message
    assert finding.message.endswith("(+5 more L305 at this line)")


# --- L319: inverses under a table renamed in the same revision, keys declared on columns ----


def test_changes_to_a_renamed_table_are_undone_under_its_old_name() -> None:
    source = revision(
        """
        op.rename_table("crew", "team")
        op.alter_column("team", "crew_lead", new_column_name="lead", existing_type=sa.Integer())
        op.drop_column("team", "motto")
        """,
        """
        op.rename_table("team", "crew")
        op.alter_column("crew", "lead", new_column_name="crew_lead", existing_type=sa.Integer())
        op.add_column("crew", sa.Column("motto", sa.String(40), nullable=True))
        """,
    )
    assert "L319" not in codes(source)


def test_a_change_not_undone_under_either_name_is_reported() -> None:
    source = revision(
        """
        op.rename_table("crew", "team")
        op.drop_column("team", "motto")
        """,
        'op.rename_table("team", "crew")',
    )
    [finding] = [f for f in lint(source) if f.code == "L319"]
    assert "team.motto" in finding.message


def test_a_foreign_key_recreated_on_an_added_column_undoes_its_drop() -> None:
    source = revision(
        """
        op.drop_constraint("fk_crew_ship", "crew", type_="foreignkey")
        op.drop_column("crew", "ship_id")
        """,
        """
        op.add_column(
            "crew",
            sa.Column("ship_id", sa.Integer(), sa.ForeignKey("ship.id", name="fk_crew_ship")),
        )
        """,
    )
    assert "L319" not in codes(source)


# --- L304 / L305: values taken from the rows of a loop before the drop ----------------------

LOOP_HEADER = """
invoice = sa.table(
    "invoice",
    sa.column("id", sa.Integer()),
    sa.column("paid_on", sa.Date()),
    sa.column("memo", sa.String(80)),
)
payment = sa.table(
    "payment",
    sa.column("invoice_id", sa.Integer()),
    sa.column("paid_on", sa.Date()),
)
"""


def test_values_collected_into_rows_for_a_bulk_insert_were_copied() -> None:
    source = revision(
        """
        op.create_table(
            "payment",
            sa.Column("invoice_id", sa.Integer(), nullable=False),
            sa.Column("paid_on", sa.Date()),
        )
        rows = []
        for row in op.get_bind().execute(sa.select(invoice)):
            rows.append({"invoice_id": row.id, "paid_on": row._mapping["paid_on"]})
        op.bulk_insert(payment, rows)
        op.drop_column("invoice", "paid_on")
        """,
        """
        op.add_column("invoice", sa.Column("paid_on", sa.Date(), nullable=True))
        op.drop_table("payment")
        """,
        header=LOOP_HEADER,
    )
    assert "L305" not in codes(source)


def test_rows_read_by_position_copy_every_column_of_the_table_looped_over() -> None:
    source = revision(
        """
        for row in op.get_bind().execute(invoice.select()):
            op.execute(payment.insert().values(invoice_id=row[0], paid_on=row[1]))
        op.drop_column("invoice", "paid_on")
        op.drop_table("invoice_archive")
        """,
        """
        op.create_table("invoice_archive", sa.Column("id", sa.Integer(), primary_key=True))
        op.add_column("invoice", sa.Column("paid_on", sa.Date(), nullable=True))
        """,
        header=LOOP_HEADER,
    )
    found = codes(source)
    assert "L305" not in found
    assert "L304" in found  # another table, never read


def test_a_column_the_loop_never_reads_is_still_lost() -> None:
    source = revision(
        """
        for row in op.get_bind().execute(sa.select(invoice)):
            op.execute(payment.insert().values(invoice_id=row.id, paid_on=row.paid_on))
        op.drop_column("invoice", "memo")
        """,
        'op.add_column("invoice", sa.Column("memo", sa.String(80), nullable=True))',
        header=LOOP_HEADER,
    )
    assert "L305" in codes(source)


# --- L309: keys that cannot meet duplicates, shown by the revision or the history -------------

DUPLICATE_CHECK_HEADER = """
membership = sa.table("membership", sa.column("club_id"), sa.column("person_id"))


def refuse_duplicates(bind):
    found = bind.execute(
        sa.select(membership.c.club_id)
        .group_by(membership.c.club_id, membership.c.person_id)
        .having(sa.func.count() > 1)
    ).all()
    if found:
        raise RuntimeError(f"duplicate memberships: {found}")
"""


def test_a_revision_counting_duplicates_itself_is_not_reported() -> None:
    source = revision(
        """
        refuse_duplicates(op.get_bind())
        op.create_unique_constraint("uq_membership", "membership", ["club_id", "person_id"])
        """,
        'op.drop_constraint("uq_membership", "membership", type_="unique")',
        header=DUPLICATE_CHECK_HEADER,
    )
    assert "L309" not in codes(source)


def test_a_duplicate_count_in_sql_over_other_columns_does_not_count() -> None:
    source = revision(
        """
        op.execute(
            "UPDATE audit SET flagged = 1 WHERE id IN (SELECT id FROM audit GROUP BY id "
            "HAVING COUNT(*) > 1)"
        )
        op.create_unique_constraint("uq_membership", "membership", ["club_id", "person_id"])
        """,
        'op.drop_constraint("uq_membership", "membership", type_="unique")',
    )
    assert "L309" in codes(source)


def test_a_key_filled_with_the_id_of_a_row_inserted_per_row_is_unique() -> None:
    source = revision(
        """
        op.add_column("device", sa.Column("attrs_id", sa.BigInteger(), nullable=True))
        bind = op.get_bind()
        for row in bind.execute(sa.select(device.c.id)):
            made = bind.execute(attrs.insert().values(kind="device"))
            bind.execute(
                device.update()
                .where(device.c.id == row.id)
                .values(attrs_id=made.inserted_primary_key[0])
            )
        op.create_unique_constraint("uq_device_attrs_id", "device", ["attrs_id"])
        """,
        """
        op.drop_constraint("uq_device_attrs_id", "device", type_="unique")
        op.drop_column("device", "attrs_id")
        """,
        header='device = sa.table("device", sa.column("id"), sa.column("attrs_id"))\n'
        'attrs = sa.table("attrs", sa.column("id"), sa.column("kind"))',
    )
    assert "L309" not in codes(source)


def test_a_key_filled_by_an_f_string_update_with_a_uuid_per_row_is_unique() -> None:
    source = revision(
        """
        op.add_column("ticket", sa.Column("ref", sa.String(36), nullable=True))
        for row in op.get_bind().execute(sa.text("SELECT id FROM ticket")):
            op.execute(f"UPDATE ticket SET ref = '{uuid.uuid4()}' WHERE id = {row.id}")
        op.create_unique_constraint("uq_ticket_ref", "ticket", ["ref"])
        """,
        """
        op.drop_constraint("uq_ticket_ref", "ticket", type_="unique")
        op.drop_column("ticket", "ref")
        """,
        header="import uuid",
    )
    assert "L309" not in codes(source)


def test_a_superset_of_a_primary_key_an_earlier_revision_made_is_unique(tmp_path: Path) -> None:
    (tmp_path / "b_create.py").write_text(
        chained(
            revision(
                'op.create_table("port", sa.Column("id", sa.String(36), primary_key=True), '
                'sa.Column("net_id", sa.String(36)))',
                'op.drop_table("port")',
            ),
            "aaaa0001",
            "base0000",
        )
    )
    later = revision(
        'op.create_unique_constraint("uq_port_id_net_id", "port", ["id", "net_id"])',
        'op.drop_constraint("uq_port_id_net_id", "port", type_="unique")',
    )
    # the file order is not the graph's: a_key.py revises b_create.py
    (tmp_path / "a_key.py").write_text(chained(later, "aaaa0002", "aaaa0001"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    assert [f.code for f in report.findings if f.code == "L309"] == []
    # alone, nothing shows the primary key: the key may meet duplicates
    assert "L309" in codes(later)


def test_a_key_a_later_revision_adds_does_not_make_an_earlier_one_safe(tmp_path: Path) -> None:
    first = revision(
        'op.create_unique_constraint("uq_port_net_id", "port", ["net_id"])',
        'op.drop_constraint("uq_port_net_id", "port", type_="unique")',
    )
    second = revision(
        'op.create_unique_constraint("uq_port_net_id_host", "port", ["net_id", "host"])',
        'op.drop_constraint("uq_port_net_id_host", "port", type_="unique")',
    )
    (tmp_path / "a.py").write_text(chained(first, "aaaa0001", "base0000"))
    (tmp_path / "b.py").write_text(chained(second, "aaaa0002", "aaaa0001"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(naming_convention=True))
    # b's key is a superset of a's: safe; a's own key (and b's, later) cannot vouch for a
    assert [f.path for f in report.findings if f.code == "L309"] == ["a.py"]


def test_graph_depths_follow_down_revision_not_the_file_order() -> None:
    from alembic_sentinel.lint.history import graph_depths
    from alembic_sentinel.lint.revision_reader import read_revision_module

    sources = [
        chained(revision("pass"), "c3", "b2"),
        chained(revision("pass"), "a1", "base"),
        chained(revision("pass"), "b2", "a1"),
        chained(revision("pass", down_revision='("b2", "a1")'), "m4", "unused"),
    ]
    modules = [read_revision_module(text, "v.py") for text in sources]
    assert graph_depths(modules) == [2, 0, 1, 2]


def test_rows_of_a_reflected_table_moved_elsewhere_before_its_drop_are_copied() -> None:
    source = revision(
        """
        bind = op.get_bind()
        old = load_table(OLD, bind)
        moved = []
        for record in bind.execute(old.select()):
            moved.append({"id": record.id, "size": record.size})
        op.bulk_insert(new, moved)
        op.drop_table(OLD)
        """,
        'op.create_table("snapshot_member", sa.Column("id", sa.Integer(), primary_key=True))',
        header='OLD = "snapshot_member"\nnew = sa.table("snapshot", sa.column("id"), '
        'sa.column("size"))\n\n\ndef load_table(name, bind):\n'
        "    return sa.Table(name, sa.MetaData(), autoload_with=bind)",
    )
    assert "L304" not in codes(source)
    assert "L304" in codes(
        source.replace('moved.append({"id": record.id, "size": record.size})', "pass")
    )


# --- L309: a warning when the revision's own writes can make rows alike, else a notice -------


def test_a_bare_unique_key_over_existing_columns_is_a_notice() -> None:
    source = revision(
        'op.create_unique_constraint("uq_node_serial", "node", ["serial"])',
        'op.drop_constraint("uq_node_serial", "node", type_="unique")',
    )
    [finding] = [f for f in lint(source) if f.code == "L309"]
    assert finding.severity == "notice" and "node(serial)" in finding.message


def test_a_key_over_a_column_the_upgrade_normalised_first_is_a_warning() -> None:
    source = revision(
        """
        op.execute("UPDATE node SET serial = UPPER(serial)")
        op.create_unique_constraint("uq_node_serial", "node", ["serial"])
        """,
        'op.drop_constraint("uq_node_serial", "node", type_="unique")',
    )
    [finding] = [f for f in lint(source) if f.code == "L309"]
    assert finding.severity == "warning" and "writes the key's columns first" in finding.message


def test_a_key_numbered_per_row_by_the_loop_cannot_meet_duplicates() -> None:
    source = revision(
        """
        op.add_column("slot", sa.Column("position", sa.Integer(), nullable=True))
        bind = op.get_bind()
        for index, row in enumerate(bind.execute(sa.select(slot.c.id))):
            bind.execute(slot.update().where(slot.c.id == row.id).values(position=index + 1))
        op.create_unique_constraint("uq_slot_position", "slot", ["position"])
        """,
        """
        op.drop_constraint("uq_slot_position", "slot", type_="unique")
        op.drop_column("slot", "position")
        """,
        header='slot = sa.table("slot", sa.column("id"), sa.column("position"))',
    )
    assert "L309" not in codes(source)
    # the same loop writing one value for every row makes them alike
    alike = source.replace("values(position=index + 1)", "values(position=row.group)")
    [finding] = [f for f in lint(alike) if f.code == "L309"]
    assert finding.severity == "warning"


def test_a_new_column_with_a_server_default_is_a_new_design_not_a_rename() -> None:
    source = revision(
        """
        op.add_column("ride", sa.Column("source", sa.String(20), server_default="gps",
                                        nullable=False))
        op.drop_column("ride", "origin")
        """,
        """
        op.add_column("ride", sa.Column("origin", sa.String(20), nullable=True))
        op.drop_column("ride", "source")
        """,
    )
    found = codes(source)
    assert "L306" not in found and "L305" in found


def test_a_downgrade_rebuilding_the_table_through_a_copy_undoes_its_changes() -> None:
    source = revision(
        """
        op.drop_constraint("PRIMARY", "setting", type_="primary")
        op.drop_column("setting", "scope")
        op.create_primary_key("pk_setting", "setting", ["name"])
        """,
        """
        op.create_table(
            scratch,
            sa.Column("scope", sa.String(20), primary_key=True),
            sa.Column("name", sa.String(40), primary_key=True),
        )
        op.drop_table("setting")
        op.rename_table(scratch, "setting")
        """,
        header='scratch = "_setting_" + "copy"',
    )
    assert "L319" not in codes(source)
    unrebuilt = source.replace('op.rename_table(scratch, "setting")', "pass")
    assert "L319" in codes(unrebuilt)


def test_postgresqls_uuid_type_is_native_on_mariadb_10_7_not_on_mysql() -> None:
    source = revision(
        'op.add_column("ticket", sa.Column("ref", postgresql.UUID(), nullable=True))',
        'op.drop_column("ticket", "ref")',
        header="from sqlalchemy.dialects import postgresql",
    )
    assert "L331" in codes(source, target="mysql-8.0")
    assert "L331" in codes(source, target="mariadb-10.6")
    assert "L331" not in codes(source, target="mariadb-10.11")


def test_every_rule_is_run_by_one_check_that_names_its_code() -> None:
    from alembic_sentinel.lint.catalogue import RULES
    from alembic_sentinel.lint.linter import CHECKS

    named = [code for codes, _ in CHECKS for code in codes]
    # L314 comes from the DDL classes, L320/L321 from the suppressions, R601 from the plan
    assert sorted(named) == sorted(set(RULES) - {"L314", "L320", "L321", "R601"})


def test_two_columns_added_for_one_dropped_is_a_redesign_not_a_rename() -> None:
    source = revision(
        """
        op.add_column("case", sa.Column("opened_at", sa.DateTime(), nullable=True))
        op.add_column("case", sa.Column("closed_at", sa.DateTime(), nullable=True))
        op.drop_column("case", "stable_at")
        """,
        """
        op.add_column("case", sa.Column("stable_at", sa.DateTime(), nullable=True))
        op.drop_column("case", "closed_at")
        op.drop_column("case", "opened_at")
        """,
    )
    found = codes(source)
    assert "L306" not in found and "L305" in found
    one_for_one = source.replace(
        '    op.add_column("case", sa.Column("closed_at", sa.DateTime(), nullable=True))\n', ""
    )
    assert "L306" in codes(one_for_one)


# round 23: the new columns are filled from another column (one the upgrade reads, then drops
# later) and by values computed per row, in a loop after the drop: neither is the dropped one
REFILLED = """
op.add_column("job", sa.Column("settings", sa.JSON(), nullable=True))
op.add_column("job", sa.Column("settings_log", sa.JSON(), nullable=True))
op.drop_column("job", "legacy_flags")
job = sa.table("job", sa.column("id"), sa.column("config"), sa.column("settings"),
               sa.column("settings_log"), sa.column("started"))
conn = op.get_bind()
for row in conn.execute(job.select()):
    log = [] if row.started is None else [{"started": row.started}]
    conn.execute(
        job.update()
        .where(job.c.id == row.id)
        .values({"settings": job.c.config, "settings_log": log})
    )
op.drop_column("job", "config")
"""


def test_new_columns_filled_from_another_source_are_no_rename_of_the_dropped_one() -> None:
    found = codes(revision(REFILLED, "pass"))
    assert "L306" not in found and "L305" in found  # legacy_flags' values are still lost


def test_a_new_column_the_upgrade_does_not_fill_may_still_be_the_dropped_one_renamed() -> None:
    # settings not written at all (config, no longer read, kept): one new column for one dropped
    upgrade = REFILLED.replace('"settings": job.c.config, ', "")
    upgrade = upgrade.replace('op.drop_column("job", "config")', "")
    assert "L306" in codes(revision(upgrade, "pass"))


@pytest.mark.parametrize(
    ("sql", "flagged"),
    [
        ("UPDATE t SET a = b::int", True),
        ("SELECT 1 /* a::int, ILIKE, RETURNING */", False),
        ("UPDATE t SET note = 'cast with ::int' -- RETURNING id", False),
        ("UPDATE t SET note = 'it''s ::text' WHERE a ILIKE 'x'", True),
        ("DELETE FROM t # ON CONFLICT", False),
    ],
)
def test_postgresql_syntax_counts_only_outside_strings_and_comments(
    sql: str, flagged: bool
) -> None:
    source = revision(f"op.execute({sql!r})", "pass")
    assert ("L331" in codes(source, target="mysql-8.0")) is flagged


# --- inverses named by the MetaData's naming_convention templates ---------------------------


def test_templates_read_from_the_metadata_pair_a_create_with_the_name_it_gets() -> None:
    from alembic_sentinel.lint.naming_convention import named_object, possible_names

    source = revision(
        'op.create_index(None, "ticket", ["queue_id", "opened"], unique=True)\n'
        'op.create_foreign_key(None, "ticket", "queue", ["queue_id"], ["id"])',
        'op.drop_index("ticket__queue_id_opened__idx", table_name="ticket")\n'
        'op.drop_constraint("ticket_queue_id_fk_queue", "ticket", type_="foreignkey")',
    )
    templates = {
        "ix": "%(table_name)s__%(column_0_N_name)s__idx",
        "fk": "%(table_name)s_%(column_0_name)s_fk_%(referred_table_name)s",
    }
    module = read_module(source, "versions/1234abcd5678_test.py", LintOptions())
    assert not isinstance(module, LintResult) and module.upgrade is not None
    index, key = (named_object(op) for op in module.upgrade.operations)
    assert index is not None and key is not None
    assert any(
        p.fullmatch("ticket__queue_id_opened__idx") for p in possible_names(index, templates)
    )
    assert any(p.fullmatch("ticket_queue_id_fk_queue") for p in possible_names(key, templates))
    assert not any(p.fullmatch("ticket__queue_id__idx") for p in possible_names(index, templates))


def test_a_downgrade_dropping_the_template_name_undoes_a_named_check() -> None:
    source = revision(
        'op.create_check_constraint("open_after_created", "ticket", "opened >= created")',
        'op.drop_constraint("chk_ticket_open_after_created", "ticket", type_="check")',
    )
    read = {"ck": "chk_%(table_name)s_%(constraint_name)s"}
    assert "L319" not in codes(source, naming_convention=True, naming_templates=read)
    # the documented template would call it ck_ticket_open_after_created: not this name
    assert "L319" in codes(
        source,
        naming_convention=True,
        naming_templates={"ck": "ck_%(table_name)s_%(constraint_name)s"},
    )
    # without a convention the name is kept as written
    assert "L319" in codes(source, naming_convention=False)


def test_a_callable_token_of_the_project_matches_any_text() -> None:
    source = revision(
        'op.drop_index("ix_uq_ticket_number", table_name="ticket")',
        'op.create_index(None, "ticket", ["number"], unique=True)',
    )
    templates = {"ix": "ix_%(unique_prefix)s%(table_name)s_%(column_names)s"}
    assert "L319" not in codes(source, naming_convention=True, naming_templates=templates)
    other = source.replace('["number"]', '["serial"]')
    assert "L319" in codes(
        other,
        naming_convention=True,
        naming_templates={"ix": "ix_%(table_name)s_%(column_0_name)s"},
    )


# --- one finding per rule and revision past a few (grouping.py) ---------------------------


def squashed_initial(tables: int) -> str:
    """A squashed first revision: `tables` child tables, each with an unnamed foreign key."""
    creates = "\n".join(
        f'op.create_table("child{n}", sa.Column("id", sa.Integer, primary_key=True),'
        f' sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id")))'
        for n in range(tables)
    )
    return revision(
        'op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True))\n' + creates,
        down_revision="None",
    )


def test_many_unnamed_foreign_keys_of_one_revision_are_one_finding_naming_each() -> None:
    findings = [f for f in lint(squashed_initial(6), target="mysql-8.0") if f.code == "L311"]
    assert len(findings) == 1
    assert "for 5 more in this revision" in findings[0].message
    for n in range(1, 6):
        assert f"child{n}.parent_id (line " in findings[0].message
    assert (
        findings[0].line
        == squashed_initial(6)
        .splitlines()
        .index(next(x for x in squashed_initial(6).splitlines() if '"child0"' in x))
        + 1
    )


def test_a_grouped_finding_names_every_object_merged_at_one_line() -> None:
    # round 40: a create_table with five unnamed foreign keys is one hit at its line ("+4 more
    # at this line"); the revision's grouped finding listed only the first of them
    five = ", ".join(f'sa.Column("p{n}", sa.Integer, sa.ForeignKey("parent.id"))' for n in range(5))
    source = revision(
        'op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True))\n'
        'op.create_table("a", sa.Column("id", sa.Integer, primary_key=True),'
        ' sa.Column("p", sa.Integer, sa.ForeignKey("parent.id")))\n'
        'op.create_table("b", sa.Column("id", sa.Integer, primary_key=True),'
        ' sa.Column("p", sa.Integer, sa.ForeignKey("parent.id")))\n'
        'op.create_table("c", sa.Column("id", sa.Integer, primary_key=True),'
        ' sa.Column("p", sa.Integer, sa.ForeignKey("parent.id")))\n'
        f'op.create_table("many", sa.Column("id", sa.Integer, primary_key=True), {five})',
        down_revision="None",
    )
    findings = [f for f in lint(source, target="mysql-8.0") if f.code == "L311"]
    assert len(findings) == 1
    assert "for 7 more in this revision" in findings[0].message
    for n in range(5):
        assert f"many.p{n} (line " in findings[0].message


def test_a_few_findings_of_one_rule_stay_separate() -> None:
    findings = [f for f in lint(squashed_initial(3), target="mysql-8.0") if f.code == "L311"]
    assert len(findings) == 3
    assert not any("more in this revision" in f.message for f in findings)


def test_errors_are_never_grouped() -> None:
    drops = "\n".join(f'op.drop_constraint(None, "t{n}", type_="foreignkey")' for n in range(5))
    findings = [f for f in lint(revision("pass", drops)) if f.code == "L310"]
    assert len(findings) == 5


def test_a_suppressed_operation_is_left_out_of_the_group() -> None:
    source = squashed_initial(6).replace(
        'op.create_table("child2"',
        "# sentinel: ignore[L311] -- named by the server, dropped by its _ibfk_ name later\n"
        '    op.create_table("child2"',
    )
    result = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    grouped = [f for f in result.findings if f.code == "L311"]
    assert len(grouped) == 1 and "for 4 more" in grouped[0].message
    assert "child2" not in grouped[0].message
    assert [s.finding.code for s in result.suppressed] == ["L311"]


# --- L318: a history forward-only by convention -----------------------------------------------


def history_of(tmp_path: Path, downgrades: list[str | None]) -> LintResult:
    """A chain of revisions, each adding a column, their downgrade() bodies as given (None: no
    downgrade() at all); the last one's is `pass`, and it is the revision judged."""
    down = "a8a2fc4e4c77"
    for number, body in enumerate([*downgrades, "pass"]):
        revision_id = f"f0{number:010d}"
        upgrade = f'op.add_column("ledger", sa.Column("c{number}", sa.Integer(), nullable=True))'
        source = chained(revision(upgrade, body), revision_id, down)
        (tmp_path / f"{revision_id}.py").write_text(source)
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    return lint_files(files, LintOptions())


def l318_paths(result: LintResult) -> list[str]:
    return [f.path for f in result.findings if f.code == "L318"]


def test_an_empty_downgrade_where_no_revision_has_one_is_the_convention(tmp_path: Path) -> None:
    assert l318_paths(history_of(tmp_path, [None, None, None])) == []


def test_an_empty_downgrade_where_every_revision_writes_pass_is_the_convention(
    tmp_path: Path,
) -> None:
    assert l318_paths(history_of(tmp_path, ["pass", "pass"])) == []


def test_one_revision_that_undoes_something_makes_an_empty_downgrade_an_omission(
    tmp_path: Path,
) -> None:
    undoing = 'op.drop_column("ledger", "c1")'
    assert l318_paths(history_of(tmp_path, [None, None, undoing])) == ["f00000000003.py"]


def test_a_history_too_short_to_show_a_convention_keeps_the_finding(tmp_path: Path) -> None:
    assert l318_paths(history_of(tmp_path, [None])) == ["f00000000001.py"]


UNDOES = 'op.drop_column("ledger", "c0")'


def test_a_long_run_of_empty_downgrades_after_the_project_stopped_undoing_is_the_convention(
    tmp_path: Path,
) -> None:
    # undoing revisions first, then five without an inverse (empty and missing mixed)
    history = [UNDOES, UNDOES, "pass", None, "pass", "pass"]
    assert l318_paths(history_of(tmp_path, history)) == []


def test_a_long_run_between_undoing_revisions_is_the_convention_the_short_ones_are_not(
    tmp_path: Path,
) -> None:
    # f01..f05: a paused run of five; f07: a lone pass between two undoing revisions;
    # f09 (the judged last one): one pass after an undoing revision
    history = [UNDOES, "pass", "pass", None, "pass", "pass", UNDOES, "pass", UNDOES]
    assert l318_paths(history_of(tmp_path, history)) == ["f00000000007.py", "f00000000009.py"]


def test_a_run_too_short_for_a_convention_in_a_history_that_undoes_keeps_its_findings(
    tmp_path: Path,
) -> None:
    # four empty downgrades after an undoing one: as likely forgotten as a policy
    history = [UNDOES, UNDOES, "pass", "pass", "pass"]
    assert l318_paths(history_of(tmp_path, history)) == [f"f0000000000{n}.py" for n in (2, 3, 4, 5)]


def test_a_revision_linted_alone_keeps_the_finding() -> None:
    source = revision('op.add_column("ledger", sa.Column("c", sa.Integer(), nullable=True))')
    assert "L318" in codes(source)


# --- tables created under computed names ----------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "table", "matches"),
    [
        ('"shadow_" + name', "shadow_instances", True),
        ('"shadow_" + name', "instances", False),
        ('f"{name}_history"', "ledger_history", True),
        ('f"{name}_history"', "ledger_archive", False),
        ('"%s_archive" % name', "ledger_archive", True),
        ('"%s_archive" % name', "archive", False),
        ("name", "anything", None),
        ('"ledger"', "ledger", None),
    ],
)
def test_a_computed_table_name_matches_tables_with_its_literal_parts(
    expression: str, table: str, matches: bool | None
) -> None:
    pattern = computed_name_pattern(cast(ast.expr, ast.parse(expression, mode="eval").body))
    if matches is None:
        assert pattern is None
    else:
        assert bool(pattern is not None and pattern.fullmatch(table)) is matches


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("DROP FUNCTION IF EXISTS next_number(int, char)", True),
        ("DROP FUNCTION next_number (integer)", True),
        ("DROP PROCEDURE IF EXISTS app.renumber(int)", True),
        # MySQL's own form: the bare name
        ("DROP FUNCTION IF EXISTS next_number", False),
        ("DROP PROCEDURE renumber", False),
    ],
)
def test_a_function_dropped_by_its_postgresql_signature_is_refused_on_mysql(
    sql: str, refused: bool
) -> None:
    # round 35: PostgreSQL names an overloaded function by its argument types (ERROR 1064 on
    # MySQL/MariaDB near '(int, char)'); not on PostgreSQL itself
    source = revision(f'op.execute("{sql}")', f'op.execute("{sql}")')
    assert ("L331" in codes(source, target="mysql-8.0")) is refused
    assert "L331" not in codes(source, target="postgresql")


# --- L318: raw SQL with nothing to undo; the SQL named in the message ------------------------


def test_an_enum_value_added_and_triggers_toggled_around_updates_leave_nothing_to_undo() -> None:
    source = revision(
        """
        op.execute("ALTER TYPE plan_kind ADD VALUE 'TRIAL'")
        op.execute("ALTER TABLE ledger DISABLE TRIGGER balanced; ALTER TABLE fee DISABLE TRIGGER t")
        limit = 10
        op.execute(f"UPDATE ledger SET amount = {limit} WHERE amount > {limit}")
        op.execute("ALTER TABLE ledger ENABLE TRIGGER balanced; ALTER TABLE fee ENABLE TRIGGER t")
        """
    )
    assert "L318" not in codes(source, target="postgresql")


def test_a_trigger_left_off_or_an_enum_value_renamed_is_a_change_named_by_its_sql() -> None:
    left_off = revision('op.execute("ALTER TABLE ledger DISABLE TRIGGER balanced")')
    [finding] = [f for f in lint(left_off, target="postgresql") if f.code == "L318"]
    assert 'execute "ALTER TABLE ledger DISABLE TRIGGER balanced" (line' in finding.message
    assert "named by a variable" not in finding.message
    renamed = revision("op.execute(\"ALTER TYPE plan_kind RENAME VALUE 'TRIAL' TO 'TRY'\")")
    assert "L318" in codes(renamed, target="postgresql")
    # (a name bound to a literal is folded into the SQL since round 14: a call's value is not)
    dynamic = revision('kind = type_name()\nop.execute(f"ALTER TYPE {kind} RENAME TO old_kind")')
    [finding] = [f for f in lint(dynamic, target="postgresql") if f.code == "L318"]
    assert "execute (SQL lint cannot read) (line" in finding.message


# --- messages quote the expression that names a table or an object at run time ---------------


def test_a_foreign_key_dropped_by_run_time_names_quotes_them() -> None:
    source = revision(
        """
        inspector = sa.inspect(op.get_bind())
        for fk in inspector.get_foreign_keys("ledger"):
            with op.batch_alter_table(fk["referred_table"]) as batch_op:
                batch_op.drop_constraint(fk["name"], type_="foreignkey")
        """
    )
    [finding] = [f for f in lint(source) if f.code == "L327"]
    assert "named by `fk['name']` on the table `fk['referred_table']`" in finding.message
    assert "?" not in finding.message and "(unnamed)" not in finding.message


def test_a_foreign_key_dropped_without_a_name_says_unnamed_and_a_literal_table() -> None:
    source = revision('op.drop_constraint(None, "ledger", type_="foreignkey")')
    [finding] = [f for f in lint(source) if f.code == "L327"]
    assert "foreign key (unnamed) on ledger:" in finding.message


def test_an_add_column_on_a_table_in_an_expression_quotes_it() -> None:
    source = revision(
        """
        for name in sa.inspect(op.get_bind()).get_table_names():
            op.add_column(name + "_log", sa.Column("note", sa.String(20), nullable=False))
        """
    )
    [finding] = [f for f in lint(source) if f.code == "L301"]
    assert "the table `name + '_log'`" in finding.message


# --- round 6A: what a column already is, from the revisions before (L302, L305, L306) ------


def chain_findings(tmp_path: Path, upgrades: list[str], code: str) -> list[Finding]:
    """The `code` findings of the last of a chain of revisions with these upgrade() bodies."""
    tmp_path.mkdir(exist_ok=True)
    down = "a8a2fc4e4c77"
    for number, body in enumerate(upgrades):
        revision_id = f"f6{number:010d}"
        source = chained(revision(body, "pass"), revision_id, down)
        (tmp_path / f"{revision_id}.py").write_text(source)
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    return [f for f in result.findings if f.code == code and f.path == f"{down}.py"]


RETYPE_NOT_NULL = 'op.alter_column("invoice", "number", type_=sa.String(40), nullable=False)'


@pytest.mark.parametrize(
    "created",
    [
        'sa.Column("number", sa.String(20), nullable=False)',
        'sa.Column("number", sa.String(20), primary_key=True)',
        'sa.Column("number", sa.String(20)), sa.PrimaryKeyConstraint("number")',
    ],
    ids=["not-null", "primary-key", "primary-key-constraint"],
)
def test_not_null_restated_on_a_column_an_earlier_revision_made_not_null(
    tmp_path: Path, created: str
) -> None:
    create = f'op.create_table("invoice", {created})'
    assert chain_findings(tmp_path, [create, RETYPE_NOT_NULL], "L302") == []


def test_not_null_made_nullable_again_since_or_never_stated_keeps_l302(tmp_path: Path) -> None:
    create = 'op.create_table("invoice", sa.Column("number", sa.String(20), nullable=False))'
    relaxed = 'op.alter_column("invoice", "number", existing_type=sa.String(20), nullable=True)'
    assert len(chain_findings(tmp_path / "a", [create, relaxed, RETYPE_NOT_NULL], "L302")) == 1
    nullable = 'op.create_table("invoice", sa.Column("number", sa.String(20)))'
    assert len(chain_findings(tmp_path / "b", [nullable, RETYPE_NOT_NULL], "L302")) == 1
    # alone, nothing shows what the column was
    assert codes(revision(RETYPE_NOT_NULL)).count("L302") == 1


# --- round 23: a column filled in every row by an earlier revision (L302) --------------------

ADD_VOUCHER_CODE = 'op.add_column("voucher", sa.Column("code", sa.String(12), nullable=True))'
VOUCHER_CODE_NOT_NULL = (
    'op.alter_column("voucher", "code", existing_type=sa.String(12), nullable=False)'
)
PER_ROW_LOOP = """
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, legacy FROM voucher"))
    for row in rows:
        bind.execute(
            sa.text("UPDATE voucher SET code = :code WHERE id = :id"),
            {"code": row.legacy, "id": row.id},
        )
"""


def with_add(fill: str) -> str:
    return ADD_VOUCHER_CODE + "\n" + textwrap.dedent(fill).strip()


@pytest.mark.parametrize(
    "fill",
    [
        "op.execute(\"UPDATE voucher SET code = 'none'\")",
        'op.get_bind().execute(sa.text("UPDATE voucher SET code = :c WHERE code IS NULL"), '
        '{"c": "x"})',
        "op.execute(\"UPDATE voucher SET code = 'x' WHERE voucher.code IS NULL\")",
        PER_ROW_LOOP,
    ],
    ids=["no-where", "where-null", "where-qualified-null", "per-row-loop"],
)
def test_not_null_after_an_earlier_revision_filled_every_row(tmp_path: Path, fill: str) -> None:
    steps = [with_add(fill), VOUCHER_CODE_NOT_NULL]
    assert chain_findings(tmp_path, steps, "L302") == []


@pytest.mark.parametrize(
    "steps",
    [
        [with_add("op.execute(\"UPDATE voucher SET code = 'x' WHERE kind = 'gift'\")")],
        [with_add('op.execute("UPDATE voucher SET code = NULL")')],
        [with_add("op.execute(\"UPDATE voucher SET code = 'x' LIMIT 100\")")],
        [with_add(PER_ROW_LOOP.replace("FROM voucher", "FROM voucher WHERE legacy <> ''"))],
        [with_add(PER_ROW_LOOP.replace("SELECT id, legacy FROM voucher", "SELECT id FROM gift"))],
        [with_add("op.execute(\"UPDATE voucher SET label = 'x'\")")],
        [
            with_add("op.execute(\"UPDATE voucher SET code = 'none'\")"),
            'op.execute("INSERT INTO voucher (id) VALUES (7)")',
        ],
        [
            with_add("op.execute(\"UPDATE voucher SET code = 'none'\")"),
            'op.bulk_insert(sa.table("voucher", sa.column("id")), [{"id": 7}])',
        ],
        [
            with_add("op.execute(\"UPDATE voucher SET code = 'none'\")"),
            'op.drop_column("voucher", "code")\n' + ADD_VOUCHER_CODE,
        ],
    ],
    ids=[
        "other-rows-only",
        "set-to-null",
        "limited",
        "loop-over-some-rows",
        "loop-over-another-table",
        "another-column",
        "rows-inserted-since",
        "bulk-insert-since",
        "dropped-and-added-since",
    ],
)
def test_not_null_without_a_fill_of_every_row_before_keeps_l302(
    tmp_path: Path, steps: list[str]
) -> None:
    assert len(chain_findings(tmp_path, [*steps, VOUCHER_CODE_NOT_NULL], "L302")) == 1


# --- round 23: NOT NULL restated both ways around a type change (L302) ----------------------

WIDEN_KEY = (
    'op.alter_column("ticket", "id", type_=sa.BigInteger(), existing_type=sa.Integer(), '
    "nullable=False)"
)


@pytest.mark.parametrize(
    ("upgrade", "downgrade", "flagged"),
    [
        (
            WIDEN_KEY,
            'op.alter_column("ticket", "id", type_=sa.Integer(), '
            "existing_type=sa.BigInteger(), nullable=False)",
            False,
        ),
        (
            WIDEN_KEY,
            'op.alter_column("ticket", "id", type_=sa.Integer(), existing_nullable=False)',
            False,
        ),
        (
            WIDEN_KEY,
            'op.alter_column("ticket", "id", type_=sa.Integer(), nullable=True)',
            True,
        ),
        (WIDEN_KEY, 'op.drop_column("ticket", "extra")', True),
        (
            WIDEN_KEY,
            'op.alter_column("ticket", "id", type_=sa.Integer())',
            True,
        ),
        (
            'op.alter_column("ticket", "id", existing_type=sa.Integer(), nullable=False)',
            'op.alter_column("ticket", "id", existing_type=sa.Integer(), nullable=False)',
            True,
        ),
    ],
    ids=[
        "downgrade-restates-not-null",
        "downgrade-existing-nullable",
        "downgrade-makes-it-nullable",
        "no-alter-back",
        "alter-back-silent",
        "no-type-change",
    ],
)
def test_not_null_restated_by_both_directions_of_a_type_change(
    upgrade: str, downgrade: str, flagged: bool
) -> None:
    assert ("L302" in codes(revision(upgrade, downgrade))) is flagged


def test_a_column_dropped_and_added_again_is_not_the_old_not_null_one(tmp_path: Path) -> None:
    create = 'op.create_table("invoice", sa.Column("number", sa.String(20), nullable=False))'
    again = """
        op.drop_column("invoice", "number")
        op.add_column("invoice", sa.Column("number", sa.String(20), nullable=True))
    """
    assert len(chain_findings(tmp_path, [create, again, RETYPE_NOT_NULL], "L302")) == 1


@pytest.mark.parametrize(
    ("made", "flagged"),
    [
        ('sa.Computed("net + tax")', False),
        ('sa.Computed("net + tax", persisted=True)', False),
        ("nullable=True", True),
        ("sa.Identity()", True),
    ],
    ids=["virtual", "stored", "plain", "identity"],
)
def test_a_column_an_earlier_revision_made_generated_is_dropped_without_l305(
    tmp_path: Path, made: str, flagged: bool
) -> None:
    add = f'op.add_column("invoice", sa.Column("gross", sa.Integer(), {made}))'
    drop = 'op.drop_column("invoice", "gross")'
    assert len(chain_findings(tmp_path, [add, drop], "L305")) == int(flagged)


KEY_COLUMN = """
    op.add_column("job", sa.Column("run_key", sa.String(80), nullable=True))
    op.create_unique_constraint(None, "job", ["run_key", "claimed"])
"""
REDESIGN = """
    op.drop_column("job", "run_key")
    op.add_column("job", sa.Column("key", sa.String(250), nullable=True))
"""


def test_a_key_column_replaced_by_one_no_key_covers_is_a_redesign_not_a_rename(
    tmp_path: Path,
) -> None:
    assert chain_findings(tmp_path, [KEY_COLUMN, REDESIGN], "L306") == []
    # the values are still lost: L305 says so
    assert len(chain_findings(tmp_path, [KEY_COLUMN, REDESIGN], "L305")) == 1


def test_a_key_that_moves_to_the_new_column_or_no_key_known_keeps_l306(tmp_path: Path) -> None:
    moved = REDESIGN + '    op.create_unique_constraint(None, "job", ["key", "claimed"])'
    assert len(chain_findings(tmp_path / "a", [KEY_COLUMN, moved], "L306")) == 1
    plain = 'op.add_column("job", sa.Column("run_key", sa.String(80), nullable=True))'
    assert len(chain_findings(tmp_path / "b", [plain, REDESIGN], "L306")) == 1


# --- a name narrowed by `if name == "t":` -------------------------------------------------

LEDGER_CREATED = revision(
    """
    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("scope", sa.String(40), nullable=True),
    )
    """,
    'op.drop_table("ledger")',
)


@pytest.mark.parametrize(
    ("columns", "flagged"),
    [
        ('["code", "scope"]', False),  # a superset of `code`, unique since the first revision
        ('["scope"]', True),  # no known key inside it: the rows may hold duplicates
    ],
)
def test_a_table_picked_by_its_name_in_a_loop_is_known(
    tmp_path: Path, columns: str, flagged: bool
) -> None:
    # `for name, table in Base.metadata.tables.items(): if name == "ledger":` names the table
    # inside the branch: its earlier unique keys count, and the finding names it
    picked = chained(
        revision(
            f"""
        for name, table in Base.metadata.tables.items():
            if name == "ledger":
                with op.batch_alter_table(name, copy_from=table) as batch_op:
                    batch_op.create_unique_constraint("uq_ledger_code_scope", {columns})
        """,
            header="Base = sa.orm.declarative_base()",
        ),
        "2234abcd5678",
        "1234abcd5678",
    )
    (tmp_path / "a.py").write_text(LEDGER_CREATED)
    (tmp_path / "b.py").write_text(picked)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    found = [f for f in lint_files(files, LintOptions()).findings if f.code == "L309"]
    assert bool(found) is flagged
    assert all("on ledger(" in f.message for f in found)


# --- round 9: decisions stated in words, no-op links, redesigned tables, keys from inserts ---

DROPS_A_TABLE = 'op.execute("DROP TABLE IF EXISTS old_bookkeeping")'


@pytest.mark.parametrize(
    "downgrade",
    [
        '"""We aren\'t going to recreate `old_bookkeeping` here."""\npass',
        "# irreversible: the old tool's table is gone for good\npass",
        '"""This change cannot be undone."""\npass',
        "# intentionally left empty: the data is not restored\npass",
        '"""The table is not recreated; the old tool is retired."""',
        "# we will not restore the table\npass",
        # round 10: why nothing is undone, in other words
        "# there should be no need to disable/remove the index when downgrading.\npass",
        '"""Not necessary: the old table is empty by now."""',
        "# nothing to undo, the table held scratch rows only\npass",
        "# leave the new index in place\npass",
        '"""The column can stay; older code ignores it."""\npass',
        "# keeping it is harmless\npass",
    ],
)
def test_an_empty_downgrade_that_says_it_does_not_undo_is_a_decision(downgrade: str) -> None:
    assert "L318" not in codes(revision(DROPS_A_TABLE, downgrade))


@pytest.mark.parametrize(
    "downgrade",
    [
        "pass",
        '"""Downgrade the schema."""\npass',
        "# ### commands auto generated by Alembic - please adjust! ###\npass\n# ### end ###",
        "# TODO\npass",
        # round 10: a TODO is no decision even in the words of one; an instruction, a need
        "# TODO: no need to drop the table?\npass",
        "# FIXME leave it in place for now\npass",
        "# need to recreate the table\npass",
        "# remove the index\npass",
        '"""Revert the change."""\npass',
    ],
)
def test_an_empty_downgrade_that_states_no_decision_is_still_reported(downgrade: str) -> None:
    assert "L318" in codes(revision(DROPS_A_TABLE, downgrade))


def _history(tmp_path: Path, sources: list[tuple[str, str, str]]) -> list[Finding]:
    for number, (text, revision_id, down) in enumerate(sources):
        (tmp_path / f"{number:02d}_{revision_id}.py").write_text(chained(text, revision_id, down))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    return lint_files(files, LintOptions(naming_convention=True)).findings


UNDOING = revision(
    'op.add_column("t", sa.Column("c", sa.Integer(), nullable=True))', 'op.drop_column("t", "c")'
)


def test_an_empty_revision_later_revisions_build_on_is_a_link_not_an_omission(
    tmp_path: Path,
) -> None:
    found = _history(
        tmp_path,
        [
            (UNDOING, "aaaa0001", "base0000"),
            (revision("pass"), "aaaa0002", "aaaa0001"),
            (UNDOING, "aaaa0003", "aaaa0002"),
        ],
    )
    assert [f.path for f in found if f.code == "L317"] == []


def test_an_empty_revision_at_a_head_or_with_a_downgrade_is_still_reported(
    tmp_path: Path,
) -> None:
    found = _history(
        tmp_path,
        [
            (UNDOING, "aaaa0001", "base0000"),
            # built on, but its downgrade undoes something: the upgrade was forgotten
            (revision("pass", 'op.drop_column("t", "c")'), "aaaa0002", "aaaa0001"),
            (UNDOING, "aaaa0003", "aaaa0002"),
            # nothing built on it yet: it may be one being written
            (revision("pass"), "aaaa0004", "aaaa0003"),
        ],
    )
    assert sorted(f.path for f in found if f.code == "L317") == [
        "01_aaaa0002.py",
        "03_aaaa0004.py",
    ]
    # alone, an empty revision is its own head
    assert "L317" in codes(revision("pass"))


def _table_swap(new_columns: str) -> str:
    return revision(
        f'op.create_table("member", {new_columns})\nop.drop_table("token")',
        'op.create_table("token", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("name", sa.Text()), sa.Column("secret", sa.Text()))\n'
        'op.drop_table("member")',
    )


@pytest.mark.parametrize(
    "new_columns",
    [
        # one column in common of two: coincidence, a new design
        'sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.Text()), '
        'sa.Column("apikey", sa.Text())',
        # the primary key changes kind (INTEGER -> TEXT)
        'sa.Column("id", sa.Text(), primary_key=True), sa.Column("name", sa.Text()), '
        'sa.Column("secret", sa.Text())',
    ],
)
def test_a_table_redesigned_is_not_read_as_a_rename(new_columns: str) -> None:
    assert "L306" not in codes(_table_swap(new_columns))


@pytest.mark.parametrize(
    "new_columns",
    [
        'sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.Text()), '
        'sa.Column("secret", sa.Text())',
        'sa.Column("id", sa.BigInteger(), primary_key=True), sa.Column("name", sa.Text()), '
        'sa.Column("secret", sa.Text()), sa.Column("extra", sa.Text())',
    ],
)
def test_a_table_recreated_with_its_columns_is_still_a_possible_rename(new_columns: str) -> None:
    assert "L306" in codes(_table_swap(new_columns))


KEY_FROM_INSERTS = """
session = sa.orm.Session(bind=op.get_bind())
for table, model in TABLE_MODELS:
    for row in session.query(model):
        res = session.execute(counters.insert().values(kind=table))
        session.execute(model.update().values({column}=res.{source}).where(model.c.id == row[0]))
for table, model in TABLE_MODELS:
    op.create_unique_constraint("uq_%s_{key}" % table, table, ["{key}"])
"""


@pytest.mark.parametrize(
    ("column", "source"), [("attr_id", "inserted_primary_key[0]"), ("ref", "lastrowid")]
)
def test_a_key_filled_per_row_from_a_fresh_insert_id_cannot_meet_duplicates(
    column: str, source: str
) -> None:
    body = KEY_FROM_INSERTS.format(column=column, source=source, key=column)
    assert "L309" not in codes(revision(body, "pass"))


@pytest.mark.parametrize(
    ("column", "source", "key"),
    [
        ("attr_id", "rowcount", "attr_id"),  # the same count for many rows
        ("attr_id", "inserted_primary_key[0]", "other_id"),  # another column is keyed
    ],
)
def test_a_key_not_filled_from_a_fresh_insert_id_is_still_reported(
    column: str, source: str, key: str
) -> None:
    body = KEY_FROM_INSERTS.format(column=column, source=source, key=key)
    assert "L309" in codes(revision(body, "pass"))


# --- the dialect's capability flags decide a branch (round 10) ---------------------------------

SEQUENCE_HELPER = """
def has_sequences():
    ctx = context.get_context()
    return ctx.dialect.supports_sequences
"""


@pytest.mark.parametrize(
    ("test", "header"),
    [
        ("bind.dialect.supports_sequences", ""),
        ("op.get_context().dialect.supports_sequences", ""),
        ("dialect.supports_sequences", ""),
        ('getattr(bind.dialect, "supports_sequences", False)', ""),
        ("has_sequences()", SEQUENCE_HELPER),
        ("sequences", ""),
        ("bind.dialect.supports_comments and bind.dialect.supports_identity_columns", ""),
        ("not bind.dialect.supports_alter", ""),
    ],
)
def test_a_capability_the_target_lacks_skips_the_branch(test: str, header: str) -> None:
    # MySQL's dialect has no sequences, no identity columns, and has ALTER: the branch does not
    # run there (no L331 for DROP SEQUENCE, no L305); PostgreSQL's or SQLite's runs it
    source = revision(
        f"""
    bind = op.get_bind()
    dialect = bind.dialect
    sequences = bind.dialect.supports_sequences
    if {test}:
        op.execute("DROP SEQUENCE ledger_seq")
        op.drop_column("ledger", "note")
    """,
        header="from alembic import context\n" + header,
    )
    assert codes(source) == []
    assert "L305" in codes(source, target="postgresql") + codes(source, target="sqlite")


@pytest.mark.parametrize(
    "test",
    [
        "not bind.dialect.supports_native_boolean",
        "bind.dialect.supports_native_enum",
        "bind.dialect.supports_comments or FEATURE",
    ],
)
def test_a_capability_the_target_has_reads_the_branch(test: str) -> None:
    source = revision(
        f"""
    bind = op.get_bind()
    if {test}:
        op.drop_column("ledger", "note")
    else:
        op.drop_column("ledger", "memo")
    """,
        header="FEATURE = True",
    )
    dropped = [f.message for f in lint(source) if f.code == "L305"]
    # only the branch the target takes: the column `note`, not `memo`
    assert len(dropped) == 1
    assert "note" in dropped[0]


@pytest.mark.parametrize(
    ("test", "target"),
    [
        # MariaDB has sequences from 10.3 on: a MariaDB target reads the branch, an older not
        ("bind.dialect.supports_sequences", "mariadb-10.11"),
        # a flag whose value MySQL and MariaDB do not share, on a MariaDB target: both branches
        ("bind.dialect.supports_native_uuid", "mariadb-10.11"),
        # a flag not in the table, the flag of something that is not the dialect
        ("bind.dialect.supports_something_new", "mysql-8.0"),
        ("table.supports_sequences", "mysql-8.0"),
        # a helper doing more than assigning and returning
        ("has_sequences()", "mysql-8.0"),
    ],
)
def test_an_undecided_or_held_capability_reads_the_branch(test: str, target: str) -> None:
    source = revision(
        f"""
    bind = op.get_bind()
    if {test}:
        op.drop_column("ledger", "note")
    """,
        header=(
            "def has_sequences():\n"
            '    log("asked")\n'
            "    return op.get_bind().dialect.supports_sequences"
        ),
    )
    assert "L305" in codes(source, target=target)


def test_a_capability_held_by_a_mariadb_target_before_10_3_skips_the_branch() -> None:
    source = revision(
        """
    if op.get_bind().dialect.supports_sequences:
        op.drop_column("ledger", "note")
    """
    )
    assert "L305" not in codes(source, target="mariadb-10.2")


def test_a_helper_creating_sequences_under_a_capability_test_changes_nothing_on_mysql() -> None:
    # the upgrade's only work is behind `if dialect.supports_sequences:` in a helper: on MySQL
    # the revision changes nothing, so an empty downgrade undoes nothing missing (no L318)
    source = revision(
        """
    create_sequence("ledger_seq")
    """,
        header=(
            "from sqlalchemy.schema import CreateSequence, Sequence\n"
            "def create_sequence(name):\n"
            "    if op.get_bind().dialect.supports_sequences:\n"
            "        op.execute(CreateSequence(Sequence(name)))\n"
        ),
    )
    assert "L318" not in codes(source)
    assert "L318" in codes(source, target="postgresql")


# --- Alembic's multi-database template: upgrade(engine_name) dispatches by name (round 10) -----


def multidb(key: str, engines: dict[str, tuple[str, str]], lookup: str = "globals()[{key}]") -> str:
    """A revision of the multi-database template: upgrade(engine_name) calls the function the
    key names (`key` spelled with {direction}), each engine's pair below it."""
    parts = [
        '"""a multidb revision\n\nRevision ID: 1234abcd5678\n"""',
        "import sqlalchemy as sa\nfrom alembic import op",
        'revision = "1234abcd5678"\ndown_revision = "a8a2fc4e4c77"',
    ]
    for direction in ("upgrade", "downgrade"):
        call = lookup.format(key=key.format(direction=direction))
        parts.append(f"def {direction}(engine_name):\n    {call}()")
    for engine, (up, down) in engines.items():
        parts.append(f"def upgrade_{engine}():\n    " + up.strip().replace("\n", "\n    "))
        parts.append(f"def downgrade_{engine}():\n    " + down.strip().replace("\n", "\n    "))
    return "\n\n\n".join(parts) + "\n"


NOT_NULL_ADDED = 'op.add_column("ledger", sa.Column("note", sa.String(20), nullable=False))'
FOREIGN_KEY_UNNAMED = (
    'op.create_table("entry", sa.Column("id", sa.Integer(), primary_key=True),\n'
    '    sa.Column("ledger_id", sa.Integer(), sa.ForeignKey("ledger.id")))'
)


@pytest.mark.parametrize(
    ("key", "lookup"),
    [
        ('"{direction}_%s" % engine_name', "globals()[{key}]"),
        ('f"{direction}_{{engine_name}}"', "globals()[{key}]"),
        ('"{direction}_" + engine_name', "globals()[{key}]"),
        ('"{direction}_{{}}".format(engine_name)', "globals()[{key}]"),
        ('"{direction}_%s" % engine_name', "globals().get({key})"),
    ],
)
def test_each_engines_functions_of_a_multidb_revision_are_read(key: str, lookup: str) -> None:
    # the template's spellings: both engines' upgrades are read, each finding names its engine
    source = multidb(
        key,
        {
            "engine1": (NOT_NULL_ADDED, 'op.drop_column("ledger", "note")'),
            "engine2": (FOREIGN_KEY_UNNAMED, 'op.drop_table("entry")'),
        },
        lookup,
    )
    found = {f.code: f.message for f in lint(source)}
    assert set(found) == {"L301", "L311"}
    assert found["L301"].endswith("(engine engine1)")
    assert found["L311"].endswith("(engine engine2)")


@pytest.mark.parametrize(
    "key", ['"{direction}_%s" % engine_name', 'f"{direction}_{{engine_name}}"']
)
def test_the_default_binds_functions_of_a_flask_migrate_multidb_revision_are_read(
    key: str,
) -> None:
    # Flask-Migrate's multi-database template names the default bind "": upgrade_() holds the
    # main database's work, beside upgrade_<bind>() for the others (round 35)
    source = multidb(
        key,
        {
            "": (NOT_NULL_ADDED, 'op.drop_column("ledger", "note")'),
            "users": ("pass", "pass"),
        },
    )
    found = {f.code: f.message for f in lint(source)}
    assert set(found) == {"L301"}
    assert found["L301"].endswith("(engine default)")


def test_a_multidb_downgrade_empty_for_every_engine_is_an_empty_downgrade() -> None:
    undone = multidb(
        '"{direction}_%s" % engine_name',
        {"main": ('op.create_index("ix_note", "ledger", ["note"])', 'op.drop_index("ix_note")')},
    )
    not_undone = multidb(
        '"{direction}_%s" % engine_name',
        {
            "main": ('op.create_index("ix_note", "ledger", ["note"])', "pass"),
            "audit": ("pass", "pass"),
        },
    )
    said = multidb(
        '"{direction}_%s" % engine_name',
        {
            "main": (
                'op.create_index("ix_note", "ledger", ["note"])',
                "# not undone on purpose\npass",
            )
        },
    )
    assert "L318" not in codes(undone) and "L319" not in codes(undone)
    assert "L318" in codes(not_undone)
    assert "L318" not in codes(said)


def test_a_multidb_upgrade_empty_for_every_engine_is_an_empty_upgrade() -> None:
    source = multidb(
        '"{direction}_%s" % engine_name', {"a": ("pass", "pass"), "b": ("pass", "pass")}
    )
    assert "L317" in codes(source)


@pytest.mark.parametrize(
    "lookup",
    [
        # not looked up among the file's functions by a literal prefix: nothing is read
        "HANDLERS[{key}]",
        "globals()[engine_name]",
    ],
)
def test_a_dispatch_the_reader_cannot_follow_reads_no_engine(lookup: str) -> None:
    source = multidb(
        '"{direction}_%s" % engine_name',
        {"engine1": (NOT_NULL_ADDED, 'op.drop_column("ledger", "note")')},
        lookup,
    )
    assert "L301" not in codes(source)


def test_functions_named_like_an_engine_but_not_dispatched_to_are_not_read() -> None:
    # upgrade() does its own work and never looks a name up: upgrade_data() is dead code here
    source = revision(
        'op.add_column("ledger", sa.Column("memo", sa.String(20), nullable=True))',
        'op.drop_column("ledger", "memo")',
        header="def upgrade_data():\n    " + NOT_NULL_ADDED,
    )
    assert codes(source) == []
