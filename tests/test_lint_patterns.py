"""Patterns found in real Alembic histories, reproduced in our own revision files.

Each file under tests/data/revision_patterns/ is a complete revision written for these tests (no
public project's code) showing one pattern the lint must get right: a MySQL failure it has to
report, or a safe revision it used to report. Each new rule and each false-alarm class has a file
where the rule fires and one where it stays quiet.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from alembic_sentinel.graph.revision_files import read_revision_source
from alembic_sentinel.graph.revision_graph import check_declarations
from alembic_sentinel.lint.catalogue import RULES
from alembic_sentinel.lint.linter import LintOptions, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding

PATTERNS = Path(__file__).parent / "data" / "revision_patterns"
MYSQL = {"target": parse_server_version("mysql-8.0")}
MARIADB = {"target": parse_server_version("mariadb-10.11")}
POSTGRESQL = {"target": parse_server_version("postgresql")}
# a MetaData with a naming_convention whose templates lint did not read
CONVENTION = {"naming_convention": None}

# (file, rule, the lines it must fire on (by a text they contain; none: it stays quiet), options)
CASES: list[tuple[str, str, list[str], dict[str, Any]]] = [
    # L322: CHANGE/MODIFY without the column's type
    (
        "l322_rename_and_nullable_without_existing_type.py",
        "L322",
        [
            'op.alter_column("member", "mail", new_column_name="email")',
            'op.alter_column("member", "email", nullable=False)',
            'op.alter_column("member", "email", nullable=True)',
            'op.alter_column("member", "email", new_column_name="mail")',
        ],
        {},
    ),
    ("l322_typed_alters_and_a_default_change.py", "L322", [], {}),
    # L323: TEXT in a key without a prefix length
    (
        "l323_text_in_keys_without_length.py",
        "L323",
        ["op.create_table(", 'op.create_index("ix_note_body"'],
        MYSQL,
    ),
    ("l323_text_in_keys_without_length.py", "L323", [], MARIADB),
    ("l323_text_key_on_a_prefix.py", "L323", [], MYSQL),
    # L324: VARCHAR without a length (no longer L307's narrowing)
    (
        "l324_string_without_length.py",
        "L324",
        ['op.add_column("member", sa.Column("nickname"', 'op.alter_column("member", "bio", type_'],
        {},
    ),
    ("l324_string_without_length.py", "L307", [], {}),
    ("l324_string_lengths_given.py", "L324", [], {}),
    # L313: a server_default computed in Python is a literal
    ("l313_json_default_from_python.py", "L313", ["op.add_column("], MYSQL),
    ("l313_json_default_from_python.py", "L313", [], MARIADB),
    ("l313_json_default_expression.py", "L313", [], MYSQL),
    # L325: a primary key added to a table with rows
    (
        "l325_primary_key_on_existing_table.py",
        "L325",
        ['op.create_primary_key("pk_legacy_log"'],
        {},
    ),
    ("l325_primary_key_on_new_table.py", "L325", [], {}),
    # L325 in raw SQL: DROP PRIMARY KEY, ADD PRIMARY KEY (...) in the MySQL branch; a bare ADD
    (
        "l325_primary_key_replaced_in_raw_sql.py",
        "L325",
        ['op.execute("ALTER TABLE order_line', 'op.execute("ALTER TABLE audit_trail'],
        MYSQL,
    ),
    ("l325_primary_key_in_raw_sql_on_new_table.py", "L325", [], MYSQL),
    # L326: an inline REFERENCES in raw SQL
    ("l326_inline_references_in_sql.py", "L326", ['op.execute("ALTER TABLE pet ADD'], MYSQL),
    ("l326_inline_references_in_sql.py", "L326", [], MARIADB),
    ("l326_foreign_key_as_table_constraint.py", "L326", [], MYSQL),
    # L307: TINYINT(1) -> Boolean is no change on MySQL (BOOL is TINYINT(1)); INT -> Boolean is
    ("l307_tinyint1_to_boolean.py", "L307", [], {}),
    ("l307_tinyint1_to_boolean.py", "L314", [], {}),
    ("l307_integer_to_boolean.py", "L307", ["op.alter_column("], {}),
    # L307: DOUBLE -> FLOAT(53) is no change (stored as DOUBLE); DOUBLE -> FLOAT(10) halves it
    ("l307_double_to_float53.py", "L307", ['"score"'], {}),
    # L305 / L306: values copied before the drop
    ("l306_values_copied_by_update.py", "L306", [], {}),
    ("l306_values_copied_by_update.py", "L305", [], {}),
    ("l306_values_moved_by_insert_select.py", "L305", [], {}),
    ("l306_values_moved_by_insert_select.py", "L306", [], {}),
    ("l306_values_copied_in_a_loop.py", "L306", [], {}),
    ("l306_values_copied_in_a_loop.py", "L305", [], {}),
    ("l306_add_and_drop_without_copy.py", "L306", ['op.drop_column("member", "mail")'], {}),
    ("l306_add_and_drop_without_copy.py", "L305", ['op.drop_column("member", "mail")'], {}),
    # L319: a downgrade that recreates in raw SQL; an index the upgrade itself drops again
    # L309: a unique key named by a variable, created right after the unique constraint of that
    # same name expression was dropped on the table, is the key recreated; an index dropped
    # (maybe not unique) or a key of another name does not count
    ("l309_keys_recreated_under_a_variable_name.py", "L309", [], {}),
    (
        "l309_keys_named_by_a_variable_not_dropped_unique.py",
        "L309",
        [
            'op.create_unique_constraint(key, "price_rule", columns)',
            'op.create_unique_constraint(new, "price_tier", KEYS[new])',
        ],
        {},
    ),
    ("l319_downgrade_recreates_in_sql.py", "L319", [], {}),
    # a function of the project's modules given the table's name and its whole definition (its
    # primary key included) recreates the table: what the upgrade added to it is gone; one given
    # no primary key (adding columns), SQLAlchemy's Table, or a helper of the file is no rebuild
    ("l319_table_recreated_by_a_project_helper.py", "L319", [], {}),
    (
        "l319_helpers_that_do_not_rebuild_the_table.py",
        "L319",
        [
            'op.create_index("ix_shipment_label"',
            'op.create_index("ix_parcel_code"',
            'op.create_index("ix_crate_code"',
        ],
        {},
    ),
    (
        "l319_index_created_and_dropped_in_upgrade.py",
        "L319",
        ['op.create_index("ix_member_created"'],
        {},
    ),
    # L305 / L328: a column converted into a new one that then takes its name (no ALTER ...
    # USING on MySQL) loses nothing and renames nothing running code reads; unconverted, it does
    (
        "l305_column_replaced_through_a_new_one.py",
        "L305",
        ['op.drop_column("visit", "seen")'],
        {},
    ),
    ("l305_column_replaced_through_a_new_one.py", "L328", [], {}),
    # L307: a type changed on a table this upgrade created: empty until a fill puts rows in
    (
        "l307_alter_on_a_table_created_here.py",
        "L307",
        ['op.alter_column("usage", "resource", type_=sa.String(120))'],
        {},
    ),
    # L305: values read first through rows of a loop: a row a second query fetches in the
    # body (`owner = conn.execute(t.select()...).first()`), `row[1]` of a table whose name is a
    # constant; rows of another table, another column, or what an INSERT returns read nothing
    ("l305_values_read_through_rows_of_the_loop.py", "L305", [], {}),
    (
        "l305_rows_of_the_loop_that_do_not_read_the_column.py",
        "L305",
        ['op.drop_column("account", "plan")', 'op.drop_column(NOTED, "note")'],
        {},
    ),
    # L309: a unique key over a column this revision added (all NULL)
    ("l309_unique_on_a_column_added_here.py", "L309", [], {}),
    ("l309_unique_on_a_column_filled_first.py", "L309", ["op.create_unique_constraint("], {}),
    ("l309_duplicates_deleted_first.py", "L309", [], {}),
    # L309: duplicates removed by helpers of the file (a self-joined DELETE over a table in a
    # variable, a function named for merging duplicates); a clean-up by age and a trim are not
    ("l309_duplicates_removed_by_helpers.py", "L309", [], {}),
    (
        "l309_helpers_that_do_not_deduplicate.py",
        "L309",
        ['op.create_unique_constraint("uq_shop_owner_title"'],
        {},
    ),
    # L309: keys that cannot meet duplicates (a superset of the primary key, a uuid per row, a
    # random server default, duplicates renamed by a self-join UPDATE); a normalising UPDATE is
    # no de-duplication
    ("l309_keys_that_cannot_meet_duplicates.py", "L309", [], {}),
    # L309: a table created earlier in the revision under a computed name ("archived_" + name,
    # f"{name}_{suffix}"): a table matching its literal parts is new; other tables are not, nor
    # is any table when the name is a bare variable (no literal part to tell which)
    (
        "l309_key_on_a_table_created_under_a_computed_name.py",
        "L309",
        ['op.create_unique_constraint("uq_ledger_code"', 'op.create_unique_constraint("uq_payment'],
        {},
    ),
    (
        "l309_key_on_a_table_named_by_a_bare_variable.py",
        "L309",
        ['op.create_unique_constraint("uq_payment_reference"'],
        {},
    ),
    (
        "l309_unique_after_a_lowercasing_update.py",
        "L309",
        ["op.create_unique_constraint("],
        {},
    ),
    # L304: a table whose rows were read into their new place first (UPDATE ... FROM,
    # INSERT ... SELECT) is no loss; one dropped unread is
    # L304: rows copied first by a helper naming the table itself (`source + "_rules"`): a
    # table matching the computed name's literal parts was read; another table was not
    (
        "l304_rows_copied_by_a_helper_computing_the_name.py",
        "L304",
        ['op.drop_table("coupon_limits")'],
        {},
    ),
    ("l304_rows_read_by_update_from.py", "L304", [], {}),
    ("l304_rows_moved_by_insert_select.py", "L304", [], {}),
    ("l304_table_dropped_with_its_rows.py", "L304", ['op.drop_table("audit_trail")'], {}),
    # L306: a new column with a fill of its own is a new design, not a rename (L305 stays)
    ("l306_new_column_with_its_own_fill.py", "L306", [], {}),
    ("l306_new_column_with_its_own_fill.py", "L305", ['op.drop_column("ticket", "state")'], {}),
    # L318: a data migration's empty downgrade is its inverse; a schema change's is not
    ("l318_data_migration_with_empty_downgrade.py", "L318", [], {}),
    ("l318_schema_change_with_empty_downgrade.py", "L318", ["def downgrade():"], {}),
    # L317: an upgrade emptied on purpose, with a comment saying why
    ("l317_emptied_on_purpose.py", "L317", [], {}),
    # L306: a column replaced by one of another type (a foreign key) is no rename (L305 stays)
    ("l306_column_replaced_by_a_foreign_key.py", "L306", [], {}),
    ("l306_column_replaced_by_a_foreign_key.py", "L305", ['op.drop_column("member", "group")'], {}),
    # L319: a column swapped for a wider one (add, copy, drop, rename) and swapped back
    ("l319_column_swapped_for_a_wider_one.py", "L319", [], {}),
    # L327, L328: Atlas's CD101 (a dropped foreign key) and BC101/BC102 (renames), as notices
    ("l327_foreign_key_dropped.py", "L327", ["op.drop_constraint("], {}),
    ("l327_foreign_key_recreated.py", "L327", [], {}),
    ("l328_renames.py", "L328", ["op.alter_column(", "op.rename_table("], {}),
    ("l328_rename_of_a_column_added_here.py", "L328", [], {}),
    ("l328_old_name_given_to_a_replacement.py", "L328", [], {}),
    # L314: Atlas's MY140 (STORED column), MY138 (engine), MY139 (partitioning), MY123 (a SET
    # past 8 members); and their online counterparts. MY141 (a new AUTO_INCREMENT column) is no
    # op.add_column Alembic can write: autoincrement=True on a column that is no key renders no
    # AUTO_INCREMENT (legacy_log.id is a plain INT NOT NULL, instant; round 38), and a key
    # column's is refused (L332)
    (
        "l314_blocking_changes.py",
        "L314",
        [
            "op.add_column(",
            'op.execute("ALTER TABLE legacy_log ENGINE',
            'op.execute("ALTER TABLE event PARTITION',
            "op.alter_column(",
        ],
        MYSQL,
    ),
    ("l314_online_changes.py", "L314", [], MYSQL),
    # L329: a Boolean's server_default "true"/"false" (ERROR 1067 on MySQL/MariaDB)
    (
        "l329_boolean_string_defaults.py",
        "L329",
        ["op.add_column(", "op.create_table(", "op.alter_column("],
        MYSQL,
    ),
    ("l329_boolean_string_defaults.py", "L329", [], {"target": parse_server_version("postgresql")}),
    ("l329_boolean_defaults_portable.py", "L329", [], MYSQL),
    # L330: a type change or rename restating the column without its nullability
    ("l330_modify_without_nullability.py", "L330", ['op.alter_column("product", "sku"'], MYSQL),
    ("l330_modify_without_nullability.py", "L330", [], {"target": parse_server_version("sqlite")}),
    # L331: PostgreSQL-only SQL, types and index options on a MySQL target
    (
        "l331_postgresql_only_sql_and_types.py",
        "L331",
        [
            'op.add_column("report", sa.Column("payload", postgresql.JSONB()',
            'op.execute("UPDATE report SET score',
            "op.create_index(",
            'op.create_index("ix_report_title"',
        ],
        MARIADB,
    ),
    (
        "l331_postgresql_only_sql_and_types.py",
        "L331",
        [],
        {"target": parse_server_version("postgresql")},
    ),
    ("l331_postgresql_forms_in_a_branch.py", "L331", [], MYSQL),
    # L331: double-quoted names where MySQL needs a name (strings to it), not in a value's place
    (
        "l331_double_quoted_names.py",
        "L331",
        [
            'ALTER TABLE "member" ADD COLUMN nickname',
            'ALTER TABLE member ADD COLUMN "badge"',
            'UPDATE "member" SET nickname',
            'UPDATE member SET "nickname" = name',
            'INSERT INTO "contact"',
            'INSERT INTO contact ("member_id", "mail")',
            'DELETE FROM "contact"',
            'SELECT id FROM "member" WHERE gone',
            'JOIN "member" m',
            'ON "contact" (mail)',
            'ON member ("nickname")',
            "the key's name in double quotes",
            '"member".score > 50',
            'TO "old_mail"',
            'CREATE TABLE audit ("id"',
            'DROP TABLE IF EXISTS "audit"',
            'DROP INDEX "ix_contact_mail"',
            'DROP COLUMN "nickname"',
        ],
        MYSQL,
    ),
    ("l331_double_quoted_names.py", "L331", [], POSTGRESQL),
    ("l331_double_quoted_values.py", "L331", [], MYSQL),
    # L331: PostgreSQL's join update, SQLite's PRAGMA / INSERT OR and sqlite_where on MySQL
    (
        "l331_join_update_and_sqlite_sql.py",
        "L331",
        [
            'op.execute("PRAGMA foreign_keys=OFF")',
            "SET plan_id = plan.id FROM plan",
            "INSERT OR IGNORE",
            "op.create_index(",
            'op.create_index("ix_member_trial"',
            'op.execute("PRAGMA foreign_keys=ON")',
        ],
        MARIADB,
    ),
    ("l331_join_update_and_sqlite_sql.py", "L331", [], {"target": parse_server_version("sqlite")}),
    ("l331_foreign_forms_in_branches.py", "L331", [], MYSQL),
    # L331 (round r32): sa.UUID (not on MariaDB >= 10.7), PostgreSQL's functions as server
    # defaults, deferrable constraints, trigger switches, join deletes, COMMENT ON, PL/pgSQL
    (
        "l331_postgresql_ddl_forms.py",
        "L331",
        [
            "op.create_table(",
            "op.create_table(",
            'op.add_column("entry", sa.Column("ledger_id"',
            'sa.Column("bid", sa.Integer, sa.ForeignKey',
            'op.alter_column("entry", "ref"',
            'op.alter_column("entry", "tags"',
            "op.create_foreign_key(",
            "DISABLE TRIGGER USER",
            "DELETE FROM entry USING ledger",
            "COMMENT ON TABLE",
            "setval(",
            "LANGUAGE plpgsql",
        ],
        MYSQL,
    ),
    (
        "l331_postgresql_ddl_forms.py",
        "L331",
        [
            "op.create_table(",
            'sa.Column("bid", sa.Integer, sa.ForeignKey',
            'op.alter_column("entry", "tags"',
            "op.create_foreign_key(",
            "DISABLE TRIGGER USER",
            "DELETE FROM entry USING ledger",
            "COMMENT ON TABLE",
            "setval(",
            "LANGUAGE plpgsql",
        ],
        MARIADB,
    ),
    ("l331_postgresql_ddl_forms.py", "L331", [], POSTGRESQL),
    ("l331_portable_ddl_forms.py", "L331", [], MYSQL),
    # L319: inverses named by the naming convention (documented templates, a looser form for
    # project tokens), indexes and checks that go with the columns the downgrade drops, foreign
    # keys the server named recreated under new names
    ("l319_inverse_named_by_the_convention.py", "L319", [], CONVENTION),
    (
        "l319_inverse_of_another_name.py",
        "L319",
        ["op.create_check_constraint(", "op.drop_index(", "op.drop_constraint("],
        CONVENTION,
    ),
    ("l319_constraints_go_with_dropped_columns.py", "L319", [], POSTGRESQL),
    (
        "l319_constraints_go_with_dropped_columns.py",
        "L319",
        [
            'op.create_index("ix_orders_lower_coupon"',
            "op.create_foreign_key(",
        ],
        MYSQL,
    ),
    (
        "l319_server_named_foreign_keys_recreated.py",
        "L319",
        ['op.drop_constraint("payment_ibfk_1"'],
        MYSQL,
    ),
    # L318: a temporary table built (and indexed) to update other tables from
    ("l318_temporary_table_for_an_update.py", "L318", [], POSTGRESQL),
    # L317: empty by design (its message says so, or it only orders the graph) or not
    ("l317_empty_by_design.py", "L317", [], {}),
    ("l317_empty_without_a_reason.py", "L317", ["def upgrade():"], {}),
    # an empty upgrade whose own docstring says it is empty on purpose (a release marker); a
    # docstring that only names a change, or one elsewhere (the downgrade's), does not
    ("l317_release_marker_explained_by_its_docstring.py", "L317", [], {}),
    ("l317_empty_upgrade_with_a_docstring_naming_a_change.py", "L317", ["def upgrade():"], {}),
    # L314: a type of the application's (its server type unknown) is no claimed COPY
    ("l314_application_type_change.py", "L314", ['"orders", "note"'], MYSQL),
    # L307: a narrowing the downgrade shows (it restores the wider type): no longer a notice
    ("l307_narrowing_shown_by_the_downgrade.py", "L307", ["op.alter_column("], MYSQL),
    ("l307_widening_shown_by_the_downgrade.py", "L307", [], MYSQL),
    # round 6A: NOT NULL restated on a column that holds no NULL (L302); a generated column
    # dropped (L305); a type the same upgrade wrote restated (L307 notice)
    (
        "l302_not_null_restated.py",
        "L302",
        [
            'op.alter_column("ledger", "memo", existing_type=sa.String(80), nullable=False)',
            'op.alter_column("ledger", "booked_at"',
        ],
        {},
    ),
    (
        "l305_generated_column_dropped.py",
        "L305",
        ['op.drop_column("parcel", "weight_note")', 'op.drop_column("parcel_scan", "scan_no")'],
        {},
    ),
    (
        "l307_column_typed_by_the_same_upgrade.py",
        "L307",
        ['op.alter_column("tag", "color"', 'op.alter_column("tag", "name"'],
        {},
    ),
]


def lint_pattern(name: str, options: dict[str, Any]) -> tuple[str, list[Finding]]:
    source = (PATTERNS / name).read_text()
    return source, lint_source(source, f"versions/{name}", LintOptions(**options)).findings


GROUPED_LINES = re.compile(r"\(lines? ([\d, ]+)\)")


def lines_of(finding: Finding) -> list[int]:
    """The finding's line, and those a grouped finding lists (`t.c (line 9), u (lines 4, 7)`)."""
    _, grouped, listing = finding.message.partition(f"; the same {finding.code} for ")
    more = [int(n) for at in GROUPED_LINES.findall(listing) for n in at.split(", ")]
    return [finding.line or 0, *more] if grouped else [finding.line or 0]


