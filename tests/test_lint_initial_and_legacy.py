"""L318 on the two shapes of empty downgrade that have nothing to restore (issue 20, round 11):
an upgrade that drops the version table of the migration tool the project used before Alembic,
and a history's first revision that only creates the schema. Each with revisions that look alike
and must still be reported."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source


def l318(source: str) -> list[str]:
    findings = lint_source(source, "versions/1234abcd5678_test.py", LintOptions()).findings
    return [f.message for f in findings if f.code == "L318"]


# --- another tool's version table ------------------------------------------------------------


@pytest.mark.parametrize(
    "upgrade",
    [
        # guarded by reflection, as projects leaving sqlalchemy-migrate write it
        """
        inspector = sa.inspect(op.get_bind())
        if "migrate_version" in inspector.get_table_names():
            op.drop_table("migrate_version")
        """,
        # unguarded, another tool's table, raw SQL with IF EXISTS
        'op.drop_table("flyway_schema_history")',
        'op.execute("DROP TABLE IF EXISTS databasechangelog")',
        'op.execute("DROP TABLE IF EXISTS databasechangelog; DROP TABLE databasechangeloglock")',
        """
        if op.get_bind().dialect.has_table(op.get_bind(), "schema_migrations"):
            op.drop_table("schema_migrations")
        """,
    ],
)
def test_dropping_the_previous_tools_version_table_leaves_nothing_to_restore(upgrade: str) -> None:
    assert l318(revision(upgrade)) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        # a table of the application whose name merely looks like one
        'op.drop_table("migrate_versions_archive")',
        'op.drop_table("app_version")',
        'op.execute("DROP TABLE IF EXISTS release_versions")',
        # Alembic's own table is not another tool's
        'op.drop_table("alembic_version")',
    ],
)
def test_dropping_an_application_table_is_still_reported(upgrade: str) -> None:
    assert len(l318(revision(upgrade))) == 1


# round 22: the version table of another Alembic environment (its `version_table` setting),
# dropped once two environments are merged; neither L318 nor L304 (its rows are bookkeeping)
@pytest.mark.parametrize(
    "upgrade",
    [
        """
        bind = op.get_bind()
        if bind.dialect.has_table(bind, "alembic_billing_version"):
            op.drop_table("alembic_billing_version")
        """,
        'op.drop_table("reports_alembic_version")',
        'op.execute("DROP TABLE IF EXISTS alembic_version_plugins")',
    ],
)
def test_dropping_another_alembic_environments_version_table_is_bookkeeping(upgrade: str) -> None:
    findings = lint_source(revision(upgrade), "versions/1234abcd5678_test.py", LintOptions())
    assert not [f for f in findings.findings if f.code in ("L304", "L318")], findings.findings


# round 36: a home-grown schema version table, named for the database's or schema's version
@pytest.mark.parametrize(
    "upgrade",
    [
        'op.drop_table("db_version")',
        'op.execute("DROP TABLE IF EXISTS schema_versions")',
        'op.drop_table("DBVersion")',
        'op.drop_table("database_version")',
    ],
)
def test_dropping_a_home_grown_schema_version_table_is_bookkeeping(upgrade: str) -> None:
    findings = lint_source(revision(upgrade), "versions/1234abcd5678_test.py", LintOptions())
    assert not [f for f in findings.findings if f.code in ("L304", "L318")], findings.findings


@pytest.mark.parametrize(
    "table",
    [
        "alembic_version",
        "alembic_versions_log",
        "billing_version",
        "version_alembic",
        "document_version",
        "db_versions_archive",
    ],
)
def test_tables_that_only_look_like_a_version_table_are_still_reported(table: str) -> None:
    findings = lint_source(
        revision(f'op.drop_table("{table}")'), "versions/1234abcd5678_test.py", LintOptions()
    ).findings
    assert {"L304", "L318"} <= {f.code for f in findings}, findings


def test_other_changes_beside_the_legacy_drop_are_reported_alone() -> None:
    source = revision(
        'op.drop_table("migrate_version")\n'
        'op.add_column("account", sa.Column("plan", sa.Integer(), nullable=True))'
    )
    [message] = l318(source)
    assert "1 schema change(s)" in message
    assert "add_column account.plan" in message
    assert "migrate_version" not in message


# --- a history's first schema ----------------------------------------------------------------

CREATES = """
op.create_table("account", sa.Column("id", sa.Integer(), primary_key=True))
op.create_table(
    "plan",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id")),
)
op.add_column("account", sa.Column("name", sa.String(64), nullable=True))
op.create_index("ix_plan_account_id", "plan", ["account_id"])
op.create_unique_constraint("uq_account_name", "account", ["name"])
op.execute("CREATE VIEW active_plan AS SELECT * FROM plan")
op.bulk_insert(sa.table("plan", sa.column("id")), [{"id": 1}])
"""


@pytest.mark.parametrize("header", ["", 'branch_labels = ("billing",)'])
def test_an_initial_schema_with_an_empty_downgrade_is_quiet(header: str) -> None:
    assert l318(revision(CREATES, header=header, down_revision="None")) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        # a base revision that changes tables it did not create (Alembic adopted on an
        # existing database, the first revision altering it)
        CREATES + 'op.drop_column("legacy_account", "fax")',
        'op.alter_column("account", "name", existing_type=sa.String(64), nullable=False)',
        'op.add_column("account", sa.Column("plan", sa.Integer(), nullable=True))',
        'op.execute("ALTER TABLE account ADD COLUMN plan INT")',
        'op.drop_index("ix_old", table_name="account")',
    ],
)
def test_a_base_revision_that_changes_existing_tables_is_still_reported(upgrade: str) -> None:
    assert len(l318(revision(upgrade, down_revision="None"))) == 1


# round 37: autogenerate's first schema with the keys made AUTO_INCREMENT after the tables (a
# MySQL dump's shape): an alter, a dropped index or column of a table the revision itself created
# is still that table's first definition
_SHAPES_CREATED = [
    'op.alter_column("account", "id", existing_type=sa.Integer(), autoincrement=True)',
    'op.alter_column("plan", "account_id", existing_type=sa.Integer(), nullable=False)',
    'op.drop_index("ix_plan_account_id", table_name="plan")',
    'op.drop_column("account", "name")',
]


@pytest.mark.parametrize("shape", _SHAPES_CREATED)
def test_a_first_schema_shaping_its_own_tables_is_quiet(shape: str) -> None:
    assert l318(revision(CREATES + shape, down_revision="None")) == []


@pytest.mark.parametrize("shape", _SHAPES_CREATED)
def test_the_same_shaping_of_a_table_it_did_not_create_is_reported(shape: str) -> None:
    foreign = (
        shape.replace('"account"', '"legacy"')
        .replace('"plan"', '"legacy"')
        .replace("ix_plan_account_id", "ix_legacy_account_id")
    )
    assert len(l318(revision(CREATES + foreign, down_revision="None"))) == 1


@pytest.mark.parametrize("down_revision", ['"a8a2fc4e4c77"', '("a8a2fc4e4c77", "b9b3fd5f5d88")'])
def test_the_same_creations_later_in_the_history_are_reported(down_revision: str) -> None:
    assert len(l318(revision(CREATES, down_revision=down_revision))) == 1


def test_a_branch_opened_from_the_middle_is_not_a_first_schema() -> None:
    source = revision(CREATES, header='branch_labels = ("billing",)')
    assert len(l318(source)) == 1


def _typed(source: str) -> str:
    """The identifiers as Alembic's newer template types them."""
    return (
        source.replace('revision = "', 'revision: str = "')
        .replace("down_revision = ", "down_revision: Union[str, None] = ")
        .replace("from alembic import op", "from typing import Union\n\nfrom alembic import op")
    )


def test_a_typed_initial_revision_is_a_first_schema_too() -> None:
    assert l318(_typed(revision(CREATES, down_revision="None"))) == []


def test_a_typed_later_revision_is_still_reported() -> None:
    assert len(l318(_typed(revision(CREATES)))) == 1