def line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("name", "code", "on", "options"),
    [
        pytest.param(name, code, on, options, id=f"{code}-{name[:-3]}-{'fires' if on else 'quiet'}")
        for name, code, on, options in CASES
    ],
)
def test_pattern(name: str, code: str, on: list[str], options: dict[str, Any]) -> None:
    source, findings = lint_pattern(name, options)
    found = sorted(line for f in findings if f.code == code for line in lines_of(f))
    assert found == sorted(line_of(source, text) for text in on), "\n".join(
        f"{f.line}: {f.code} {f.message}" for f in findings
    )


def test_every_new_rule_and_false_alarm_class_fires_somewhere_and_stays_quiet_somewhere() -> None:
    fires = {code for _, code, on, _ in CASES if on}
    quiet = {code for _, code, on, _ in CASES if not on}
    for code in ("L304", "L305", "L306", "L307", "L309", "L313", "L319", "L322", "L323", "L324"):
        assert code in fires and code in quiet
    assert {"L325", "L326", "L329", "L330", "L331"} <= fires & quiet
    assert all(code in RULES for _, code, _, _ in CASES)


def test_the_alter_without_type_names_the_parameters_and_alembics_error() -> None:
    _, findings = lint_pattern("l322_rename_and_nullable_without_existing_type.py", {})
    first = next(f for f in findings if f.code == "L322")
    assert "member.mail" in first.message and "new_column_name=" in first.message
    assert "require the existing type" in first.message


def test_a_text_primary_key_is_refused_by_mariadb_too() -> None:
    source = (PATTERNS / "l323_text_in_keys_without_length.py").read_text()
    keyed = source.replace(
        'sa.Column("slug", sa.Text(), nullable=False, unique=True)',
        ('sa.Column("slug", sa.Text(), primary_key=True)'),
    ).replace('sa.Column("id", sa.Integer(), primary_key=True),\n', "")
    findings = lint_source(keyed, "v.py", LintOptions(**MARIADB)).findings
    assert [f.code for f in findings if f.code == "L323"] == ["L323"]
    assert "primary key" in next(f for f in findings if f.code == "L323").message


def test_a_json_column_cannot_be_a_key_on_mysql_even_with_a_prefix() -> None:
    source = (
        (PATTERNS / "l323_text_key_on_a_prefix.py")
        .read_text()
        .replace(
            'sa.Column("body", sa.Text(), nullable=True)',
            'sa.Column("body", sa.JSON(), nullable=True)',
        )
    )
    findings = lint_source(source, "v.py", LintOptions(**MYSQL)).findings
    assert any(f.code == "L323" and "3152" in f.message for f in findings)


# --- F205: the docstring's Revises: line read as Alembic's template writes it -------------------


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("f205_revises_none.py", []),
        ("f205_revises_tuple.py", []),
        ("f205_revises_another.py", ["F205"]),
    ],
)
def test_revises_lines_that_say_what_the_code_says_agree(name: str, codes: list[str]) -> None:
    revision, findings = read_revision_source((PATTERNS / name).read_text(), f"versions/{name}")
    assert findings == [] and revision is not None
    found = [f.code for f in check_declarations([revision]) if f.code == "F205"]
    assert found == codes


def test_a_column_placed_before_others_in_raw_sql_is_instant_only_from_mysql_8_0_29() -> None:
    source = (PATTERNS / "l314_online_changes.py").read_text()
    statements = {
        target: [
            (s.operation, s.algorithm)
            for s in lint_source(
                source, "v.py", LintOptions(target=parse_server_version(target))
            ).statements
            if "nickname" in s.operation
        ]
        for target in ("mysql-8.0", "mysql-8.0.12")
    }
    assert statements == {
        "mysql-8.0": [("add_column_positioned member.nickname", "INSTANT")],
        "mysql-8.0.12": [("add_column_positioned member.nickname", "INPLACE")],
    }


def test_the_narrowing_the_downgrade_shows_is_an_error_naming_both_widths() -> None:
    _, findings = lint_pattern("l307_narrowing_shown_by_the_downgrade.py", MYSQL)
    [finding] = [f for f in findings if f.code == "L307"]
    assert finding.severity == "error"
    assert "member.email" in finding.message and "String(254)" in finding.message


def test_a_partial_unique_index_losing_its_where_on_mysql_is_an_error_others_warnings() -> None:
    _, findings = lint_pattern("l331_postgresql_only_sql_and_types.py", MYSQL)
    by_line = {f.line: f for f in findings if f.code == "L331"}
    source = (PATTERNS / "l331_postgresql_only_sql_and_types.py").read_text()
    partial = by_line[line_of(source, "op.create_index(")]
    assert partial.severity == "error" and "postgresql_where" in partial.message
    assert by_line[line_of(source, 'op.create_index("ix_report_title"')].severity == "warning"
    sql = by_line[line_of(source, 'op.execute("UPDATE report SET score')]
    assert "ILIKE" in sql.message and "::type cast" in sql.message and "on report" in sql.message


def test_the_boolean_default_message_names_the_column_and_the_server_error() -> None:
    _, findings = lint_pattern("l329_boolean_string_defaults.py", MYSQL)
    first = next(f for f in findings if f.code == "L329")
    assert "shop.open" in first.message and "ERROR 1067" in first.message


def test_the_messages_name_the_quoted_names_the_join_update_and_sqlites_statements() -> None:
    source, findings = lint_pattern("l331_double_quoted_names.py", MYSQL)
    by_line = {f.line: f for f in findings if f.code == "L331"}
    quoted = by_line[line_of(source, 'INSERT INTO contact ("member_id", "mail")')]
    assert quoted.severity == "error" and "ERROR 1064" in quoted.message
    assert '"member_id", "mail" quoted as names' in quoted.message and "backticks" in quoted.fix
    source, findings = lint_pattern("l331_join_update_and_sqlite_sql.py", MYSQL)
    by_line = {f.line: f for f in findings if f.code == "L331"}
    joined = by_line[line_of(source, "SET plan_id = plan.id FROM plan")]
    assert "PostgreSQL-only SQL on member" in joined.message and "UPDATE t JOIN" in joined.fix
    pragma = by_line[line_of(source, 'op.execute("PRAGMA foreign_keys=OFF")')]
    assert "SQLite-only SQL (PRAGMA)" in pragma.message and "'sqlite'" in pragma.fix
    ignored = by_line[line_of(source, "INSERT OR IGNORE")]
    assert "SQLite-only SQL on plan (INSERT OR IGNORE)" in ignored.message
    partial = by_line[line_of(source, "op.create_index(")]
    assert partial.severity == "error" and "sqlite_where is ignored" in partial.message
    assert by_line[line_of(source, 'op.create_index("ix_member_trial"')].severity == "warning"
